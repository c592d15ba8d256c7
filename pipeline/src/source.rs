//! The Kafka source of one timely worker.
//!
//! Partitions are assigned statically by worker index (`assign`, not a
//! rebalancing subscription); the consumer group only stores offsets. On
//! start the source rewinds to the beginning of each partition and replays up
//! to the committed offsets, so the dataflow's in-memory state (open windows,
//! alert episodes, the lateness gate) is rebuilt before anything new is read.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};
use thiserror::Error;

use schemas::{LogPos, RawRecord};

use crate::coordinator::{COORDINATOR_PATIENCE, with_coordinator};

/// Errors of the Kafka source.
#[derive(Debug, Error)]
pub enum SourceError {
    /// The broker refused or failed a request.
    #[error("kafka {what}")]
    Kafka {
        /// What was being done.
        what: &'static str,
        /// The client error.
        #[source]
        source: rdkafka::error::KafkaError,
    },
    /// The telemetry topic does not exist.
    #[error("topic '{0}' does not exist")]
    NoTopic(String),
}

fn kafka(what: &'static str) -> impl FnOnce(rdkafka::error::KafkaError) -> SourceError {
    move |source| SourceError::Kafka { what, source }
}

/// Where and how to consume.
#[derive(Clone, Debug)]
pub struct SourceConfig {
    /// Bootstrap servers.
    pub brokers: String,
    /// The raw telemetry topic.
    pub topic: String,
    /// Consumer group id (stores offsets only).
    pub group: String,
    /// How long the broker may hold a fetch to gather [`FETCH_MIN_BYTES`].
    /// Half an epoch: records wait no longer there than they would for the
    /// epoch's cut anyway.
    pub fetch_wait: Duration,
}

/// How much a fetch gathers before the broker answers it (unless
/// [`SourceConfig::fetch_wait`] passes first). With librdkafka's default of one
/// byte, a topic appended to every few milliseconds is fetched as often, and
/// each fetch costs the broker CPU. In the end-to-end benchmark, where the
/// broker shares two cores with the pipeline, gathering took p99 append →
/// visible from 288–722 ms to 172–250 ms at 100 k readings/s offered (three
/// alternated runs each).
pub const FETCH_MIN_BYTES: usize = 256 * 1024;

/// A worker's share of the topic and its read positions.
pub struct KafkaSource {
    consumer: BaseConsumer,
    topic: String,
    /// Next offset to read, per assigned partition.
    next: BTreeMap<i32, i64>,
    /// Committed offsets at start: what was durably processed before.
    committed: BTreeMap<i32, i64>,
}

impl KafkaSource {
    /// Assigns this worker its partitions (`p % peers == index`) from their beginning.
    pub fn open(config: &SourceConfig, index: usize, peers: usize) -> Result<KafkaSource, SourceError> {
        let consumer: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", &config.brokers)
            .set("group.id", &config.group)
            .set("enable.auto.commit", "false")
            .set("enable.auto.offset.store", "false")
            .set("auto.offset.reset", "earliest")
            .set("enable.partition.eof", "false")
            .set("fetch.min.bytes", FETCH_MIN_BYTES.to_string())
            .set("fetch.wait.max.ms", config.fetch_wait.as_millis().max(1).to_string())
            .create()
            .map_err(kafka("client creation"))?;
        let metadata =
            consumer.fetch_metadata(Some(&config.topic), Duration::from_secs(10)).map_err(kafka("metadata"))?;
        let partitions: Vec<i32> = metadata
            .topics()
            .iter()
            .filter(|t| t.name() == config.topic && t.error().is_none())
            .flat_map(|t| t.partitions().iter().map(|p| p.id()))
            .filter(|p| (*p as usize) % peers == index)
            .collect();
        if metadata.topics().iter().all(|t| t.name() != config.topic || t.error().is_some()) {
            return Err(SourceError::NoTopic(config.topic.clone()));
        }
        let mut wanted = TopicPartitionList::new();
        for p in &partitions {
            wanted.add_partition(&config.topic, *p);
        }
        let mut committed = BTreeMap::new();
        if !partitions.is_empty() {
            let offsets = with_coordinator(COORDINATOR_PATIENCE, || {
                consumer.committed_offsets(wanted.clone(), Duration::from_secs(10))
            })
            .map_err(kafka("committed offsets"))?;
            for elem in offsets.elements() {
                if let Offset::Offset(o) = elem.offset() {
                    committed.insert(elem.partition(), o);
                }
            }
        }
        let mut assignment = TopicPartitionList::new();
        for p in &partitions {
            assignment.add_partition_offset(&config.topic, *p, Offset::Beginning).map_err(kafka("assignment"))?;
        }
        consumer.assign(&assignment).map_err(kafka("assign"))?;
        let next = partitions.iter().map(|p| (*p, 0)).collect();
        Ok(KafkaSource { consumer, topic: config.topic.clone(), next, committed })
    }

    /// Partitions this worker reads.
    pub fn partitions(&self) -> Vec<i32> {
        self.next.keys().copied().collect()
    }

    /// True while some partition is still behind its committed offset.
    pub fn replaying(&self) -> bool {
        self.committed.iter().any(|(p, c)| self.next.get(p).is_some_and(|n| n < c))
    }

    /// Reads records into `out` until `deadline` or `max` records. Past the
    /// deadline it still takes what is already fetched (without waiting), so
    /// an epoch that started late is not left empty while records queue up.
    pub fn poll(&mut self, deadline: Instant, max: usize, out: &mut Vec<RawRecord>) -> Result<(), SourceError> {
        let start = out.len();
        while out.len() - start < max {
            match self.consumer.poll(deadline.saturating_duration_since(Instant::now())) {
                None => break,
                Some(Err(e)) => return Err(SourceError::Kafka { what: "poll", source: e }),
                Some(Ok(message)) => {
                    let pos = LogPos { partition: message.partition(), offset: message.offset() };
                    self.next.insert(pos.partition, pos.offset + 1);
                    out.push(RawRecord {
                        pos,
                        append_ms: message.timestamp().to_millis().unwrap_or_default(),
                        key: message.key().map(<[u8]>::to_vec),
                        payload: message.payload().map(<[u8]>::to_vec).unwrap_or_default(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Reads every record below the committed offsets (the replay) into
    /// `replayed`; records at or past them that arrive in the same polls go
    /// to `fresh`. Gives up on a partition whose end is below its committed
    /// offset after `patience` without progress.
    pub fn replay(
        &mut self,
        patience: Duration,
        replayed: &mut Vec<RawRecord>,
        fresh: &mut Vec<RawRecord>,
    ) -> Result<(), SourceError> {
        let mut last_progress = Instant::now();
        let mut polled = Vec::new();
        while self.replaying() {
            self.poll(Instant::now() + Duration::from_millis(200), 10_000, &mut polled)?;
            if polled.is_empty() && last_progress.elapsed() > patience {
                break;
            }
            if !polled.is_empty() {
                last_progress = Instant::now();
            }
            for record in polled.drain(..) {
                let committed = self.committed.get(&record.pos.partition).copied().unwrap_or(0);
                if record.pos.offset < committed { replayed.push(record) } else { fresh.push(record) }
            }
        }
        Ok(())
    }

    /// The next offsets to read: what a commit after the current epoch stores.
    pub fn positions(&self) -> BTreeMap<i32, i64> {
        self.next.clone()
    }

    /// True when every assigned partition is read up to its high watermark.
    pub fn caught_up(&self) -> Result<bool, SourceError> {
        for (p, next) in &self.next {
            let (_, high) =
                self.consumer.fetch_watermarks(&self.topic, *p, Duration::from_secs(5)).map_err(kafka("watermarks"))?;
            if *next < high {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Commits `positions` (next offsets to read) for the group, synchronously.
    pub fn commit(&self, positions: &BTreeMap<i32, i64>) -> Result<(), SourceError> {
        let mut list = TopicPartitionList::new();
        for (p, next) in positions {
            if *next > 0 {
                list.add_partition_offset(&self.topic, *p, Offset::Offset(*next)).map_err(kafka("commit list"))?;
            }
        }
        if list.count() == 0 {
            return Ok(());
        }
        with_coordinator(COORDINATOR_PATIENCE, || self.consumer.commit(&list, CommitMode::Sync))
            .map_err(kafka("commit"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rdkafka::mocking::MockCluster;
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer};

    #[test]
    fn a_poll_past_its_deadline_still_takes_what_has_arrived() {
        let cluster = MockCluster::new(1).unwrap();
        cluster.create_topic("source.test", 1, 1).unwrap();
        let producer: BaseProducer =
            ClientConfig::new().set("bootstrap.servers", cluster.bootstrap_servers()).create().unwrap();
        for i in 0..5 {
            producer.send(BaseRecord::to("source.test").key("v1").payload(&format!("m{i}"))).unwrap();
        }
        producer.flush(Duration::from_secs(10)).unwrap();
        let config = SourceConfig {
            brokers: cluster.bootstrap_servers(),
            topic: "source.test".into(),
            group: format!("source-test-{}", std::process::id()),
            fetch_wait: Duration::from_millis(10),
        };
        let mut source = KafkaSource::open(&config, 0, 1).unwrap();
        let mut out = Vec::new();
        source.poll(Instant::now() + Duration::from_secs(10), 1, &mut out).unwrap();
        assert_eq!(out.len(), 1, "the first poll waits for one record");
        // The consumer prefetches the rest in the background.
        std::thread::sleep(Duration::from_millis(500));
        source.poll(Instant::now(), 100, &mut out).unwrap();
        let payloads: Vec<&[u8]> = out.iter().map(|r| r.payload.as_slice()).collect();
        assert_eq!(payloads, [b"m0", b"m1", b"m2", b"m3", b"m4"]);
        assert_eq!(out.iter().map(|r| r.pos.offset).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    }
}
