//! Events published on the Kafka event topics (the seed's event names).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::TsMs;

/// Version of the event envelope and payload layout.
pub const SCHEMA_VERSION: u32 = 1;

/// Every event kind; the topic name is the kind's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// `vehicle.telemetry.received`: a message was accepted.
    TelemetryReceived,
    /// `vehicle.health.computed`: a component health row was computed.
    HealthComputed,
    /// `vehicle.health.changed`: a component moved to another band.
    HealthChanged,
    /// `component.degraded`: a component entered the degraded band.
    ComponentDegraded,
    /// `component.critical`: a component entered the critical band.
    ComponentCritical,
    /// `agent.decision.made`: a worker decided what to do about an alert.
    DecisionMade,
    /// `agent.escalation`: a worker escalated to a person.
    AgentEscalation,
    /// `alert.created`: an alert was opened.
    AlertCreated,
    /// `alert.acknowledged`: a person acknowledged an alert.
    AlertAcknowledged,
    /// `alert.escalated`: an alert stayed unacknowledged too long.
    AlertEscalated,
    /// `alert.withdrawn`: corrected data retracted an alert's condition.
    AlertWithdrawn,
    /// `appointment.scheduled`: the planner booked a slot.
    AppointmentScheduled,
    /// `appointment.cancelled`: a planned slot no longer holds.
    AppointmentCancelled,
    /// `warranty.claim.validated`
    WarrantyClaimValidated,
    /// `warranty.claim.rejected`
    WarrantyClaimRejected,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 15] = [
        EventKind::TelemetryReceived,
        EventKind::HealthComputed,
        EventKind::HealthChanged,
        EventKind::ComponentDegraded,
        EventKind::ComponentCritical,
        EventKind::DecisionMade,
        EventKind::AgentEscalation,
        EventKind::AlertCreated,
        EventKind::AlertAcknowledged,
        EventKind::AlertEscalated,
        EventKind::AlertWithdrawn,
        EventKind::AppointmentScheduled,
        EventKind::AppointmentCancelled,
        EventKind::WarrantyClaimValidated,
        EventKind::WarrantyClaimRejected,
    ];

    /// The event's name, which is also its Kafka topic.
    pub fn topic(self) -> &'static str {
        match self {
            EventKind::TelemetryReceived => "vehicle.telemetry.received",
            EventKind::HealthComputed => "vehicle.health.computed",
            EventKind::HealthChanged => "vehicle.health.changed",
            EventKind::ComponentDegraded => "component.degraded",
            EventKind::ComponentCritical => "component.critical",
            EventKind::DecisionMade => "agent.decision.made",
            EventKind::AgentEscalation => "agent.escalation",
            EventKind::AlertCreated => "alert.created",
            EventKind::AlertAcknowledged => "alert.acknowledged",
            EventKind::AlertEscalated => "alert.escalated",
            EventKind::AlertWithdrawn => "alert.withdrawn",
            EventKind::AppointmentScheduled => "appointment.scheduled",
            EventKind::AppointmentCancelled => "appointment.cancelled",
            EventKind::WarrantyClaimValidated => "warranty.claim.validated",
            EventKind::WarrantyClaimRejected => "warranty.claim.rejected",
        }
    }
}

/// One published event: an envelope around a JSON payload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Envelope layout version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Deterministic id, so a replay produces the same id and consumers dedupe.
    pub event_id: String,
    /// The event name (= topic).
    pub event_type: String,
    /// Event time of what the event is about, ms.
    pub event_time_ms: TsMs,
    /// The fleet.
    pub fleet_id: String,
    /// The vehicle (the Kafka key of the event).
    pub vehicle_id: String,
    /// Kind-specific content.
    pub payload: Payload,
}

/// An event's kind-specific content, kept as the JSON text it is published
/// as: built straight from the typed value, so publishing an event
/// serializes its content once, and a content-derived id hashes that same text.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Payload(Box<RawValue>);

impl Payload {
    /// The JSON of `value`. The shared types serialize infallibly (no
    /// non-string map keys), so the `null` fallback is never taken.
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Payload {
        Payload(serde_json::value::to_raw_value(value).unwrap_or_else(|_| RawValue::NULL.to_owned()))
    }

    /// The JSON text.
    pub fn json(&self) -> &str {
        self.0.get()
    }

    /// The content parsed into a JSON value, for readers that pick fields out.
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(self.json()).unwrap_or(serde_json::Value::Null)
    }
}

/// Two payloads are equal when their JSON text is.
impl PartialEq for Payload {
    fn eq(&self, other: &Payload) -> bool {
        self.json() == other.json()
    }
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.json())
    }
}

impl Event {
    /// Builds an event whose id is derived from its kind and its content, for
    /// events about a row (a corrected row is a new event, a replayed one the same).
    pub fn of_content(
        kind: EventKind,
        event_time_ms: TsMs,
        fleet_id: &str,
        vehicle_id: &str,
        payload: Payload,
    ) -> Event {
        let id = stable_id(&[kind.topic(), payload.json()]);
        Event::with_id(id, kind, event_time_ms, fleet_id, vehicle_id, payload)
    }

    /// Builds an event whose id is derived from its kind and `natural_key`.
    pub fn new(
        kind: EventKind,
        natural_key: &str,
        event_time_ms: TsMs,
        fleet_id: &str,
        vehicle_id: &str,
        payload: Payload,
    ) -> Event {
        Event::with_id(stable_id(&[kind.topic(), natural_key]), kind, event_time_ms, fleet_id, vehicle_id, payload)
    }

    fn with_id(
        event_id: String,
        kind: EventKind,
        event_time_ms: TsMs,
        fleet_id: &str,
        vehicle_id: &str,
        payload: Payload,
    ) -> Event {
        Event {
            schema_version: SCHEMA_VERSION,
            event_id,
            event_type: kind.topic().to_string(),
            event_time_ms,
            fleet_id: fleet_id.to_string(),
            vehicle_id: vehicle_id.to_string(),
            payload,
        }
    }
}

/// A deterministic 128-bit hex id from the given parts (SHA-256, truncated).
///
/// Parts are length-prefixed, so `["ab", "c"]` and `["a", "bc"]` differ.
pub fn stable_id(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(&hasher.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_ids_are_deterministic_and_part_aware() {
        assert_eq!(stable_id(&["a", "b"]), stable_id(&["a", "b"]));
        assert_ne!(stable_id(&["ab", "c"]), stable_id(&["a", "bc"]));
        assert_eq!(stable_id(&["x"]).len(), 32);
    }

    #[test]
    fn event_ids_differ_by_kind() {
        let a = Event::new(EventKind::AlertCreated, "k", 1, "f", "v", Payload::of(&serde_json::json!({})));
        let b = Event::new(EventKind::AlertWithdrawn, "k", 1, "f", "v", Payload::of(&serde_json::json!({})));
        assert_ne!(a.event_id, b.event_id);
        assert_eq!(a.event_type, "alert.created");
    }

    #[test]
    fn content_ids_hash_the_payload_text_and_the_envelope_embeds_it_verbatim() {
        let payload = Payload::of(&serde_json::json!({"score": 41.5, "band": "degraded"}));
        assert_eq!(payload.json(), r#"{"band":"degraded","score":41.5}"#);
        let event = Event::of_content(EventKind::HealthComputed, 7, "f", "v", payload.clone());
        assert_eq!(event.event_id, stable_id(&["vehicle.health.computed", r#"{"band":"degraded","score":41.5}"#]));
        assert_eq!(event, Event::new(EventKind::HealthComputed, payload.json(), 7, "f", "v", payload.clone()));
        let text = serde_json::to_string(&event).unwrap_or_default();
        assert!(text.ends_with(r#""payload":{"band":"degraded","score":41.5}}"#), "{text}");
        let back: Event = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(back, event);
        assert_eq!(back.payload.value()["score"], serde_json::json!(41.5));
    }
}
