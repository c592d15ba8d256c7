//! Rows for store tests: two fleets, a few vehicles, one of each result kind.

use schemas::{
    Alert, AlertState, Appointment, Band, Component, DeadLetter, DeadLetterReason, Decision, HealthRow, LogPos,
    RawRecord, Severity, Value,
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
        model_version: "rules-v2".into(),
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
