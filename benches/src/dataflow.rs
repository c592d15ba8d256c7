//! Section 1, dataflow only: throughput per core and per-epoch latency.

use crate::chain::run_chain;
use crate::report::DataflowResult;
use crate::stats::percentile;
use crate::workload::Workload;

/// The workload of the dataflow section: one message per vehicle per
/// minute, one epoch per round (every vehicle once).
pub fn workload(quick: bool) -> Workload {
    let (vehicles, messages_per_vehicle) = if quick { (500, 60) } else { (2_000, 180) };
    Workload { vehicles, period_ms: 60_000, messages_per_vehicle, degrading: 0.1, seed: 42, partitions: 4 }
}

/// Cores the figures are divided by: the workers, at most the machine's cores.
pub fn cores_used(workers: usize) -> usize {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    workers.clamp(1, cores)
}

/// Runs of the section; the median one is reported.
const RUNS: usize = 3;

/// Runs the dataflow section on one worker [`RUNS`] times and reports the
/// median run by throughput (its latencies too): on this shared machine one
/// run can be far off the others, most often the first after a build.
pub fn measure(quick: bool) -> anyhow::Result<DataflowResult> {
    let w = workload(quick);
    let mut runs = (0..RUNS).map(|_| run_chain(w, 1, 1)).collect::<anyhow::Result<Vec<_>>>()?;
    runs.sort_by(|a, b| a.readings_per_s().total_cmp(&b.readings_per_s()));
    let run = runs.swap_remove(RUNS / 2);
    Ok(DataflowResult {
        vehicles: w.vehicles,
        readings: run.readings,
        messages: run.messages,
        workers: run.workers,
        readings_per_s: run.readings_per_s(),
        readings_per_s_per_core: run.readings_per_s() / cores_used(run.workers) as f64,
        messages_per_s: run.messages as f64 / run.seconds.max(f64::MIN_POSITIVE),
        p50_ms: percentile(&run.epoch_ms, 50.0).unwrap_or(0.0),
        p99_ms: percentile(&run.epoch_ms, 99.0).unwrap_or(0.0),
        rows: run.rows,
        alerts: run.alerts,
    })
}
