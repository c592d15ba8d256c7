//! Which events a batch means: a pure function of the batch, so a replayed
//! batch yields the same events with the same ids (consumers dedupe on
//! `event_id`).
//!
//! Content-derived events (health rows, transitions) take their id from their
//! payload, so a corrected row gets a new id while a replay keeps the old one;
//! lifecycle events (alerts, decisions, appointments) take it from the entity id.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Value, json};

use schemas::{
    Alert, AlertState, Band, ClaimRecord, ClaimStatus, DeadLetter, Event, EventKind, LogPos, Payload, Reading,
    SCHEMA_VERSION, Signal, TsMs,
};

use crate::batch::ResultBatch;
use crate::changes;
use crate::store::AlertRecord;

/// The payload of `vehicle.telemetry.received`: where the message sat in the
/// log, its event time and its readings by signal name.
#[derive(Serialize)]
struct Received<'a> {
    partition: i32,
    offset: i64,
    ts_ms: TsMs,
    signals: Signals<'a>,
}

/// A message's readings as a JSON object of signal name → value, written
/// straight from the readings sorted by signal and event time: the latest
/// reading of a signal wins.
struct Signals<'a>(&'a [&'a Reading]);

impl Serialize for Signals<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (i, r) in self.0.iter().enumerate() {
            if self.0.get(i + 1).is_some_and(|next| next.signal == r.signal) {
                continue;
            }
            map.serialize_entry(&r.signal.to_string(), &r.value.get())?;
        }
        map.end()
    }
}

/// The payload of `alert.withdrawn`: the alert as last known, now
/// withdrawn, and the alert that supersedes it, if any.
#[derive(Serialize)]
struct Withdrawn<'a> {
    #[serde(flatten)]
    alert: Alert,
    superseded_by: Option<&'a str>,
}

/// Every event `batch` implies, in a fixed order: telemetry, health,
/// transitions, decisions, alerts, appointments.
pub fn events_for(batch: &ResultBatch) -> Vec<Event> {
    let mut out = Vec::new();
    telemetry(batch, &mut out);
    health(batch, &mut out);
    transitions(batch, &mut out);
    decisions(batch, &mut out);
    alerts(batch, &mut out);
    appointments(batch, &mut out);
    out
}

/// One `vehicle.telemetry.received` per accepted message (its readings grouped
/// by vehicle and log position), in vehicle order.
fn telemetry(batch: &ResultBatch, out: &mut Vec<Event>) {
    // A log position is one message of one vehicle. The batch is sorted by
    // vehicle and event time, so this stable sort is nearly one pass.
    let mut readings: Vec<&Reading> = batch.readings.iter().collect();
    readings.sort_by(|a, b| message_order(a).cmp(&message_order(b)));
    for message in readings.chunk_by(|a, b| (a.pos, &a.fleet_id, &a.vehicle_id) == (b.pos, &b.fleet_id, &b.vehicle_id))
    {
        let Some(first) = message.first() else { continue };
        let ts_ms = message.iter().map(|r| r.ts_ms).min().unwrap_or_default();
        let LogPos { partition, offset } = first.pos;
        let payload = Payload::of(&Received { partition, offset, ts_ms, signals: Signals(message) });
        let (fleet, vehicle) = (&*first.fleet_id, &*first.vehicle_id);
        let key = format!("{fleet}/{vehicle}/{partition}/{offset}");
        out.push(Event::new(EventKind::TelemetryReceived, &key, ts_ms, fleet, vehicle, payload));
    }
}

/// How telemetry events order readings: by vehicle, log position (message),
/// signal and event time.
fn message_order(r: &Reading) -> (&str, &str, LogPos, Signal, TsMs) {
    (&r.fleet_id, &r.vehicle_id, r.pos, r.signal, r.ts_ms)
}

/// One `vehicle.health.computed` per inserted health row.
fn health(batch: &ResultBatch, out: &mut Vec<Event>) {
    for row in changes::health(&batch.health).upserts {
        let payload = Payload::of(row);
        out.push(Event::of_content(EventKind::HealthComputed, row.ts_ms, &row.fleet_id, &row.vehicle_id, payload));
    }
}

/// `vehicle.health.changed` per inserted transition from a known band;
/// `component.degraded` / `component.critical` per inserted transition into that band.
fn transitions(batch: &ResultBatch, out: &mut Vec<Event>) {
    let inserted = changes::by_key(&batch.transitions, |t| t).upserts;
    for t in inserted {
        let payload = Payload::of(t);
        let mut kinds = Vec::new();
        if t.from.is_some() {
            kinds.push(EventKind::HealthChanged);
        }
        match t.to {
            Band::Degraded => kinds.push(EventKind::ComponentDegraded),
            Band::Critical => kinds.push(EventKind::ComponentCritical),
            Band::Healthy | Band::Watch => {}
        }
        for kind in kinds {
            out.push(Event::of_content(kind, t.ts_ms, &t.fleet_id, &t.vehicle_id, payload.clone()));
        }
    }
}

/// `agent.decision.made` per inserted decision, plus `agent.escalation` when it escalates.
fn decisions(batch: &ResultBatch, out: &mut Vec<Event>) {
    for d in changes::decisions(&batch.decisions).upserts {
        let payload = Payload::of(d);
        out.push(Event::new(
            EventKind::DecisionMade,
            &d.decision_id,
            d.ts_ms,
            &d.fleet_id,
            &d.vehicle_id,
            payload.clone(),
        ));
        if d.escalate {
            out.push(Event::new(
                EventKind::AgentEscalation,
                &d.decision_id,
                d.ts_ms,
                &d.fleet_id,
                &d.vehicle_id,
                payload,
            ));
        }
    }
}

/// `alert.created` per alert id inserted without a retraction of the same id;
/// `alert.withdrawn` per id only retracted, naming the alert of the same
/// vehicle and component inserted in the same batch that supersedes it, if any.
fn alerts(batch: &ResultBatch, out: &mut Vec<Event>) {
    let c = changes::alerts(&batch.alerts);
    let updated: Vec<&str> = c.updated.iter().map(|a| a.alert_id.as_str()).collect();
    for a in c.upserts.iter().filter(|a| !updated.contains(&a.alert_id.as_str())) {
        out.push(Event::new(
            EventKind::AlertCreated,
            &a.alert_id,
            a.opened_ms,
            &a.fleet_id,
            &a.vehicle_id,
            Payload::of(*a),
        ));
    }
    for gone in &c.retracted_only {
        let successor = c
            .upserts
            .iter()
            .filter(|a| a.fleet_id == gone.fleet_id && a.vehicle_id == gone.vehicle_id && a.component == gone.component)
            .max_by(|x, y| (x.opened_ms, &x.alert_id).cmp(&(y.opened_ms, &y.alert_id)));
        let alert = Alert { state: AlertState::Withdrawn, ..(*gone).clone() };
        let payload = Payload::of(&Withdrawn { alert, superseded_by: successor.map(|a| a.alert_id.as_str()) });
        out.push(Event::new(
            EventKind::AlertWithdrawn,
            &gone.alert_id,
            gone.last_ms,
            &gone.fleet_id,
            &gone.vehicle_id,
            payload,
        ));
    }
}

/// `appointment.scheduled` per appointment id inserted without a retraction of
/// the same id; `appointment.cancelled` per id only retracted.
fn appointments(batch: &ResultBatch, out: &mut Vec<Event>) {
    let c = changes::appointments(&batch.appointments);
    let updated: Vec<&str> = c.updated.iter().map(|a| a.appointment_id.as_str()).collect();
    for a in c.upserts.iter().filter(|a| !updated.contains(&a.appointment_id.as_str())) {
        out.push(Event::new(
            EventKind::AppointmentScheduled,
            &a.appointment_id,
            a.start_ms,
            &a.fleet_id,
            &a.vehicle_id,
            Payload::of(*a),
        ));
    }
    for a in &c.retracted_only {
        out.push(Event::new(
            EventKind::AppointmentCancelled,
            &a.appointment_id,
            a.start_ms,
            &a.fleet_id,
            &a.vehicle_id,
            Payload::of(*a),
        ));
    }
}

/// `alert.escalated` for each alert the store just escalated (event time: the escalation).
pub fn alert_escalated(records: &[AlertRecord]) -> Vec<Event> {
    records
        .iter()
        .filter_map(|r| {
            let at = r.escalated_ms?;
            let a = &r.alert;
            let key = format!("{}/{at}", a.alert_id);
            Some(Event::new(EventKind::AlertEscalated, &key, at, &a.fleet_id, &a.vehicle_id, Payload::of(r)))
        })
        .collect()
}

/// `alert.acknowledged` for an acknowledged alert (`None` when it is not acknowledged).
pub fn alert_acknowledged(record: &AlertRecord) -> Option<Event> {
    let at = record.acknowledged_ms?;
    let a = &record.alert;
    let key = format!("{}/{at}", a.alert_id);
    Some(Event::new(EventKind::AlertAcknowledged, &key, at, &a.fleet_id, &a.vehicle_id, Payload::of(record)))
}

/// `warranty.claim.validated` or `warranty.claim.rejected` for a decided
/// claim, keyed by the claim (`None` while it awaits review).
pub fn claim_decided(record: &ClaimRecord) -> Option<Event> {
    let at = record.decided_ms?;
    let kind = match record.status {
        ClaimStatus::Validated => EventKind::WarrantyClaimValidated,
        ClaimStatus::Rejected => EventKind::WarrantyClaimRejected,
        ClaimStatus::Submitted => return None,
    };
    let c = &record.claim;
    Some(Event::new(kind, &c.claim_id, at, &c.fleet_id, &c.vehicle_id, Payload::of(record)))
}

/// The JSON published on the dead-letter topic: the reason, where the record
/// sat in the log, and its key and payload bytes as base64.
pub fn dead_letter_json(d: &DeadLetter) -> Value {
    json!({
        "schema_version": SCHEMA_VERSION,
        "reason": d.reason.as_str(),
        "detail": d.detail,
        "item": d.item,
        "vehicle_id": d.vehicle_id,
        "ts_ms": d.ts_ms,
        "partition": d.record.pos.partition,
        "offset": d.record.pos.offset,
        "append_ms": d.record.append_ms,
        "key_base64": d.record.key.as_ref().map(|k| BASE64.encode(k)),
        "payload_base64": BASE64.encode(&d.record.payload),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemas::{
        Alert, AlertState, Appointment, Component, DeadLetterReason, Decision, HealthRow, LogPos, RawRecord, Reading,
        Severity, Signal, Transition, Value as V, Wheel,
    };

    fn id(kind: EventKind, key: &str) -> String {
        Event::new(kind, key, 0, "", "", Payload::of(&Value::Null)).event_id
    }

    /// An event with its payload parsed, to compare payloads as JSON values
    /// whatever their field order.
    fn parsed(e: &Event) -> (&str, &str, TsMs, &str, &str, Value) {
        (&e.event_type, &e.event_id, e.event_time_ms, &e.fleet_id, &e.vehicle_id, e.payload.value())
    }

    fn reading(vehicle: &str, offset: i64, signal: Signal, value: f64) -> Reading {
        Reading {
            fleet_id: "f1".into(),
            vehicle_id: vehicle.into(),
            ts_ms: 1_000 + offset,
            signal,
            value: V(value),
            pos: LogPos { partition: 0, offset },
        }
    }

    fn health_row(ts_ms: i64, score: f64) -> HealthRow {
        HealthRow {
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            component: Component::Brakes,
            ts_ms,
            score: V(score),
            band: Band::Degraded,
            rul_km: Some(V(1200.0)),
            rul_km_p10: None,
            rul_km_p90: None,
            rul_days: None,
            odometer_km: Some(V(50_000.0)),
            model_version: "m1".into(),
        }
    }

    fn transition(from: Option<Band>, to: Band) -> Transition {
        Transition {
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            component: Component::Cooling,
            ts_ms: 5_000,
            from,
            to,
            score: V(40.0),
        }
    }

    fn alert(alert_id: &str, component: Component, opened_ms: i64) -> Alert {
        Alert {
            alert_id: alert_id.into(),
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            component,
            severity: Severity::Warning,
            state: AlertState::Open,
            opened_ms,
            last_ms: opened_ms + 100,
            resolved_ms: None,
            min_score: V(45.0),
            rul_km: None,
            rul_days: Some(V(9.0)),
        }
    }

    fn decision(decision_id: &str, escalate: bool) -> Decision {
        Decision {
            decision_id: decision_id.into(),
            alert_id: "a1".into(),
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            component: Component::Brakes,
            worker: "brake_worker".into(),
            action: "replace_brake_pads".into(),
            recommendation: "Replace the pads.".into(),
            reasoning: "Pad wear 85%.".into(),
            priority: 2,
            escalate,
            ts_ms: 7_000,
        }
    }

    fn appointment(appointment_id: &str, start_ms: i64) -> Appointment {
        Appointment {
            appointment_id: appointment_id.into(),
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            depot: "d1".into(),
            technician_id: "t1".into(),
            bay_id: "b1".into(),
            start_ms,
            end_ms: start_ms + 3_600_000,
            components: vec![Component::Brakes],
            alert_ids: vec!["a1".into()],
            deadline_ms: start_ms + 86_400_000,
        }
    }

    fn kinds(events: &[Event]) -> Vec<&str> {
        events.iter().map(|e| e.event_type.as_str()).collect()
    }

    #[test]
    fn an_empty_batch_means_no_events() {
        assert_eq!(events_for(&ResultBatch::default()), vec![]);
    }

    #[test]
    fn telemetry_received_once_per_message() {
        let batch = ResultBatch {
            readings: vec![
                reading("v1", 7, Signal::CoolantTemp, 90.5),
                reading("v1", 7, Signal::PadWear(Wheel::FrontLeft), 30.0),
                reading("v2", 3, Signal::VehicleSpeed, 50.0),
            ],
            ..ResultBatch::default()
        };
        let events = events_for(&batch);
        let expected = [
            Event::new(
                EventKind::TelemetryReceived,
                "f1/v1/0/7",
                1_007,
                "f1",
                "v1",
                Payload::of(&json!({
                    "partition": 0, "offset": 7, "ts_ms": 1_007,
                    "signals": {
                        "Vehicle.Chassis.Axle.Row1.Wheel.Left.Brake.PadWear": 30.0,
                        "Vehicle.Powertrain.CombustionEngine.ECT": 90.5,
                    }
                })),
            ),
            Event::new(
                EventKind::TelemetryReceived,
                "f1/v2/0/3",
                1_003,
                "f1",
                "v2",
                Payload::of(&json!({"partition": 0, "offset": 3, "ts_ms": 1_003, "signals": {"Vehicle.Speed": 50.0}})),
            ),
        ];
        assert_eq!(events.iter().map(parsed).collect::<Vec<_>>(), expected.iter().map(parsed).collect::<Vec<_>>());
        assert_eq!(
            events[1].payload.json(),
            r#"{"partition":0,"offset":3,"ts_ms":1003,"signals":{"Vehicle.Speed":50.0}}"#,
            "the message's fields in a fixed order"
        );
        assert_eq!(events[0].event_id, id(EventKind::TelemetryReceived, "f1/v1/0/7"));
    }

    #[test]
    fn health_computed_per_inserted_row_with_content_ids() {
        let old = health_row(2_000, 50.0);
        let new = health_row(2_000, 48.0);
        let batch = ResultBatch {
            health: vec![(old.clone(), -1), (new.clone(), 1), (health_row(3_000, 47.0), -1)],
            ..ResultBatch::default()
        };
        let events = events_for(&batch);
        let payload = Payload::of(&new);
        assert_eq!(
            events,
            vec![Event::new(EventKind::HealthComputed, payload.json(), 2_000, "f1", "v1", payload.clone())]
        );
        let replay = events_for(&batch);
        assert_eq!(replay[0].event_id, events[0].event_id);
        let original = events_for(&ResultBatch { health: vec![(old, 1)], ..ResultBatch::default() });
        assert_ne!(original[0].event_id, events[0].event_id);
        assert_eq!(payload.value()["band"], json!("degraded"));
        assert_eq!(payload.value()["rul_days"], Value::Null);
    }

    #[test]
    fn transitions_map_to_changed_degraded_and_critical() {
        let batch = ResultBatch {
            transitions: vec![
                (transition(None, Band::Healthy), 1),
                (transition(Some(Band::Healthy), Band::Watch), 1),
                (transition(Some(Band::Watch), Band::Degraded), 1),
                (transition(None, Band::Critical), 1),
                (transition(Some(Band::Degraded), Band::Critical), -1),
            ],
            ..ResultBatch::default()
        };
        let events = events_for(&batch);
        // inserted transitions in Ord order: from None first, then by from band
        assert_eq!(
            kinds(&events),
            vec!["component.critical", "vehicle.health.changed", "vehicle.health.changed", "component.degraded",]
        );
        let t = transition(Some(Band::Watch), Band::Degraded);
        let payload = Payload::of(&t);
        assert_eq!(
            events[3],
            Event::new(EventKind::ComponentDegraded, payload.json(), 5_000, "f1", "v1", payload.clone())
        );
        assert_eq!(events[2], Event::new(EventKind::HealthChanged, payload.json(), 5_000, "f1", "v1", payload.clone()));
        assert_eq!(events[0].payload.value()["from"], Value::Null);
        assert_eq!(events[0].payload.value()["to"], json!("critical"));
    }

    #[test]
    fn decisions_made_and_escalated() {
        let batch = ResultBatch {
            decisions: vec![(decision("d1", false), 1), (decision("d2", true), 1), (decision("d0", true), -1)],
            ..ResultBatch::default()
        };
        let events = events_for(&batch);
        let p1 = Payload::of(&decision("d1", false));
        let p2 = Payload::of(&decision("d2", true));
        assert_eq!(
            events,
            vec![
                Event::new(EventKind::DecisionMade, "d1", 7_000, "f1", "v1", p1),
                Event::new(EventKind::DecisionMade, "d2", 7_000, "f1", "v1", p2.clone()),
                Event::new(EventKind::AgentEscalation, "d2", 7_000, "f1", "v1", p2),
            ]
        );
    }

    #[test]
    fn alerts_created_updated_and_withdrawn() {
        let created = alert("a-new", Component::Brakes, 9_000);
        let before = alert("a-upd", Component::Engine, 1_000);
        let mut after = before.clone();
        after.severity = Severity::Critical;
        let gone = alert("a-old", Component::Brakes, 4_000);
        let lonely = alert("a-lonely", Component::Tires, 2_000);
        let batch = ResultBatch {
            alerts: vec![(created.clone(), 1), (before, -1), (after, 1), (gone.clone(), -1), (lonely.clone(), -1)],
            ..ResultBatch::default()
        };
        let events = events_for(&batch);
        let mut withdrawn_lonely = serde_json::to_value(&lonely).unwrap_or_default();
        withdrawn_lonely["state"] = json!("withdrawn");
        withdrawn_lonely["superseded_by"] = Value::Null;
        let mut withdrawn_old = serde_json::to_value(&gone).unwrap_or_default();
        withdrawn_old["state"] = json!("withdrawn");
        withdrawn_old["superseded_by"] = json!("a-new");
        let expected = [
            Event::new(EventKind::AlertCreated, "a-new", 9_000, "f1", "v1", Payload::of(&created)),
            Event::new(EventKind::AlertWithdrawn, "a-lonely", 2_100, "f1", "v1", Payload::of(&withdrawn_lonely)),
            Event::new(EventKind::AlertWithdrawn, "a-old", 4_100, "f1", "v1", Payload::of(&withdrawn_old)),
        ];
        assert_eq!(events.iter().map(parsed).collect::<Vec<_>>(), expected.iter().map(parsed).collect::<Vec<_>>());
    }

    #[test]
    fn appointments_scheduled_and_cancelled_but_not_rescheduled() {
        let new = appointment("p-new", 10_000);
        let moved_before = appointment("p-moved", 20_000);
        let moved_after = appointment("p-moved", 30_000);
        let gone = appointment("p-gone", 40_000);
        let batch = ResultBatch {
            appointments: vec![(new.clone(), 1), (moved_before, -1), (moved_after, 1), (gone.clone(), -1)],
            ..ResultBatch::default()
        };
        assert_eq!(
            events_for(&batch),
            vec![
                Event::new(EventKind::AppointmentScheduled, "p-new", 10_000, "f1", "v1", Payload::of(&new)),
                Event::new(EventKind::AppointmentCancelled, "p-gone", 40_000, "f1", "v1", Payload::of(&gone)),
            ]
        );
    }

    #[test]
    fn batch_order_is_fixed_and_store_only_fields_are_ignored() {
        let raw =
            RawRecord { pos: LogPos { partition: 1, offset: 2 }, append_ms: 3, key: None, payload: b"x".to_vec() };
        let batch = ResultBatch {
            appointments: vec![(appointment("p", 1), 1)],
            alerts: vec![(alert("a", Component::Battery, 1), 1)],
            decisions: vec![(decision("d", false), 1)],
            transitions: vec![(transition(Some(Band::Watch), Band::Critical), 1)],
            health: vec![(health_row(1, 1.0), 1)],
            readings: vec![reading("v1", 1, Signal::Odometer, 1.0)],
            raw: vec![raw.clone()],
            dead_letters: vec![DeadLetter::whole(raw, DeadLetterReason::Malformed, "bad")],
            vehicles_seen: vec![("f1".into(), "v1".into())],
        };
        assert_eq!(
            kinds(&events_for(&batch)),
            vec![
                "vehicle.telemetry.received",
                "vehicle.health.computed",
                "vehicle.health.changed",
                "component.critical",
                "agent.decision.made",
                "alert.created",
                "appointment.scheduled",
            ]
        );
    }

    #[test]
    fn acknowledged_and_escalated_events() {
        let record = AlertRecord {
            alert: alert("a1", Component::Brakes, 1_000),
            acknowledged_by: Some("ana".into()),
            acknowledged_ms: Some(5_000),
            note: None,
            escalated_ms: Some(4_000),
        };
        let ack = alert_acknowledged(&record);
        assert_eq!(ack.as_ref().map(|e| (e.event_type.as_str(), e.event_time_ms)), Some(("alert.acknowledged", 5_000)));
        assert_eq!(ack.map(|e| e.event_id), Some(id(EventKind::AlertAcknowledged, "a1/5000")));
        let unescalated = AlertRecord { escalated_ms: None, ..record.clone() };
        let esc = alert_escalated(&[record, unescalated]);
        assert_eq!(esc.len(), 1);
        assert_eq!(esc[0].event_id, id(EventKind::AlertEscalated, "a1/4000"));
        assert_eq!(esc[0].payload.value()["acknowledged_by"], json!("ana"));
    }

    #[test]
    fn decided_claims_become_validated_or_rejected_events() {
        let claim = schemas::Claim {
            claim_id: "clm-1".into(),
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            component: Component::Battery,
            failed_ms: 1_000,
            odometer_km: 42_000.0,
            description: "no crank".into(),
            alert_id: None,
            submitted_by: "ann".into(),
            submitted_ms: 2_000,
        };
        let record = ClaimRecord {
            claim,
            status: ClaimStatus::Validated,
            reason: "validated".into(),
            checks: vec![],
            decided_ms: Some(3_000),
        };
        let event = claim_decided(&record).expect("decided");
        assert_eq!(
            (event.event_type.as_str(), event.event_time_ms, event.event_id.as_str()),
            ("warranty.claim.validated", 3_000, id(EventKind::WarrantyClaimValidated, "clm-1").as_str())
        );
        assert_eq!(event.payload.value()["claim"]["odometer_km"], json!(42_000.0));
        let rejected = ClaimRecord { status: ClaimStatus::Rejected, ..record.clone() };
        assert_eq!(claim_decided(&rejected).map(|e| e.event_type), Some("warranty.claim.rejected".to_string()));
        let pending = ClaimRecord { status: ClaimStatus::Submitted, decided_ms: None, ..record };
        assert_eq!(claim_decided(&pending), None);
    }

    #[test]
    fn dead_letters_carry_bytes_as_base64() {
        let d = DeadLetter {
            record: RawRecord {
                pos: LogPos { partition: 2, offset: 40 },
                append_ms: 1_700,
                key: Some(b"v1".to_vec()),
                payload: vec![0xff, 0x00, b'{'],
            },
            reason: DeadLetterReason::BadObd,
            detail: "short response".into(),
            item: Some("obd[1]".into()),
            vehicle_id: Some("v1".into()),
            ts_ms: Some(1_650),
        };
        assert_eq!(
            dead_letter_json(&d),
            json!({
                "schema_version": 1, "reason": "bad_obd", "detail": "short response", "item": "obd[1]",
                "vehicle_id": "v1", "ts_ms": 1_650, "partition": 2, "offset": 40, "append_ms": 1_700,
                "key_base64": "djE=", "payload_base64": "/wB7",
            })
        );
    }
}
