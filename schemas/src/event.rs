//! Events published on the Kafka event topics (the seed's event names).

use serde::{Deserialize, Serialize};
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
    pub payload: serde_json::Value,
}

impl Event {
    /// Builds an event whose id is derived from its kind and `natural_key`.
    pub fn new(
        kind: EventKind,
        natural_key: &str,
        event_time_ms: TsMs,
        fleet_id: &str,
        vehicle_id: &str,
        payload: serde_json::Value,
    ) -> Event {
        Event {
            schema_version: SCHEMA_VERSION,
            event_id: stable_id(&[kind.topic(), natural_key]),
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
        let a = Event::new(EventKind::AlertCreated, "k", 1, "f", "v", serde_json::json!({}));
        let b = Event::new(EventKind::AlertWithdrawn, "k", 1, "f", "v", serde_json::json!({}));
        assert_ne!(a.event_id, b.event_id);
        assert_eq!(a.event_type, "alert.created");
    }
}
