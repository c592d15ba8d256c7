//! schedule: exact per-epoch appointments with debounce 0, the debounced
//! behaviour, and a seeded random comparison with re-planning each epoch.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use schemas::Component::{Brakes, Cooling, Engine};
use schemas::{Alert, AlertState, Appointment, Severity, Value};

use super::*;
use crate::schedule::{Resources, plan, schedule, service_jobs};
use crate::testing::content_at;

fn brake_alert(state: AlertState) -> Alert {
    Alert {
        alert_id: "a1".into(),
        fleet_id: "f".into(),
        vehicle_id: "v1".into(),
        component: Brakes,
        severity: Severity::Warning,
        state,
        opened_ms: NOW - HOUR,
        last_ms: NOW,
        resolved_ms: (state == AlertState::Resolved).then_some(NOW + HOUR),
        min_score: Value(40.0),
        rul_km: None,
        rul_days: Some(Value(3.0)),
    }
}

/// The job `service_jobs` makes of [`brake_alert`].
fn brake_job() -> ServiceJob {
    ServiceJob { alert_ids: vec!["a1".into()], ..job("v1", &[Brakes], 3, NOW + 3 * DAY, NOW) }
}

fn alerts_to_appointments(
    epochs: Epochs<Alert, Resource>,
    debounce_ms: u64,
    step: bool,
) -> Vec<(Appointment, Epoch, Diff)> {
    run_two(epochs, step, move |alerts, resources| schedule(service_jobs(alerts), resources, config(debounce_ms)))
}

fn with_resources(resources: Vec<Resource>) -> Vec<(Resource, Diff)> {
    resources.into_iter().map(|r| (r, 1)).collect()
}

#[test]
fn an_open_alert_is_booked_and_its_resolution_cancels_the_booking() {
    let booked = appt(&brake_job(), "main", "t1", "b1", NOW + 8 * HOUR);
    let epochs = vec![
        (vec![(brake_alert(AlertState::Open), 1)], with_resources(main_depot())),
        (vec![], vec![]),
        (vec![(brake_alert(AlertState::Open), -1), (brake_alert(AlertState::Resolved), 1)], vec![]),
    ];
    let want = vec![(booked.clone(), 0, 1), (booked, 2, -1)];
    assert_eq!(alerts_to_appointments(epochs.clone(), 0, false), want);
    assert_eq!(alerts_to_appointments(epochs, 0, true), want);
}

#[test]
fn resources_arriving_later_book_and_running_out_of_parts_cancels() {
    let booked = appt(&brake_job(), "main", "t1", "b1", NOW + 8 * HOUR);
    let epochs = vec![
        (vec![(brake_alert(AlertState::Open), 1)], vec![]),
        (vec![], with_resources(main_depot())),
        (vec![], vec![(Resource::Part(part("main", Brakes, 2)), -1), (Resource::Part(part("main", Brakes, 0)), 1)]),
    ];
    let want = vec![(booked.clone(), 1, 1), (booked, 2, -1)];
    assert_eq!(alerts_to_appointments(epochs.clone(), 0, false), want);
    assert_eq!(alerts_to_appointments(epochs, 0, true), want);
}

#[test]
fn a_changed_job_moves_its_booking() {
    let first = job("v1", &[Brakes], 3, NOW + 3 * DAY, NOW);
    let critical = job("v2", &[Engine], 1, NOW + DAY, NOW);
    let more = ServiceJob {
        components: vec![Brakes, Cooling],
        alert_ids: vec!["a-v1".into(), "b-v1".into()],
        ..first.clone()
    };
    let epochs = vec![
        (vec![(first.clone(), 1)], with_resources(main_depot())),
        (vec![(critical.clone(), 1)], vec![]),
        (vec![(first.clone(), -1), (more.clone(), 1)], vec![]),
    ];
    let out = run_two(epochs, false, |jobs, resources| schedule(jobs, resources, config(0)));
    let first_at_8 = appt(&first, "main", "t1", "b1", NOW + 8 * HOUR);
    let first_at_10 = appt(&first, "main", "t1", "b1", NOW + 10 * HOUR);
    let more_at_10 = appt(&more, "main", "t2", "b1", NOW + 10 * HOUR);
    let mut want = vec![
        (first_at_8.clone(), 0, 1),
        (first_at_8, 1, -1),
        (first_at_10.clone(), 1, 1),
        (appt(&critical, "main", "t1", "b1", NOW + 8 * HOUR), 1, 1),
        (first_at_10, 2, -1),
        (more_at_10, 2, 1),
    ];
    want.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    assert_eq!(out, want);
}

#[test]
fn a_long_debounce_solves_once_when_the_input_closes() {
    let second = job("v2", &[Engine], 1, NOW + DAY, NOW);
    let epochs: Epochs<ServiceJob, Resource> = vec![
        (vec![(brake_job(), 1)], with_resources(main_depot())),
        (vec![(second.clone(), 1)], vec![]),
        (vec![], vec![(Resource::Bay(bay("b2", "main")), 1)]),
    ];
    let eager = run_two(epochs.clone(), true, |jobs, resources| schedule(jobs, resources, config(0)));
    assert_eq!(eager.iter().map(|u| u.1).min(), Some(0), "debounce 0 solves at the first epoch");
    let lazy = run_two(epochs, true, |jobs, resources| schedule(jobs, resources, config(3_600_000)));
    let want: Vec<(Appointment, Epoch, Diff)> = content_at(&eager, 2).into_iter().map(|(a, d)| (a, 3, d)).collect();
    assert_eq!(lazy, want, "one solve, at the frontier when the input closed");
    let mut last = vec![
        (appt(&brake_job(), "main", "t2", "b1", NOW + 8 * HOUR), 1),
        (appt(&second, "main", "t1", "b2", NOW + 8 * HOUR), 1),
    ];
    last.sort();
    assert_eq!(content_at(&eager, 2), last);
}

#[test]
fn random_changes_match_replanning_after_every_epoch() {
    let mut rng = StdRng::seed_from_u64(11);
    let components = [Brakes, Engine, Cooling];
    let mut jobs: BTreeMap<usize, ServiceJob> = BTreeMap::new();
    let mut resources: BTreeMap<String, Resource> = main_depot().into_iter().map(|r| (format!("{r:?}"), r)).collect();
    let mut epochs: Epochs<ServiceJob, Resource> = Vec::new();
    let mut expected = Vec::new();
    for _ in 0..10 {
        let mut job_updates = Vec::new();
        let mut resource_updates = Vec::new();
        if epochs.is_empty() {
            resource_updates = with_resources(resources.values().cloned().collect());
        }
        for _ in 0..2 {
            let v = rng.random_range(0..5);
            if let Some(old) = jobs.remove(&v) {
                job_updates.push((old, -1));
            }
            if rng.random_bool(0.7) {
                let c = components[rng.random_range(0..3)];
                let priority = if rng.random_bool(0.3) { 1 } else { 3 };
                let ready = NOW + rng.random_range(0..36) * HOUR;
                let new = job(&format!("v{v}"), &[c], priority, ready + rng.random_range(0..48) * HOUR, ready);
                job_updates.push((new.clone(), 1));
                jobs.insert(v, new);
            }
        }
        if rng.random_bool(0.5) {
            let quantity = rng.random_range(0..3);
            let key = "brakes-stock".to_string();
            let fresh = Resource::Part(part("main", Brakes, quantity));
            let old = resources
                .remove(&format!("{:?}", Resource::Part(part("main", Brakes, 2))))
                .or_else(|| resources.remove(&key));
            if let Some(old) = old {
                resource_updates.push((old, -1));
            }
            resource_updates.push((fresh.clone(), 1));
            resources.insert(key, fresh);
        }
        if rng.random_bool(0.3) {
            let b2 = Resource::Bay(bay("b2", "main"));
            match resources.remove("b2") {
                Some(old) => resource_updates.push((old, -1)),
                None => {
                    resource_updates.push((b2.clone(), 1));
                    resources.insert("b2".into(), b2);
                }
            }
        }
        epochs.push((job_updates, resource_updates));
        let current: Vec<ServiceJob> = jobs.values().cloned().collect();
        let mut want: Vec<(Appointment, Diff)> = match current.iter().map(|j| j.ready_ms).max() {
            None => Vec::new(),
            Some(now) => plan(&current, &Resources::from_resources(resources.values()), &config(0), now)
                .expect("plan")
                .into_iter()
                .map(|a| (a, 1))
                .collect(),
        };
        want.sort();
        expected.push(want);
    }
    let out = run_two(epochs, false, |jobs, resources| schedule(jobs, resources, config(0)));
    for (epoch, want) in expected.into_iter().enumerate() {
        assert_eq!(content_at(&out, epoch as Epoch), want, "epoch {epoch}");
    }
}
