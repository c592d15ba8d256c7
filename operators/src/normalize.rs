//! Raw Kafka records to decoded telemetry messages, and dead letters.
//!
//! Each record is decoded on its own ([`crate::decode::decode_record`]), so
//! this is a linear map: a record's retraction retracts exactly what it
//! produced. After Materialize's `map_fallible`, one `flat_map` yields
//! `Ok(message)` / `Err(dead letter)` and [`split`] parts the two streams.

use std::sync::Arc;

use schemas::{DeadLetter, RawRecord, Telemetry};

use crate::Coll;
use crate::decode::{Decoders, decode_record};
use crate::split::split;

/// Decodes every raw record: the usable messages and the dead letters
/// (whole bad records, and bad items of otherwise usable ones).
pub fn normalize<'s>(raw: Coll<'s, RawRecord>, decoders: Arc<Decoders>) -> (Coll<'s, Telemetry>, Coll<'s, DeadLetter>) {
    let decoded = raw.flat_map(move |record| {
        let (message, letters) = decode_record(&record, &decoders);
        message.map(Ok).into_iter().chain(letters.into_iter().map(Err))
    });
    split(decoded, std::convert::identity)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::decode::CanDecoder;
    use crate::testing::run_epochs;
    use schemas::{DeadLetterReason, LogPos, Signal, Value};

    fn record(offset: i64, payload: &str) -> RawRecord {
        RawRecord {
            pos: LogPos { partition: 0, offset },
            append_ms: 10_000,
            key: Some(b"v1".to_vec()),
            payload: payload.as_bytes().to_vec(),
        }
    }

    fn both<'s>(raw: Coll<'s, RawRecord>) -> Coll<'s, Result<Telemetry, DeadLetter>> {
        let decoders = Arc::new(Decoders { can: Some(CanDecoder::carvrooom().unwrap_or_else(|e| panic!("{e}"))) });
        let (ok, err) = normalize(raw, decoders);
        ok.map(Ok).concat(err.map(Err))
    }

    #[test]
    fn messages_and_dead_letters_per_epoch_with_retraction() {
        let good = record(1, r#"{"vehicle_id":"v1","ts":5000,"obd":["41 05 7B","41 FF 00"]}"#);
        let bad = record(2, "{");
        let out = run_epochs(vec![vec![(good.clone(), 1)], vec![(bad.clone(), 1)], vec![(good.clone(), -1)]], both);
        let message = Telemetry {
            fleet_id: "default".into(),
            vehicle_id: "v1".into(),
            ts_ms: 5000,
            values: vec![(Signal::CoolantTemp, Value(83.0))],
            record: good.clone(),
        };
        let bad_pid = DeadLetter {
            record: good.clone(),
            reason: DeadLetterReason::BadObd,
            detail: "unsupported mode 01 pid 0xFF".to_string(),
            item: Some("obd[1]".to_string()),
            vehicle_id: Some("v1".to_string()),
            ts_ms: Some(5000),
        };
        let malformed = DeadLetter::whole(
            bad.clone(),
            DeadLetterReason::Malformed,
            "EOF while parsing an object at line 1 column 1",
        );
        assert_eq!(
            out,
            vec![
                (Ok(message.clone()), 0, 1),
                (Err(bad_pid.clone()), 0, 1),
                (Err(malformed), 1, 1),
                (Ok(message), 2, -1),
                (Err(bad_pid), 2, -1),
            ]
        );
    }
}
