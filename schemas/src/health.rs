//! Per-window features and the health rows the health and degrade operators produce.

use serde::{Deserialize, Serialize};

use crate::{Band, Component, Id, TsMs, Value};

/// What one event-time window of one vehicle's readings says about one component.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WindowFeatures {
    /// Window start (inclusive), ms; windows are tumbling and aligned to the epoch.
    pub window_start_ms: TsMs,
    /// Number of readings that informed the component.
    pub count: u32,
    /// Mean of the component's primary signal (worst wheel for per-wheel signals).
    pub mean: Value,
    /// Worst value of the primary signal in the window (direction depends on the component).
    pub worst: Value,
    /// Readings past the component's warning limit.
    pub exceedances: u32,
    /// Distinct active DTCs attributed to the component.
    pub dtcs: u32,
    /// Highest odometer seen in the window, km (the usage axis).
    pub odometer_km: Option<Value>,
}

/// A component's health at one window end: one row of health history.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct HealthRow {
    /// The fleet.
    pub fleet_id: Id,
    /// The vehicle.
    pub vehicle_id: Id,
    /// The component.
    pub component: Component,
    /// Event time of the score: the end of its window, ms.
    pub ts_ms: TsMs,
    /// Health score, 0 (failed) to 100 (as new).
    pub score: Value,
    /// Band after hysteresis.
    pub band: Band,
    /// Remaining useful life on the usage axis (km, or cycles for assets that
    /// count them), when a model or trend predicts one: the median (P50).
    pub rul_km: Option<Value>,
    /// Pessimistic RUL (P10) on the usage axis, when a trained model gives a band.
    pub rul_km_p10: Option<Value>,
    /// Optimistic RUL (P90) on the usage axis, when a trained model gives a band.
    pub rul_km_p90: Option<Value>,
    /// Remaining useful life in days, from the vehicle's own recent km per day.
    pub rul_days: Option<Value>,
    /// Odometer at the window end, km.
    pub odometer_km: Option<Value>,
    /// Which model produced the score.
    pub model_version: Id,
}

/// A component moving from one band to another between consecutive windows.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Transition {
    /// The fleet.
    pub fleet_id: Id,
    /// The vehicle.
    pub vehicle_id: Id,
    /// The component.
    pub component: Component,
    /// Event time of the window that entered the new band, ms.
    pub ts_ms: TsMs,
    /// The band before (`None` for the component's first window).
    pub from: Option<Band>,
    /// The band after.
    pub to: Band,
    /// The score of the window that entered the new band.
    pub score: Value,
}
