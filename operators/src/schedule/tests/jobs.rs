//! service_jobs: exact per-epoch jobs and a seeded random comparison with a
//! sequential grouping of the open alerts.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use schemas::Component::{Brakes, Cooling};
use schemas::{Alert, AlertState, Component, ServiceJob, Severity, Value};

use super::*;
use crate::schedule::jobs::job_of;
use crate::schedule::service_jobs;
use crate::testing::{content_at, run_epochs};

fn alert(
    id: &str,
    vehicle: &str,
    component: Component,
    severity: Severity,
    last_ms: TsMs,
    rul_days: Option<f64>,
) -> Alert {
    Alert {
        alert_id: id.into(),
        fleet_id: "f".into(),
        vehicle_id: vehicle.into(),
        component,
        severity,
        state: AlertState::Open,
        opened_ms: last_ms - HOUR,
        last_ms,
        resolved_ms: None,
        min_score: Value(30.0),
        rul_km: None,
        rul_days: rul_days.map(Value),
    }
}

fn resolved(a: &Alert) -> Alert {
    Alert { state: AlertState::Resolved, resolved_ms: Some(a.last_ms + HOUR), ..a.clone() }
}

#[test]
fn open_alerts_of_a_vehicle_make_one_job_that_follows_them() {
    let brakes = alert("a2", "v1", Brakes, Severity::Warning, NOW, Some(2.5));
    let cooling = alert("a1", "v1", Cooling, Severity::Critical, NOW + HOUR, None);
    let both = ServiceJob {
        fleet_id: "f".into(),
        vehicle_id: "v1".into(),
        depot: String::new(),
        components: vec![Cooling, Brakes],
        alert_ids: vec!["a1".into(), "a2".into()],
        priority: 1,
        deadline_ms: NOW + HOUR + DAY,
        ready_ms: NOW + HOUR,
    };
    let brakes_only = ServiceJob {
        components: vec![Brakes],
        alert_ids: vec!["a2".into()],
        priority: 3,
        deadline_ms: NOW + 60 * HOUR,
        ready_ms: NOW,
        ..both.clone()
    };
    let out = run_epochs(
        vec![
            vec![(brakes.clone(), 1), (cooling.clone(), 1)],
            vec![(cooling.clone(), -1), (resolved(&cooling), 1)],
            vec![(brakes.clone(), -1)],
        ],
        service_jobs,
    );
    assert_eq!(out, vec![(both.clone(), 0, 1), (both, 1, -1), (brakes_only.clone(), 1, 1), (brakes_only, 2, -1)]);
}

#[test]
fn deadlines_default_by_severity_and_clamp_negative_rul() {
    let warning = alert("a", "v", Brakes, Severity::Warning, NOW, None);
    let negative = alert("b", "v", Cooling, Severity::Warning, NOW + HOUR, Some(-3.0));
    assert_eq!(job_of(&[&warning]).map(|j| j.deadline_ms), Some(NOW + 7 * DAY));
    assert_eq!(job_of(&[&warning, &negative]).map(|j| j.deadline_ms), Some(NOW + HOUR));
    assert_eq!(job_of(&[]), None);
}

#[test]
fn random_alert_changes_match_a_sequential_grouping() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut present: BTreeMap<String, Alert> = BTreeMap::new();
    let mut epochs = Vec::new();
    let mut expected = Vec::new();
    for epoch in 0..12 {
        let mut updates = Vec::new();
        for _ in 0..3 {
            let n = rng.random_range(0..8);
            let id = format!("a{n}");
            if let Some(old) = present.remove(&id) {
                updates.push((old.clone(), -1));
                if old.state == AlertState::Open && rng.random_bool(0.5) {
                    let next = resolved(&old);
                    updates.push((next.clone(), 1));
                    present.insert(id, next);
                }
            } else {
                let severity = if rng.random_bool(0.3) { Severity::Critical } else { Severity::Warning };
                let rul = rng.random_bool(0.5).then(|| rng.random_range(0.0..10.0));
                let a = alert(&id, &format!("v{}", n % 3), Component::ALL[n % 6], severity, NOW + epoch * HOUR, rul);
                updates.push((a.clone(), 1));
                present.insert(id, a);
            }
        }
        epochs.push(updates);
        let mut by_vehicle: BTreeMap<&str, Vec<&Alert>> = BTreeMap::new();
        for a in present.values().filter(|a| a.state == AlertState::Open) {
            by_vehicle.entry(a.vehicle_id.as_str()).or_default().push(a);
        }
        let mut jobs: Vec<(ServiceJob, Diff)> = by_vehicle.values().filter_map(|v| job_of(v)).map(|j| (j, 1)).collect();
        jobs.sort();
        expected.push(jobs);
    }
    let out = run_epochs(epochs, service_jobs);
    for (epoch, want) in expected.into_iter().enumerate() {
        assert_eq!(content_at(&out, epoch as Epoch), want, "epoch {epoch}");
    }
}
