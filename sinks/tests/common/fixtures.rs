//! Rows for store tests: two fleets, a few vehicles, one of each result kind,
//! and warranty claims.

use schemas::{
    Alert, AlertState, Appointment, Band, CheckOutcome, Claim, ClaimCheck, ClaimRecord, ClaimStatus, Component,
    DeadLetter, DeadLetterReason, Decision, HealthRow, LogPos, RawRecord, Severity, Value,
};
use sinks::ResultBatch;

/// 2025-11-24T00:00:00Z.
pub const T0: i64 = 1_763_942_400_000;
/// One minute.
pub const MIN: i64 = 60_000;

pub fn health(fleet: &str, vehicle: &str, component: Component, ts_ms: i64, score: f64, band: Band) -> HealthRow {
    HealthRow {
        fleet_id: fleet.into(),
        vehicle_id: vehicle.into(),
        component,
        ts_ms,
        score: Value(score),
        band,
        rul_km: Some(Value(score * 100.0)),
        rul_km_p10: Some(Value(score * 80.0)),
        rul_km_p90: Some(Value(score * 130.0)),
        rul_days: if score < 50.0 { Some(Value(score / 10.0)) } else { None },
        odometer_km: Some(Value(42_000.5)),
        model_version: "rules-v3".into(),
    }
}

pub fn alert(id: &str, fleet: &str, vehicle: &str, component: Component, severity: Severity, opened_ms: i64) -> Alert {
    Alert {
        alert_id: id.into(),
        fleet_id: fleet.into(),
        vehicle_id: vehicle.into(),
        component,
        severity,
        state: AlertState::Open,
        opened_ms,
        last_ms: opened_ms + 5 * MIN,
        resolved_ms: None,
        min_score: Value(31.25),
        rul_km: Some(Value(800.0)),
        rul_days: None,
    }
}

pub fn decision(id: &str, alert_id: &str, vehicle: &str, ts_ms: i64, escalate: bool) -> Decision {
    Decision {
        decision_id: id.into(),
        alert_id: alert_id.into(),
        fleet_id: "f1".into(),
        vehicle_id: vehicle.into(),
        component: Component::Brakes,
        worker: "brake_worker".into(),
        action: "replace_brake_pads".into(),
        recommendation: "Replace the front brake pads within 800 km.".into(),
        reasoning: "Front-left pad wear 86% and rising 0.4%/100 km.".into(),
        priority: 2,
        escalate,
        ts_ms,
    }
}

pub fn appointment(id: &str, fleet: &str, vehicle: &str, start_ms: i64) -> Appointment {
    Appointment {
        appointment_id: id.into(),
        fleet_id: fleet.into(),
        vehicle_id: vehicle.into(),
        depot: "north".into(),
        technician_id: "t1".into(),
        bay_id: "b1".into(),
        start_ms,
        end_ms: start_ms + 60 * MIN,
        components: vec![Component::Brakes, Component::Tires],
        alert_ids: vec!["a1".into(), "a2".into()],
        deadline_ms: start_ms + 24 * 60 * MIN,
    }
}

pub fn raw(partition: i32, offset: i64) -> RawRecord {
    RawRecord {
        pos: LogPos { partition, offset },
        append_ms: T0 + offset,
        key: Some(b"v1".to_vec()),
        payload: vec![b'{', 0xff, 0x00, b'}'],
    }
}

pub fn dead_letter(offset: i64, reason: DeadLetterReason, item: Option<&str>, vehicle: Option<&str>) -> DeadLetter {
    DeadLetter {
        record: raw(0, offset),
        reason,
        detail: format!("{reason} at {offset}"),
        item: item.map(Into::into),
        vehicle_id: vehicle.map(Into::into),
        ts_ms: vehicle.map(|_| T0 + offset - 10),
    }
}

/// A batch with something of every kind: fleets f1 (v1, v2) and f2 (v3).
pub fn full_batch() -> ResultBatch {
    ResultBatch {
        vehicles_seen: vec![
            ("f1".into(), "v1".into()),
            ("f1".into(), "v2".into()),
            ("f2".into(), "v3".into()),
            ("f1".into(), "v1".into()),
        ],
        health: vec![
            (health("f1", "v1", Component::Brakes, T0, 80.0, Band::Healthy), 1),
            (health("f1", "v1", Component::Brakes, T0 + MIN, 45.5, Band::Degraded), 1),
            (health("f1", "v1", Component::Cooling, T0, 95.0, Band::Healthy), 1),
            (health("f1", "v2", Component::Tires, T0, 20.0, Band::Critical), 1),
            (health("f2", "v3", Component::Engine, T0, 70.0, Band::Watch), 1),
        ],
        alerts: vec![
            (alert("a1", "f1", "v1", Component::Brakes, Severity::Warning, T0 + MIN), 1),
            (alert("a2", "f1", "v2", Component::Tires, Severity::Critical, T0), 1),
            (alert("a3", "f2", "v3", Component::Engine, Severity::Critical, T0 + 2 * MIN), 1),
        ],
        decisions: vec![(decision("d1", "a1", "v1", T0 + MIN, false), 1), (decision("d2", "a2", "v2", T0, true), 1)],
        appointments: vec![
            (appointment("p1", "f1", "v1", T0 + 60 * MIN), 1),
            (appointment("p2", "f1", "v2", T0 + 30 * MIN), 1),
            (appointment("p3", "f2", "v3", T0 + 90 * MIN), 1),
        ],
        dead_letters: vec![
            dead_letter(10, DeadLetterReason::Malformed, None, None),
            dead_letter(11, DeadLetterReason::UnknownSignal, Some("Vehicle.Nope"), Some("v1")),
            dead_letter(11, DeadLetterReason::UnknownSignal, Some("Vehicle.Other"), Some("v1")),
            dead_letter(12, DeadLetterReason::TooLate, None, Some("v3")),
        ],
        transitions: vec![],
        raw: vec![raw(0, 1)],
        readings: vec![],
    }
}

pub fn check(name: &str, outcome: CheckOutcome) -> ClaimCheck {
    ClaimCheck { name: name.into(), outcome, detail: format!("{name}: {outcome:?} (12,345.6 km of 200,000)") }
}

/// A claim submitted at `submitted_ms` and decided at `decided_ms`, with
/// times off the whole second so a store that truncates them shows.
pub fn claim(
    id: &str,
    (fleet, vehicle): (&str, &str),
    component: Component,
    status: ClaimStatus,
    submitted_ms: i64,
    decided_ms: Option<i64>,
) -> ClaimRecord {
    ClaimRecord {
        claim: Claim {
            claim_id: id.into(),
            fleet_id: fleet.into(),
            vehicle_id: vehicle.into(),
            component,
            failed_ms: submitted_ms - 26 * 60 * MIN + 321,
            odometer_km: 123_456.789_012_345,
            description: format!("{component} failed on the motorway; \"it smelled\" \u{2014} driver"),
            alert_id: None,
            submitted_by: if fleet == "f1" { "ana".into() } else { "bo".into() },
            submitted_ms,
        },
        status,
        reason: format!("{status}: the evidence of {id}"),
        checks: vec![check("coverage_period", CheckOutcome::Pass)],
        decided_ms,
    }
}

/// Four claims over fleets f1 (v1, v2) and f2 (v3) in every status:
/// `c1` refers to an alert, `c2` has several checks of each outcome, `c3`
/// awaits review, `c4` ties `c2` on submission and decision time.
pub fn claims() -> Vec<ClaimRecord> {
    let mut c1 = claim(
        "c1",
        ("f1", "v1"),
        Component::Brakes,
        ClaimStatus::Validated,
        T0 + 10 * MIN + 1,
        Some(T0 + 12 * MIN + 345),
    );
    c1.claim.alert_id = Some("a1".into());
    let mut c2 =
        claim("c2", ("f1", "v2"), Component::Tires, ClaimStatus::Rejected, T0 + 20 * MIN + 7, Some(T0 + 11 * MIN + 9));
    c2.checks = [
        ("coverage_period", CheckOutcome::Pass),
        ("mileage_limit", CheckOutcome::Fail),
        ("odometer", CheckOutcome::Unknown),
        ("telemetry", CheckOutcome::Fail),
        ("duplicate", CheckOutcome::Pass),
        ("telemetry", CheckOutcome::Unknown),
    ]
    .into_iter()
    .map(|(name, outcome)| check(name, outcome))
    .collect();
    let mut c3 = claim("c3", ("f2", "v3"), Component::Engine, ClaimStatus::Submitted, T0 + 30 * MIN, None);
    c3.checks = vec![check("telemetry", CheckOutcome::Unknown)];
    c3.claim.odometer_km = 0.1 + 0.2;
    let c4 = claim(
        "c4",
        ("f2", "v3"),
        Component::Cooling,
        ClaimStatus::Validated,
        T0 + 20 * MIN + 7,
        Some(T0 + 11 * MIN + 9),
    );
    vec![c1, c2, c3, c4]
}

/// The audit entry inserting `c` leaves: `(entity_id, actor, action, fleet_id, detail)`.
pub fn claim_audit(c: &ClaimRecord) -> (String, String, String, String, serde_json::Value) {
    let detail = serde_json::json!({ "status": c.status.as_str(), "component": c.claim.component.as_str() });
    (c.claim.claim_id.clone(), c.claim.submitted_by.clone(), "submit_claim".into(), c.claim.fleet_id.clone(), detail)
}
