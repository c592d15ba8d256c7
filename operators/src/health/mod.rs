//! health: per-vehicle, event-time window scores of every component.
//!
//! **Windows.** Readings are grouped into tumbling event-time windows of
//! [`HealthConfig::window_ms`] (default 10 minutes), aligned to the Unix
//! epoch: a reading at `ts_ms` falls in `[start, start + window_ms)` with
//! `start = floor(ts_ms / window_ms) · window_ms`. Windows are kept per
//! (fleet, vehicle, component), so each vehicle advances on its own event
//! time and nothing waits for a global watermark. The dataflow timestamp
//! (the ingestion epoch) only says *when* a window's content changed: a
//! late or corrected reading (already admitted by the upstream gate)
//! retracts its window's previous score and inserts the new one.
//!
//! **Features and score.** Each component has a rules-v1 [`rule::Rule`] (one
//! file per component, with its physical limits documented): the window's
//! count, mean, worst value and exceedances of the primary signal (the worst
//! wheel for per-wheel signals), its distinct DTCs, and a 0–100 score. A
//! window is scored only when it holds a primary-signal reading. The
//! vehicle's highest odometer reading in the same window is joined in as
//! the usage-axis position (`None` when the window has none).

pub mod battery;
pub mod brakes;
pub mod cooling;
pub mod engine;
pub mod features;
pub mod rule;
pub mod tires;
pub mod transmission;

#[cfg(test)]
mod random_tests;

use serde::{Deserialize, Serialize};

use schemas::{Component, Reading, Signal, TsMs, Value, WindowFeatures};

use crate::Coll;
use rule::Rule;

/// Name of the scoring model, recorded on every health row.
pub const MODEL_VERSION: &str = "rules-v1";

/// Settings of the health operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthConfig {
    /// Width of the tumbling event-time windows, ms (a non-positive width is treated as 1 ms).
    pub window_ms: i64,
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig { window_ms: 10 * 60 * 1000 }
    }
}

/// One component's features and score over one event-time window of one vehicle.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WindowScore {
    /// The fleet.
    pub fleet_id: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// The component.
    pub component: Component,
    /// What the window's readings say about the component (window start included).
    pub features: WindowFeatures,
    /// End of the window (exclusive), ms: the event time of the score.
    pub window_end_ms: TsMs,
    /// Health score, 0 (failed) to 100 (as new).
    pub score: Value,
}

/// The rules-v1 scorer of a component.
pub fn rule_for(component: Component) -> &'static Rule {
    match component {
        Component::Engine => &engine::RULE,
        Component::Cooling => &cooling::RULE,
        Component::Brakes => &brakes::RULE,
        Component::Transmission => &transmission::RULE,
        Component::Battery => &battery::RULE,
        Component::Tires => &tires::RULE,
    }
}

/// Start of the epoch-aligned window of `width_ms` holding `ts_ms`.
pub fn window_start(ts_ms: TsMs, width_ms: i64) -> TsMs {
    let width = width_ms.max(1);
    ts_ms.div_euclid(width) * width
}

/// Scores every (fleet, vehicle, component, window) that holds a reading of
/// the component's primary signal.
pub fn health<'s>(readings: Coll<'s, Reading>, config: HealthConfig) -> Coll<'s, WindowScore> {
    let width = config.window_ms.max(1);

    let odometer = readings
        .clone()
        .filter(|r| r.signal == Signal::Odometer)
        .map(move |r| ((r.fleet_id, r.vehicle_id, window_start(r.ts_ms, width)), r.value))
        .reduce(|_window, values, out| {
            if let Some((max, _)) = values.iter().rev().find(|(_, diff)| *diff > 0) {
                out.push((**max, 1));
            }
        });

    let scored = readings
        .flat_map(move |r| {
            let component = r.signal.component().filter(|c| rule_for(*c).reads(r.signal))?;
            Some(((r.fleet_id, r.vehicle_id, component, window_start(r.ts_ms, width)), (r.signal, r.value)))
        })
        .reduce(|(_, _, component, start), readings, out| {
            if let Some(scored) = features::window_score(rule_for(*component), *start, readings) {
                out.push((scored, 1));
            }
        })
        .map(|((fleet, vehicle, component, start), (features, score))| {
            ((fleet, vehicle, start), (component, features, score))
        });

    let with_odometer =
        scored.clone().join_map(odometer.clone(), move |key, scored, km| window_score(width, key, scored, Some(*km)));
    let without_odometer = scored
        .antijoin(odometer.map(|(key, _)| key))
        .map(move |(key, scored)| window_score(width, &key, &scored, None));
    with_odometer.concat(without_odometer)
}

/// Assembles a [`WindowScore`] from a scored window and its odometer.
fn window_score(
    width: i64,
    (fleet, vehicle, start): &(String, String, TsMs),
    (component, features, score): &(Component, WindowFeatures, Value),
    odometer_km: Option<Value>,
) -> WindowScore {
    WindowScore {
        fleet_id: fleet.clone(),
        vehicle_id: vehicle.clone(),
        component: *component,
        features: WindowFeatures { odometer_km, ..features.clone() },
        window_end_ms: start.saturating_add(width),
        score: *score,
    }
}

#[cfg(test)]
mod tests;
