//! Section 3, memory: peak RSS and operator state per (vehicle, component)
//! at 1 k, 10 k and 100 k vehicles, each measured in a fresh process.
//!
//! Vehicles send one message a minute for 80 minutes of event time, past
//! the 1 h correction horizon plus one 10-minute window, so the state is at
//! its steady size (what is final has been forgotten). State per (vehicle,
//! component) is the resident memory with the dataflow live minus the
//! process's baseline, over vehicles × 6 components: an upper bound, since
//! it includes allocator slack and the last epoch's buffers.

use std::process::Command;

use crate::chain::run_chain;
use crate::memory::status_bytes;
use crate::report::MemoryPoint;
use crate::workload::Workload;

/// Event time between messages, ms.
const PERIOD_MS: i64 = 60_000;
/// Messages per vehicle: 80 minutes.
const ROUNDS: usize = 80;

/// The fleet sizes measured by default.
pub fn default_sizes(quick: bool) -> Vec<usize> {
    if quick { vec![1_000, 5_000] } else { vec![1_000, 10_000, 100_000] }
}

/// Runs every fleet size in a child process of this binary. A size that
/// fails (killed for lack of memory, say) is reported with why, not fatal.
pub fn measure(sizes: &[usize]) -> anyhow::Result<Vec<MemoryPoint>> {
    let me = std::env::current_exe()?;
    let mut points = Vec::new();
    for vehicles in sizes {
        let out = Command::new(&me).args(["memory-child", &vehicles.to_string(), &ROUNDS.to_string()]).output()?;
        if out.status.success() {
            points.push(serde_json::from_slice(&out.stdout)?);
        } else {
            let why = format!("{} {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
            eprintln!("memory: {vehicles} vehicles failed: {why}");
            points.push(MemoryPoint {
                vehicles: *vehicles,
                minutes: (ROUNDS as i64 * PERIOD_MS / 60_000) as usize,
                peak_rss_bytes: 0,
                bytes_per_vehicle_component: f64::NAN,
                failed: Some(why),
            });
        }
    }
    Ok(points)
}

/// The measurement inside the child: prints one [`MemoryPoint`] as JSON.
pub fn child(vehicles: usize, rounds: usize) -> anyhow::Result<()> {
    let baseline = status_bytes("VmRSS").unwrap_or(0);
    let workload = Workload {
        vehicles,
        period_ms: PERIOD_MS,
        messages_per_vehicle: rounds,
        degrading: 0.1,
        seed: 5,
        partitions: 4,
    };
    let run = run_chain(workload, 1, 1)?;
    let point = MemoryPoint {
        vehicles,
        minutes: (rounds as i64 * PERIOD_MS / 60_000) as usize,
        peak_rss_bytes: status_bytes("VmHWM").unwrap_or(0),
        bytes_per_vehicle_component: run.live_rss.saturating_sub(baseline) as f64 / (vehicles * 6) as f64,
        failed: None,
    };
    println!("{}", serde_json::to_string(&point)?);
    Ok(())
}
