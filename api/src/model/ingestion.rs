//! How far the stored results go into the input topic, as the API shows it.

use serde::Serialize;
use sinks::StoreProgress;
use utoipa::ToSchema;

/// The store's position in one partition of the input topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct PartitionProgress {
    /// Kafka partition.
    pub partition: i32,
    /// The first offset whose results are not stored yet; the store's lag is
    /// the partition's end offset minus this.
    pub next_offset: i64,
    /// When the store last wrote results of this partition (wall clock), ms;
    /// the replay after a restart refreshes it without moving `next_offset`.
    pub written_ms: i64,
}

/// The store's position in every partition it has written results of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct IngestionProgress {
    /// By partition, ascending.
    pub partitions: Vec<PartitionProgress>,
}

impl From<Vec<StoreProgress>> for IngestionProgress {
    fn from(progress: Vec<StoreProgress>) -> Self {
        let partitions = progress
            .into_iter()
            .map(|p| PartitionProgress { partition: p.partition, next_offset: p.next_offset, written_ms: p.written_ms })
            .collect();
        IngestionProgress { partitions }
    }
}
