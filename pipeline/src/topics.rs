//! Creates the topics the pipeline reads and writes when they do not exist
//! yet: the raw telemetry topic, and every event topic before the first event
//! needs it. A topic left to the broker's auto-creation would stall the first
//! publish to it while the producer waits for its leader (about 100 ms), and
//! fail outright on a cluster that does not auto-create.

use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::types::RDKafkaErrorCode;

/// Ensures every topic in `topics` exists (with `partitions` partitions
/// when created here).
pub async fn ensure_topics(brokers: &str, topics: &[String], partitions: i32) -> anyhow::Result<()> {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new().set("bootstrap.servers", brokers).create()?;
    let metadata = admin.inner().fetch_metadata(None, Duration::from_secs(10))?;
    let exists = |topic: &str| {
        metadata.topics().iter().any(|t| t.name() == topic && t.error().is_none() && !t.partitions().is_empty())
    };
    let missing: Vec<NewTopic<'_>> = topics
        .iter()
        .filter(|topic| !exists(topic))
        .map(|topic| NewTopic::new(topic, partitions, TopicReplication::Fixed(1)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    for result in admin.create_topics(&missing, &AdminOptions::new()).await? {
        match result {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((name, code)) => anyhow::bail!("creating topic {name}: {code}"),
        }
    }
    Ok(())
}
