//! Dataflow only: pre-decoded messages in memory through gate → latest →
//! health → degrade → alert (the last four fused per vehicle, as `carvrooom
//! run` runs them), epoch by epoch, on `workers` timely threads.
//!
//! Each worker feeds the vehicles of its partitions (as the Kafka source
//! would), one epoch of `rounds_per_epoch` rounds at a time, and waits for
//! the probe to pass it: the wait is the epoch's latency. Messages are built
//! before the clock starts. Outputs are summarised by an order-independent
//! fingerprint (Σ diff · hash) so runs on different worker counts can be
//! checked for identical results without collecting them.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hash};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use differential_dataflow::input::Input;
use timely::dataflow::operators::probe::Handle as ProbeHandle;
use timely::dataflow::operators::{Inspect, Probe};

use operators::degrade::{DegradeConfig, DegradeSetup};
use operators::finality::Finality;
use operators::gate::{GateConfig, gate};
use operators::health::HealthConfig;
use operators::stages::vehicle_stages;
use operators::{Coll, Diff, Epoch};
use schemas::{Alert, HealthRow, Telemetry};

use crate::stage::{Epochs, capture};
use crate::workload::Workload;

/// What one dataflow-only run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainRun {
    /// Worker threads.
    pub workers: usize,
    /// Readings fed.
    pub readings: usize,
    /// Messages fed.
    pub messages: usize,
    /// Time spent in epochs (input to probe), summed, s: workload generation excluded.
    pub seconds: f64,
    /// Latency of every epoch (input to probe), ms.
    pub epoch_ms: Vec<f64>,
    /// Health rows and alerts in the final result.
    pub rows: i64,
    /// Alerts in the final result (every version ever inserted minus retracted).
    pub alerts: i64,
    /// Order-independent fingerprint of every (row or alert, diff) emitted.
    pub fingerprint: u64,
    /// Resident memory after the last epoch, with all operator state live, bytes.
    pub live_rss: u64,
}

impl ChainRun {
    /// Readings per second over the run.
    pub fn readings_per_s(&self) -> f64 {
        self.readings as f64 / self.seconds.max(f64::MIN_POSITIVE)
    }
}

/// The shared tallies of one run.
#[derive(Default)]
struct Tally {
    rows: i64,
    alerts: i64,
    fingerprint: u64,
    epoch_ms: Vec<f64>,
    seconds: f64,
    workers: usize,
    live_rss: u64,
}

/// The degrade settings of the chain and of the differential baseline: the
/// defaults without the fast-wear escalation, which the Python peers' band
/// walk does not transcribe (their windows carry no odometer), so all of
/// them give equal bands. The spaced trend, the row's RUL and (for healthy
/// and watch bands) the fast-wear fits are still computed, as in production.
pub fn bench_degrade() -> DegradeSetup {
    let config = DegradeConfig { fast_rul_km: 0.0, ..DegradeConfig::default() };
    DegradeSetup { config, ..DegradeSetup::default() }
}

/// Adds `diff · hash(data)` to a fingerprint. Every retraction cancels an
/// earlier insertion, so the sum is the fingerprint of the final content.
pub fn fold<D: Hash>(fingerprint: &mut u64, data: &D, diff: Diff) {
    let hash = foldhash::fast::FixedState::with_seed(0).hash_one(data);
    *fingerprint = fingerprint.wrapping_add(hash.wrapping_mul(diff as u64));
}

/// Runs `workload` through the operator chain on `workers` threads of this
/// process, at the default correction horizon.
pub fn run_chain(workload: Workload, workers: usize, rounds_per_epoch: usize) -> anyhow::Result<ChainRun> {
    run_chain_on(workload, timely::Config::process(workers.max(1)), rounds_per_epoch, DEFAULT_HORIZON_MS)
}

/// Runs this process's share of `workload` on the timely cluster `config`
/// with the correction horizon `horizon_ms`: the tallies cover this
/// process's workers only (sum them across processes).
pub fn run_chain_on(
    workload: Workload,
    config: timely::Config,
    rounds_per_epoch: usize,
    horizon_ms: i64,
) -> anyhow::Result<ChainRun> {
    let tally = Arc::new(Mutex::new(Tally::default()));
    let shared = tally.clone();
    let guards = timely::execute(config, move |worker| {
        let index = worker.index();
        let peers = worker.peers();
        let local = Arc::new(Mutex::new(Tally::default()));
        let (mut input, probe) = {
            let local = local.clone();
            worker.dataflow::<Epoch, _, _>(move |scope| {
                let (input, messages) = scope.new_collection::<Telemetry, Diff>();
                let (rows, raised) = chain_with(messages, horizon_ms);
                let probe = ProbeHandle::new();
                let (l1, l2) = (local.clone(), local);
                rows.inner
                    .inspect(move |(row, _, diff)| {
                        if let Ok(mut t) = l1.lock() {
                            t.rows += *diff as i64;
                            fold(&mut t.fingerprint, row, *diff);
                        }
                    })
                    .probe_with(&probe);
                raised
                    .inner
                    .inspect(move |(alert, _, diff)| {
                        if let Ok(mut t) = l2.lock() {
                            t.alerts += *diff as i64;
                            fold(&mut t.fingerprint, alert, *diff);
                        }
                    })
                    .probe_with(&probe);
                (input, probe)
            })
        };
        // The vehicles of the partitions this worker reads, as the Kafka source assigns them.
        let mine: Vec<usize> =
            (0..workload.vehicles).filter(|v| workload.partition_of(*v) as usize % peers == index).collect();
        let rounds: Vec<usize> = (0..workload.messages_per_vehicle).collect();
        worker.step();
        let mut epoch_ms = Vec::new();
        for (epoch, chunk) in rounds.chunks(rounds_per_epoch.max(1)).enumerate() {
            // Built before the clock starts: generating the workload is not the dataflow's cost.
            let batch: Vec<Telemetry> =
                chunk.iter().flat_map(|r| mine.iter().map(|v| workload.message(*v, *r))).collect();
            let began = Instant::now();
            for message in batch {
                input.insert(message);
            }
            let next = epoch as Epoch + 1;
            input.advance_to(next);
            input.flush();
            while probe.less_than(&next) {
                worker.step();
            }
            epoch_ms.push(began.elapsed().as_secs_f64() * 1e3);
        }
        let seconds = epoch_ms.iter().sum::<f64>() / 1e3;
        let live_rss = crate::memory::status_bytes("VmRSS").unwrap_or(0);
        drop(input);
        while !probe.done() {
            worker.step();
        }
        if let (Ok(mut all), Ok(mine)) = (shared.lock(), local.lock()) {
            all.rows += mine.rows;
            all.alerts += mine.alerts;
            all.fingerprint = all.fingerprint.wrapping_add(mine.fingerprint);
            all.workers = peers;
            all.live_rss = all.live_rss.max(live_rss);
            if seconds > all.seconds {
                all.epoch_ms = epoch_ms;
                all.seconds = seconds;
            }
        }
    })
    .map_err(|e| anyhow::anyhow!("timely: {e}"))?;
    drop(guards);
    let t = tally.lock().map_err(|_| anyhow::anyhow!("a worker panicked"))?;
    Ok(ChainRun {
        workers: t.workers,
        readings: workload.readings(),
        messages: workload.messages(),
        seconds: t.seconds,
        epoch_ms: t.epoch_ms.clone(),
        rows: t.rows,
        alerts: t.alerts,
        fingerprint: t.fingerprint,
        live_rss: t.live_rss,
    })
}

/// Our final health rows and alerts on `workload` (one worker, one round per epoch).
pub fn final_outputs(workload: Workload) -> anyhow::Result<(BTreeMap<HealthRow, Diff>, BTreeMap<Alert, Diff>)> {
    let epochs: Epochs<Telemetry> =
        (0..workload.messages_per_vehicle).map(|r| workload.round(r).into_iter().map(|m| (m, 1)).collect()).collect();
    let rows = capture(epochs.clone(), |m| chain(m).0);
    let alerts = capture(epochs, |m| chain(m).1);
    Ok((consolidate(rows), consolidate(alerts)))
}

/// The correction horizon `carvrooom run` uses by default, ms.
pub const DEFAULT_HORIZON_MS: i64 = GateConfig::DEFAULT_HORIZON_MS;

/// The operator chain with default settings: health rows and alerts.
pub fn chain<'s>(messages: Coll<'s, Telemetry>) -> (Coll<'s, HealthRow>, Coll<'s, Alert>) {
    chain_with(messages, DEFAULT_HORIZON_MS)
}

/// The operator chain with the correction horizon `horizon_ms` (the gate's
/// and the stages' finality, as `carvrooom run --horizon-s` sets both) and
/// default settings otherwise.
pub fn chain_with<'s>(messages: Coll<'s, Telemetry>, horizon_ms: i64) -> (Coll<'s, HealthRow>, Coll<'s, Alert>) {
    let finality = Finality { horizon_ms, ..Finality::default() };
    let (accepted, _late) = gate(messages, GateConfig { horizon_ms, ..GateConfig::default() });
    let (rows, _transitions, raised) = vehicle_stages(accepted, HealthConfig::default(), bench_degrade(), finality);
    (rows, raised)
}

/// The content left after summing every epoch's updates.
fn consolidate<D: Ord>(epochs: Epochs<D>) -> BTreeMap<D, Diff> {
    let mut sums = BTreeMap::new();
    for (d, r) in epochs.into_iter().flatten() {
        *sums.entry(d).or_insert(0) += r;
    }
    sums.retain(|_, r| *r != 0);
    sums
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workload() -> Workload {
        Workload { vehicles: 6, period_ms: 60_000, messages_per_vehicle: 120, degrading: 0.5, seed: 3, partitions: 4 }
    }

    #[test]
    fn one_and_two_workers_give_the_same_result() -> anyhow::Result<()> {
        let one = run_chain(workload(), 1, 10)?;
        let two = run_chain(workload(), 2, 10)?;
        // 120 one-minute rounds = 12 ten-minute windows × 6 components × 6 vehicles.
        assert_eq!(one.rows, 12 * 6 * 6);
        assert!(one.alerts > 0, "degrading vehicles raise alerts");
        assert_eq!((one.rows, one.alerts, one.fingerprint), (two.rows, two.alerts, two.fingerprint));
        assert_eq!(one.epoch_ms.len(), 12);
        assert_eq!(one.readings, 6 * 120 * 15);
        Ok(())
    }
}
