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
//! The fused stages keep only the signals a health window reads
//! ([`Winners::keeping`]): a vehicle's other signals (its speed, body and
//! network codes) would be held for the whole horizon and never read.
//!
//! Each vehicle remembers the winners only for event times the gate can
//! still accept ([`Finality`]): older ones can never be re-sent, so they are
//! forgotten and the state is bounded by the correction horizon. In the
//! fused stages they are kept a little longer, while their health window is
//! open: a window reads its readings back from here when a correction
//! removes one of its extremes ([`WindowReadings`]). This state
//! is kept for every reading of every vehicle within the horizon, so it is
//! laid out flat: event times in a sorted ring buffer (they arrive mostly in
//! order and leave from the front), and each time's winners as its values
//! alone, packed losslessly into 4 bytes where an `f32` holds them exactly
//! ([`packed`]), beside a list of signals shared with the times before
//! ([`at_time`]).
//!
//! The input is append-only (messages are never retracted); a retraction
//! would be a programming error upstream: it is ignored (and fails a debug
//! assertion).

mod at_time;
mod packed;

use std::collections::VecDeque;

use smallvec::SmallVec;

use schemas::{LogPos, Reading, Signal, Telemetry, TsMs, Value};

use crate::finality::Finality;
use crate::health::extremes::WindowReadings;
use crate::per_vehicle::{VehicleState, per_vehicle};
use crate::{Coll, Diff};
use at_time::AtTime;

/// Flattens messages to readings, keeping the latest-logged value per
/// (fleet, vehicle, signal, event time).
pub fn latest<'s>(messages: Coll<'s, Telemetry>, finality: Finality) -> Coll<'s, Reading> {
    per_vehicle(messages, "Latest", |m| (&m.fleet_id, &m.vehicle_id), move || Winners::new(finality))
}

/// One vehicle's winning reading per (event time, signal) within the horizon,
/// of the signals it keeps.
pub(crate) struct Winners {
    finality: Finality,
    /// The signals kept: a signal no consumer reads is neither kept nor emitted.
    keeps: fn(Signal) -> bool,
    newest: Option<TsMs>,
    /// By event time, ascending.
    current: VecDeque<(TsMs, AtTime)>,
}

impl Winners {
    /// No reading yet; every signal is kept.
    pub(crate) fn new(finality: Finality) -> Self {
        Self::keeping(finality, |_| true)
    }

    /// No reading yet; only the signals `keeps` accepts are kept.
    pub(crate) fn keeping(finality: Finality, keeps: fn(Signal) -> bool) -> Self {
        Winners { finality, keeps, newest: None, current: VecDeque::new() }
    }

    /// The winners at event time `ts`, and whether they were just made from
    /// `kept`, the readings of the message at `pos` (a time seen for the
    /// first time).
    fn at(&mut self, ts: TsMs, pos: LogPos, kept: &[(Signal, Value)]) -> (&mut AtTime, bool) {
        let i = match self.current.back() {
            Some((last, _)) if *last < ts => Err(self.current.len()),
            None => Err(0),
            Some(_) => self.current.binary_search_by_key(&ts, |(t, _)| *t),
        };
        match i {
            Ok(i) => (&mut self.current[i].1, false),
            Err(i) => {
                let layout = self.current.back().map(|(_, at)| at.signals());
                let at = AtTime::new(pos, kept.iter().copied(), layout);
                if self.current.len() == self.current.capacity() {
                    // A quarter more, not double: the deque holds as many
                    // times as the horizon spans, and stays about that long.
                    self.current.reserve_exact((self.current.len() / 4).max(4));
                }
                self.current.insert(i, (ts, at));
                (&mut self.current[i].1, true)
            }
        }
    }

    /// Offers one message's readings (`diff` copies of it; the input is
    /// append-only, so a non-positive `diff` is ignored), calling
    /// `emit(signal, pos, value, diff)` for each change of a winner: the
    /// replaced winner retracted, then the new one inserted.
    pub(crate) fn offer(&mut self, message: &Telemetry, diff: Diff, mut emit: impl FnMut(Signal, LogPos, Value, Diff)) {
        debug_assert!(diff > 0, "latest's input is append-only");
        let kept: SmallVec<[(Signal, Value); 16]> =
            message.values.iter().filter(|(signal, _)| (self.keeps)(*signal)).copied().collect();
        if diff <= 0 || kept.is_empty() {
            return;
        }
        let pos = message.record.pos;
        self.newest = self.newest.max(Some(message.ts_ms));
        let (at_time, new) = self.at(message.ts_ms, pos, &kept);
        if new {
            for (signal, value) in at_time.winners() {
                emit(signal, pos, value, 1);
            }
            return;
        }
        for (signal, value) in kept {
            let (won, replaced) = at_time.offer(signal, pos, value);
            if let Some((old_pos, old_value)) = replaced {
                emit(signal, old_pos, old_value, -1);
            }
            if won {
                emit(signal, pos, value, 1);
            }
        }
    }

    /// Forgets the event times the gate can no longer accept, except those
    /// from `keep_from` on (the fused stages read an open window's readings
    /// back from here).
    pub(crate) fn forget_final(&mut self, keep_from: Option<TsMs>) {
        if let Some(newest) = self.newest {
            let final_before = self.finality.final_through(newest);
            let forget_before = keep_from.map_or(final_before, |keep| keep.min(final_before));
            while self.current.front().is_some_and(|(ts, _)| *ts < forget_before) {
                self.current.pop_front();
            }
        }
    }
}

impl WindowReadings for Winners {
    fn for_each_reading(&self, from: TsMs, to: TsMs, each: &mut dyn FnMut(Signal, Value, Diff)) {
        let first = self.current.partition_point(|(ts, _)| *ts < from);
        let times = self.current.range(first..).take_while(|(ts, _)| *ts < to);
        for (signal, value) in times.flat_map(|(_, at)| at.winners()) {
            each(signal, value, 1);
        }
    }
}

impl VehicleState<Telemetry, Reading> for Winners {
    fn step(&mut self, updates: Vec<(Telemetry, Diff)>, emit: &mut impl FnMut(Reading, Diff)) {
        for (message, diff) in updates {
            self.offer(&message, diff, |signal, pos, value, diff| {
                let reading = Reading {
                    fleet_id: message.fleet_id.clone(),
                    vehicle_id: message.vehicle_id.clone(),
                    ts_ms: message.ts_ms,
                    signal,
                    value,
                    pos,
                };
                emit(reading, diff);
            });
        }
        self.forget_final(None);
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
    fn only_the_signals_kept_are_remembered_and_emitted() {
        let mut winners = Winners::keeping(Finality::default(), |s| s != Signal::VehicleSpeed);
        let mut offered = Vec::new();
        let mut offer = |winners: &mut Winners, m: &Telemetry| {
            winners.offer(m, 1, |signal, pos, value, diff| offered.push((signal, pos.offset, value.get(), diff)))
        };
        offer(&mut winners, &message("v1", 1000, 1, &[(Signal::VehicleSpeed, 50.0)]));
        assert!(winners.current.is_empty(), "a message of no kept signal leaves no time behind");
        offer(&mut winners, &message("v1", 2000, 2, &[(Signal::VehicleSpeed, 60.0), (Signal::CoolantTemp, 90.0)]));
        offer(&mut winners, &message("v1", 2000, 3, &[(Signal::VehicleSpeed, 61.0), (Signal::CoolantTemp, 92.0)]));
        assert_eq!(
            offered,
            [(Signal::CoolantTemp, 2, 90.0, 1), (Signal::CoolantTemp, 2, 90.0, -1), (Signal::CoolantTemp, 3, 92.0, 1)]
        );
        let mut kept = Vec::new();
        winners.for_each_reading(0, 10_000, &mut |signal, value, n| kept.push((signal, value.get(), n)));
        assert_eq!(kept, [(Signal::CoolantTemp, 92.0, 1)]);
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
