//! The tenant registry: fleets and their vehicles.

use serde::{Deserialize, Serialize};

/// The fleet a vehicle lands in when nothing says otherwise.
pub const DEFAULT_FLEET: &str = "default";

/// A fleet: the tenant every vehicle and every result belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fleet {
    /// Stable id (used in keys and URLs).
    pub fleet_id: String,
    /// Display name.
    pub name: String,
}

/// A registered vehicle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    /// Stable id: the Kafka record key of its telemetry.
    pub vehicle_id: String,
    /// Its fleet.
    pub fleet_id: String,
    /// Vehicle identification number.
    pub vin: Option<String>,
    /// Owner name or account.
    pub owner: Option<String>,
    /// Make.
    pub make: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Warranty start date (ISO 8601 date).
    pub warranty_start: Option<String>,
    /// The depot that services it.
    pub home_depot: Option<String>,
    /// IANA time zone name.
    pub time_zone: Option<String>,
}
