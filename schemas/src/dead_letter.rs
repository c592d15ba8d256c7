//! Dead letters: input that could not be used, kept with its bytes and the reason.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{RawRecord, TsMs};

/// Why a record (or one item inside it) became a dead letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadLetterReason {
    /// The value is not a valid telemetry JSON object.
    Malformed,
    /// The record key disagrees with the body's `vehicle_id`.
    KeyMismatch,
    /// A signal name that is not a known VSS signal.
    UnknownSignal,
    /// An OBD-II response that cannot be decoded.
    BadObd,
    /// A CAN frame that the DBC cannot decode.
    BadCan,
    /// Older than the vehicle's correction horizon.
    TooLate,
    /// Stamped more than the allowed skew after its Kafka append time.
    Future,
}

impl DeadLetterReason {
    /// Every reason, in a fixed order.
    pub const ALL: [DeadLetterReason; 7] = [
        DeadLetterReason::Malformed,
        DeadLetterReason::KeyMismatch,
        DeadLetterReason::UnknownSignal,
        DeadLetterReason::BadObd,
        DeadLetterReason::BadCan,
        DeadLetterReason::TooLate,
        DeadLetterReason::Future,
    ];

    /// The snake_case name used in tables, metrics and the DLQ topic.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadLetterReason::Malformed => "malformed",
            DeadLetterReason::KeyMismatch => "key_mismatch",
            DeadLetterReason::UnknownSignal => "unknown_signal",
            DeadLetterReason::BadObd => "bad_obd",
            DeadLetterReason::BadCan => "bad_can",
            DeadLetterReason::TooLate => "too_late",
            DeadLetterReason::Future => "future",
        }
    }
}

impl fmt::Display for DeadLetterReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record, or one item of it, that the pipeline could not use.
///
/// The whole raw record travels with it, so nothing is lost; `item` says
/// which part of the message failed when the rest of it was usable.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The record as consumed.
    pub record: RawRecord,
    /// The category.
    pub reason: DeadLetterReason,
    /// A human-readable explanation.
    pub detail: String,
    /// The failing item inside the message (`obd[2]`, `can[0]`, a signal name), if not the whole record.
    pub item: Option<String>,
    /// The vehicle, when the body could be read far enough to know it.
    pub vehicle_id: Option<String>,
    /// The event time, when known.
    pub ts_ms: Option<TsMs>,
}

impl DeadLetter {
    /// A dead letter for the whole record.
    pub fn whole(record: RawRecord, reason: DeadLetterReason, detail: impl Into<String>) -> Self {
        DeadLetter { record, reason, detail: detail.into(), item: None, vehicle_id: None, ts_ms: None }
    }
}
