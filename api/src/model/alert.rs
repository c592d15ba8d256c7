//! Alerts with their person-owned columns, acknowledgements, and the
//! diagnosis agent's decisions.

use serde::{Deserialize, Serialize};
use sinks::AlertRecord;
use utoipa::ToSchema;

use crate::model::enums::{AlertState, Component, Severity};

/// An alert as stored: the dataflow's columns plus the ones people own.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct AlertView {
    /// Deterministic id.
    pub alert_id: String,
    /// The fleet.
    pub fleet_id: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// The component.
    pub component: Component,
    /// Worst severity reached.
    pub severity: Severity,
    /// Lifecycle state.
    pub state: AlertState,
    /// Event time of the first degraded window, ms.
    pub opened_ms: i64,
    /// Event time of the latest window of the episode, ms.
    pub last_ms: i64,
    /// Event time the component recovered, ms.
    pub resolved_ms: Option<i64>,
    /// Lowest score in the episode.
    pub min_score: f64,
    /// Latest remaining useful life, km.
    pub rul_km: Option<f64>,
    /// Latest remaining useful life, days.
    pub rul_days: Option<f64>,
    /// Who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// When it was acknowledged, ms.
    pub acknowledged_ms: Option<i64>,
    /// A person's note.
    pub note: Option<String>,
    /// When it was escalated for staying unacknowledged, ms.
    pub escalated_ms: Option<i64>,
}

impl From<AlertRecord> for AlertView {
    fn from(r: AlertRecord) -> Self {
        let a = r.alert;
        AlertView {
            alert_id: a.alert_id,
            fleet_id: a.fleet_id,
            vehicle_id: a.vehicle_id,
            component: a.component.into(),
            severity: a.severity.into(),
            state: a.state.into(),
            opened_ms: a.opened_ms,
            last_ms: a.last_ms,
            resolved_ms: a.resolved_ms,
            min_score: a.min_score.get(),
            rul_km: a.rul_km.map(|v| v.get()),
            rul_days: a.rul_days.map(|v| v.get()),
            acknowledged_by: r.acknowledged_by,
            acknowledged_ms: r.acknowledged_ms,
            note: r.note,
            escalated_ms: r.escalated_ms,
        }
    }
}

/// A person acknowledging an alert.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeRequest {
    /// Who acknowledges (non-empty).
    pub by: String,
    /// An optional note.
    #[serde(default)]
    pub note: Option<String>,
}

/// The diagnosis agent's decision about one alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct DecisionView {
    /// Deterministic id.
    pub decision_id: String,
    /// The alert it is about.
    pub alert_id: String,
    /// The fleet.
    pub fleet_id: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// The component.
    pub component: Component,
    /// The worker that decided.
    pub worker: String,
    /// The action, short.
    pub action: String,
    /// One-sentence recommendation.
    pub recommendation: String,
    /// The evidence used.
    pub reasoning: String,
    /// 1 (most urgent) to 5.
    pub priority: u8,
    /// True when the worker escalates to a person.
    pub escalate: bool,
    /// Event time of the evidence, ms.
    pub ts_ms: i64,
}

impl From<schemas::Decision> for DecisionView {
    fn from(d: schemas::Decision) -> Self {
        DecisionView {
            decision_id: d.decision_id,
            alert_id: d.alert_id,
            fleet_id: d.fleet_id,
            vehicle_id: d.vehicle_id,
            component: d.component.into(),
            worker: d.worker,
            action: d.action,
            recommendation: d.recommendation,
            reasoning: d.reasoning,
            priority: d.priority,
            escalate: d.escalate,
            ts_ms: d.ts_ms,
        }
    }
}
