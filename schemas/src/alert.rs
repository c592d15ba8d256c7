//! Alerts (one per vehicle-component episode) and the agent's decisions about them.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{Component, TsMs, Value};

/// How urgent an alert is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The component is degraded: plan service.
    Warning,
    /// The component is critical: service now.
    Critical,
}

impl Severity {
    /// The lowercase name used in tables, filters and events.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The dataflow-owned lifecycle state of an alert. Acknowledgement is a
/// separate, person-owned column that the dataflow never writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// The episode is ongoing.
    Open,
    /// The component recovered (band back below degraded) after the episode.
    Resolved,
    /// The condition was retracted by corrected data: the alert never held.
    Withdrawn,
}

impl AlertState {
    /// The lowercase name used in tables, filters and events.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Open => "open",
            AlertState::Resolved => "resolved",
            AlertState::Withdrawn => "withdrawn",
        }
    }
}

impl fmt::Display for AlertState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One alert: a maximal run of degraded-or-worse windows of one component.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Alert {
    /// Deterministic id: hash of (fleet, vehicle, component, episode start).
    pub alert_id: String,
    /// The fleet.
    pub fleet_id: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// The component.
    pub component: Component,
    /// Worst severity reached in the episode.
    pub severity: Severity,
    /// Open or resolved (withdrawn is what a sink records for a retraction).
    pub state: AlertState,
    /// Event time of the first degraded window.
    pub opened_ms: TsMs,
    /// Event time of the last window of the episode seen so far.
    pub last_ms: TsMs,
    /// Event time the component recovered, if it did.
    pub resolved_ms: Option<TsMs>,
    /// Lowest score in the episode.
    pub min_score: Value,
    /// Latest RUL in km within the episode.
    pub rul_km: Option<Value>,
    /// Latest RUL in days within the episode.
    pub rul_days: Option<Value>,
}

/// The diagnosis agent's decision about one alert: what to do and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Decision {
    /// Deterministic id: hash of the alert id and the decision content.
    pub decision_id: String,
    /// The alert it is about.
    pub alert_id: String,
    /// The fleet.
    pub fleet_id: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// The component.
    pub component: Component,
    /// The worker that decided (`brake_worker`, `cooling_worker`, …).
    pub worker: String,
    /// The action, short: `replace_brake_pads`, `inspect_cooling_system`, …
    pub action: String,
    /// One-sentence recommendation for a technician or owner.
    pub recommendation: String,
    /// Why: the evidence the worker used.
    pub reasoning: String,
    /// 1 (most urgent) to 5.
    pub priority: u8,
    /// True when the worker escalates to a person (`agent.escalation`).
    pub escalate: bool,
    /// Event time of the evidence.
    pub ts_ms: TsMs,
}
