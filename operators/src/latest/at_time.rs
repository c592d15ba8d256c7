//! The winning readings of one vehicle at one event time, laid out for a
//! state kept for every message of every vehicle within the horizon.
//!
//! A vehicle sends the same signals in message after message, so the
//! sorted list of signals is shared between consecutive times (one
//! reference-counted allocation, behind a thin pointer) and each time holds
//! only its values, packed ([`Packed`]): 4 or 8 bytes a reading, where a
//! (signal, message, value) triple took 16. Almost
//! every time is one message: its log position is held once, and the
//! positions of any later messages at the same time (corrections) and which
//! winner came from which live apart, allocated only when such a message
//! arrives.

use std::sync::Arc;

use smallvec::SmallVec;

use schemas::{LogPos, Signal, Value};

use super::packed::Packed;

/// A sorted list of signals, shared by the times that have the same.
pub(super) type Layout = Arc<Box<[Signal]>>;

/// The winners at one event time.
pub(super) struct AtTime {
    /// The log position of the first message seen at this time.
    first: LogPos,
    /// The signals with a winner, ascending.
    signals: Layout,
    /// Each signal's winning value, in `signals` order.
    values: Packed,
    /// Set once a second message arrives at this time.
    later: Option<Box<Later>>,
}

/// The messages after the first at one event time.
struct Later {
    /// Their log positions, in arrival order.
    positions: Vec<LogPos>,
    /// For each signal (in `signals` order), the message its winner came
    /// from: 0 for the first, `i + 1` for `positions[i]`.
    from: Vec<u32>,
}

impl AtTime {
    /// The winners of the first message at a time, `readings` in any order.
    /// `layout` is a neighbouring time's signals, shared when the same.
    pub(super) fn new(pos: LogPos, readings: impl Iterator<Item = (Signal, Value)>, layout: Option<&Layout>) -> Self {
        let mut sorted: SmallVec<[(Signal, Value); 16]> = readings.collect();
        // Should a message repeat a signal, its larger value wins.
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        sorted.dedup_by_key(|(signal, _)| *signal);
        let same = layout.filter(|l| l.iter().eq(sorted.iter().map(|(s, _)| s)));
        let signals = same.cloned().unwrap_or_else(|| Arc::new(sorted.iter().map(|(s, _)| *s).collect()));
        AtTime { first: pos, signals, values: Packed::new(sorted.iter().map(|(_, v)| *v)), later: None }
    }

    /// The signals with a winner, ascending.
    pub(super) fn signals(&self) -> &Layout {
        &self.signals
    }

    /// Every winner: (signal, value), by signal.
    pub(super) fn winners(&self) -> impl Iterator<Item = (Signal, Value)> + '_ {
        self.signals.iter().copied().zip(self.values.iter())
    }

    /// The log position of the message winner `i` came from.
    fn position(&self, i: usize) -> LogPos {
        match self.later.as_ref().map(|l| l.from[i]) {
            Some(m) if m > 0 => self.later.as_ref().map_or(self.first, |l| l.positions[m as usize - 1]),
            _ => self.first,
        }
    }

    /// The index of `pos` among the messages (0: the first), added when new.
    fn message(&mut self, pos: LogPos) -> u32 {
        if pos == self.first {
            return 0;
        }
        let signals = self.signals.len();
        let later = self.later.get_or_insert_with(|| Box::new(Later { positions: Vec::new(), from: vec![0; signals] }));
        let index = later.positions.iter().rposition(|p| *p == pos).unwrap_or_else(|| {
            later.positions.push(pos);
            later.positions.len() - 1
        });
        index as u32 + 1
    }

    /// Makes `(pos, value)` the winner of `signal` unless the current winner
    /// is at least as late (by position, then value). Returns whether it won,
    /// and the `(pos, value)` it replaced.
    pub(super) fn offer(&mut self, signal: Signal, pos: LogPos, value: Value) -> (bool, Option<(LogPos, Value)>) {
        match self.signals.binary_search(&signal) {
            Ok(i) => {
                let current = (self.position(i), self.values.get(i));
                if current >= (pos, value) {
                    return (false, None);
                }
                let message = self.message(pos);
                if let Some(later) = self.later.as_mut() {
                    later.from[i] = message;
                }
                self.values.set(i, value);
                (true, Some(current))
            }
            Err(i) => {
                let message = self.message(pos);
                let mut signals = self.signals.to_vec();
                signals.insert(i, signal);
                self.signals = Arc::new(signals.into_boxed_slice());
                self.values.insert(i, value);
                if let Some(later) = self.later.as_mut() {
                    later.from.insert(i, message);
                }
                (true, None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(offset: i64) -> LogPos {
        LogPos { partition: 0, offset }
    }

    fn winners(at: &AtTime) -> Vec<(Signal, f64, i64)> {
        at.winners().enumerate().map(|(i, (s, v))| (s, v.get(), at.position(i).offset)).collect()
    }

    #[test]
    fn a_message_is_sorted_by_signal_and_shares_an_equal_layout() {
        let readings = [(Signal::OilTemp, Value(95.0)), (Signal::CoolantTemp, Value(90.0))];
        let at = AtTime::new(pos(1), readings.into_iter(), None);
        assert_eq!(winners(&at), [(Signal::CoolantTemp, 90.0, 1), (Signal::OilTemp, 95.0, 1)]);
        let next = AtTime::new(
            pos(2),
            [(Signal::CoolantTemp, Value(91.0)), (Signal::OilTemp, Value(96.0))].into_iter(),
            Some(at.signals()),
        );
        assert!(Arc::ptr_eq(next.signals(), at.signals()), "the same signals share one allocation");
        let other = AtTime::new(pos(3), [(Signal::CoolantTemp, Value(92.0))].into_iter(), Some(at.signals()));
        assert!(!Arc::ptr_eq(other.signals(), at.signals()));
        let repeated =
            AtTime::new(pos(4), [(Signal::OilTemp, Value(1.0)), (Signal::OilTemp, Value(3.0))].into_iter(), None);
        assert_eq!(winners(&repeated), [(Signal::OilTemp, 3.0, 4)], "a repeated signal: the larger value wins");
    }

    #[test]
    fn later_messages_win_by_position_then_value_and_new_signals_are_inserted_in_order() {
        let mut at = AtTime::new(
            pos(5),
            [(Signal::CoolantTemp, Value(90.0)), (Signal::VehicleSpeed, Value(50.0))].into_iter(),
            None,
        );
        assert_eq!(at.offer(Signal::CoolantTemp, pos(4), Value(99.0)), (false, None), "an earlier position loses");
        assert_eq!(at.offer(Signal::CoolantTemp, pos(5), Value(80.0)), (false, None), "same position, lower value");
        assert!(at.later.is_none(), "no later message yet");
        assert_eq!(at.offer(Signal::CoolantTemp, pos(7), Value(88.0)), (true, Some((pos(5), Value(90.0)))));
        assert_eq!(at.offer(Signal::OilTemp, pos(8), Value(101.0)), (true, None));
        assert_eq!(
            winners(&at),
            [(Signal::CoolantTemp, 88.0, 7), (Signal::OilTemp, 101.0, 8), (Signal::VehicleSpeed, 50.0, 5)]
        );
        assert_eq!(at.offer(Signal::OilTemp, pos(7), Value(1.0)), (false, None));
        assert_eq!(at.offer(Signal::VehicleSpeed, pos(7), Value(55.0)), (true, Some((pos(5), Value(50.0)))));
        assert_eq!(at.later.as_ref().map(|l| l.positions.clone()), Some(vec![pos(7), pos(8)]));
    }
}
