//! Seeded random test of health → degrade → alerts against a sequential
//! reference that recomputes everything from the full reading set after
//! each epoch (windows, odometer maxima, per-component history in event
//! time, episodes). Vehicles move forward in event time and corrections stay
//! within a short horizon, as the gate guarantees, so the operators seal and
//! forget most windows along the way while the reference never forgets.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use schemas::{Alert, Component, Dtc, HealthRow, Id, LogPos, Reading, Signal, Transition, TsMs, Value, Wheel};

use super::{HealthConfig, WindowScore, features::window_score, health, rule_for, window_start};
use crate::alert::{BandPoint, alerts, episodes};
use crate::degrade::{DegradeConfig, DegradeSetup, Degraded, WindowPoint, degrade, history};
use crate::finality::Finality;
use crate::prognostics::ModelSlot;
use crate::testing::{content_at, run_epochs};
use crate::{Diff, Epoch};

/// Everything the chain emits, in one collection.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
enum Out {
    Score(WindowScore),
    Row(HealthRow),
    Change(Transition),
    Alert(Alert),
}

/// The readings of one (fleet, vehicle, component, window), with multiplicities.
type Group = BTreeMap<(Signal, Value), Diff>;

const WINDOW_MS: i64 = 60_000;

/// Two windows of correction horizon.
const FINALITY: Finality = Finality { horizon_ms: 2 * WINDOW_MS, window_ms: WINDOW_MS };

fn configs() -> (HealthConfig, DegradeConfig) {
    (HealthConfig { window_ms: WINDOW_MS }, DegradeConfig { trend_windows: 4, ..DegradeConfig::default() })
}

/// The mean of every non-DTC signal among a window's `(signal, value)` counts, rounded to 1e-6.
fn signal_means(values: &BTreeMap<(Signal, Value), Diff>) -> Vec<(Signal, Value)> {
    let mut sums: BTreeMap<Signal, (f64, f64)> = BTreeMap::new();
    for ((signal, value), n) in values.iter().filter(|((s, _), n)| !matches!(s, Signal::Dtc(_)) && **n > 0) {
        let sum = sums.entry(*signal).or_default();
        sum.0 += value.get() * *n as f64;
        sum.1 += *n as f64;
    }
    sums.into_iter().map(|(signal, (sum, n))| (signal, Value((sum / n * 1e6).round() / 1e6))).collect()
}

/// The sequential reference: the chain's content for a set of readings.
fn reference(readings: &BTreeMap<Reading, Diff>) -> Vec<(Out, Diff)> {
    let (hc, dc) = configs();
    let mut odometer: BTreeMap<(Id, Id, TsMs), Value> = BTreeMap::new();
    let mut groups: BTreeMap<(Id, Id, Component, TsMs), Group> = BTreeMap::new();
    for (r, n) in readings {
        let start = window_start(r.ts_ms, hc.window_ms);
        if r.signal == Signal::Odometer {
            let max = odometer.entry((r.fleet_id.clone(), r.vehicle_id.clone(), start)).or_insert(r.value);
            *max = (*max).max(r.value);
        }
        if let Some(c) = r.signal.component() {
            *groups
                .entry((r.fleet_id.clone(), r.vehicle_id.clone(), c, start))
                .or_default()
                .entry((r.signal, r.value))
                .or_default() += n;
        }
    }
    let mut out: BTreeMap<Out, Diff> = BTreeMap::new();
    let mut windows: BTreeMap<(Id, Id, Component), Vec<WindowPoint>> = BTreeMap::new();
    for ((fleet, vehicle, component, start), values) in groups {
        let refs: Vec<(&(Signal, Value), Diff)> = values.iter().map(|(v, n)| (v, *n)).collect();
        let Some((mut features, score)) = window_score(rule_for(component), start, &refs) else {
            continue;
        };
        features.odometer_km = odometer.get(&(fleet.clone(), vehicle.clone(), start)).copied();
        let ws = WindowScore {
            fleet_id: fleet.clone(),
            vehicle_id: vehicle.clone(),
            component,
            features,
            window_end_ms: start + hc.window_ms,
            score,
            signals: signal_means(&values).into(),
        };
        windows.entry((fleet, vehicle, component)).or_default().push(WindowPoint::of(&ws));
        *out.entry(Out::Score(ws)).or_default() += 1;
    }
    for ((fleet, vehicle, component), points) in windows {
        let mut bands = Vec::new();
        for d in
            history(&fleet, &vehicle, component, &points, &DegradeSetup { config: dc, model: ModelSlot::default() })
        {
            match d {
                Degraded::Row(r) => {
                    bands.push(BandPoint {
                        ts_ms: r.ts_ms,
                        band: r.band,
                        score: r.score,
                        rul_km: r.rul_km,
                        rul_days: r.rul_days,
                    });
                    *out.entry(Out::Row(r)).or_default() += 1;
                }
                Degraded::Change(t) => *out.entry(Out::Change(t)).or_default() += 1,
            }
        }
        for a in episodes(&fleet, &vehicle, component, &bands) {
            *out.entry(Out::Alert(a)).or_default() += 1;
        }
    }
    out.into_iter().collect()
}

/// A random reading of a random vehicle, at most the horizon behind its clock.
fn random_reading(rng: &mut StdRng, offset: i64, clocks: &BTreeMap<&'static str, TsMs>) -> Reading {
    let vehicle = ["v1", "v2"][rng.random_range(0..2)];
    let clock = clocks.get(vehicle).copied().unwrap_or_default();
    let ts_ms = (clock - rng.random_range(0..=FINALITY.horizon_ms)).max(0);
    let (signal, value) = match rng.random_range(0..9) {
        0 | 1 => (Signal::CoolantTemp, 90.0 + f64::from(rng.random_range(0..80u32)) * 0.5),
        2 => (Signal::PadWear(Wheel::FrontLeft), f64::from(rng.random_range(0..100u32))),
        3 => (Signal::PadWear(Wheel::RearRight), f64::from(rng.random_range(0..100u32))),
        4 => (Signal::BatteryVoltage, f64::from(rng.random_range(105..130u32)) / 10.0),
        5 => (Signal::ControlModuleVoltage, f64::from(rng.random_range(105..145u32)) / 10.0),
        6 => (Signal::Dtc([Dtc(0x4035), Dtc(0x0300), Dtc(0x8001)][rng.random_range(0..3)]), 1.0),
        7 => (Signal::EngineSpeed, 2000.0),
        _ => (Signal::Odometer, 1000.0 + (ts_ms / 1000) as f64 * 0.4 + f64::from(rng.random_range(0..3u32))),
    };
    Reading {
        fleet_id: "f1".into(),
        vehicle_id: vehicle.into(),
        ts_ms,
        signal,
        value: Value(value),
        pos: LogPos { partition: 0, offset },
    }
}

#[test]
fn health_degrade_alerts_match_a_sequential_recomputation() {
    for seed in 0..4u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut current: BTreeMap<Reading, Diff> = BTreeMap::new();
        let mut epochs: Vec<Vec<(Reading, Diff)>> = Vec::new();
        let mut expected: Vec<Vec<(Out, Diff)>> = Vec::new();
        let mut offset = 0;
        let mut clocks: BTreeMap<&'static str, TsMs> = BTreeMap::new();
        let mut newest: BTreeMap<Id, TsMs> = BTreeMap::new();
        for _ in 0..40 {
            for vehicle in ["v1", "v2"] {
                *clocks.entry(vehicle).or_default() += rng.random_range(0..45_000);
            }
            let mut updates = Vec::new();
            for _ in 0..rng.random_range(0..12) {
                offset += 1;
                // Only readings the gate would still let a correction reach.
                let open: Vec<&Reading> = current
                    .keys()
                    .filter(|r| r.ts_ms >= newest.get(&r.vehicle_id).copied().unwrap_or_default() - FINALITY.horizon_ms)
                    .collect();
                if !open.is_empty() && rng.random_bool(0.3) {
                    // A correction: retract a reading and maybe re-send it with another value.
                    let old = open[rng.random_range(0..open.len())].clone();
                    updates.push((old.clone(), -1));
                    *current.entry(old.clone()).or_default() -= 1;
                    current.retain(|_, n| *n != 0);
                    if rng.random_bool(0.6) {
                        let fresh = random_reading(&mut rng, offset, &clocks);
                        let new = Reading { value: fresh.value, pos: LogPos { partition: 0, offset }, ..old };
                        updates.push((new.clone(), 1));
                        *current.entry(new).or_default() += 1;
                    }
                } else {
                    let r = random_reading(&mut rng, offset, &clocks);
                    let seen = newest.entry(r.vehicle_id.clone()).or_insert(r.ts_ms);
                    *seen = (*seen).max(r.ts_ms);
                    updates.push((r.clone(), 1));
                    *current.entry(r).or_default() += 1;
                }
            }
            epochs.push(updates);
            expected.push(reference(&current));
        }
        let out = run_epochs(epochs, |readings| {
            let (hc, dc) = configs();
            let scores = health(readings, hc, FINALITY);
            let (rows, changes) =
                degrade(scores.clone(), DegradeSetup { config: dc, model: ModelSlot::default() }, FINALITY);
            let raised = alerts(rows.clone(), FINALITY);
            scores
                .map(Out::Score)
                .concat(rows.map(Out::Row))
                .concat(changes.map(Out::Change))
                .concat(raised.map(Out::Alert))
        });
        for (epoch, want) in expected.iter().enumerate() {
            assert_eq!(&content_at(&out, epoch as Epoch), want, "seed {seed}, epoch {epoch}");
        }
        let alerts_seen = out.iter().filter(|(o, _, d)| matches!(o, Out::Alert(_)) && *d < 0).count();
        assert!(alerts_seen > 0, "seed {seed} never retracted an alert");
    }
}
