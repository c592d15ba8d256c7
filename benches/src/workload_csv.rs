//! The workload and our results as CSV, for the peers and their equality check.
//!
//! Workload: `fleet_id,vehicle_id,ts_ms,signal,value` (signal = VSS name),
//! in event-time order per vehicle. Results: health rows
//! `vehicle_id,component,ts_ms,score,band` and alerts
//! `vehicle_id,component,opened_ms,severity,last_ms,resolved_ms`, sorted,
//! scores with two decimals — the final content of each collection.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;

use operators::Diff;
use schemas::{Alert, HealthRow};

use crate::chain::final_outputs;
use crate::workload::Workload;

/// Options of `carvrooom-bench workload`.
#[derive(Clone, Debug, Args)]
pub struct WorkloadArgs {
    /// Vehicles.
    #[arg(long, default_value_t = 200)]
    pub vehicles: usize,
    /// Minutes of event time (one message per vehicle per minute).
    #[arg(long, default_value_t = 60)]
    pub minutes: usize,
    /// Seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output file.
    #[arg(long)]
    pub out: PathBuf,
}

impl WorkloadArgs {
    /// The workload these options describe.
    pub fn workload(&self) -> Workload {
        Workload {
            vehicles: self.vehicles,
            period_ms: 60_000,
            messages_per_vehicle: self.minutes,
            degrading: 0.2,
            seed: self.seed,
            partitions: 4,
        }
    }
}

/// Options of `carvrooom-bench ours`.
#[derive(Clone, Debug, Args)]
pub struct OursArgs {
    /// The workload the peers ran on.
    #[command(flatten)]
    pub workload: WorkloadArgs,
    /// Health rows CSV to write.
    #[arg(long)]
    pub rows: PathBuf,
    /// Alerts CSV to write.
    #[arg(long)]
    pub alerts: PathBuf,
}

/// Writes the workload CSV.
pub fn write_workload(args: &WorkloadArgs) -> anyhow::Result<()> {
    let mut out = csv::Writer::from_path(&args.out)?;
    out.write_record(["fleet_id", "vehicle_id", "ts_ms", "signal", "value"])?;
    for m in args.workload().all() {
        for (signal, value) in &m.values {
            out.write_record([
                m.fleet_id.as_bytes(),
                m.vehicle_id.as_bytes(),
                m.ts_ms.to_string().as_bytes(),
                signal.to_string().as_bytes(),
                value.get().to_string().as_bytes(),
            ])?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Writes our final health rows and alerts on the workload.
pub fn write_ours(args: &OursArgs) -> anyhow::Result<()> {
    let (rows, alerts) = final_outputs(args.workload.workload())?;
    write_rows(&args.rows, &rows)?;
    write_alerts(&args.alerts, &alerts)
}

/// The CSV line of a health row.
pub fn row_line(r: &HealthRow) -> Vec<String> {
    vec![
        r.vehicle_id.to_string(),
        r.component.as_str().to_string(),
        r.ts_ms.to_string(),
        format!("{:.2}", r.score.get()),
        r.band.as_str().to_string(),
    ]
}

/// The CSV line of an alert.
pub fn alert_line(a: &Alert) -> Vec<String> {
    vec![
        a.vehicle_id.clone(),
        a.component.as_str().to_string(),
        a.opened_ms.to_string(),
        a.severity.as_str().to_string(),
        a.last_ms.to_string(),
        a.resolved_ms.map(|t| t.to_string()).unwrap_or_default(),
    ]
}

fn write_sorted(path: &PathBuf, header: &[&str], mut lines: Vec<Vec<String>>) -> anyhow::Result<()> {
    lines.sort();
    let mut out = csv::Writer::from_path(path)?;
    out.write_record(header)?;
    for line in lines {
        out.write_record(&line)?;
    }
    out.flush()?;
    Ok(())
}

fn write_rows(path: &PathBuf, rows: &BTreeMap<HealthRow, Diff>) -> anyhow::Result<()> {
    let lines = rows.keys().map(row_line).collect();
    write_sorted(path, &["vehicle_id", "component", "ts_ms", "score", "band"], lines)
}

fn write_alerts(path: &PathBuf, alerts: &BTreeMap<Alert, Diff>) -> anyhow::Result<()> {
    let lines = alerts.keys().map(alert_line).collect();
    write_sorted(path, &["vehicle_id", "component", "opened_ms", "severity", "last_ms", "resolved_ms"], lines)
}
