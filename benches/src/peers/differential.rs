//! The hand-written differential-dataflow baseline: the same health, band
//! and alert logic as plain `reduce`s and joins over the whole history of
//! every key, with none of CarVrooom's operators (no gate, no latest, no
//! per-vehicle state machines, no finality). The arithmetic is the same pure
//! functions (window features and score, the band walk, the episode walk),
//! so its rows and alerts must equal ours on in-order input.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use differential_dataflow::input::Input;
use timely::dataflow::operators::probe::Handle as ProbeHandle;
use timely::dataflow::operators::{Inspect, Probe};

use operators::alert::{BandPoint, episodes};
use operators::degrade::{Degraded, WindowPoint, history};
use operators::health::features::window_score;
use operators::health::{rule_for, window_start};
use operators::{Coll, Diff, Epoch};
use schemas::{Alert, HealthRow, Id, Signal, Telemetry, Value, WindowFeatures};

use crate::chain::{bench_degrade, fold};
use crate::workload::Workload;

/// Window width, ms (the default health window).
const WIDTH: i64 = 600_000;

/// What one baseline run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct BaselineRun {
    /// Readings fed.
    pub readings: usize,
    /// Time in epochs, s.
    pub seconds: f64,
    /// Final health rows and alerts (sum of diffs).
    pub rows: i64,
    /// Final alerts (sum of diffs).
    pub alerts: i64,
    /// Order-independent fingerprint of every row and alert change.
    pub fingerprint: u64,
}

/// Health rows and alerts from messages, as plain differential.
pub fn baseline<'s>(messages: Coll<'s, Telemetry>) -> (Coll<'s, HealthRow>, Coll<'s, Alert>) {
    type Key = (Id, Id, i64);
    let readings = messages.flat_map(|m| {
        let (fleet, vehicle, ts) = (m.fleet_id, m.vehicle_id, m.ts_ms);
        m.values.into_iter().map(move |(s, v)| (fleet.clone(), vehicle.clone(), ts, s, v)).collect::<Vec<_>>()
    });
    let odometer = readings
        .clone()
        .filter(|(_, _, _, s, _)| *s == Signal::Odometer)
        .map(|(f, v, ts, _, x)| ((f, v, window_start(ts, WIDTH)), x))
        .reduce(|_, values: &[(&Value, Diff)], out: &mut Vec<(Value, Diff)>| {
            if let Some((max, _)) = values.iter().rev().find(|(_, d)| *d > 0) {
                out.push((**max, 1));
            }
        });
    let scored = readings
        .flat_map(|(f, v, ts, s, x)| {
            let c = s.component().filter(|c| rule_for(*c).reads(s))?;
            Some(((f, v, c, window_start(ts, WIDTH)), (s, x)))
        })
        .reduce(|(_, _, c, start), group, out| {
            if let Some(scored) = window_score(rule_for(*c), *start, group) {
                out.push((scored, 1));
            }
        })
        .map(|((f, v, c, start), (features, score))| ((f, v, start), (c, features, score)));
    // The rules need no per-signal means: no model reads them here.
    let point = |features: &WindowFeatures, score: Value, start: i64, km: Option<Value>| WindowPoint {
        end_ms: start + WIDTH,
        score,
        odometer_km: km.or(features.odometer_km),
        mean: features.mean,
        worst: features.worst,
        count: features.count,
        exceedances: features.exceedances,
        dtcs: features.dtcs,
        signals: Arc::from([]),
    };
    let with_km = scored.clone().join_map(odometer.clone(), move |(f, v, start): &Key, (c, feat, score), km| {
        ((f.clone(), v.clone(), *c), point(feat, *score, *start, Some(*km)))
    });
    let without_km = scored
        .antijoin(odometer.map(|(key, _)| key))
        .map(move |((f, v, start), (c, feat, score))| ((f, v, c), point(&feat, score, start, None)));
    let setup = bench_degrade();
    let rows = with_km
        .concat(without_km)
        .reduce(move |(f, v, c), windows, out| {
            let windows: Vec<WindowPoint> = windows.iter().filter(|(_, d)| *d > 0).map(|(w, _)| (*w).clone()).collect();
            for d in history(f, v, *c, &windows, &setup) {
                if let Degraded::Row(row) = d {
                    out.push((row, 1));
                }
            }
        })
        .map(|(_, row)| row);
    let alerts = rows
        .clone()
        .map(|r| {
            let p = BandPoint { ts_ms: r.ts_ms, band: r.band, score: r.score, rul_km: r.rul_km, rul_days: r.rul_days };
            ((r.fleet_id, r.vehicle_id, r.component), p)
        })
        .reduce(|(f, v, c), points, out| {
            let points: Vec<BandPoint> = points.iter().filter(|(_, d)| *d > 0).map(|(p, _)| (*p).clone()).collect();
            out.extend(episodes(f, v, *c, &points).into_iter().map(|a| (a, 1)));
        })
        .map(|(_, a)| a);
    (rows, alerts)
}

/// Runs the baseline on one worker, epoch by epoch like [`crate::chain`].
pub fn run_baseline(workload: Workload, rounds_per_epoch: usize) -> BaselineRun {
    #[derive(Default)]
    struct Tally {
        rows: i64,
        alerts: i64,
        fingerprint: u64,
    }
    let tally = Arc::new(Mutex::new(Tally::default()));
    let (t1, t2) = (tally.clone(), tally.clone());
    let seconds = timely::execute_directly(move |worker| {
        let probe = ProbeHandle::new();
        let mut input = worker.dataflow::<Epoch, _, _>(|scope| {
            let (input, messages) = scope.new_collection::<Telemetry, Diff>();
            let (rows, alerts) = baseline(messages);
            rows.inner
                .inspect(move |(r, _, d)| {
                    if let Ok(mut t) = t1.lock() {
                        t.rows += *d as i64;
                        fold(&mut t.fingerprint, r, *d);
                    }
                })
                .probe_with(&probe);
            alerts
                .inner
                .inspect(move |(a, _, d)| {
                    if let Ok(mut t) = t2.lock() {
                        t.alerts += *d as i64;
                        fold(&mut t.fingerprint, a, *d);
                    }
                })
                .probe_with(&probe);
            input
        });
        let rounds: Vec<usize> = (0..workload.messages_per_vehicle).collect();
        let mut seconds = 0.0;
        for (epoch, chunk) in rounds.chunks(rounds_per_epoch.max(1)).enumerate() {
            let batch: Vec<Telemetry> = chunk.iter().flat_map(|r| workload.round(*r)).collect();
            let began = Instant::now();
            for m in batch {
                input.insert(m);
            }
            let next = epoch as Epoch + 1;
            input.advance_to(next);
            input.flush();
            while probe.less_than(&next) {
                worker.step();
            }
            seconds += began.elapsed().as_secs_f64();
        }
        seconds
    });
    let t = tally.lock().map(|t| (t.rows, t.alerts, t.fingerprint)).unwrap_or_default();
    BaselineRun { readings: workload.readings(), seconds, rows: t.0, alerts: t.1, fingerprint: t.2 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::run_chain;

    #[test]
    fn the_baseline_computes_exactly_our_rows_and_alerts() -> anyhow::Result<()> {
        let w = Workload {
            vehicles: 5,
            period_ms: 60_000,
            messages_per_vehicle: 150,
            degrading: 0.6,
            seed: 8,
            partitions: 1,
        };
        let ours = run_chain(w, 1, 7)?;
        let base = run_baseline(w, 7);
        assert_eq!(base.rows, 15 * 6 * 5, "15 windows × 6 components × 5 vehicles");
        assert!(base.alerts > 0);
        assert_eq!((base.rows, base.alerts, base.fingerprint), (ours.rows, ours.alerts, ours.fingerprint));
        Ok(())
    }
}
