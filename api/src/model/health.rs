//! Component health rows: a score, a band and the remaining useful life.

use serde::Serialize;
use utoipa::ToSchema;

use crate::model::enums::{Band, Component};

/// One component's health at one window end.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct HealthView {
    /// The fleet.
    pub fleet_id: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// The component.
    pub component: Component,
    /// Event time of the score (its window end), ms since the epoch.
    pub ts_ms: i64,
    /// Health score, 0 (failed) to 100 (as new).
    pub score: f64,
    /// Band after hysteresis.
    pub band: Band,
    /// Remaining useful life on the usage axis (km; cycles for turbofans): the median.
    pub rul_km: Option<f64>,
    /// Pessimistic remaining useful life (P10), when a trained model gives a band.
    pub rul_km_p10: Option<f64>,
    /// Optimistic remaining useful life (P90), when a trained model gives a band.
    pub rul_km_p90: Option<f64>,
    /// Remaining useful life, days.
    pub rul_days: Option<f64>,
    /// Odometer at the window end, km.
    pub odometer_km: Option<f64>,
    /// The model that produced the score.
    pub model_version: String,
}

impl From<schemas::HealthRow> for HealthView {
    fn from(h: schemas::HealthRow) -> Self {
        HealthView {
            fleet_id: h.fleet_id.to_string(),
            vehicle_id: h.vehicle_id.to_string(),
            component: h.component.into(),
            ts_ms: h.ts_ms,
            score: h.score.get(),
            band: h.band.into(),
            rul_km: h.rul_km.map(|v| v.get()),
            rul_km_p10: h.rul_km_p10.map(|v| v.get()),
            rul_km_p90: h.rul_km_p90.map(|v| v.get()),
            rul_days: h.rul_days.map(|v| v.get()),
            odometer_km: h.odometer_km.map(|v| v.get()),
            model_version: h.model_version.to_string(),
        }
    }
}

/// The current health of every scored component of one vehicle.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct VehicleHealth {
    /// The vehicle.
    pub vehicle_id: String,
    /// Its fleet.
    pub fleet_id: String,
    /// The latest row per component, by component.
    pub components: Vec<HealthView>,
}
