//! Dead letters as the API shows them: the reason, where the record sat, and
//! its bytes both as (lossy) text and exactly, as base64.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use sinks::DeadLetterRecord;
use utoipa::ToSchema;

use crate::model::enums::DeadLetterReason;

/// One stored dead letter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeadLetterView {
    /// Store-assigned id.
    pub id: i64,
    /// The category.
    pub reason: DeadLetterReason,
    /// A human-readable explanation.
    pub detail: String,
    /// The failing item inside the message, if not the whole record.
    pub item: Option<String>,
    /// The vehicle, when known.
    pub vehicle_id: Option<String>,
    /// The event time, ms, when known.
    pub ts_ms: Option<i64>,
    /// Kafka partition of the record.
    pub partition: i32,
    /// Kafka offset of the record.
    pub offset: i64,
    /// Broker append time, ms.
    pub append_ms: i64,
    /// The record key as text (invalid UTF-8 replaced).
    pub key: Option<String>,
    /// The record value as text (invalid UTF-8 replaced).
    pub payload_text: String,
    /// The record value exactly, base64 (standard alphabet, padded).
    pub payload_base64: String,
}

impl From<DeadLetterRecord> for DeadLetterView {
    fn from(r: DeadLetterRecord) -> Self {
        let d = r.dead_letter;
        DeadLetterView {
            id: r.id,
            reason: d.reason.into(),
            detail: d.detail,
            item: d.item,
            vehicle_id: d.vehicle_id,
            ts_ms: d.ts_ms,
            partition: d.record.pos.partition,
            offset: d.record.pos.offset,
            append_ms: d.record.append_ms,
            key: d.record.key.map(|k| String::from_utf8_lossy(&k).into_owned()),
            payload_text: String::from_utf8_lossy(&d.record.payload).into_owned(),
            payload_base64: STANDARD.encode(&d.record.payload),
        }
    }
}

/// Dead letters per reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeadLetterCounts {
    /// All dead letters.
    pub total: i64,
    /// Count per reason (every reason present, zero included).
    pub by_reason: BTreeMap<String, i64>,
}

impl DeadLetterCounts {
    /// Builds the counts from the store's `(reason, count)` pairs.
    pub fn from_pairs(pairs: Vec<(String, i64)>) -> Self {
        let mut by_reason: BTreeMap<String, i64> =
            schemas::DeadLetterReason::ALL.iter().map(|r| (r.as_str().to_string(), 0)).collect();
        for (reason, count) in pairs {
            *by_reason.entry(reason).or_insert(0) += count;
        }
        DeadLetterCounts { total: by_reason.values().sum(), by_reason }
    }
}
