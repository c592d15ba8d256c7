//! The fused stages against the four operators chained, on seeded random
//! messages with re-sent corrections: equal `(data, epoch, diff)` updates.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use schemas::{Alert, Dtc, HealthRow, LogPos, RawRecord, Signal, Telemetry, Transition, TsMs, Value, Wheel};

use super::vehicle_stages;
use crate::alert::alerts;
use crate::degrade::{DegradeSetup, degrade};
use crate::finality::Finality;
use crate::health::{HealthConfig, health};
use crate::latest::latest;
use crate::testing::run_epochs;
use crate::{Coll, Diff};

const WINDOW_MS: i64 = 60_000;

/// Two windows of correction horizon.
const FINALITY: Finality = Finality { horizon_ms: 2 * WINDOW_MS, window_ms: WINDOW_MS };

const HEALTH: HealthConfig = HealthConfig { window_ms: WINDOW_MS };

/// A message of `vehicle` at `ts_ms` with a random set of signals.
fn random_message(rng: &mut StdRng, vehicle: &str, ts_ms: TsMs, offset: i64) -> Telemetry {
    let mut values = vec![(Signal::Odometer, Value(1000.0 + (ts_ms / 1000) as f64 * 0.4))];
    if rng.random_bool(0.8) {
        values.push((Signal::PadWear(Wheel::FrontLeft), Value(f64::from(rng.random_range(0..100u32)))));
    }
    if rng.random_bool(0.5) {
        values.push((Signal::CoolantTemp, Value(90.0 + f64::from(rng.random_range(0..80u32)) * 0.5)));
    }
    if rng.random_bool(0.4) {
        values.push((Signal::BatteryVoltage, Value(f64::from(rng.random_range(105..130u32)) / 10.0)));
    }
    if rng.random_bool(0.1) {
        values.push((Signal::Dtc(Dtc(0x4035)), Value(1.0)));
    }
    // Signals no health window reads: the fused stages do not keep them.
    if rng.random_bool(0.3) {
        values.push((Signal::VehicleSpeed, Value(f64::from(rng.random_range(0..130u32)))));
    }
    if rng.random_bool(0.05) {
        values.push((Signal::Dtc(Dtc(0xC100)), Value(1.0)));
    }
    Telemetry {
        fleet_id: "f1".into(),
        vehicle_id: vehicle.into(),
        ts_ms,
        values,
        record: RawRecord {
            pos: LogPos { partition: 0, offset },
            append_ms: ts_ms,
            key: Some(vehicle.as_bytes().to_vec()),
            payload: Vec::new(),
        },
    }
}

/// 40 epochs of messages from two vehicles; a third of them re-send an
/// event time within the horizon (a correction).
fn random_epochs(seed: u64) -> Vec<Vec<(Telemetry, Diff)>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut clocks = [0i64; 2];
    let mut offset = 0;
    let mut epochs = Vec::new();
    for _ in 0..40 {
        let mut batch = Vec::new();
        for _ in 0..rng.random_range(0..6) {
            let v = rng.random_range(0..2);
            offset += 1;
            let ts_ms = if rng.random_bool(0.33) {
                (clocks[v] - rng.random_range(0..FINALITY.horizon_ms)).max(0) / 10_000 * 10_000
            } else {
                clocks[v] += 10_000 * rng.random_range(1..4);
                clocks[v]
            };
            batch.push((random_message(&mut rng, ["v1", "v2"][v], ts_ms, offset), 1));
        }
        epochs.push(batch);
    }
    epochs
}

/// The four operators chained, as the pipeline ran them before they were fused.
fn chained<'s>(m: Coll<'s, Telemetry>) -> (Coll<'s, HealthRow>, Coll<'s, Transition>, Coll<'s, Alert>) {
    let (rows, transitions) = degrade(health(latest(m, FINALITY), HEALTH, FINALITY), DegradeSetup::default(), FINALITY);
    let raised = alerts(rows.clone(), FINALITY);
    (rows, transitions, raised)
}

/// The fused stages with the same settings.
fn fused<'s>(m: Coll<'s, Telemetry>) -> (Coll<'s, HealthRow>, Coll<'s, Transition>, Coll<'s, Alert>) {
    vehicle_stages(m, HEALTH, DegradeSetup::default(), FINALITY)
}

#[test]
fn the_stages_emit_exactly_what_the_four_operators_chained_emit() {
    for seed in 0..4u64 {
        let epochs = random_epochs(seed);
        let fused_rows = run_epochs(epochs.clone(), |m| fused(m).0);
        assert_eq!(fused_rows, run_epochs(epochs.clone(), |m| chained(m).0), "rows, seed {seed}");
        assert!(fused_rows.iter().any(|(_, _, d)| *d < 0), "seed {seed} never corrected a row");

        let fused_changes = run_epochs(epochs.clone(), |m| fused(m).1);
        assert_eq!(fused_changes, run_epochs(epochs.clone(), |m| chained(m).1), "transitions, seed {seed}");

        let fused_alerts = run_epochs(epochs.clone(), |m| fused(m).2);
        assert_eq!(fused_alerts, run_epochs(epochs, |m| chained(m).2), "alerts, seed {seed}");
        assert!(fused_alerts.iter().any(|(_, _, d)| *d < 0), "seed {seed} never updated an alert");
    }
}
