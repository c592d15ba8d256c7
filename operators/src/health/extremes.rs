//! The lowest and highest of one series' values in one window, under
//! inserts and retractions, without keeping the values.
//!
//! The values themselves are the window's readings, which the vehicle's
//! reading store already keeps ([`WindowReadings`]). A window used to keep
//! a second, sorted copy of every value of every series, to read its
//! extremes: the largest part of the health state. An insertion only
//! widens the extremes; a retraction of a value strictly inside them leaves
//! them as they are; only the retraction of an extreme itself (a corrected
//! reading, which is rare) makes them stale, and they are then recomputed
//! from the window's readings before they are read.

use schemas::{Signal, TsMs, Value};

use crate::Diff;

/// Where a window's readings are read back: every current reading of the
/// vehicle at an event time the window covers.
pub(crate) trait WindowReadings {
    /// Calls `each(signal, value, copies)` for every current reading at
    /// event times in `[from, to)`.
    fn for_each_reading(&self, from: TsMs, to: TsMs, each: &mut dyn FnMut(Signal, Value, Diff));

    /// Calls `each` with the value of every current reading of a signal
    /// `wanted` accepts, at event times in `[from, to)`.
    fn for_each_value(&self, from: TsMs, to: TsMs, wanted: &dyn Fn(Signal) -> bool, each: &mut dyn FnMut(Value)) {
        self.for_each_reading(from, to, &mut |signal, value, _| {
            if wanted(signal) {
                each(value)
            }
        });
    }
}

/// The count and extremes of a multiset of values.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Extremes {
    count: i32,
    /// A retraction removed an extreme: recompute before reading.
    stale: bool,
    lowest: Value,
    highest: Value,
}

impl Extremes {
    /// Adds `weight` copies of `value`, or removes `-weight` copies when
    /// negative (a value is removed only after it was added).
    pub fn add(&mut self, value: Value, weight: i32) {
        let before = self.count;
        self.count += weight;
        if weight > 0 {
            if before <= 0 {
                (self.lowest, self.highest, self.stale) = (value, value, false);
            } else {
                self.lowest = self.lowest.min(value);
                self.highest = self.highest.max(value);
            }
        } else if self.count <= 0 {
            self.stale = false;
        } else if weight < 0 && (value == self.lowest || value == self.highest) {
            self.stale = true;
        }
    }

    /// How many values are present.
    pub fn count(&self) -> i32 {
        self.count
    }

    /// True when a retraction removed an extreme and they must be
    /// [`recomputed`](Self::recompute) before they are read.
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// The lowest and the highest value present; `None` when empty.
    pub fn get(&self) -> Option<(Value, Value)> {
        debug_assert!(!self.stale, "stale extremes read before they were recomputed");
        (self.count > 0).then_some((self.lowest, self.highest))
    }

    /// Recomputes the extremes from every value present.
    pub fn recompute(&mut self, values: impl FnOnce(&mut dyn FnMut(Value))) {
        let mut extremes: Option<(Value, Value)> = None;
        values(&mut |v| {
            extremes = Some(extremes.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
        });
        debug_assert!(extremes.is_some() == (self.count > 0), "the readings disagree with the count");
        if let Some((lowest, highest)) = extremes {
            (self.lowest, self.highest) = (lowest, highest);
        }
        self.stale = false;
    }

    /// Recomputes stale extremes from the readings of the signals `wanted`
    /// accepts in `[from, to)` of `readings`.
    pub(crate) fn refresh(
        &mut self,
        readings: &impl WindowReadings,
        from: TsMs,
        to: TsMs,
        wanted: &dyn Fn(Signal) -> bool,
    ) {
        if self.stale {
            self.recompute(|each| readings.for_each_value(from, to, wanted, each));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(values: &[f64]) -> impl FnOnce(&mut dyn FnMut(Value)) + '_ {
        move |each| values.iter().for_each(|v| each(Value(*v)))
    }

    #[test]
    fn insertions_widen_and_only_a_retracted_extreme_goes_stale() {
        let mut e = Extremes::default();
        assert_eq!(e.get(), None);
        for v in [5.0, 1.0, 9.0, 5.0] {
            e.add(Value(v), 1);
        }
        assert_eq!((e.count(), e.get()), (4, Some((Value(1.0), Value(9.0)))));
        e.add(Value(5.0), -1);
        assert!(!e.is_stale(), "a value inside the extremes leaves them");
        assert_eq!(e.get(), Some((Value(1.0), Value(9.0))));
        e.add(Value(9.0), -1);
        assert!(e.is_stale());
        e.add(Value(2.0), 1);
        assert!(e.is_stale(), "an insertion does not make stale extremes right");
        e.recompute(of(&[1.0, 5.0, 2.0]));
        assert_eq!((e.count(), e.get()), (3, Some((Value(1.0), Value(5.0)))));
        e.add(Value(7.0), 0);
        assert_eq!(e.get(), Some((Value(1.0), Value(5.0))), "a zero weight changes nothing");
    }

    #[test]
    fn emptied_extremes_are_not_stale_and_restart_from_the_next_value() {
        let mut e = Extremes::default();
        e.add(Value(3.0), 2);
        e.add(Value(3.0), -2);
        assert!(!e.is_stale());
        assert_eq!((e.count(), e.get()), (0, None));
        e.add(Value(8.0), 1);
        assert_eq!(e.get(), Some((Value(8.0), Value(8.0))));
    }
}
