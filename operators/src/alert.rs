//! alert: one alert per vehicle-component episode, a maximal run of
//! consecutive windows whose band is degraded or critical.
//!
//! Each (fleet, vehicle, component) walks its health rows in event-time
//! order; rows that are final ([`Finality`]) are folded into the episode in
//! progress and forgotten. The alert id hashes (fleet, vehicle, component,
//! episode start), so an alert keeps its id while its content grows: a new
//! window, a severity upgrade or the recovery retracts the previous version
//! and inserts the next. Corrected data that removes an episode retracts
//! its alert (the sink records that as `withdrawn`); one that moves the
//! episode's start retracts the old alert and inserts one with a new id.

use serde::{Deserialize, Serialize};

use schemas::event::stable_id;
use schemas::{Alert, AlertState, Band, Component, HealthRow, Id, Severity, TsMs, Value};

use crate::Coll;
use crate::degrade::kept::KeptRow;
use crate::finality::Finality;
use crate::open_history::{Before, Components, HistoryId, Walker};
use crate::per_vehicle::per_vehicle;

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

impl BandPoint {
    /// What the alert lifecycle reads of a health row.
    pub fn of(r: &HealthRow) -> BandPoint {
        BandPoint { ts_ms: r.ts_ms, band: r.band, score: r.score, rul_km: r.rul_km, rul_days: r.rul_days }
    }

    /// What the alert lifecycle reads of a row as the degrade walk keeps it.
    pub(crate) fn of_kept(r: &KeptRow) -> BandPoint {
        BandPoint { ts_ms: r.ts_ms, band: r.band, score: r.score, rul_km: r.rul_km(), rul_days: r.rul_days() }
    }
}

/// The alert severity of a band, `None` for bands that raise no alert.
pub fn severity(band: Band) -> Option<Severity> {
    match band {
        Band::Healthy | Band::Watch => None,
        Band::Degraded => Some(Severity::Warning),
        Band::Critical => Some(Severity::Critical),
    }
}

/// The episode in progress before a row: the sequential state of the alert
/// walk. Boxed: this state is kept before every open window of every
/// component, and almost always holds no episode.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Episode {
    open: Option<Box<Alert>>,
}

impl Episode {
    /// The alert of the episode in progress, if one is.
    pub(crate) fn alert_in_progress(&self) -> Option<Alert> {
        self.open.as_deref().cloned()
    }

    /// Steps over the next row (in event-time order), handing `out` the
    /// alert an episode's recovery completes.
    pub(crate) fn step(
        &mut self,
        (fleet, vehicle, component): HistoryId<'_>,
        p: &BandPoint,
        out: &mut impl FnMut(Alert),
    ) {
        match (severity(p.band), self.open.as_mut()) {
            (Some(sev), None) => {
                self.open = Some(Box::new(Alert {
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
                }));
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
                if let Some(mut alert) = self.open.take() {
                    alert.state = AlertState::Resolved;
                    alert.resolved_ms = Some(p.ts_ms);
                    out(*alert);
                }
            }
            (None, None) => {}
        }
    }
}

/// The alerts of one component from its rows in event-time order: the
/// sequential definition the operator maintains.
pub fn episodes(fleet: &Id, vehicle: &Id, component: Component, points: &[BandPoint]) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let mut episode = Episode::default();
    for p in points {
        episode.step((fleet, vehicle, component), p, &mut |a| alerts.push(a));
    }
    alerts.extend(episode.open.map(|alert| *alert));
    alerts
}

/// The alerts of every (fleet, vehicle, component), maintained as rows change.
pub fn alerts<'s>(rows: Coll<'s, HealthRow>, finality: Finality) -> Coll<'s, Alert> {
    per_vehicle(rows, "Alert", |r| (&r.fleet_id, &r.vehicle_id), move || vehicle_episodes(finality))
}

/// One vehicle's alert episodes, one walk per component.
pub(crate) type VehicleEpisodes = Components<HealthRow, AlertWalk>;

/// One vehicle's alert episodes, fed health rows.
pub(crate) fn vehicle_episodes(finality: Finality) -> VehicleEpisodes {
    Components::new(finality, (), |r| {
        let point = BandPoint::of(&r);
        (r.fleet_id, r.vehicle_id, r.component, point)
    })
}

/// The episode walk, as the per-component state machine runs it.
pub(crate) struct AlertWalk;

impl Walker for AlertWalk {
    type Point = BandPoint;
    type Out = Alert;
    type Emitted = Alert;
    type State = Episode;
    type Past = ();
    type Config = ();
    type Model = ();

    fn at(point: &BandPoint) -> TsMs {
        point.ts_ms
    }

    fn model(_: &()) {}

    fn step(
        episode: &mut Episode,
        _: Before<'_, Self>,
        id: HistoryId<'_>,
        p: &BandPoint,
        _: (&(), &()),
        out: &mut Vec<Alert>,
    ) {
        episode.step(id, p, &mut |a| out.push(a));
    }

    fn seal(_: &mut (), _: HistoryId<'_>, _: &BandPoint, _: (&(), &())) {}

    fn tail(episode: &Episode, out: &mut Vec<Alert>) {
        out.extend(episode.alert_in_progress());
    }

    /// An alert names its vehicle and component already (and is seldom kept).
    fn expand(_: HistoryId<'_>, alert: &Alert) -> Alert {
        alert.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{consolidate, run_epochs};
    use crate::{Diff, Epoch};

    const W: i64 = 600_000;

    fn row(ts_ms: i64, band: Band, score: f64, rul: Option<(f64, f64)>) -> HealthRow {
        HealthRow {
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            component: Component::Brakes,
            ts_ms,
            score: Value(score),
            band,
            rul_km: rul.map(|r| Value(r.0)),
            rul_km_p10: None,
            rul_km_p90: None,
            rul_days: rul.map(|r| Value(r.1)),
            odometer_km: None,
            model_version: "rules-v3".into(),
        }
    }

    fn alert(
        opened: i64,
        last: i64,
        severity: Severity,
        resolved: Option<i64>,
        min: f64,
        rul: Option<(f64, f64)>,
    ) -> Alert {
        Alert {
            alert_id: stable_id(&["f1", "v1", "brakes", &opened.to_string()]),
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            component: Component::Brakes,
            severity,
            state: if resolved.is_some() { AlertState::Resolved } else { AlertState::Open },
            opened_ms: opened,
            last_ms: last,
            resolved_ms: resolved,
            min_score: Value(min),
            rul_km: rul.map(|r| Value(r.0)),
            rul_days: rul.map(|r| Value(r.1)),
        }
    }

    #[test]
    fn an_episode_opens_then_resolves() {
        let epochs = vec![
            vec![(row(W, Band::Healthy, 85.0, None), 1), (row(2 * W, Band::Degraded, 50.0, Some((100.0, 2.0))), 1)],
            vec![(row(3 * W, Band::Degraded, 45.0, None), 1)],
            vec![(row(4 * W, Band::Watch, 66.0, None), 1)],
        ];
        let out = run_epochs(epochs, |rows| alerts(rows, Finality::default()));
        let rul = Some((100.0, 2.0));
        let expected: Vec<(Alert, Epoch, Diff)> = vec![
            (alert(2 * W, 2 * W, Severity::Warning, None, 50.0, rul), 0, 1),
            (alert(2 * W, 2 * W, Severity::Warning, None, 50.0, rul), 1, -1),
            (alert(2 * W, 3 * W, Severity::Warning, None, 45.0, rul), 1, 1),
            (alert(2 * W, 3 * W, Severity::Warning, None, 45.0, rul), 2, -1),
            (alert(2 * W, 3 * W, Severity::Warning, Some(4 * W), 45.0, rul), 2, 1),
        ];
        assert_eq!(out, consolidate(expected));
    }

    #[test]
    fn a_critical_window_upgrades_the_same_alert() {
        let epochs = vec![
            vec![(row(W, Band::Degraded, 50.0, Some((300.0, 6.0))), 1)],
            vec![(row(2 * W, Band::Critical, 30.0, Some((80.0, 1.5))), 1)],
        ];
        let out = run_epochs(epochs, |rows| alerts(rows, Finality::default()));
        let old = alert(W, W, Severity::Warning, None, 50.0, Some((300.0, 6.0)));
        let new = alert(W, 2 * W, Severity::Critical, None, 30.0, Some((80.0, 1.5)));
        assert_eq!(old.alert_id, new.alert_id);
        assert_eq!(out, consolidate(vec![(old.clone(), 0, 1), (old, 1, -1), (new, 1, 1)]));
    }

    #[test]
    fn corrections_withdraw_an_alert_or_move_its_start() {
        let epochs = vec![
            vec![(row(W, Band::Healthy, 85.0, None), 1), (row(2 * W, Band::Degraded, 45.0, None), 1)],
            // The degraded window is corrected to watch: the episode never happened.
            vec![(row(2 * W, Band::Degraded, 45.0, None), -1), (row(2 * W, Band::Watch, 65.0, None), 1)],
            vec![(row(3 * W, Band::Critical, 35.0, None), 1)],
            // The window before the episode turns out degraded too: the episode starts earlier.
            vec![(row(2 * W, Band::Watch, 65.0, None), -1), (row(2 * W, Band::Degraded, 41.0, None), 1)],
        ];
        let out = run_epochs(epochs, |rows| alerts(rows, Finality::default()));
        let expected: Vec<(Alert, Epoch, Diff)> = vec![
            (alert(2 * W, 2 * W, Severity::Warning, None, 45.0, None), 0, 1),
            (alert(2 * W, 2 * W, Severity::Warning, None, 45.0, None), 1, -1),
            (alert(3 * W, 3 * W, Severity::Critical, None, 35.0, None), 2, 1),
            (alert(3 * W, 3 * W, Severity::Critical, None, 35.0, None), 3, -1),
            (alert(2 * W, 3 * W, Severity::Critical, None, 35.0, None), 3, 1),
        ];
        assert_eq!(out, consolidate(expected));
    }

    #[test]
    fn separate_episodes_get_separate_alerts() {
        let rows: Vec<BandPoint> =
            [(W, Band::Critical, 30.0), (2 * W, Band::Healthy, 90.0), (3 * W, Band::Degraded, 55.0)]
                .into_iter()
                .map(|(ts_ms, band, score)| BandPoint {
                    ts_ms,
                    band,
                    score: Value(score),
                    rul_km: None,
                    rul_days: None,
                })
                .collect();
        assert_eq!(
            episodes(&"f1".into(), &"v1".into(), Component::Brakes, &rows),
            vec![
                alert(W, W, Severity::Critical, Some(2 * W), 30.0, None),
                alert(3 * W, 3 * W, Severity::Warning, None, 55.0, None),
            ]
        );
    }
}
