//! A Kafka record as consumed, before any decoding: the unit of the raw
//! archive and of dead letters.

use serde::{Deserialize, Serialize};

use crate::TsMs;

/// Position of a record in the Kafka log. Later positions win ties between
/// re-sent readings; one vehicle's records share one partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct LogPos {
    /// Kafka partition.
    pub partition: i32,
    /// Offset inside the partition.
    pub offset: i64,
}

/// One consumed Kafka record with its metadata.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RawRecord {
    /// Where the record sits in the log.
    pub pos: LogPos,
    /// Broker append time (log append or create time), ms.
    pub append_ms: TsMs,
    /// Record key bytes (the vehicle id), if any.
    pub key: Option<Vec<u8>>,
    /// Record value bytes (the telemetry JSON).
    pub payload: Vec<u8>,
}
