//! Configuration of the Kafka event publisher.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Where events are published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaConfig {
    /// `bootstrap.servers`: comma-separated `host:port` list.
    pub brokers: String,
    /// Prepended to every topic name (e.g. `staging.`); empty for the plain seed names.
    #[serde(default)]
    pub topic_prefix: String,
    /// The dead-letter topic (before the prefix).
    #[serde(default = "default_dlq_topic")]
    pub dlq_topic: String,
    /// `message.timeout.ms`: how long a record may wait for delivery before it fails.
    #[serde(default = "default_message_timeout_ms")]
    pub message_timeout_ms: u64,
    /// Milliseconds the healthcheck waits for cluster metadata.
    #[serde(default = "default_healthcheck_timeout_ms")]
    pub healthcheck_timeout_ms: u64,
    /// Extra librdkafka producer properties (e.g. `security.protocol`).
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

fn default_dlq_topic() -> String {
    "vehicle.telemetry.dlq".to_string()
}

fn default_message_timeout_ms() -> u64 {
    30_000
}

fn default_healthcheck_timeout_ms() -> u64 {
    5_000
}

impl KafkaConfig {
    /// A configuration for `brokers` with the defaults.
    pub fn new(brokers: impl Into<String>) -> Self {
        KafkaConfig {
            brokers: brokers.into(),
            topic_prefix: String::new(),
            dlq_topic: default_dlq_topic(),
            message_timeout_ms: default_message_timeout_ms(),
            healthcheck_timeout_ms: default_healthcheck_timeout_ms(),
            properties: BTreeMap::new(),
        }
    }
}
