//! The real Kafka producer against librdkafka's in-process mock cluster.

use std::time::Duration;

use api::{KafkaProducerConfig, KafkaTelemetryProducer, TelemetryProducer};
use rdkafka::Message;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::mocking::MockCluster;
use rdkafka::{Offset, TopicPartitionList};

#[tokio::test]
async fn produces_in_order_keyed_by_vehicle() {
    let cluster = MockCluster::new(1).expect("mock cluster");
    cluster.create_topic("vehicle.telemetry.raw", 1, 1).expect("topic");
    let producer =
        KafkaTelemetryProducer::new(&KafkaProducerConfig::new(cluster.bootstrap_servers(), "vehicle.telemetry.raw"))
            .expect("producer");
    let records = vec![("v1".to_string(), b"one".to_vec()), ("v2".to_string(), b"two".to_vec())];
    producer.produce_all(records.clone()).await.expect("produced");
    producer.produce("v1", b"three".to_vec()).await.expect("produced");

    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", cluster.bootstrap_servers())
        .set("group.id", "api-test")
        .create()
        .expect("consumer");
    let mut assignment = TopicPartitionList::new();
    assignment.add_partition_offset("vehicle.telemetry.raw", 0, Offset::Beginning).expect("partition");
    consumer.assign(&assignment).expect("assign");
    let mut seen = Vec::new();
    for _ in 0..100 {
        if seen.len() == 3 {
            break;
        }
        if let Some(message) = consumer.poll(Duration::from_millis(100)) {
            let message = message.expect("message");
            let key = String::from_utf8_lossy(message.key().unwrap_or_default()).into_owned();
            seen.push((key, message.payload().unwrap_or_default().to_vec()));
        }
    }
    let mut expected = records;
    expected.push(("v1".to_string(), b"three".to_vec()));
    assert_eq!(seen, expected);
}
