//! Scheduling resources (technicians, bays, parts) and what the planner produces.

use serde::{Deserialize, Serialize};

use crate::{Component, TsMs};

/// A technician who works shifts at one depot.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Technician {
    /// Stable id.
    pub technician_id: String,
    /// Display name.
    pub name: String,
    /// The depot where they work.
    pub depot: String,
    /// Components they are qualified to service.
    pub skills: Vec<Component>,
    /// Shift start, hour of day (UTC), inclusive.
    pub shift_start_hour: u8,
    /// Shift end, hour of day (UTC), exclusive.
    pub shift_end_hour: u8,
}

/// A service bay at a depot; one vehicle at a time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Bay {
    /// Stable id.
    pub bay_id: String,
    /// The depot it is in.
    pub depot: String,
}

/// How many parts kits for one component a depot has in stock.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PartStock {
    /// The depot.
    pub depot: String,
    /// The component the kit repairs.
    pub component: Component,
    /// Kits on the shelf.
    pub quantity: u32,
}

/// Work a vehicle needs: the open alerts of one vehicle, as one job.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServiceJob {
    /// The fleet.
    pub fleet_id: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// The depot that serves it.
    pub depot: String,
    /// Components to service (sorted, distinct).
    pub components: Vec<Component>,
    /// Alerts this job clears (sorted).
    pub alert_ids: Vec<String>,
    /// 1 (critical) to 5.
    pub priority: u8,
    /// When it must be done by (from RUL), ms.
    pub deadline_ms: TsMs,
    /// The event time the job became known (its earliest start), ms.
    pub ready_ms: TsMs,
}

/// A planned service appointment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Appointment {
    /// Deterministic id: hash of the vehicle and the alerts it clears.
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
    pub start_ms: TsMs,
    /// End, ms.
    pub end_ms: TsMs,
    /// Components to service.
    pub components: Vec<Component>,
    /// Alerts the appointment clears.
    pub alert_ids: Vec<String>,
    /// The job's deadline, ms (an appointment past it is flagged late).
    pub deadline_ms: TsMs,
}
