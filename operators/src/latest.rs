//! The current value of every reading: one per (fleet, vehicle, signal,
//! event time).
//!
//! A vehicle may re-send a reading for the same event time (a correction,
//! a retransmission). The one at the later log position wins, so the
//! earlier value is retracted when the correction arrives. Within one
//! message each signal appears once (see [`crate::decode::json`]); should
//! two readings ever share a key and a position, the larger value wins, so
//! the output is a function of the input set alone.
//!
//! Each vehicle remembers the winners only for event times the gate can
//! still accept ([`Finality`]): older ones can never be re-sent, so they are
//! forgotten and the state is bounded by the correction horizon. They are
//! kept per event time, each time's signals in a flat sorted vector
//! ([`LiteMap`]): a message's readings share its event time, so this is one
//! small vector per message instead of a B-tree entry per reading.
//!
//! The input is append-only (messages are never retracted); a retraction
//! would be a programming error upstream: it is ignored (and fails a debug
//! assertion).

use std::collections::BTreeMap;

use litemap::LiteMap;

use schemas::{LogPos, Reading, Signal, Telemetry, TsMs, Value};

use crate::finality::Finality;
use crate::per_vehicle::{VehicleState, per_vehicle};
use crate::{Coll, Diff};

/// Flattens messages to readings, keeping the latest-logged value per
/// (fleet, vehicle, signal, event time).
pub fn latest<'s>(messages: Coll<'s, Telemetry>, finality: Finality) -> Coll<'s, Reading> {
    per_vehicle(messages, "Latest", |m| (&m.fleet_id, &m.vehicle_id), move || Winners::new(finality))
}

/// One vehicle's winning reading per (event time, signal) within the horizon.
struct Winners {
    finality: Finality,
    newest: Option<TsMs>,
    current: BTreeMap<TsMs, LiteMap<Signal, (LogPos, Value)>>,
}

impl Winners {
    fn new(finality: Finality) -> Self {
        Winners { finality, newest: None, current: BTreeMap::new() }
    }
}

impl VehicleState<Telemetry, Reading> for Winners {
    fn step(&mut self, updates: Vec<(Telemetry, Diff)>, out: &mut Vec<(Reading, Diff)>) {
        for (message, diff) in updates {
            debug_assert!(diff > 0, "latest's input is append-only");
            if diff <= 0 {
                continue;
            }
            for reading in message.readings() {
                let candidate = (reading.pos, reading.value);
                let at_time = self.current.entry(reading.ts_ms).or_default();
                match at_time.get_mut(&reading.signal) {
                    Some(winner) if *winner >= candidate => continue,
                    Some(winner) => {
                        let (pos, value) = std::mem::replace(winner, candidate);
                        out.push((Reading { pos, value, ..reading.clone() }, -1));
                    }
                    None => {
                        at_time.insert(reading.signal, candidate);
                    }
                }
                self.newest = self.newest.max(Some(reading.ts_ms));
                out.push((reading, 1));
            }
        }
        if let Some(newest) = self.newest {
            let final_before = self.finality.final_through(newest);
            while self.current.first_key_value().is_some_and(|(ts, _)| *ts < final_before) {
                self.current.pop_first();
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testing::{content_at, run_epochs};
    use rand::{Rng, SeedableRng};
    use schemas::{LogPos, RawRecord, Signal, TsMs, Value};
    use std::collections::BTreeMap;

    fn message(vehicle: &str, ts_ms: TsMs, offset: i64, values: &[(Signal, f64)]) -> Telemetry {
        Telemetry {
            fleet_id: "f".into(),
            vehicle_id: vehicle.into(),
            ts_ms,
            values: values.iter().map(|(s, v)| (*s, Value(*v))).collect(),
            record: RawRecord {
                pos: LogPos { partition: 0, offset },
                append_ms: ts_ms,
                key: Some(vehicle.as_bytes().to_vec()),
                payload: Vec::new(),
            },
        }
    }

    fn reading(vehicle: &str, ts_ms: TsMs, offset: i64, signal: Signal, value: f64) -> Reading {
        Reading {
            fleet_id: "f".into(),
            vehicle_id: vehicle.into(),
            ts_ms,
            signal,
            value: Value(value),
            pos: LogPos { partition: 0, offset },
        }
    }

    #[test]
    fn a_later_correction_replaces_the_earlier_value() {
        let first = message("v1", 1000, 1, &[(Signal::CoolantTemp, 90.0), (Signal::OilTemp, 95.0)]);
        let other_time = message("v1", 2000, 2, &[(Signal::CoolantTemp, 91.0)]);
        let correction = message("v1", 1000, 3, &[(Signal::CoolantTemp, 88.0)]);
        let out = run_epochs(vec![vec![(first, 1)], vec![(other_time, 1)], vec![(correction, 1)]], |m| {
            latest(m, Finality::default())
        });
        assert_eq!(
            out,
            vec![
                (reading("v1", 1000, 1, Signal::CoolantTemp, 90.0), 0, 1),
                (reading("v1", 1000, 1, Signal::OilTemp, 95.0), 0, 1),
                (reading("v1", 2000, 2, Signal::CoolantTemp, 91.0), 1, 1),
                (reading("v1", 1000, 3, Signal::CoolantTemp, 88.0), 2, 1),
                (reading("v1", 1000, 1, Signal::CoolantTemp, 90.0), 2, -1),
            ]
        );
    }

    #[test]
    fn an_earlier_position_arriving_later_does_not_replace() {
        let newer = message("v1", 1000, 5, &[(Signal::VehicleSpeed, 50.0)]);
        let older = message("v1", 1000, 4, &[(Signal::VehicleSpeed, 40.0)]);
        let out = run_epochs(vec![vec![(newer, 1)], vec![(older, 1)]], |m| latest(m, Finality::default()));
        assert_eq!(out, vec![(reading("v1", 1000, 5, Signal::VehicleSpeed, 50.0), 0, 1)]);
    }

    #[test]
    fn random_messages_match_a_sequential_reference() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(42);
        let signals = [Signal::CoolantTemp, Signal::OilTemp, Signal::VehicleSpeed];
        let mut epochs = Vec::new();
        let mut offset = 0;
        for _ in 0..20 {
            let mut batch = Vec::new();
            for _ in 0..rng.random_range(0..6) {
                offset += 1;
                let vehicle = ["v1", "v2"][rng.random_range(0..2)];
                let mut values = Vec::new();
                for signal in signals {
                    if rng.random_bool(0.6) {
                        values.push((signal, f64::from(rng.random_range(0..100u8))));
                    }
                }
                batch.push((message(vehicle, rng.random_range(0..5) * 1000, offset, &values), 1));
            }
            epochs.push(batch);
        }
        let out = run_epochs(epochs.clone(), |m| latest(m, Finality::default()));
        let mut reference: BTreeMap<(schemas::Id, Signal, TsMs), Reading> = BTreeMap::new();
        for (epoch, batch) in epochs.iter().enumerate() {
            for (m, _) in batch {
                for r in m.readings() {
                    let key = (r.vehicle_id.clone(), r.signal, r.ts_ms);
                    if reference.get(&key).is_none_or(|old| old.pos < r.pos) {
                        reference.insert(key, r);
                    }
                }
            }
            let mut expected: Vec<(Reading, isize)> = reference.values().map(|r| (r.clone(), 1)).collect();
            expected.sort();
            assert_eq!(content_at(&out, epoch as u64), expected, "epoch {epoch}");
        }
    }
}
