//! The harness's report: a terminal table and the JSON written by `--json`.

use serde::Serialize;
use serde_json::{Value, json};

pub use crate::memory_probe::DEFAULT_HORIZON_MIN;

/// Which sections a run measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sections {
    /// Dataflow only.
    pub dataflow: bool,
    /// Kafka → pipeline → Postgres.
    pub e2e: bool,
    /// Memory at several fleet sizes.
    pub memory: bool,
    /// Worker and process scaling.
    pub scale: bool,
    /// The peers.
    pub peers: bool,
}

impl Sections {
    /// Every section.
    pub fn all() -> Sections {
        Sections { dataflow: true, e2e: true, memory: true, scale: true, peers: true }
    }

    /// No section.
    pub fn none() -> Sections {
        Sections { dataflow: false, e2e: false, memory: false, scale: false, peers: false }
    }
}

/// Dataflow-only figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataflowResult {
    /// Vehicles in the workload.
    pub vehicles: usize,
    /// Readings fed.
    pub readings: usize,
    /// Messages fed.
    pub messages: usize,
    /// Worker threads.
    pub workers: usize,
    /// Readings per second.
    pub readings_per_s: f64,
    /// Readings per second per core used (`workers` capped by the cores).
    pub readings_per_s_per_core: f64,
    /// Messages per second.
    pub messages_per_s: f64,
    /// Median per-epoch latency, ms.
    pub p50_ms: f64,
    /// 99th percentile per-epoch latency, ms.
    pub p99_ms: f64,
    /// Health rows in the result.
    pub rows: i64,
    /// Alerts in the result.
    pub alerts: i64,
}

/// End-to-end figures (Kafka → pipeline → Postgres).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct E2eResult {
    /// Readings per second at saturation (everything produced up front).
    pub readings_per_s: f64,
    /// Messages per second at saturation.
    pub messages_per_s: f64,
    /// Offered load of the open-loop run, readings per second.
    pub offered_readings_per_s: f64,
    /// Readings per second achieved in the open-loop run.
    pub open_loop_readings_per_s: f64,
    /// Median Kafka append → row visible in Postgres, open loop after its warm-up, ms.
    pub p50_ms: f64,
    /// 99th percentile of the same, ms.
    pub p99_ms: f64,
    /// 99th percentile of the same over every message from the fresh
    /// pipeline's first (warm-up included), ms.
    pub cold_p99_ms: f64,
    /// Median Kafka append → offset committed (durable in every sink: Postgres, Parquet, events), ms.
    pub committed_p50_ms: f64,
    /// 99th percentile of the same, ms.
    pub committed_p99_ms: f64,
}

/// Memory at one fleet size and correction horizon.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct MemoryPoint {
    /// Vehicles.
    pub vehicles: usize,
    /// The correction horizon, minutes.
    pub horizon_min: usize,
    /// Event time covered, minutes.
    pub minutes: usize,
    /// Peak resident set of the measuring process, bytes.
    pub peak_rss_bytes: u64,
    /// (Live resident set − baseline) / (vehicles × 6 components), bytes.
    pub bytes_per_vehicle_component: f64,
    /// Why the measurement failed (e.g. the process was killed), if it did.
    #[serde(default)]
    pub failed: Option<String>,
}

/// The state one more (vehicle, component) adds at the default horizon: the
/// growth in resident memory between the two largest fleets measured there,
/// over the growth in vehicle-components. Unlike each size's own figure it
/// leaves out what the process holds whatever the fleet (the dataflow's
/// buffers, the allocator's partly used pages), which the smallest fleet
/// spreads over the fewest vehicle-components. `None` with fewer than two.
pub fn marginal_bytes_per_vehicle_component(points: &[MemoryPoint]) -> Option<f64> {
    let mut sizes: Vec<&MemoryPoint> =
        points.iter().filter(|p| p.failed.is_none() && p.horizon_min == DEFAULT_HORIZON_MIN).collect();
    sizes.sort_by_key(|p| p.vehicles);
    let [.., small, large] = sizes[..] else {
        return None;
    };
    let total = |p: &MemoryPoint| p.bytes_per_vehicle_component * (p.vehicles * 6) as f64;
    let added = (large.vehicles - small.vehicles) * 6;
    (added > 0).then(|| (total(large) - total(small)) / added as f64)
}

/// Scaling figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScaleResult {
    /// Readings per second on one worker thread.
    pub one_worker_readings_per_s: f64,
    /// Readings per second on two worker threads.
    pub two_workers_readings_per_s: f64,
    /// Readings per second on two timely processes of one worker each, over loopback.
    pub two_processes_readings_per_s: Option<f64>,
    /// Whether every configuration produced the identical rows and alerts.
    pub identical_output: bool,
}

/// One peer's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeerResult {
    /// `differential`, `pathway` or `bytewax`.
    pub name: String,
    /// Readings per second per core on the shared workload.
    pub readings_per_s_per_core: Option<f64>,
    /// Whether its rows and alerts equal ours (`None` when not checked).
    pub equal_output: Option<bool>,
    /// Why it did not run, when it did not.
    pub skipped: Option<String>,
}

/// Everything one run measured.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// `--quick` sizes.
    pub quick: bool,
    /// Dataflow only.
    pub dataflow: Option<DataflowResult>,
    /// End to end (`None` when skipped).
    pub e2e: Option<E2eResult>,
    /// Memory points.
    pub memory: Option<Vec<MemoryPoint>>,
    /// Scaling.
    pub scale: Option<ScaleResult>,
    /// Peers.
    pub peers: Option<Vec<PeerResult>>,
}

impl Report {
    /// An empty report.
    pub fn new(quick: bool) -> Report {
        Report { quick, ..Report::default() }
    }

    /// The JSON document: stable keys so runs can be compared.
    pub fn json(&self) -> Value {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let ours = self.dataflow.as_ref().map(|d| d.readings_per_s_per_core);
        let peers: serde_json::Map<String, Value> = self
            .peers
            .iter()
            .flatten()
            .map(|p| {
                let ratio = ours.zip(p.readings_per_s_per_core).map(|(o, x)| o / x);
                (
                    p.name.clone(),
                    json!({"readings_per_s_per_core": p.readings_per_s_per_core,
                    "ours_over_peer": ratio, "equal_output": p.equal_output, "skipped": p.skipped}),
                )
            })
            .collect();
        // The headline is at the default horizon, where the target is set.
        let worst_memory = self.memory.as_ref().and_then(|m| {
            m.iter()
                .filter(|p| p.failed.is_none() && p.horizon_min == DEFAULT_HORIZON_MIN)
                .map(|p| p.bytes_per_vehicle_component)
                .reduce(f64::max)
        });
        let marginal = self.memory.as_deref().and_then(marginal_bytes_per_vehicle_component);
        json!({
            "quick": self.quick,
            "cores": cores,
            "dataflow": self.dataflow,
            "e2e": self.e2e,
            "memory": {
                "bytes_per_vehicle_component": worst_memory,
                "marginal_bytes_per_vehicle_component": marginal,
                "points": self.memory,
            },
            "scale": self.scale,
            "peers": peers,
        })
    }

    /// The terminal table.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let mut line = |k: &str, v: String| out.push_str(&format!("{k:<44} {v}\n"));
        let f = |x: f64| format!("{x:>14.0}");
        if let Some(d) = &self.dataflow {
            line("dataflow readings/s per core", f(d.readings_per_s_per_core));
            line("dataflow messages/s", f(d.messages_per_s));
            line("dataflow epoch p50 / p99 ms", format!("{:>14.1} / {:.1}", d.p50_ms, d.p99_ms));
            line("dataflow rows / alerts", format!("{:>14} / {}", d.rows, d.alerts));
        }
        match &self.e2e {
            Some(e) => {
                line("e2e readings/s (saturation)", f(e.readings_per_s));
                line("e2e messages/s (saturation)", f(e.messages_per_s));
                line(
                    "e2e offered / achieved readings/s",
                    format!("{:>14.0} / {:.0}", e.offered_readings_per_s, e.open_loop_readings_per_s),
                );
                line("e2e append→Postgres p50 / p99 ms", format!("{:>14.1} / {:.1}", e.p50_ms, e.p99_ms));
                line("e2e the same p99 from a cold start ms", format!("{:>14.1}", e.cold_p99_ms));
                line(
                    "e2e append→committed p50 / p99 ms",
                    format!("{:>14.1} / {:.1}", e.committed_p50_ms, e.committed_p99_ms),
                );
            }
            None => line("e2e", format!("{:>14}", "skipped")),
        }
        for m in self.memory.iter().flatten() {
            let what = format!("memory {} vehicles, {} min horizon", m.vehicles, m.horizon_min);
            if let Some(why) = &m.failed {
                line(&what, format!("failed: {why}"));
                continue;
            }
            line(
                &format!("{what}: peak RSS MiB"),
                format!(
                    "{:>14.1}  ({:.0} B per vehicle-component)",
                    m.peak_rss_bytes as f64 / 1048576.0,
                    m.bytes_per_vehicle_component
                ),
            );
        }
        if let Some(s) = &self.scale {
            line(
                "scale 1 / 2 workers readings/s",
                format!("{:>14.0} / {:.0}", s.one_worker_readings_per_s, s.two_workers_readings_per_s),
            );
            line(
                "scale 2 processes readings/s",
                s.two_processes_readings_per_s.map_or("skipped".into(), |x| format!("{x:>14.0}")),
            );
            line("scale identical output", format!("{:>14}", s.identical_output));
        }
        if let Some(bytes) = self.memory.as_deref().and_then(marginal_bytes_per_vehicle_component) {
            line("memory per added vehicle-component B", f(bytes));
        }
        for p in self.peers.iter().flatten() {
            let value = match (&p.readings_per_s_per_core, &p.skipped) {
                (Some(x), _) => format!("{x:>14.0}  equal output: {:?}", p.equal_output),
                (None, Some(why)) => format!("skipped: {why}"),
                (None, None) => "skipped".into(),
            };
            line(&format!("peer {} readings/s per core", p.name), value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(vehicles: usize, horizon_min: usize, bytes_per_vehicle_component: f64) -> MemoryPoint {
        MemoryPoint {
            vehicles,
            horizon_min,
            minutes: 200,
            peak_rss_bytes: 1,
            bytes_per_vehicle_component,
            failed: None,
        }
    }

    #[test]
    fn the_marginal_state_is_the_growth_between_the_two_largest_fleets() {
        // 6 000 vehicle-components hold 30 MB, 60 000 hold 240 MB: 210 MB more for 54 000 more.
        let points = [at(10_000, 60, 4_000.0), at(1_000, 240, 9_999.0), at(1_000, 60, 5_000.0), at(100, 60, 1e6)];
        let marginal = marginal_bytes_per_vehicle_component(&points).unwrap_or_default();
        assert!((marginal - 210e6 / 54_000.0).abs() < 1e-6, "{marginal}");
        let failed = MemoryPoint { failed: Some("killed".into()), ..at(100_000, 60, 1.0) };
        assert_eq!(marginal_bytes_per_vehicle_component(&[at(1_000, 60, 5_000.0), failed]), None);
    }

    #[test]
    fn the_json_has_the_keys_runs_are_compared_by() {
        let mut r = Report::new(true);
        r.dataflow = Some(DataflowResult {
            vehicles: 1,
            readings: 10,
            messages: 1,
            workers: 1,
            readings_per_s: 100.0,
            readings_per_s_per_core: 100.0,
            messages_per_s: 10.0,
            p50_ms: 1.0,
            p99_ms: 2.0,
            rows: 3,
            alerts: 0,
        });
        r.peers = Some(vec![PeerResult {
            name: "differential".into(),
            readings_per_s_per_core: Some(50.0),
            equal_output: Some(true),
            skipped: None,
        }]);
        let point = MemoryPoint {
            vehicles: 1,
            horizon_min: DEFAULT_HORIZON_MIN,
            minutes: 80,
            peak_rss_bytes: 1,
            bytes_per_vehicle_component: 512.0,
            failed: None,
        };
        // A longer horizon's larger state is reported, not the headline.
        let longer = MemoryPoint { horizon_min: 240, bytes_per_vehicle_component: 2048.0, ..point.clone() };
        r.memory = Some(vec![point, longer]);
        let j = r.json();
        assert_eq!(j["dataflow"]["readings_per_s_per_core"], 100.0);
        assert_eq!(j["dataflow"]["p99_ms"], 2.0);
        assert_eq!(j["e2e"], Value::Null);
        assert_eq!(j["memory"]["bytes_per_vehicle_component"], 512.0);
        assert_eq!(j["memory"]["marginal_bytes_per_vehicle_component"], Value::Null, "one fleet size");
        assert_eq!(j["memory"]["points"][1]["horizon_min"], 240);
        assert_eq!(j["peers"]["differential"]["readings_per_s_per_core"], 50.0);
        assert_eq!(j["peers"]["differential"]["ours_over_peer"], 2.0);
    }
}
