//! What every worker shares: turning an alert and the worker's plan into a
//! [`Decision`] with its priority, escalation, recommendation and reasoning.
//!
//! * Priority (1 most urgent … 5): an open critical alert is 1 when its RUL is
//!   under 2 days or unknown, else 2; an open warning is 3 when its RUL is
//!   under 7 days, else 4; a resolved alert is 5.
//! * Escalation to a person: an open critical alert with RUL under 2 days or
//!   unknown (a resolved alert never escalates).
//! * A worker plans urgently ([`urgent`]) only for an open critical alert;
//!   after recovery it falls back to its routine plan.

use schemas::event::stable_id;
use schemas::{Alert, AlertState, Decision, Severity, TsMs};

/// What a worker recommends: the action code and the advice it gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Short action code, e.g. `replace_brake_pads`.
    pub action: &'static str,
    /// The advice, an imperative clause without a trailing period.
    pub advice: &'static str,
}

/// RUL in days below which an open critical alert is priority 1 and escalates.
pub const ESCALATE_DAYS: f64 = 2.0;
/// RUL in days below which an open warning is priority 3.
pub const SOON_DAYS: f64 = 7.0;

/// True when the worker should plan for an open critical alert.
pub fn urgent(alert: &Alert) -> bool {
    alert.state == AlertState::Open && alert.severity == Severity::Critical
}

/// True when the RUL in days is unknown or under [`ESCALATE_DAYS`].
fn imminent(alert: &Alert) -> bool {
    alert.rul_days.is_none_or(|d| d.get() < ESCALATE_DAYS)
}

/// The priority of an alert, 1 (most urgent) to 5.
pub fn priority(alert: &Alert) -> u8 {
    match (alert.state, alert.severity) {
        (AlertState::Open, Severity::Critical) if imminent(alert) => 1,
        (AlertState::Open, Severity::Critical) => 2,
        (AlertState::Open, Severity::Warning) if alert.rul_days.is_some_and(|d| d.get() < SOON_DAYS) => 3,
        (AlertState::Open, Severity::Warning) => 4,
        (AlertState::Resolved | AlertState::Withdrawn, _) => 5,
    }
}

/// True when the worker hands the alert to a person.
pub fn escalates(alert: &Alert) -> bool {
    urgent(alert) && imminent(alert)
}

/// The decision a worker makes about `alert` with `plan`.
pub fn decision(alert: &Alert, worker: &str, plan: Plan) -> Decision {
    let priority = priority(alert);
    Decision {
        decision_id: stable_id(&[&alert.alert_id, plan.action, &priority.to_string()]),
        alert_id: alert.alert_id.clone(),
        fleet_id: alert.fleet_id.clone(),
        vehicle_id: alert.vehicle_id.clone(),
        component: alert.component,
        worker: worker.to_string(),
        action: plan.action.to_string(),
        recommendation: recommendation(alert, plan),
        reasoning: reasoning(alert),
        priority,
        escalate: escalates(alert),
        ts_ms: alert.resolved_ms.unwrap_or(alert.last_ms),
    }
}

/// The advice, the remaining life when known, and a note after recovery.
fn recommendation(alert: &Alert, plan: Plan) -> String {
    let life = match (alert.rul_km, alert.rul_days) {
        (Some(km), Some(days)) => {
            format!(" within about {:.0} km ({:.1} days at this vehicle's usage)", km.get(), days.get())
        }
        (Some(km), None) => format!(" within about {:.0} km", km.get()),
        _ => String::new(),
    };
    let recovered = match alert.state {
        AlertState::Open => "",
        AlertState::Resolved | AlertState::Withdrawn => {
            "; the readings have recovered, so this can wait for the next service"
        }
    };
    format!("{}{life}{recovered}.", plan.advice)
}

/// The evidence: severity, state, lowest score, RUL and the episode's times.
fn reasoning(alert: &Alert) -> String {
    let rul = match (alert.rul_km, alert.rul_days) {
        (Some(km), Some(days)) => format!("RUL {} km / {} days", km.get(), days.get()),
        (Some(km), None) => format!("RUL {} km (days unknown: the vehicle barely moves)", km.get()),
        _ => "RUL unknown (no declining trend against the odometer)".to_string(),
    };
    let resolved = alert.resolved_ms.map(|ms| format!(", recovered at {}", timestamp(ms))).unwrap_or_default();
    format!(
        "{} {} alert ({}): lowest score {} in the episode opened at {}, last degraded window at {}{resolved}; {rul}",
        alert.severity,
        alert.component,
        alert.state,
        alert.min_score.get(),
        timestamp(alert.opened_ms),
        timestamp(alert.last_ms),
    )
}

/// An event time as RFC 3339 UTC text (raw milliseconds if out of range).
fn timestamp(ms: TsMs) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| format!("{ms} ms"))
}
