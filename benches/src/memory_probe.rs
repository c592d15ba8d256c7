//! Section 3, memory: peak RSS and operator state per (vehicle, component)
//! at 1 k, 10 k and 100 k vehicles at the default 1 h correction horizon,
//! and at the smallest fleet size for other horizons (how state grows with
//! the horizon), each measured in a fresh process.
//!
//! Vehicles send one message a minute for the horizon plus 140 minutes of
//! event time (200 minutes at 1 h), so the state is at its steady size:
//! past the horizon plus one 10-minute window what is final has been
//! forgotten, and 12 windows (2 h) later each component's RUL trend holds
//! all the sealed windows it keeps. (Until this stop the run ended at the
//! horizon plus 20 minutes, when the trends held one or two windows: about
//! 0.4 KB per vehicle-component less than at the steady size.) State per
//! (vehicle, component) is the resident memory with
//! the dataflow live minus the process's baseline, over vehicles × 6
//! components: an upper bound, since it includes allocator slack.
//!
//! The child runs with mimalloc's purge delay at zero, so a page freed is
//! given back at once rather than 10 ms later: read right after the last
//! epoch, resident memory otherwise counted the buffers that epoch had just
//! freed (2.4 KB per vehicle-component more at 1,000 vehicles, 0.6 KB at
//! 10,000), which are not state.

use std::process::Command;

use operators::degrade::DegradeConfig;
use operators::health::HealthConfig;

use crate::chain::run_chain_on;
use crate::memory::status_bytes;
use crate::report::MemoryPoint;
use crate::workload::Workload;

/// Event time between messages, ms.
const PERIOD_MS: i64 = 60_000;
/// Messages per vehicle past the horizon: one window and ten minutes more,
/// then as many windows as the RUL trend has points (its room is reserved in
/// full at its first point, so a trend of points 25 km apart is measured at
/// its steady size before it fills).
fn past_horizon_rounds() -> usize {
    let window_min = (HealthConfig::default().window_ms / 60_000) as usize;
    window_min + 10 + DegradeConfig::default().trend_windows * window_min
}
/// The correction horizon of `carvrooom run` by default, minutes.
pub const DEFAULT_HORIZON_MIN: usize = (crate::chain::DEFAULT_HORIZON_MS / 60_000) as usize;

/// The fleet sizes measured by default.
pub fn default_sizes(quick: bool) -> Vec<usize> {
    if quick { vec![1_000, 5_000] } else { vec![1_000, 10_000, 100_000] }
}

/// The horizons measured by default, minutes.
pub fn default_horizons(quick: bool) -> Vec<usize> {
    if quick { vec![15, DEFAULT_HORIZON_MIN] } else { vec![15, DEFAULT_HORIZON_MIN, 240] }
}

/// What one child process measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Probe {
    vehicles: usize,
    horizon_min: usize,
}

impl Probe {
    /// Messages per vehicle: the horizon plus [`past_horizon_rounds`].
    fn rounds(self) -> usize {
        self.horizon_min + past_horizon_rounds()
    }
}

/// Every fleet size at the default horizon, then every other horizon at the
/// smallest size: the probes to run, in order.
fn probes(sizes: &[usize], horizons: &[usize]) -> Vec<Probe> {
    let mut probes: Vec<Probe> =
        sizes.iter().map(|&vehicles| Probe { vehicles, horizon_min: DEFAULT_HORIZON_MIN }).collect();
    if let Some(&smallest) = sizes.iter().min() {
        probes.extend(
            horizons
                .iter()
                .filter(|&&h| h != DEFAULT_HORIZON_MIN)
                .map(|&horizon_min| Probe { vehicles: smallest, horizon_min }),
        );
    }
    probes
}

/// Runs every probe in a child process of this binary. A probe that fails
/// (killed for lack of memory, say) is reported with why, not fatal.
pub fn measure(sizes: &[usize], horizons: &[usize]) -> anyhow::Result<Vec<MemoryPoint>> {
    let me = std::env::current_exe()?;
    let mut points = Vec::new();
    for probe in probes(sizes, horizons) {
        let args = [probe.vehicles, probe.rounds(), probe.horizon_min].map(|n| n.to_string());
        let out = Command::new(&me).env("MIMALLOC_PURGE_DELAY", "0").arg("memory-child").args(&args).output()?;
        if out.status.success() {
            points.push(serde_json::from_slice(&out.stdout)?);
        } else {
            let why = format!("{} {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
            eprintln!("memory: {} vehicles at a {} min horizon failed: {why}", probe.vehicles, probe.horizon_min);
            points.push(MemoryPoint {
                vehicles: probe.vehicles,
                horizon_min: probe.horizon_min,
                minutes: (probe.rounds() as i64 * PERIOD_MS / 60_000) as usize,
                peak_rss_bytes: 0,
                bytes_per_vehicle_component: f64::NAN,
                failed: Some(why),
            });
        }
    }
    Ok(points)
}

/// The measurement inside the child: prints one [`MemoryPoint`] as JSON.
pub fn child(vehicles: usize, rounds: usize, horizon_min: usize) -> anyhow::Result<()> {
    let baseline = status_bytes("VmRSS").unwrap_or(0);
    let workload = Workload {
        vehicles,
        period_ms: PERIOD_MS,
        messages_per_vehicle: rounds,
        degrading: 0.1,
        seed: 5,
        partitions: 4,
    };
    let run = run_chain_on(workload, timely::Config::process(1), 1, horizon_min as i64 * 60_000)?;
    let point = MemoryPoint {
        vehicles,
        horizon_min,
        minutes: (rounds as i64 * PERIOD_MS / 60_000) as usize,
        peak_rss_bytes: status_bytes("VmHWM").unwrap_or(0),
        bytes_per_vehicle_component: run.live_rss.saturating_sub(baseline) as f64 / (vehicles * 6) as f64,
        failed: None,
    };
    println!("{}", serde_json::to_string(&point)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_at_the_default_horizon_then_other_horizons_at_the_smallest() {
        let planned = probes(&[10_000, 1_000], &[15, 60, 240]);
        let pairs: Vec<(usize, usize, usize)> =
            planned.iter().map(|p| (p.vehicles, p.horizon_min, p.rounds())).collect();
        assert_eq!(pairs, [(10_000, 60, 200), (1_000, 60, 200), (1_000, 15, 155), (1_000, 240, 380)]);
        assert_eq!(probes(&[], &[15]), []);
    }
}
