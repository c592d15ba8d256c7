//! Where `POST /api/v1/telemetry` puts accepted messages: the raw telemetry
//! topic, keyed by vehicle id, so the pipeline consumes them exactly as it
//! consumes a device's own Kafka records.

use std::time::Duration;

use async_trait::async_trait;
use rdkafka::config::ClientConfig;
use rdkafka::error::KafkaError;
use rdkafka::producer::{FutureProducer, FutureRecord};
use serde::Deserialize;

/// Why telemetry could not be handed to Kafka.
#[derive(Debug, thiserror::Error)]
pub enum ProduceError {
    /// The client could not be created or the broker rejected or timed out a record.
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
    /// The producer was shut down before the delivery report arrived.
    #[error("kafka delivery cancelled")]
    Cancelled,
}

/// Something that appends telemetry records to the raw topic.
#[async_trait]
pub trait TelemetryProducer: Send + Sync {
    /// Appends one record and waits until the broker has it.
    async fn produce(&self, key: &str, payload: Vec<u8>) -> Result<(), ProduceError>;

    /// Appends records in order and waits until the broker has all of them.
    ///
    /// The default produces them one after another; an implementation may
    /// pipeline them as long as one key's records stay in order.
    async fn produce_all(&self, records: Vec<(String, Vec<u8>)>) -> Result<(), ProduceError> {
        for (key, payload) in records {
            self.produce(&key, payload).await?;
        }
        Ok(())
    }
}

/// Settings of the Kafka telemetry producer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaProducerConfig {
    /// Bootstrap servers, `host:port[,host:port…]`.
    pub brokers: String,
    /// The raw telemetry topic (`vehicle.telemetry.raw`).
    pub topic: String,
    /// How long librdkafka may try to deliver one record, ms.
    #[serde(default = "default_message_timeout_ms")]
    pub message_timeout_ms: u64,
}

fn default_message_timeout_ms() -> u64 {
    10_000
}

impl KafkaProducerConfig {
    /// A config for `brokers` and `topic` with the default delivery timeout.
    pub fn new(brokers: impl Into<String>, topic: impl Into<String>) -> Self {
        KafkaProducerConfig {
            brokers: brokers.into(),
            topic: topic.into(),
            message_timeout_ms: default_message_timeout_ms(),
        }
    }
}

/// Produces telemetry to Kafka with `acks=all` and idempotence, so a record
/// is acknowledged only once every in-sync replica has it, and retries never
/// reorder or duplicate one vehicle's records.
pub struct KafkaTelemetryProducer {
    producer: FutureProducer,
    topic: String,
}

impl KafkaTelemetryProducer {
    /// Creates the producer (no connection is made until the first record).
    pub fn new(config: &KafkaProducerConfig) -> Result<Self, ProduceError> {
        let producer: FutureProducer = ClientConfig::new()
            .set("bootstrap.servers", &config.brokers)
            .set("acks", "all")
            .set("enable.idempotence", "true")
            .set("message.timeout.ms", config.message_timeout_ms.to_string())
            .set("linger.ms", "5")
            .create()?;
        Ok(KafkaTelemetryProducer { producer, topic: config.topic.clone() })
    }

    fn enqueue(&self, key: &str, payload: &[u8]) -> Result<rdkafka::producer::DeliveryFuture, ProduceError> {
        self.producer
            .send_result(FutureRecord::to(&self.topic).key(key).payload(payload))
            .map_err(|(e, _record)| ProduceError::Kafka(e))
    }
}

async fn delivered(future: rdkafka::producer::DeliveryFuture) -> Result<(), ProduceError> {
    match future.await {
        Ok(Ok(_delivery)) => Ok(()),
        Ok(Err((e, _message))) => Err(ProduceError::Kafka(e)),
        Err(_cancelled) => Err(ProduceError::Cancelled),
    }
}

#[async_trait]
impl TelemetryProducer for KafkaTelemetryProducer {
    async fn produce(&self, key: &str, payload: Vec<u8>) -> Result<(), ProduceError> {
        let future = self.enqueue(key, &payload)?;
        delivered(future).await
    }

    /// Enqueues every record first (in order), then awaits the delivery reports.
    async fn produce_all(&self, records: Vec<(String, Vec<u8>)>) -> Result<(), ProduceError> {
        let mut pending = Vec::with_capacity(records.len());
        for (key, payload) in &records {
            pending.push(self.enqueue(key, payload)?);
        }
        for future in pending {
            delivered(future).await?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for KafkaTelemetryProducer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KafkaTelemetryProducer").field("topic", &self.topic).finish_non_exhaustive()
    }
}

/// How long a shutdown waits for queued records, at most.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);

impl Drop for KafkaTelemetryProducer {
    fn drop(&mut self) {
        use rdkafka::producer::Producer;
        if let Err(e) = self.producer.flush(FLUSH_TIMEOUT) {
            tracing::warn!(error = %e, "telemetry producer not flushed at shutdown");
        }
    }
}
