//! The store conformance suite: every scenario runs against SQLite always and
//! against PostgreSQL when `DATABASE_URL` is set.

use schemas::{
    AlertState, Band, Bay, ClaimRecord, ClaimStatus, Component, DeadLetterReason, Fleet, PartStock, RawRecord,
    Severity, Technician, Vehicle,
};
use sinks::{
    AlertFilter, AlertRecord, AppointmentRecord, ClaimFilter, FleetSummary, Page, ResultBatch, Store, StoreError,
};

use super::fixtures::*;

/// Test result.
pub type R = Result<(), Box<dyn std::error::Error>>;

const ALL: Page = Page { offset: 0, limit: 1_000 };

/// Everything readable through the trait, for before/after comparisons.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub fleets: Vec<Fleet>,
    pub vehicles: Vec<Vehicle>,
    pub health: Vec<schemas::HealthRow>,
    pub current: Vec<schemas::HealthRow>,
    pub alerts: Vec<AlertRecord>,
    pub decisions: Vec<schemas::Decision>,
    pub appointments: Vec<AppointmentRecord>,
    pub dead_letters: Vec<sinks::DeadLetterRecord>,
}

pub async fn snapshot(store: &dyn Store) -> Result<Snapshot, StoreError> {
    let vehicles = store.list_vehicles(None, ALL).await?;
    let mut health = Vec::new();
    let mut current = Vec::new();
    for v in &vehicles {
        health.extend(store.health_history(&v.vehicle_id, None, None, None, ALL).await?);
        current.extend(store.current_health(&v.vehicle_id).await?);
    }
    Ok(Snapshot {
        fleets: store.list_fleets().await?,
        vehicles,
        health,
        current,
        alerts: store.list_alerts(&AlertFilter::default(), ALL).await?,
        decisions: store.list_decisions(None, None, ALL).await?,
        appointments: store.list_appointments(None, None, ALL).await?,
        dead_letters: store.list_dead_letters(None, ALL).await?,
    })
}

fn ids(alerts: &[AlertRecord]) -> Vec<&str> {
    alerts.iter().map(|a| a.alert.alert_id.as_str()).collect()
}

/// Migrating twice is a no-op the second time; the store answers.
pub async fn migrate_twice(store: &dyn Store) -> R {
    store.migrate().await?;
    store.healthcheck().await?;
    assert_eq!(store.list_fleets().await?, vec![]);
    Ok(())
}

/// Writing a batch stores exactly its rows; writing it again changes nothing.
pub async fn write_batch_twice(store: &dyn Store) -> R {
    let batch = full_batch();
    store.write_batch(&batch).await?;
    let once = snapshot(store).await?;
    store.write_batch(&batch).await?;
    let twice = snapshot(store).await?;
    assert_eq!(once, twice);

    assert_eq!(
        once.fleets,
        vec![Fleet { fleet_id: "f1".into(), name: "f1".into() }, Fleet { fleet_id: "f2".into(), name: "f2".into() }]
    );
    let vehicle_ids: Vec<(&str, &str)> =
        once.vehicles.iter().map(|v| (v.fleet_id.as_str(), v.vehicle_id.as_str())).collect();
    assert_eq!(vehicle_ids, vec![("f1", "v1"), ("f1", "v2"), ("f2", "v3")]);
    assert_eq!(once.vehicles[0].vin, None);

    // history newest first per vehicle; current = newest per component, by component
    let b = |ts, score, band| health("f1", "v1", Component::Brakes, ts, score, band);
    let c = health("f1", "v1", Component::Cooling, T0, 95.0, Band::Healthy);
    assert_eq!(once.health[..3], [b(T0 + MIN, 45.5, Band::Degraded), b(T0, 80.0, Band::Healthy), c.clone()]);
    assert_eq!(once.health.len(), 5);
    assert_eq!(once.current[..2], [b(T0 + MIN, 45.5, Band::Degraded), c]);
    assert_eq!(once.current.len(), 4);

    let expected_alerts: Vec<AlertRecord> = [
        alert("a3", "f2", "v3", Component::Engine, Severity::Critical, T0 + 2 * MIN),
        alert("a1", "f1", "v1", Component::Brakes, Severity::Warning, T0 + MIN),
        alert("a2", "f1", "v2", Component::Tires, Severity::Critical, T0),
    ]
    .into_iter()
    .map(|alert| AlertRecord { alert, acknowledged_by: None, acknowledged_ms: None, note: None, escalated_ms: None })
    .collect();
    assert_eq!(once.alerts, expected_alerts);

    assert_eq!(once.decisions, vec![decision("d1", "a1", "v1", T0 + MIN, false), decision("d2", "a2", "v2", T0, true)]);

    let scheduled = |appointment| AppointmentRecord { appointment, status: "scheduled".into(), confirmed_by: None };
    assert_eq!(
        once.appointments,
        vec![
            scheduled(appointment("p2", "f1", "v2", T0 + 30 * MIN)),
            scheduled(appointment("p1", "f1", "v1", T0 + 60 * MIN)),
            scheduled(appointment("p3", "f2", "v3", T0 + 90 * MIN)),
        ]
    );

    let letters: Vec<_> = once.dead_letters.iter().map(|d| d.dead_letter.clone()).collect();
    let mut sorted = letters.clone();
    sorted.sort_by(|a, b| (a.record.pos.offset, &a.item).cmp(&(b.record.pos.offset, &b.item)));
    assert_eq!(
        sorted,
        vec![
            dead_letter(10, DeadLetterReason::Malformed, None, None),
            dead_letter(11, DeadLetterReason::UnknownSignal, Some("Vehicle.Nope"), Some("v1")),
            dead_letter(11, DeadLetterReason::UnknownSignal, Some("Vehicle.Other"), Some("v1")),
            dead_letter(12, DeadLetterReason::TooLate, None, Some("v3")),
        ]
    );
    assert_eq!(letters[0], dead_letter(12, DeadLetterReason::TooLate, None, Some("v3")));
    assert_eq!(letters[3], dead_letter(10, DeadLetterReason::Malformed, None, None));
    assert_eq!(
        store.count_dead_letters().await?,
        vec![("malformed".into(), 1), ("too_late".into(), 1), ("unknown_signal".into(), 2)]
    );
    Ok(())
}

/// Retractions: health deleted, alert withdrawn, decision removed,
/// appointment cancelled; updates replace dataflow columns.
pub async fn retractions(store: &dyn Store) -> R {
    store.write_batch(&full_batch()).await?;
    let old_brakes = health("f1", "v1", Component::Brakes, T0 + MIN, 45.5, Band::Degraded);
    let new_brakes = health("f1", "v1", Component::Brakes, T0 + MIN, 41.0, Band::Degraded);
    let a1 = alert("a1", "f1", "v1", Component::Brakes, Severity::Warning, T0 + MIN);
    let a2_before = alert("a2", "f1", "v2", Component::Tires, Severity::Critical, T0);
    let mut a2_after = a2_before.clone();
    a2_after.state = AlertState::Resolved;
    a2_after.resolved_ms = Some(T0 + 50 * MIN);
    let batch = ResultBatch {
        health: vec![
            (old_brakes, -1),
            (new_brakes.clone(), 1),
            (health("f1", "v1", Component::Cooling, T0, 95.0, Band::Healthy), -1),
        ],
        alerts: vec![(a1.clone(), -1), (a2_before, -1), (a2_after.clone(), 1)],
        decisions: vec![(decision("d1", "a1", "v1", T0 + MIN, false), -1)],
        appointments: vec![(appointment("p1", "f1", "v1", T0 + 60 * MIN), -1)],
        ..ResultBatch::default()
    };
    store.write_batch(&batch).await?;
    let after_once = snapshot(store).await?;
    store.write_batch(&batch).await?;
    assert_eq!(snapshot(store).await?, after_once);

    let history = store.health_history("v1", None, None, None, ALL).await?;
    assert_eq!(history, vec![new_brakes.clone(), health("f1", "v1", Component::Brakes, T0, 80.0, Band::Healthy)]);
    assert_eq!(store.current_health("v1").await?, vec![new_brakes]);

    let withdrawn = store.get_alert("a1").await?.ok_or("a1 missing")?;
    assert_eq!(withdrawn.alert, schemas::Alert { state: AlertState::Withdrawn, ..a1 });
    assert_eq!(store.get_alert("a2").await?.ok_or("a2 missing")?.alert, a2_after);

    assert_eq!(store.list_decisions(None, None, ALL).await?, vec![decision("d2", "a2", "v2", T0, true)]);
    let p1 = store.list_appointments(None, Some("v1"), ALL).await?;
    assert_eq!(p1.iter().map(|a| a.status.as_str()).collect::<Vec<_>>(), vec!["cancelled"]);

    // the same alert id inserted again comes back open
    store
        .write_batch(&ResultBatch {
            alerts: vec![(alert("a1", "f1", "v1", Component::Brakes, Severity::Warning, T0 + MIN), 1)],
            ..ResultBatch::default()
        })
        .await?;
    assert_eq!(store.get_alert("a1").await?.map(|a| a.alert.state), Some(AlertState::Open));
    Ok(())
}

/// People's columns survive dataflow upserts and withdrawals; confirmed
/// appointments are never overwritten or cancelled by the dataflow.
pub async fn people_columns_survive(store: &dyn Store) -> R {
    store.write_batch(&full_batch()).await?;
    let acked = store.acknowledge_alert("a1", "ana", Some("pads ordered"), T0 + 10 * MIN).await?.ok_or("a1 missing")?;
    assert_eq!(
        (acked.acknowledged_by.as_deref(), acked.acknowledged_ms, acked.note.as_deref()),
        (Some("ana"), Some(T0 + 10 * MIN), Some("pads ordered"))
    );
    assert_eq!(store.acknowledge_alert("nope", "ana", None, T0).await?, None);

    let before = alert("a1", "f1", "v1", Component::Brakes, Severity::Warning, T0 + MIN);
    let mut worse = before.clone();
    worse.severity = Severity::Critical;
    worse.last_ms = T0 + 20 * MIN;
    store
        .write_batch(&ResultBatch { alerts: vec![(before, -1), (worse.clone(), 1)], ..ResultBatch::default() })
        .await?;
    let after = store.get_alert("a1").await?.ok_or("a1 missing")?;
    assert_eq!(after, AlertRecord { alert: worse.clone(), ..acked.clone() });

    store.write_batch(&ResultBatch { alerts: vec![(worse.clone(), -1)], ..ResultBatch::default() }).await?;
    let withdrawn = store.get_alert("a1").await?.ok_or("a1 missing")?;
    assert_eq!(withdrawn.alert.state, AlertState::Withdrawn);
    assert_eq!((withdrawn.acknowledged_by, withdrawn.note), (Some("ana".into()), Some("pads ordered".into())));

    // a second acknowledgement without a note keeps the note
    let again = store.acknowledge_alert("a1", "bo", None, T0 + 30 * MIN).await?.ok_or("a1 missing")?;
    assert_eq!((again.acknowledged_by.as_deref(), again.note.as_deref()), (Some("bo"), Some("pads ordered")));

    // escalation: open critical unacknowledged alerts opened before the cut-off
    let escalated = store.escalate_unacknowledged(T0 + 3 * MIN, T0 + 60 * MIN).await?;
    assert_eq!(ids(&escalated), vec!["a2", "a3"]);
    assert!(escalated.iter().all(|a| a.escalated_ms == Some(T0 + 60 * MIN)));
    assert_eq!(store.escalate_unacknowledged(T0 + 3 * MIN, T0 + 61 * MIN).await?, vec![]);
    let a2 = store.get_alert("a2").await?.ok_or("a2 missing")?;
    store
        .write_batch(&ResultBatch {
            alerts: vec![(a2.alert.clone(), -1), (a2.alert.clone(), 1)],
            ..ResultBatch::default()
        })
        .await?;
    assert_eq!(store.get_alert("a2").await?.and_then(|a| a.escalated_ms), Some(T0 + 60 * MIN));

    // confirmation
    let confirmed = store.confirm_appointment("p1", "ana").await?.ok_or("p1 missing")?;
    assert_eq!((confirmed.status.as_str(), confirmed.confirmed_by.as_deref()), ("confirmed", Some("ana")));
    let again = store.confirm_appointment("p1", "bo").await?.ok_or("p1 missing")?;
    assert_eq!(again.confirmed_by.as_deref(), Some("ana"));
    assert_eq!(store.confirm_appointment("nope", "ana").await?, None);

    let p1 = appointment("p1", "f1", "v1", T0 + 60 * MIN);
    let moved = appointment("p1", "f1", "v1", T0 + 120 * MIN);
    store
        .write_batch(&ResultBatch { appointments: vec![(p1.clone(), -1), (moved, 1)], ..ResultBatch::default() })
        .await?;
    store.write_batch(&ResultBatch { appointments: vec![(p1.clone(), -1)], ..ResultBatch::default() }).await?;
    let stored = store.list_appointments(None, Some("v1"), ALL).await?;
    assert_eq!(
        stored,
        vec![AppointmentRecord { appointment: p1, status: "confirmed".into(), confirmed_by: Some("ana".into()) }]
    );

    // a cancelled appointment cannot be confirmed
    let p2 = appointment("p2", "f1", "v2", T0 + 30 * MIN);
    store.write_batch(&ResultBatch { appointments: vec![(p2, -1)], ..ResultBatch::default() }).await?;
    assert!(matches!(store.confirm_appointment("p2", "ana").await, Err(StoreError::Conflict(_))));
    Ok(())
}

/// Filters and pages of every listing.
pub async fn listings(store: &dyn Store) -> R {
    store.write_batch(&full_batch()).await?;
    let f = |fleet: Option<&str>, vehicle: Option<&str>, severity: Option<&str>, state: Option<&str>| AlertFilter {
        fleet_id: fleet.map(Into::into),
        vehicle_id: vehicle.map(Into::into),
        severity: severity.map(Into::into),
        state: state.map(Into::into),
    };
    assert_eq!(ids(&store.list_alerts(&f(Some("f1"), None, None, None), ALL).await?), vec!["a1", "a2"]);
    assert_eq!(ids(&store.list_alerts(&f(None, None, Some("critical"), None), ALL).await?), vec!["a3", "a2"]);
    assert_eq!(
        ids(&store.list_alerts(&f(Some("f1"), Some("v2"), Some("critical"), Some("open")), ALL).await?),
        vec!["a2"]
    );
    assert_eq!(ids(&store.list_alerts(&f(None, None, None, Some("withdrawn")), ALL).await?), Vec::<&str>::new());
    assert_eq!(ids(&store.list_alerts(&AlertFilter::default(), Page { offset: 1, limit: 1 }).await?), vec!["a1"]);
    assert_eq!(ids(&store.list_alerts(&AlertFilter::default(), Page { offset: 2, limit: 5 }).await?), vec!["a2"]);
    assert!(matches!(
        store.list_alerts(&AlertFilter::default(), Page { offset: 0, limit: -1 }).await,
        Err(StoreError::Invalid(_))
    ));

    let page = |offset, limit| Page { offset, limit };
    let v1: Vec<String> =
        store.list_vehicles(Some("f1"), page(1, 10)).await?.into_iter().map(|v| v.vehicle_id).collect();
    assert_eq!(v1, vec!["v2"]);
    assert_eq!(store.list_vehicles(Some("nope"), ALL).await?, vec![]);
    assert_eq!(store.get_vehicle("v3").await?.map(|v| v.fleet_id), Some("f2".into()));
    assert_eq!(store.get_vehicle("nope").await?, None);

    let brakes = store.health_history("v1", Some("brakes"), None, None, ALL).await?;
    assert_eq!(brakes.iter().map(|h| h.ts_ms).collect::<Vec<_>>(), vec![T0 + MIN, T0]);
    let ranged = store.health_history("v1", None, Some(T0), Some(T0 + MIN), ALL).await?;
    assert_eq!(
        ranged.iter().map(|h| (h.component, h.ts_ms)).collect::<Vec<_>>(),
        vec![(Component::Brakes, T0), (Component::Cooling, T0)]
    );
    let paged = store.health_history("v1", None, None, None, page(1, 1)).await?;
    assert_eq!(paged, vec![health("f1", "v1", Component::Brakes, T0, 80.0, Band::Healthy)]);

    let d: Vec<String> =
        store.list_decisions(Some("v2"), None, ALL).await?.into_iter().map(|d| d.decision_id).collect();
    assert_eq!(d, vec!["d2"]);
    let d: Vec<String> =
        store.list_decisions(None, Some("a1"), ALL).await?.into_iter().map(|d| d.decision_id).collect();
    assert_eq!(d, vec!["d1"]);
    assert_eq!(store.list_decisions(None, None, page(0, 1)).await?.len(), 1);

    let apps = |r: Vec<AppointmentRecord>| r.into_iter().map(|a| a.appointment.appointment_id).collect::<Vec<_>>();
    assert_eq!(apps(store.list_appointments(Some("f1"), None, ALL).await?), vec!["p2", "p1"]);
    assert_eq!(apps(store.list_appointments(None, Some("v3"), ALL).await?), vec!["p3"]);
    assert_eq!(apps(store.list_appointments(None, None, page(1, 1)).await?), vec!["p1"]);

    let letters = store.list_dead_letters(Some("unknown_signal"), ALL).await?;
    let items: Vec<Option<String>> = letters.into_iter().map(|d| d.dead_letter.item).collect();
    assert_eq!(items.len(), 2);
    assert!(items.contains(&Some("Vehicle.Nope".into())) && items.contains(&Some("Vehicle.Other".into())));
    assert_eq!(store.list_dead_letters(None, page(3, 10)).await?.len(), 1);
    Ok(())
}

/// A dead letter is stored once per (partition, offset, reason, item), across batches too.
pub async fn dead_letters_idempotent(store: &dyn Store) -> R {
    let one = dead_letter(5, DeadLetterReason::BadObd, Some("obd[0]"), Some("v1"));
    let whole = dead_letter(5, DeadLetterReason::BadObd, None, Some("v1"));
    let batch = ResultBatch { dead_letters: vec![one.clone(), one.clone(), whole.clone()], ..ResultBatch::default() };
    store.write_batch(&batch).await?;
    store.write_batch(&batch).await?;
    let stored: Vec<_> = store.list_dead_letters(None, ALL).await?;
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().any(|d| d.dead_letter == one) && stored.iter().any(|d| d.dead_letter == whole));
    assert_eq!(store.count_dead_letters().await?, vec![("bad_obd".into(), 2)]);
    Ok(())
}

/// The store's progress is one past the last record of each partition it
/// has written a batch of, and a replayed batch never moves it back.
pub async fn store_progress(store: &dyn Store) -> R {
    assert_eq!(store.store_progress().await?, vec![]);
    let written = |raw: Vec<RawRecord>| ResultBatch { raw, ..ResultBatch::default() };
    let before = chrono::Utc::now().timestamp_millis();
    store.write_batch(&written(vec![raw(0, 4), raw(2, 9), raw(0, 6)])).await?;
    let after = chrono::Utc::now().timestamp_millis();
    let first = store.store_progress().await?;
    let positions: Vec<(i32, i64)> = first.iter().map(|p| (p.partition, p.next_offset)).collect();
    assert_eq!(positions, vec![(0, 7), (2, 10)]);
    assert!(first.iter().all(|p| (before..=after).contains(&p.written_ms)), "{first:?} not in {before}..={after}");

    store.write_batch(&written(vec![raw(0, 2), raw(2, 12)])).await?;
    let positions: Vec<(i32, i64)> =
        store.store_progress().await?.iter().map(|p| (p.partition, p.next_offset)).collect();
    assert_eq!(positions, vec![(0, 7), (2, 13)]);
    Ok(())
}

/// The fleet summary counts what the listings show.
pub async fn fleet_summary(store: &dyn Store) -> R {
    store.write_batch(&full_batch()).await?;
    store.confirm_appointment("p1", "ana").await?;
    store
        .write_batch(&ResultBatch {
            appointments: vec![(appointment("p2", "f1", "v2", T0 + 30 * MIN), -1)],
            ..ResultBatch::default()
        })
        .await?;
    let summary = store.fleet_summary("f1").await?;
    assert_eq!(
        summary,
        FleetSummary {
            fleet_id: "f1".into(),
            vehicles: 2,
            mean_score: Some((45.5 + 95.0 + 20.0) / 3.0),
            components_by_band: vec![("critical".into(), 1), ("degraded".into(), 1), ("healthy".into(), 1)],
            open_alerts_by_severity: vec![("critical".into(), 1), ("warning".into(), 1)],
            upcoming_appointments: 1,
            dead_letters: 2,
        }
    );
    let f2 = store.fleet_summary("f2").await?;
    assert_eq!((f2.vehicles, f2.mean_score, f2.dead_letters, f2.upcoming_appointments), (1, Some(70.0), 1, 1));
    assert_eq!(store.fleet_summary("nope").await?, FleetSummary { fleet_id: "nope".into(), ..FleetSummary::default() });
    Ok(())
}

/// Registry and resources: upserts, constraint errors classified.
pub async fn registry_and_resources(store: &dyn Store) -> R {
    store.upsert_fleet(&Fleet { fleet_id: "f1".into(), name: "North".into() }).await?;
    store.upsert_fleet(&Fleet { fleet_id: "f1".into(), name: "North Depot".into() }).await?;
    assert_eq!(store.list_fleets().await?, vec![Fleet { fleet_id: "f1".into(), name: "North Depot".into() }]);

    let vehicle = Vehicle {
        vehicle_id: "v1".into(),
        fleet_id: "f1".into(),
        vin: Some("1HGCM82633A004352".into()),
        owner: Some("ACME".into()),
        make: Some("Volvo".into()),
        model: Some("FH16".into()),
        warranty_start: Some("2024-03-01".into()),
        home_depot: Some("north".into()),
        time_zone: Some("Europe/Stockholm".into()),
    };
    store.upsert_vehicle(&vehicle).await?;
    assert_eq!(store.get_vehicle("v1").await?, Some(vehicle.clone()));
    // the dataflow seeing the vehicle does not touch its registry facts
    store
        .write_batch(&ResultBatch { vehicles_seen: vec![("f1".into(), "v1".into())], ..ResultBatch::default() })
        .await?;
    assert_eq!(store.get_vehicle("v1").await?, Some(vehicle.clone()));
    assert_eq!(store.list_fleets().await?.len(), 1);

    let orphan = Vehicle { vehicle_id: "v9".into(), fleet_id: "nope".into(), ..vehicle.clone() };
    assert!(matches!(store.upsert_vehicle(&orphan).await, Err(StoreError::Conflict(_))));
    let bad_date = Vehicle { warranty_start: Some("03/01/2024".into()), ..vehicle.clone() };
    assert!(matches!(store.upsert_vehicle(&bad_date).await, Err(StoreError::Invalid(_))));

    let tech = Technician {
        technician_id: "t1".into(),
        name: "Ana".into(),
        depot: "north".into(),
        skills: vec![Component::Brakes, Component::Tires],
        shift_start_hour: 8,
        shift_end_hour: 16,
    };
    store.upsert_technician(&tech).await?;
    store.upsert_technician(&Technician { shift_end_hour: 17, ..tech.clone() }).await?;
    let bad_shift = Technician { technician_id: "t2".into(), shift_start_hour: 18, shift_end_hour: 9, ..tech.clone() };
    assert!(matches!(store.upsert_technician(&bad_shift).await, Err(StoreError::Invalid(_))));
    store.upsert_bay(&Bay { bay_id: "b2".into(), depot: "north".into() }).await?;
    store.upsert_bay(&Bay { bay_id: "b1".into(), depot: "south".into() }).await?;
    store.upsert_part_stock(&PartStock { depot: "north".into(), component: Component::Brakes, quantity: 4 }).await?;
    store.upsert_part_stock(&PartStock { depot: "north".into(), component: Component::Brakes, quantity: 3 }).await?;
    let resources = store.resources().await?;
    assert_eq!(resources.technicians, vec![Technician { shift_end_hour: 17, ..tech }]);
    assert_eq!(
        resources.bays,
        vec![Bay { bay_id: "b1".into(), depot: "south".into() }, Bay { bay_id: "b2".into(), depot: "north".into() }]
    );
    assert_eq!(resources.parts, vec![PartStock { depot: "north".into(), component: Component::Brakes, quantity: 3 }]);
    Ok(())
}

/// A batch that breaks a constraint is rejected whole and classified.
pub async fn invalid_batch_is_atomic(store: &dyn Store) -> R {
    let bad = health("f1", "v1", Component::Brakes, T0, 150.0, Band::Healthy);
    let batch = ResultBatch {
        vehicles_seen: vec![("f1".into(), "v1".into())],
        health: vec![(bad, 1)],
        raw: vec![raw(0, 3)],
        ..ResultBatch::default()
    };
    assert!(matches!(store.write_batch(&batch).await, Err(StoreError::Invalid(_))));
    assert_eq!(store.list_fleets().await?, vec![]);
    assert_eq!(store.store_progress().await?, vec![]);
    Ok(())
}

fn claim_ids(claims: &[ClaimRecord]) -> Vec<&str> {
    claims.iter().map(|c| c.claim.claim_id.as_str()).collect()
}

/// Warranty claims: exact round trips, filtered and paged listings, a
/// duplicate id rejected without effect, and the queue of decided claims
/// to publish draining as they are marked published.
pub async fn warranty_claims(store: &dyn Store) -> R {
    let claims = claims();
    for c in &claims {
        store.insert_claim(c).await?;
    }
    for c in &claims {
        assert_eq!(store.get_claim(&c.claim.claim_id).await?.as_ref(), Some(c));
    }
    assert_eq!(store.get_claim("nope").await?, None);

    // newest submission first, ties by id
    let all = store.list_claims(&ClaimFilter::default(), ALL).await?;
    let by_id = |id: &str| claims.iter().find(|c| c.claim.claim_id == id).cloned();
    let expected: Vec<ClaimRecord> = ["c3", "c2", "c4", "c1"].into_iter().filter_map(by_id).collect();
    assert_eq!(all, expected);
    let f = |fleet: Option<&str>, vehicle: Option<&str>, status: Option<&str>| ClaimFilter {
        fleet_id: fleet.map(Into::into),
        vehicle_id: vehicle.map(Into::into),
        status: status.map(Into::into),
    };
    let listed = |filter: ClaimFilter, page: Page| async move { store.list_claims(&filter, page).await };
    assert_eq!(claim_ids(&listed(f(Some("f1"), None, None), ALL).await?), vec!["c2", "c1"]);
    assert_eq!(claim_ids(&listed(f(None, Some("v3"), None), ALL).await?), vec!["c3", "c4"]);
    assert_eq!(claim_ids(&listed(f(None, None, Some("validated")), ALL).await?), vec!["c4", "c1"]);
    assert_eq!(claim_ids(&listed(f(None, None, Some("rejected")), ALL).await?), vec!["c2"]);
    assert_eq!(claim_ids(&listed(f(None, None, Some("submitted")), ALL).await?), vec!["c3"]);
    assert_eq!(claim_ids(&listed(f(Some("f2"), Some("v3"), Some("validated")), ALL).await?), vec!["c4"]);
    assert_eq!(claim_ids(&listed(f(Some("f1"), Some("v3"), None), ALL).await?), Vec::<&str>::new());
    assert_eq!(claim_ids(&listed(ClaimFilter::default(), Page { offset: 1, limit: 2 }).await?), vec!["c2", "c4"]);
    assert!(matches!(listed(ClaimFilter::default(), Page { offset: -1, limit: 2 }).await, Err(StoreError::Invalid(_))));

    // a second claim with a taken id is a conflict and changes nothing
    let original = by_id("c1").ok_or("c1 missing")?;
    let mut again = by_id("c4").ok_or("c4 missing")?;
    again.claim.claim_id = "c1".into();
    again.status = ClaimStatus::Rejected;
    assert!(matches!(store.insert_claim(&again).await, Err(StoreError::Conflict(_))));
    assert_eq!(store.get_claim("c1").await?, Some(original));
    assert_eq!(store.list_claims(&ClaimFilter::default(), ALL).await?, expected);

    // decided claims by decision time, ties by id; the submitted one never
    assert_eq!(claim_ids(&store.unpublished_claims(10).await?), vec!["c2", "c4", "c1"]);
    assert_eq!(store.unpublished_claims(1).await?, by_id("c2").into_iter().collect::<Vec<_>>());
    assert_eq!(store.unpublished_claims(0).await?, vec![]);
    store.mark_claims_published(&["c2".into()], T0 + 60 * MIN).await?;
    assert_eq!(claim_ids(&store.unpublished_claims(10).await?), vec!["c4", "c1"]);
    store.mark_claims_published(&[], T0 + 61 * MIN).await?;
    store.mark_claims_published(&["c4".into(), "nope".into(), "c1".into()], T0 + 62 * MIN).await?;
    assert_eq!(store.unpublished_claims(10).await?, vec![]);
    // publication is not part of the record
    assert_eq!(store.list_claims(&ClaimFilter::default(), ALL).await?, expected);
    Ok(())
}

/// The alerts whose acknowledgement awaits its event, with its time.
async fn pending_acks(store: &dyn Store, limit: i64) -> Result<Vec<(String, Option<i64>)>, StoreError> {
    let alerts = store.unpublished_acknowledgements(limit).await?;
    Ok(alerts.into_iter().map(|r| (r.alert.alert_id, r.acknowledged_ms)).collect())
}

/// Acknowledgements wait for their `alert.acknowledged` event in
/// acknowledgement order; publishing one clears it, and acknowledging again
/// queues the alert again until that acknowledgement is published too.
pub async fn acknowledgement_outbox(store: &dyn Store) -> R {
    store.write_batch(&full_batch()).await?;
    assert_eq!(pending_acks(store, 10).await?, vec![]);
    store.acknowledge_alert("a2", "ana", None, T0 + 20 * MIN).await?;
    store.acknowledge_alert("a1", "bo", None, T0 + 10 * MIN).await?;
    assert_eq!(
        pending_acks(store, 10).await?,
        vec![("a1".to_string(), Some(T0 + 10 * MIN)), ("a2".to_string(), Some(T0 + 20 * MIN))]
    );
    assert_eq!(pending_acks(store, 1).await?, vec![("a1".to_string(), Some(T0 + 10 * MIN))]);
    store.mark_acknowledgements_published(&[("a1".to_string(), T0 + 10 * MIN)]).await?;
    assert_eq!(pending_acks(store, 10).await?, vec![("a2".to_string(), Some(T0 + 20 * MIN))]);
    // Acknowledged again before the first event went out: marking the old one leaves the new one pending.
    store.acknowledge_alert("a2", "cy", None, T0 + 30 * MIN).await?;
    store.mark_acknowledgements_published(&[("a2".to_string(), T0 + 20 * MIN), ("nope".to_string(), T0)]).await?;
    assert_eq!(pending_acks(store, 10).await?, vec![("a2".to_string(), Some(T0 + 30 * MIN))]);
    store.mark_acknowledgements_published(&[("a2".to_string(), T0 + 30 * MIN)]).await?;
    assert_eq!(pending_acks(store, 10).await?, vec![]);
    // A later acknowledgement of a published alert queues it again.
    store.acknowledge_alert("a1", "di", None, T0 + 40 * MIN).await?;
    assert_eq!(pending_acks(store, 10).await?, vec![("a1".to_string(), Some(T0 + 40 * MIN))]);
    assert!(matches!(store.unpublished_acknowledgements(-1).await, Err(StoreError::Invalid(_))));
    Ok(())
}

/// Escalations wait for their `alert.escalated` event in escalation order
/// until they are marked published.
pub async fn escalation_outbox(store: &dyn Store) -> R {
    store.write_batch(&full_batch()).await?;
    assert_eq!(ids(&store.unpublished_escalations(10).await?), Vec::<&str>::new());
    assert_eq!(ids(&store.escalate_unacknowledged(T0 + 3 * MIN, T0 + 60 * MIN).await?), vec!["a2", "a3"]);
    assert_eq!(ids(&store.unpublished_escalations(10).await?), vec!["a2", "a3"]);
    assert_eq!(ids(&store.unpublished_escalations(1).await?), vec!["a2"]);
    store.mark_escalations_published(&["a2".to_string(), "nope".to_string()]).await?;
    let left = store.unpublished_escalations(10).await?;
    assert_eq!((ids(&left), left[0].escalated_ms), (vec!["a3"], Some(T0 + 60 * MIN)));
    store.mark_escalations_published(&["a3".to_string()]).await?;
    assert_eq!(ids(&store.unpublished_escalations(10).await?), Vec::<&str>::new());
    assert!(matches!(store.unpublished_escalations(-1).await, Err(StoreError::Invalid(_))));
    Ok(())
}
