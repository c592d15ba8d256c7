//! Fleets, vehicles, fleet summaries and CSV import reports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sinks::FleetSummary;
use utoipa::ToSchema;

use crate::model::enums::{Band, Named, Severity};

/// A fleet (tenant).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FleetView {
    /// Stable id, used in URLs and keys.
    pub fleet_id: String,
    /// Display name.
    pub name: String,
}

impl From<schemas::Fleet> for FleetView {
    fn from(f: schemas::Fleet) -> Self {
        FleetView { fleet_id: f.fleet_id, name: f.name }
    }
}

impl From<FleetView> for schemas::Fleet {
    fn from(f: FleetView) -> Self {
        schemas::Fleet { fleet_id: f.fleet_id, name: f.name }
    }
}

/// A registered vehicle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VehicleView {
    /// Stable id: the Kafka record key of its telemetry.
    pub vehicle_id: String,
    /// Its fleet (must exist).
    pub fleet_id: String,
    /// Vehicle identification number (17 characters, no I, O or Q).
    #[serde(default)]
    pub vin: Option<String>,
    /// Owner name or account.
    #[serde(default)]
    pub owner: Option<String>,
    /// Make.
    #[serde(default)]
    pub make: Option<String>,
    /// Model.
    #[serde(default)]
    pub model: Option<String>,
    /// Warranty start date, `YYYY-MM-DD`.
    #[serde(default)]
    pub warranty_start: Option<String>,
    /// The depot that services it.
    #[serde(default)]
    pub home_depot: Option<String>,
    /// IANA time zone name, e.g. `Europe/Berlin`.
    #[serde(default)]
    pub time_zone: Option<String>,
}

impl From<schemas::Vehicle> for VehicleView {
    fn from(v: schemas::Vehicle) -> Self {
        VehicleView {
            vehicle_id: v.vehicle_id,
            fleet_id: v.fleet_id,
            vin: v.vin,
            owner: v.owner,
            make: v.make,
            model: v.model,
            warranty_start: v.warranty_start,
            home_depot: v.home_depot,
            time_zone: v.time_zone,
        }
    }
}

impl From<VehicleView> for schemas::Vehicle {
    fn from(v: VehicleView) -> Self {
        schemas::Vehicle {
            vehicle_id: v.vehicle_id,
            fleet_id: v.fleet_id,
            vin: v.vin,
            owner: v.owner,
            make: v.make,
            model: v.model,
            warranty_start: v.warranty_start,
            home_depot: v.home_depot,
            time_zone: v.time_zone,
        }
    }
}

/// Headline numbers of one fleet.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct FleetSummaryView {
    /// The fleet.
    pub fleet_id: String,
    /// Registered vehicles.
    pub vehicles: i64,
    /// Mean of the current component scores (none before any score).
    pub mean_score: Option<f64>,
    /// Current component count per band (every band present, zero included).
    pub components_by_band: BTreeMap<String, i64>,
    /// Open alerts per severity (every severity present, zero included).
    pub open_alerts_by_severity: BTreeMap<String, i64>,
    /// Appointments scheduled or confirmed.
    pub upcoming_appointments: i64,
    /// Dead letters of this fleet's vehicles.
    pub dead_letters: i64,
}

fn counts<'a>(names: impl Iterator<Item = &'a str>, pairs: Vec<(String, i64)>) -> BTreeMap<String, i64> {
    let mut map: BTreeMap<String, i64> = names.map(|name| (name.to_string(), 0)).collect();
    for (name, count) in pairs {
        *map.entry(name).or_insert(0) += count;
    }
    map
}

impl From<FleetSummary> for FleetSummaryView {
    fn from(s: FleetSummary) -> Self {
        FleetSummaryView {
            fleet_id: s.fleet_id,
            vehicles: s.vehicles,
            mean_score: s.mean_score,
            components_by_band: counts(Band::ALL.iter().map(|b| b.as_str()), s.components_by_band),
            open_alerts_by_severity: counts(Severity::ALL.iter().map(|v| v.as_str()), s.open_alerts_by_severity),
            upcoming_appointments: s.upcoming_appointments,
            dead_letters: s.dead_letters,
        }
    }
}

/// The outcome of a CSV import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportReport {
    /// Vehicles registered or updated.
    pub imported: usize,
}
