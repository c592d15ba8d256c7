//! service_jobs: one [`ServiceJob`] per vehicle from its open alerts.
//!
//! The job lists the components and alerts to clear, is critical
//! (priority 1) when any alert is, else priority 3, is due by the earliest
//! deadline its alerts imply and is ready from the newest alert's last
//! window. Its `depot` is left empty: the planner resolves it from the
//! vehicle's home depot. When an alert resolves or is withdrawn, the job
//! changes or disappears with it.

use schemas::{Alert, AlertState, ServiceJob, Severity, TsMs};

use super::slots::DAY_MS;
use crate::{Coll, Diff};

/// Days to the deadline of a critical alert without a RUL.
const CRITICAL_DAYS: i64 = 1;
/// Days to the deadline of a warning alert without a RUL.
const WARNING_DAYS: i64 = 7;

/// The service jobs of all vehicles with open alerts, keyed by (fleet, vehicle).
pub fn service_jobs<'s>(alerts: Coll<'s, Alert>) -> Coll<'s, ServiceJob> {
    alerts
        .filter(|a| a.state == AlertState::Open)
        .map(|a| ((a.fleet_id.clone(), a.vehicle_id.clone()), a))
        .reduce(|_key, input, output| {
            let open: Vec<&Alert> = input.iter().filter(|(_, n)| *n > 0).map(|(a, _)| *a).collect();
            if let Some(job) = job_of(&open) {
                output.push((job, 1 as Diff));
            }
        })
        .map(|(_key, job)| job)
}

/// The job for one vehicle's open alerts (`None` when there are none).
pub(crate) fn job_of(alerts: &[&Alert]) -> Option<ServiceJob> {
    let first = alerts.first()?;
    let mut components: Vec<_> = alerts.iter().map(|a| a.component).collect();
    components.sort();
    components.dedup();
    let mut alert_ids: Vec<String> = alerts.iter().map(|a| a.alert_id.clone()).collect();
    alert_ids.sort();
    alert_ids.dedup();
    let critical = alerts.iter().any(|a| a.severity == Severity::Critical);
    Some(ServiceJob {
        fleet_id: first.fleet_id.clone(),
        vehicle_id: first.vehicle_id.clone(),
        depot: String::new(),
        components,
        alert_ids,
        priority: if critical { 1 } else { 3 },
        deadline_ms: alerts.iter().map(|a| deadline(a)).min().unwrap_or(first.last_ms),
        ready_ms: alerts.iter().map(|a| a.last_ms).max().unwrap_or(first.last_ms),
    })
}

/// When an alert's component must be serviced: its last window plus the
/// RUL in days (a negative RUL counts as 0), else a default by severity.
fn deadline(alert: &Alert) -> TsMs {
    let rul_ms = match alert.rul_days.map(|v| v.get()) {
        Some(days) if days.is_finite() => (days.max(0.0) * DAY_MS as f64).round() as i64,
        _ => match alert.severity {
            Severity::Critical => CRITICAL_DAYS * DAY_MS,
            Severity::Warning => WARNING_DAYS * DAY_MS,
        },
    };
    alert.last_ms.saturating_add(rul_ms)
}
