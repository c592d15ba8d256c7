//! alert: one alert per vehicle-component episode, a maximal run of
//! consecutive windows whose band is degraded or critical.
//!
//! A `reduce` per (fleet, vehicle, component) walks the health rows in
//! event-time order. The alert id hashes (fleet, vehicle, component,
//! episode start), so an alert keeps its id while its content grows: a new
//! window, a severity upgrade or the recovery retracts the previous version
//! and inserts the next. Corrected data that removes an episode retracts
//! its alert (the sink records that as `withdrawn`); one that moves the
//! episode's start retracts the old alert and inserts one with a new id.

use serde::{Deserialize, Serialize};

use schemas::event::stable_id;
use schemas::{Alert, AlertState, Band, Component, HealthRow, Severity, TsMs, Value};

use crate::Coll;

/// One health row as the alert lifecycle sees it; ordered by event time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BandPoint {
    /// Window end, ms.
    pub ts_ms: TsMs,
    /// Band after hysteresis.
    pub band: Band,
    /// Score.
    pub score: Value,
    /// RUL, km.
    pub rul_km: Option<Value>,
    /// RUL, days.
    pub rul_days: Option<Value>,
}

/// The alert severity of a band, `None` for bands that raise no alert.
pub fn severity(band: Band) -> Option<Severity> {
    match band {
        Band::Healthy | Band::Watch => None,
        Band::Degraded => Some(Severity::Warning),
        Band::Critical => Some(Severity::Critical),
    }
}

/// The alerts of one component from its rows in event-time order: the
/// sequential definition the operator maintains.
pub fn episodes(fleet: &str, vehicle: &str, component: Component, points: &[BandPoint]) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let mut open: Option<Alert> = None;
    for p in points {
        match (severity(p.band), open.as_mut()) {
            (Some(sev), None) => {
                open = Some(Alert {
                    alert_id: stable_id(&[fleet, vehicle, component.as_str(), &p.ts_ms.to_string()]),
                    fleet_id: fleet.to_string(),
                    vehicle_id: vehicle.to_string(),
                    component,
                    severity: sev,
                    state: AlertState::Open,
                    opened_ms: p.ts_ms,
                    last_ms: p.ts_ms,
                    resolved_ms: None,
                    min_score: p.score,
                    rul_km: p.rul_km,
                    rul_days: p.rul_days,
                });
            }
            (Some(sev), Some(alert)) => {
                alert.severity = alert.severity.max(sev);
                alert.last_ms = p.ts_ms;
                alert.min_score = alert.min_score.min(p.score);
                if p.rul_km.is_some() {
                    alert.rul_km = p.rul_km;
                    alert.rul_days = p.rul_days;
                }
            }
            (None, Some(_)) => {
                if let Some(mut alert) = open.take() {
                    alert.state = AlertState::Resolved;
                    alert.resolved_ms = Some(p.ts_ms);
                    alerts.push(alert);
                }
            }
            (None, None) => {}
        }
    }
    alerts.extend(open);
    alerts
}

/// The alerts of every (fleet, vehicle, component), maintained as rows change.
pub fn alerts<'s>(rows: Coll<'s, HealthRow>) -> Coll<'s, Alert> {
    rows.map(|r| {
        let point = BandPoint { ts_ms: r.ts_ms, band: r.band, score: r.score, rul_km: r.rul_km, rul_days: r.rul_days };
        ((r.fleet_id, r.vehicle_id, r.component), point)
    })
    .reduce(|(fleet, vehicle, component), points, out| {
        let points: Vec<BandPoint> = points.iter().filter(|(_, d)| *d > 0).map(|(p, _)| (*p).clone()).collect();
        out.extend(episodes(fleet, vehicle, *component, &points).into_iter().map(|a| (a, 1)));
    })
    .map(|(_, alert)| alert)
}
