//! Epoch-by-epoch tests of the health operator: exact `(data, epoch, diff)`.

use schemas::{LogPos, Reading, Signal, Value, Wheel, WindowFeatures};

use super::{HealthConfig, WindowScore, health};
use crate::finality::Finality;
use crate::testing::{consolidate, run_epochs};
use crate::{Diff, Epoch};
use schemas::Component;

const W: i64 = 600_000;

fn reading(ts_ms: i64, signal: Signal, value: f64, offset: i64) -> Reading {
    Reading {
        fleet_id: "f1".into(),
        vehicle_id: "v1".into(),
        ts_ms,
        signal,
        value: Value(value),
        pos: LogPos { partition: 0, offset },
    }
}

#[allow(clippy::too_many_arguments)]
fn score(
    component: Component,
    start: i64,
    count: u32,
    mean: f64,
    worst: f64,
    exceedances: u32,
    odometer: Option<f64>,
    score: f64,
) -> WindowScore {
    WindowScore {
        fleet_id: "f1".into(),
        vehicle_id: "v1".into(),
        component,
        features: WindowFeatures {
            window_start_ms: start,
            count,
            mean: Value(mean),
            worst: Value(worst),
            exceedances,
            dtcs: 0,
            odometer_km: odometer.map(Value),
        },
        window_end_ms: start + W,
        score: Value(score),
        signals: vec![(primary(component), Value(mean))].into(),
    }
}

/// The one primary signal these tests send for a component.
fn primary(component: Component) -> Signal {
    match component {
        Component::Cooling => Signal::CoolantTemp,
        Component::Brakes => Signal::PadWear(Wheel::FrontLeft),
        Component::Battery => Signal::BatteryVoltage,
        other => panic!("no test signal for {other}"),
    }
}

#[test]
fn default_windows_are_ten_minutes() {
    assert_eq!(HealthConfig::default().window_ms, W);
    assert_eq!(super::window_start(W + 1, W), W);
    assert_eq!(super::window_start(-1, W), -W);
}

#[test]
fn corrections_and_odometer_updates_retract_and_reinsert_window_scores() {
    let hot = reading(W + 2_000, Signal::CoolantTemp, 112.5, 2);
    let pad = reading(W + 3_000, Signal::PadWear(Wheel::FrontLeft), 30.0, 3);
    let epochs: Vec<Vec<(Reading, Diff)>> = vec![
        // A cooling and a brake window with an odometer; engine speed alone scores nothing.
        vec![
            (reading(W + 1_000, Signal::CoolantTemp, 95.0, 1), 1),
            (hot.clone(), 1),
            (pad.clone(), 1),
            (reading(W + 1_500, Signal::Odometer, 1000.0, 4), 1),
            (reading(W + 1_500, Signal::EngineSpeed, 2500.0, 4), 1),
        ],
        // The hot reading is corrected (re-sent with a later log position).
        vec![(hot, -1), (reading(W + 2_000, Signal::CoolantTemp, 97.0, 9), 1)],
        // A later odometer in the same window; a hot reading in the next window, no odometer there.
        vec![
            (reading(W + 9_000, Signal::Odometer, 1004.0, 10), 1),
            (reading(2 * W + 5, Signal::CoolantTemp, 120.0, 11), 1),
        ],
        // The only brake reading is retracted: its window disappears.
        vec![(pad, -1)],
    ];
    let out = run_epochs(epochs, |readings| health(readings, HealthConfig::default(), Finality::default()));

    let cool_hot = |odo| score(Component::Cooling, W, 2, 103.75, 112.5, 1, odo, 0.0);
    let cool_fixed = |odo| score(Component::Cooling, W, 2, 96.0, 97.0, 1, odo, 44.0);
    let brakes = |odo| score(Component::Brakes, W, 1, 30.0, 30.0, 0, odo, 100.0);
    let expected: Vec<(WindowScore, Epoch, Diff)> = vec![
        (cool_hot(Some(1000.0)), 0, 1),
        (brakes(Some(1000.0)), 0, 1),
        (cool_hot(Some(1000.0)), 1, -1),
        (cool_fixed(Some(1000.0)), 1, 1),
        (cool_fixed(Some(1000.0)), 2, -1),
        (cool_fixed(Some(1004.0)), 2, 1),
        (brakes(Some(1000.0)), 2, -1),
        (brakes(Some(1004.0)), 2, 1),
        (score(Component::Cooling, 2 * W, 1, 120.0, 120.0, 1, None, 0.0), 2, 1),
        (brakes(Some(1004.0)), 3, -1),
    ];
    assert_eq!(out, consolidate(expected));
}

#[test]
fn an_odometer_arriving_later_fills_the_usage_axis() {
    let odo = reading(5, Signal::Odometer, 42.0, 2);
    let epochs = vec![vec![(reading(1, Signal::BatteryVoltage, 11.7, 1), 1)], vec![(odo.clone(), 1)], vec![(odo, -1)]];
    let out = run_epochs(epochs, |readings| health(readings, HealthConfig::default(), Finality::default()));
    let battery = |odo| score(Component::Battery, 0, 1, 11.7, 11.7, 1, odo, 0.0);
    let expected = vec![
        (battery(None), 0, 1),
        (battery(None), 1, -1),
        (battery(Some(42.0)), 1, 1),
        (battery(Some(42.0)), 2, -1),
        (battery(None), 2, 1),
    ];
    assert_eq!(out, consolidate(expected));
}

#[test]
fn a_window_the_gate_can_no_longer_reach_is_forgotten() {
    // Horizon of one window: once a reading at 3W arrives, the window [0, W) is final.
    let finality = Finality { horizon_ms: W, window_ms: W };
    let epochs = vec![
        vec![(reading(1_000, Signal::CoolantTemp, 95.0, 1), 1)],
        vec![(reading(3 * W, Signal::CoolantTemp, 95.0, 2), 1)],
        // Something the gate would have rejected: the sealed window is not
        // re-read, a fresh one is started (so the state kept no readings of it).
        vec![(reading(2_000, Signal::CoolantTemp, 97.0, 3), 1)],
    ];
    let out = run_epochs(epochs, move |readings| health(readings, HealthConfig::default(), finality));
    let expected = vec![
        (score(Component::Cooling, 0, 1, 95.0, 95.0, 0, None, 76.0), 0, 1),
        (score(Component::Cooling, 3 * W, 1, 95.0, 95.0, 0, None, 76.0), 1, 1),
        (score(Component::Cooling, 0, 1, 97.0, 97.0, 1, None, 44.0), 2, 1),
    ];
    assert_eq!(out, consolidate(expected));
}
