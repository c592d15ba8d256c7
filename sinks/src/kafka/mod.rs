//! Kafka event topics: the seed's event names (`alert.created`,
//! `vehicle.health.computed`, …) derived from each batch, plus the
//! dead-letter topic `vehicle.telemetry.dlq`.
//!
//! [`events_for`] is pure (which events a batch means); [`EventPublisher`]
//! sends them with an idempotent producer and waits for every delivery report.

mod config;
mod events;
mod sink;

pub use config::KafkaConfig;
pub use events::{alert_acknowledged, alert_escalated, claim_decided, dead_letter_json, events_for};
pub use sink::{EventPublisher, KafkaSinkError};
