//! Appointments and the scheduling resources (technicians, bays, parts stock).

use serde::{Deserialize, Serialize};
use sinks::AppointmentRecord;
use utoipa::ToSchema;

use crate::model::enums::Component;

/// A planned (or confirmed, or cancelled) service appointment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct AppointmentView {
    /// Deterministic id.
    pub appointment_id: String,
    /// The fleet.
    pub fleet_id: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// Depot.
    pub depot: String,
    /// Assigned technician.
    pub technician_id: String,
    /// Assigned bay.
    pub bay_id: String,
    /// Start, ms.
    pub start_ms: i64,
    /// End, ms.
    pub end_ms: i64,
    /// Components to service.
    pub components: Vec<Component>,
    /// Alerts it clears.
    pub alert_ids: Vec<String>,
    /// The job's deadline, ms.
    pub deadline_ms: i64,
    /// `scheduled`, `cancelled` or `confirmed`.
    pub status: String,
    /// Who confirmed it.
    pub confirmed_by: Option<String>,
}

impl From<AppointmentRecord> for AppointmentView {
    fn from(r: AppointmentRecord) -> Self {
        let a = r.appointment;
        AppointmentView {
            appointment_id: a.appointment_id,
            fleet_id: a.fleet_id,
            vehicle_id: a.vehicle_id,
            depot: a.depot,
            technician_id: a.technician_id,
            bay_id: a.bay_id,
            start_ms: a.start_ms,
            end_ms: a.end_ms,
            components: a.components.into_iter().map(Into::into).collect(),
            alert_ids: a.alert_ids,
            deadline_ms: a.deadline_ms,
            status: r.status,
            confirmed_by: r.confirmed_by,
        }
    }
}

/// A person confirming an appointment.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// Who confirms (non-empty).
    pub by: String,
}

/// A technician who works shifts at one depot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TechnicianView {
    /// Stable id.
    pub technician_id: String,
    /// Display name.
    pub name: String,
    /// The depot where they work.
    pub depot: String,
    /// Components they are qualified to service.
    pub skills: Vec<Component>,
    /// Shift start, hour of day (UTC), inclusive, 0..=23.
    pub shift_start_hour: u8,
    /// Shift end, hour of day (UTC), exclusive, after the start, at most 24.
    pub shift_end_hour: u8,
}

impl From<schemas::Technician> for TechnicianView {
    fn from(t: schemas::Technician) -> Self {
        TechnicianView {
            technician_id: t.technician_id,
            name: t.name,
            depot: t.depot,
            skills: t.skills.into_iter().map(Into::into).collect(),
            shift_start_hour: t.shift_start_hour,
            shift_end_hour: t.shift_end_hour,
        }
    }
}

impl From<TechnicianView> for schemas::Technician {
    fn from(t: TechnicianView) -> Self {
        schemas::Technician {
            technician_id: t.technician_id,
            name: t.name,
            depot: t.depot,
            skills: t.skills.into_iter().map(Into::into).collect(),
            shift_start_hour: t.shift_start_hour,
            shift_end_hour: t.shift_end_hour,
        }
    }
}

/// A service bay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BayView {
    /// Stable id.
    pub bay_id: String,
    /// The depot it is in.
    pub depot: String,
}

impl From<schemas::Bay> for BayView {
    fn from(b: schemas::Bay) -> Self {
        BayView { bay_id: b.bay_id, depot: b.depot }
    }
}

impl From<BayView> for schemas::Bay {
    fn from(b: BayView) -> Self {
        schemas::Bay { bay_id: b.bay_id, depot: b.depot }
    }
}

/// A depot's stock of one component's parts kits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartStockView {
    /// The depot.
    pub depot: String,
    /// The component the kit repairs.
    pub component: Component,
    /// Kits on the shelf.
    pub quantity: u32,
}

impl From<schemas::PartStock> for PartStockView {
    fn from(p: schemas::PartStock) -> Self {
        PartStockView { depot: p.depot, component: p.component.into(), quantity: p.quantity }
    }
}

impl From<PartStockView> for schemas::PartStock {
    fn from(p: PartStockView) -> Self {
        schemas::PartStock { depot: p.depot, component: p.component.into(), quantity: p.quantity }
    }
}
