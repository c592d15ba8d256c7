//! [`EventPublisher`]: sends events and dead letters with an idempotent
//! producer, keyed by vehicle, and waits for every delivery report.

use std::time::Duration;

use rdkafka::ClientConfig;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord, Producer};
use thiserror::Error;

use schemas::{DeadLetter, Event, EventKind};

use super::config::KafkaConfig;
use super::events::dead_letter_json;

/// A failure to publish.
#[derive(Debug, Error)]
pub enum KafkaSinkError {
    /// The producer could not be created or refused a record.
    #[error("kafka producer error")]
    Client(#[from] KafkaError),
    /// The broker did not acknowledge a record.
    #[error("delivery to {topic} failed")]
    Delivery {
        /// The topic.
        topic: String,
        /// The cause.
        #[source]
        source: KafkaError,
    },
    /// The producer dropped a record's delivery report (it was shut down).
    #[error("delivery report for {topic} was dropped")]
    Canceled {
        /// The topic.
        topic: String,
    },
    /// An event could not be serialized.
    #[error("event could not be encoded")]
    Encode(#[from] serde_json::Error),
    /// The metadata request of the healthcheck did not finish.
    #[error("kafka healthcheck task failed")]
    Healthcheck(#[from] tokio::task::JoinError),
}

/// Publishes events and dead letters to Kafka.
#[derive(Clone)]
pub struct EventPublisher {
    producer: FutureProducer,
    config: KafkaConfig,
}

struct Outgoing {
    topic: String,
    key: Option<String>,
    payload: Vec<u8>,
}

impl EventPublisher {
    /// Creates the idempotent producer (connections open in the background).
    pub fn new(config: KafkaConfig) -> Result<EventPublisher, KafkaSinkError> {
        let mut client = ClientConfig::new();
        client
            .set("bootstrap.servers", &config.brokers)
            .set("enable.idempotence", "true")
            .set("acks", "all")
            .set("message.timeout.ms", config.message_timeout_ms.to_string())
            .set("linger.ms", "5");
        for (key, value) in &config.properties {
            client.set(key, value);
        }
        let producer: FutureProducer = client.create()?;
        Ok(EventPublisher { producer, config })
    }

    /// The topic an event name is published to (with the configured prefix).
    pub fn topic(&self, name: &str) -> String {
        format!("{}{}", self.config.topic_prefix, name)
    }

    /// Every topic this publisher writes to: one per event kind, and the
    /// dead-letter topic.
    pub fn topics(&self) -> Vec<String> {
        EventKind::ALL
            .iter()
            .map(|kind| self.topic(kind.topic()))
            .chain(std::iter::once(self.topic(&self.config.dlq_topic)))
            .collect()
    }

    /// Sends each event to its topic keyed by vehicle id; returns once every
    /// record is acknowledged.
    pub async fn publish(&self, events: &[Event]) -> Result<(), KafkaSinkError> {
        let outgoing = events
            .iter()
            .map(|e| {
                Ok(Outgoing {
                    topic: self.topic(&e.event_type),
                    key: Some(e.vehicle_id.clone()),
                    payload: serde_json::to_vec(e)?,
                })
            })
            .collect::<Result<Vec<_>, KafkaSinkError>>()?;
        self.send_all(outgoing).await
    }

    /// Sends dead letters to the dead-letter topic as JSON (keyed by vehicle
    /// id when known, else by the original record key).
    pub async fn publish_dead_letters(&self, dead_letters: &[DeadLetter]) -> Result<(), KafkaSinkError> {
        let topic = self.topic(&self.config.dlq_topic);
        let outgoing = dead_letters
            .iter()
            .map(|d| {
                let key = d
                    .vehicle_id
                    .clone()
                    .or_else(|| d.record.key.as_ref().map(|k| String::from_utf8_lossy(k).into_owned()));
                Ok(Outgoing { topic: topic.clone(), key, payload: serde_json::to_vec(&dead_letter_json(d))? })
            })
            .collect::<Result<Vec<_>, KafkaSinkError>>()?;
        self.send_all(outgoing).await
    }

    /// Publishes everything a batch implies: its events (from [`events_for`],
    /// built once by the caller, who may hand them to other channels too) and
    /// its dead letters. Returns how many records were sent.
    ///
    /// [`events_for`]: super::events_for
    pub async fn publish_batch(&self, events: &[Event], dead_letters: &[DeadLetter]) -> Result<usize, KafkaSinkError> {
        self.publish(events).await?;
        self.publish_dead_letters(dead_letters).await?;
        Ok(events.len() + dead_letters.len())
    }

    /// Checks the cluster answers a metadata request.
    pub async fn healthcheck(&self) -> Result<(), KafkaSinkError> {
        let producer = self.producer.clone();
        let timeout = Duration::from_millis(self.config.healthcheck_timeout_ms);
        tokio::task::spawn_blocking(move || producer.client().fetch_metadata(None, timeout).map(|_| ())).await??;
        Ok(())
    }

    /// Enqueues every record (waiting out a full local queue), then awaits all delivery reports.
    async fn send_all(&self, outgoing: Vec<Outgoing>) -> Result<(), KafkaSinkError> {
        let mut pending: Vec<(String, DeliveryFuture)> = Vec::with_capacity(outgoing.len());
        for out in &outgoing {
            loop {
                let mut record = FutureRecord::to(&out.topic).payload(&out.payload);
                if let Some(key) = &out.key {
                    record = record.key(key);
                }
                match self.producer.send_result(record) {
                    Ok(delivery) => {
                        pending.push((out.topic.clone(), delivery));
                        break;
                    }
                    Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                        // make room by waiting for our own records; if none are
                        // in flight, the queue drains on the producer's thread
                        let ours_in_flight = !pending.is_empty();
                        await_all(std::mem::take(&mut pending)).await?;
                        if !ours_in_flight {
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    }
                    Err((e, _)) => return Err(KafkaSinkError::Client(e)),
                }
            }
        }
        await_all(pending).await
    }
}

async fn await_all(pending: Vec<(String, DeliveryFuture)>) -> Result<(), KafkaSinkError> {
    for (topic, delivery) in pending {
        match delivery.await {
            Ok(Ok(_)) => {}
            Ok(Err((source, _))) => return Err(KafkaSinkError::Delivery { topic, source }),
            Err(_) => return Err(KafkaSinkError::Canceled { topic }),
        }
    }
    Ok(())
}
