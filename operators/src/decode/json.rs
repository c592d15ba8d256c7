//! One Kafka record to a [`Telemetry`] message plus its dead letters.
//!
//! A record whose body cannot be read at all (not the JSON contract, empty
//! `vehicle_id` or `fleet_id`, a `ts` that is no time, a key that disagrees
//! with `vehicle_id`) is one whole-record dead letter. Otherwise every item
//! is decoded on its own: an item that fails becomes a dead letter naming
//! it (`obd[2]`, `can[0]`, a signal name) and the rest of the message goes
//! on. A message with no usable value still yields a `Telemetry`: its time
//! counts for the vehicle.
//!
//! The values of a message are one per signal, sorted by signal. When a
//! message carries the same signal twice, the later source wins, in the
//! order `odometer_km`, `signals`, `obd`, `can` (and by position within one).

use std::collections::BTreeMap;

use schemas::{DEFAULT_FLEET, DeadLetter, DeadLetterReason, RawRecord, Signal, Telemetry, TelemetryBody, TsMs, Value};

use super::{Decoders, decode_obd, parse_hex};

/// Decodes one raw record: the message (if the record is usable at all) and
/// a dead letter for the record or for each item that could not be used.
pub fn decode_record(record: &RawRecord, decoders: &Decoders) -> (Option<Telemetry>, Vec<DeadLetter>) {
    let whole = |reason, detail: String| (None, vec![DeadLetter::whole(record.clone(), reason, detail)]);
    let body: TelemetryBody = match serde_json::from_slice(&record.payload) {
        Ok(body) => body,
        Err(e) => return whole(DeadLetterReason::Malformed, e.to_string()),
    };
    if body.vehicle_id.is_empty() {
        return whole(DeadLetterReason::Malformed, "vehicle_id is empty".to_string());
    }
    let known = |reason, detail: String, ts_ms: Option<TsMs>| {
        let letter = DeadLetter {
            vehicle_id: Some(body.vehicle_id.clone()),
            ts_ms,
            ..DeadLetter::whole(record.clone(), reason, detail)
        };
        (None, vec![letter])
    };
    if let Some(key) = &record.key
        && key.as_slice() != body.vehicle_id.as_bytes()
    {
        let detail =
            format!("record key '{}' disagrees with vehicle_id '{}'", String::from_utf8_lossy(key), body.vehicle_id);
        return known(DeadLetterReason::KeyMismatch, detail, None);
    }
    let ts_ms = match body.ts.to_ms() {
        Ok(ts_ms) => ts_ms,
        Err(detail) => return known(DeadLetterReason::Malformed, detail, None),
    };
    let fleet_id = body.fleet_id.clone().unwrap_or_else(|| DEFAULT_FLEET.to_string());
    if fleet_id.is_empty() {
        return known(DeadLetterReason::Malformed, "fleet_id is empty".to_string(), Some(ts_ms));
    }

    let mut values: BTreeMap<Signal, Value> = BTreeMap::new();
    let mut letters = Vec::new();
    let mut reject = |reason, item: String, detail: String| {
        letters.push(DeadLetter {
            record: record.clone(),
            reason,
            detail,
            item: Some(item),
            vehicle_id: Some(body.vehicle_id.clone()),
            ts_ms: Some(ts_ms),
        });
    };

    if let Some(km) = body.odometer_km {
        if km.is_finite() {
            values.insert(Signal::Odometer, Value(km));
        } else {
            reject(DeadLetterReason::Malformed, "odometer_km".to_string(), format!("odometer_km {km} is not finite"));
        }
    }
    for (name, value) in &body.signals {
        match Signal::from_vss(name) {
            None => {
                reject(DeadLetterReason::UnknownSignal, name.clone(), format!("'{name}' is not a known vss signal"))
            }
            Some(_) if !value.is_finite() => {
                reject(DeadLetterReason::Malformed, name.clone(), format!("{name} value {value} is not finite"))
            }
            Some(signal) => {
                values.insert(signal, Value(*value));
            }
        }
    }
    for (i, text) in body.obd.iter().enumerate() {
        match decode_obd(text) {
            Ok(decoded) => values.extend(decoded),
            Err(e) => reject(DeadLetterReason::BadObd, format!("obd[{i}]"), e.to_string()),
        }
    }
    for (i, frame) in body.can.iter().enumerate() {
        let decoded = match &decoders.can {
            None => Err("no dbc is configured to decode can frames".to_string()),
            Some(can) => frame.id.value().and_then(|id| {
                let data = parse_hex(&frame.data).map_err(|e| e.to_string())?;
                can.decode(id, frame.ext, &data).map_err(|e| e.to_string())
            }),
        };
        match decoded {
            Ok(decoded) => values.extend(decoded),
            Err(detail) => reject(DeadLetterReason::BadCan, format!("can[{i}]"), detail),
        }
    }

    let telemetry = Telemetry {
        fleet_id: fleet_id.into(),
        vehicle_id: body.vehicle_id.into(),
        ts_ms,
        values: values.into_iter().collect(),
        record: record.clone(),
    };
    (Some(telemetry), letters)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::decode::CanDecoder;
    use schemas::{Dtc, LogPos, Wheel};

    fn record(key: Option<&str>, payload: &str) -> RawRecord {
        RawRecord {
            pos: LogPos { partition: 0, offset: 7 },
            append_ms: 1_000,
            key: key.map(|k| k.as_bytes().to_vec()),
            payload: payload.as_bytes().to_vec(),
        }
    }

    fn with_can() -> Decoders {
        Decoders { can: Some(CanDecoder::carvrooom().unwrap()) }
    }

    fn item_letter(rec: &RawRecord, reason: DeadLetterReason, item: &str, detail: &str) -> DeadLetter {
        DeadLetter {
            record: rec.clone(),
            reason,
            detail: detail.to_string(),
            item: Some(item.to_string()),
            vehicle_id: Some("v1".to_string()),
            ts_ms: Some(1_764_000_000_000),
        }
    }

    #[test]
    fn a_full_message_decodes_every_item_kind() {
        let rec = record(
            Some("v1"),
            r#"{"vehicle_id":"v1","ts":"2025-11-24T16:00:00Z","fleet_id":"acme","odometer_km":12000.5,
                "signals":{"Vehicle.Speed":42.0},
                "obd":["41 05 7B","43 01 04 41 23"],
                "can":[{"id":1312,"data":"D430"},{"id":"0x18FF0100","ext":true,"data":"00 00 00 55"}]}"#,
        );
        let (telemetry, letters) = decode_record(&rec, &with_can());
        assert_eq!(letters, vec![]);
        let telemetry = telemetry.unwrap();
        assert_eq!((&*telemetry.fleet_id, &*telemetry.vehicle_id), ("acme", "v1"));
        assert_eq!(telemetry.ts_ms, 1_764_000_000_000);
        assert_eq!(telemetry.record, rec);
        assert_eq!(
            telemetry.values,
            vec![
                (Signal::CoolantTemp, Value(83.0)),
                (Signal::VehicleSpeed, Value(42.0)),
                (Signal::Odometer, Value(12000.5)),
                (Signal::BatteryVoltage, Value(12.5)),
                (Signal::PadWear(Wheel::FrontLeft), Value(0.0)),
                (Signal::PadWear(Wheel::FrontRight), Value(0.0)),
                (Signal::PadWear(Wheel::RearLeft), Value(0.0)),
                (Signal::PadWear(Wheel::RearRight), Value(42.5)),
                (Signal::Dtc(Dtc(0x0104)), Value(1.0)),
                (Signal::Dtc(Dtc(0x4123)), Value(1.0)),
            ]
        );
    }

    #[test]
    fn bad_items_become_dead_letters_and_the_rest_proceeds() {
        let rec = record(
            None,
            r#"{"vehicle_id":"v1","ts":1764000000000,
                "signals":{"Vehicle.Nope":1.0,"Vehicle.Speed":10.0},
                "obd":["41 0D 50","41 07 00","zz"],
                "can":[{"id":1312,"data":"D430"},{"id":2047,"data":"00"},{"id":"0xQ","data":"00"}]}"#,
        );
        let (telemetry, letters) = decode_record(&rec, &with_can());
        let telemetry = telemetry.unwrap();
        assert_eq!(&*telemetry.fleet_id, DEFAULT_FLEET);
        // obd[0] (80 km/h) overrides the named reading (10 km/h): obd comes later.
        assert_eq!(telemetry.values, vec![(Signal::VehicleSpeed, Value(80.0)), (Signal::BatteryVoltage, Value(12.5))]);
        assert_eq!(
            letters,
            vec![
                item_letter(
                    &rec,
                    DeadLetterReason::UnknownSignal,
                    "Vehicle.Nope",
                    "'Vehicle.Nope' is not a known vss signal"
                ),
                item_letter(&rec, DeadLetterReason::BadObd, "obd[1]", "unsupported mode 01 pid 0x07"),
                item_letter(
                    &rec,
                    DeadLetterReason::BadObd,
                    "obd[2]",
                    "'zz' is not hex bytes: Invalid character 'z' at position 0"
                ),
                item_letter(&rec, DeadLetterReason::BadCan, "can[1]", "can id 0x7FF (standard) is not in the dbc"),
                item_letter(
                    &rec,
                    DeadLetterReason::BadCan,
                    "can[2]",
                    "can id '0xQ' is not hex: invalid digit found in string"
                ),
            ]
        );
    }

    #[test]
    fn can_frames_without_a_dbc_are_dead_letters() {
        let rec = record(Some("v1"), r#"{"vehicle_id":"v1","ts":1764000000000,"can":[{"id":1312,"data":"D430"}]}"#);
        let (telemetry, letters) = decode_record(&rec, &Decoders::default());
        assert_eq!(telemetry.unwrap().values, vec![]);
        assert_eq!(
            letters,
            vec![item_letter(&rec, DeadLetterReason::BadCan, "can[0]", "no dbc is configured to decode can frames")]
        );
    }

    #[test]
    fn a_message_without_values_still_counts() {
        let rec = record(Some("v1"), r#"{"vehicle_id":"v1","ts":5}"#);
        let (telemetry, letters) = decode_record(&rec, &Decoders::default());
        assert_eq!(letters, vec![]);
        let telemetry = telemetry.unwrap();
        assert_eq!((telemetry.ts_ms, telemetry.values.len()), (5, 0));
    }

    #[test]
    fn unreadable_records_are_one_whole_dead_letter() {
        let cases = [
            (Some("v1"), "not json", DeadLetterReason::Malformed, None),
            (Some("v1"), r#"{"vehicle_id":"v1"}"#, DeadLetterReason::Malformed, None),
            (Some("v1"), r#"{"vehicle_id":"v1","ts":1,"extra":1}"#, DeadLetterReason::Malformed, None),
            (Some(""), r#"{"vehicle_id":"","ts":1}"#, DeadLetterReason::Malformed, None),
            (Some("v2"), r#"{"vehicle_id":"v1","ts":1}"#, DeadLetterReason::KeyMismatch, Some("v1")),
            (Some("v1"), r#"{"vehicle_id":"v1","ts":"yesterday"}"#, DeadLetterReason::Malformed, Some("v1")),
            (Some("v1"), r#"{"vehicle_id":"v1","ts":1,"fleet_id":""}"#, DeadLetterReason::Malformed, Some("v1")),
        ];
        for (key, payload, reason, vehicle) in cases {
            let rec = record(key, payload);
            let (telemetry, letters) = decode_record(&rec, &with_can());
            assert_eq!(telemetry, None, "{payload}");
            assert_eq!(letters.len(), 1, "{payload}");
            let letter = &letters[0];
            assert_eq!((letter.reason, letter.item.as_deref()), (reason, None), "{payload}");
            assert_eq!(letter.vehicle_id.as_deref(), vehicle, "{payload}");
            assert_eq!(letter.record, rec);
        }
        let (_, letters) = decode_record(&record(Some("v2"), r#"{"vehicle_id":"v1","ts":1}"#), &with_can());
        assert_eq!(letters[0].detail, "record key 'v2' disagrees with vehicle_id 'v1'");
        let (_, letters) = decode_record(&record(None, "{"), &with_can());
        assert_eq!(letters[0].detail, "EOF while parsing an object at line 1 column 1");
    }
}
