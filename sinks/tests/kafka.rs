//! The event publisher against librdkafka's in-process mock cluster: publish,
//! consume back, compare the exact JSON.

use std::time::Duration;

use rdkafka::ClientConfig;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::Message;
use rdkafka::mocking::MockCluster;
use rdkafka::{Offset, TopicPartitionList};

use schemas::{
    Alert, AlertState, Band, Component, DeadLetter, DeadLetterReason, Event, EventKind, LogPos, RawRecord, Severity,
    Signal, Transition, Value,
};
use sinks::ResultBatch;
use sinks::kafka::{EventPublisher, KafkaConfig, dead_letter_json, events_for};

type R = Result<(), Box<dyn std::error::Error>>;

const DLQ: &str = "vehicle.telemetry.dlq";

fn cluster(
    prefix: &str,
) -> Result<MockCluster<'static, rdkafka::producer::DefaultProducerContext>, Box<dyn std::error::Error>> {
    let cluster = MockCluster::new(1)?;
    for kind in EventKind::ALL {
        cluster.create_topic(&format!("{prefix}{}", kind.topic()), 1, 1)?;
    }
    cluster.create_topic(&format!("{prefix}{DLQ}"), 1, 1)?;
    Ok(cluster)
}

/// A record as read back: `(topic, key, payload)`.
type Record = (String, Option<String>, Vec<u8>);

/// Reads `count` records from partition 0 of `topics` as `(topic, key, payload)`, sorted.
async fn consume(brokers: &str, topics: &[String], count: usize) -> Result<Vec<Record>, Box<dyn std::error::Error>> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", format!("test-{:016x}", rand::random::<u64>()))
        .set("session.timeout.ms", "6000")
        .set("enable.auto.commit", "false")
        .create()?;
    let mut assignment = TopicPartitionList::new();
    for topic in topics {
        assignment.add_partition_offset(topic, 0, Offset::Beginning)?;
    }
    consumer.assign(&assignment)?;
    let mut out = Vec::new();
    while out.len() < count {
        let message = tokio::time::timeout(Duration::from_secs(20), consumer.recv()).await??;
        out.push((
            message.topic().to_string(),
            message.key().map(|k| String::from_utf8_lossy(k).into_owned()),
            message.payload().unwrap_or_default().to_vec(),
        ));
    }
    out.sort();
    Ok(out)
}

fn alert(id: &str) -> Alert {
    Alert {
        alert_id: id.into(),
        fleet_id: "f1".into(),
        vehicle_id: "v1".into(),
        component: Component::Cooling,
        severity: Severity::Critical,
        state: AlertState::Open,
        opened_ms: 1_000,
        last_ms: 2_000,
        resolved_ms: None,
        min_score: Value(12.0),
        rul_km: None,
        rul_days: None,
    }
}

fn batch() -> ResultBatch {
    ResultBatch {
        readings: vec![schemas::Reading {
            fleet_id: "f1".into(),
            vehicle_id: "v2".into(),
            ts_ms: 900,
            signal: Signal::CoolantTemp,
            value: Value(118.0),
            pos: LogPos { partition: 0, offset: 4 },
        }],
        transitions: vec![(
            Transition {
                fleet_id: "f1".into(),
                vehicle_id: "v1".into(),
                component: Component::Cooling,
                ts_ms: 1_000,
                from: Some(Band::Degraded),
                to: Band::Critical,
                score: Value(12.0),
            },
            1,
        )],
        alerts: vec![(alert("a-new"), 1), (alert("a-old"), -1)],
        ..ResultBatch::default()
    }
}

fn expected(events: &[Event], prefix: &str) -> Result<Vec<Record>, serde_json::Error> {
    let mut out = events
        .iter()
        .map(|e| Ok((format!("{prefix}{}", e.event_type), Some(e.vehicle_id.clone()), serde_json::to_vec(e)?)))
        .collect::<Result<Vec<_>, serde_json::Error>>()?;
    out.sort();
    Ok(out)
}

#[tokio::test]
async fn events_arrive_on_their_topics_keyed_by_vehicle() -> R {
    let cluster = cluster("")?;
    let publisher = EventPublisher::new(KafkaConfig::new(cluster.bootstrap_servers()))?;
    publisher.healthcheck().await?;
    let events = events_for(&batch());
    assert_eq!(
        events.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>(),
        vec![
            "vehicle.telemetry.received",
            "vehicle.health.changed",
            "component.critical",
            "alert.created",
            "alert.withdrawn"
        ]
    );
    publisher.publish(&events).await?;
    let topics: Vec<String> = events.iter().map(|e| e.event_type.clone()).collect();
    let got = consume(&cluster.bootstrap_servers(), &topics, events.len()).await?;
    assert_eq!(got, expected(&events, "")?);
    let withdrawn: Event =
        serde_json::from_slice(&got.iter().find(|m| m.0 == "alert.withdrawn").ok_or("no withdrawal")?.2)?;
    assert_eq!(withdrawn.payload.value()["superseded_by"], serde_json::json!("a-new"));
    assert_eq!(withdrawn.payload.value()["state"], serde_json::json!("withdrawn"));
    Ok(())
}

#[tokio::test]
async fn a_topic_prefix_and_dead_letters() -> R {
    let cluster = cluster("staging.")?;
    let config = KafkaConfig { topic_prefix: "staging.".into(), ..KafkaConfig::new(cluster.bootstrap_servers()) };
    let publisher = EventPublisher::new(config)?;
    let dead = DeadLetter {
        record: RawRecord {
            pos: LogPos { partition: 1, offset: 9 },
            append_ms: 5,
            key: Some(b"v7".to_vec()),
            payload: b"{oops".to_vec(),
        },
        reason: DeadLetterReason::Malformed,
        detail: "expected value at line 1 column 2".into(),
        item: None,
        vehicle_id: None,
        ts_ms: None,
    };
    let batch =
        ResultBatch { alerts: vec![(alert("a1"), 1)], dead_letters: vec![dead.clone()], ..ResultBatch::default() };
    assert_eq!(publisher.publish_batch(&events_for(&batch), &batch.dead_letters).await?, 2);
    let topics = vec!["staging.alert.created".to_string(), format!("staging.{DLQ}")];
    let got = consume(&cluster.bootstrap_servers(), &topics, 2).await?;
    let mut want = expected(&events_for(&batch), "staging.")?;
    want.push((format!("staging.{DLQ}"), Some("v7".into()), serde_json::to_vec(&dead_letter_json(&dead))?));
    want.sort();
    assert_eq!(got, want);
    let letter: serde_json::Value = serde_json::from_slice(&got[1].2)?;
    assert_eq!(letter["payload_base64"], serde_json::json!("e29vcHM="));
    Ok(())
}

#[tokio::test]
async fn replaying_a_batch_yields_the_same_event_ids() -> R {
    let first: Vec<String> = events_for(&batch()).into_iter().map(|e| e.event_id).collect();
    let again: Vec<String> = events_for(&batch()).into_iter().map(|e| e.event_id).collect();
    assert_eq!(first, again);
    Ok(())
}

#[tokio::test]
async fn the_healthcheck_fails_without_a_broker() -> R {
    let config = KafkaConfig { healthcheck_timeout_ms: 300, ..KafkaConfig::new("127.0.0.1:1") };
    let publisher = EventPublisher::new(config)?;
    assert!(publisher.healthcheck().await.is_err());
    Ok(())
}
