//! The readings the standalone [`health`](super::health) operator was given,
//! kept while their window is open: what a window's stale extremes are
//! recomputed from. (The fused stages read them from the vehicle's latest
//! readings instead, which they keep anyway.)

use std::collections::BTreeMap;

use schemas::{Signal, TsMs, Value};

use super::extremes::WindowReadings;
use crate::Diff;

/// Every reading with a non-zero multiplicity, by event time.
#[derive(Default)]
pub(crate) struct KeptReadings(BTreeMap<TsMs, Vec<(Signal, Value, Diff)>>);

impl KeptReadings {
    /// Applies `diff` copies of a reading.
    pub(crate) fn update(&mut self, ts_ms: TsMs, signal: Signal, value: Value, diff: Diff) {
        let at = self.0.entry(ts_ms).or_default();
        match at.iter().position(|(s, v, _)| *s == signal && *v == value) {
            Some(i) => {
                at[i].2 += diff;
                if at[i].2 == 0 {
                    at.swap_remove(i);
                }
            }
            None if diff != 0 => at.push((signal, value, diff)),
            None => {}
        }
        if at.is_empty() {
            self.0.remove(&ts_ms);
        }
    }

    /// Forgets the readings before `ts_ms`.
    pub(crate) fn forget_before(&mut self, ts_ms: TsMs) {
        self.0 = self.0.split_off(&ts_ms);
    }
}

impl WindowReadings for KeptReadings {
    fn for_each_reading(&self, from: TsMs, to: TsMs, each: &mut dyn FnMut(Signal, Value, Diff)) {
        let present = self.0.range(from..to).flat_map(|(_, at)| at).filter(|(_, _, n)| *n > 0);
        present.for_each(|(s, v, n)| each(*s, *v, *n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(kept: &KeptReadings, from: TsMs, to: TsMs, signal: Signal) -> Vec<f64> {
        let mut out = Vec::new();
        kept.for_each_value(from, to, &|s| s == signal, &mut |v| out.push(v.get()));
        out
    }

    #[test]
    fn readings_in_range_of_the_wanted_signal_are_read_back_until_forgotten() {
        let mut kept = KeptReadings::default();
        kept.update(10, Signal::OilTemp, Value(90.0), 1);
        kept.update(10, Signal::CoolantTemp, Value(80.0), 1);
        kept.update(20, Signal::OilTemp, Value(95.0), 1);
        kept.update(20, Signal::OilTemp, Value(97.0), 1);
        kept.update(20, Signal::OilTemp, Value(95.0), -1);
        kept.update(30, Signal::OilTemp, Value(99.0), 1);
        assert_eq!(values(&kept, 10, 30, Signal::OilTemp), [90.0, 97.0]);
        assert_eq!(values(&kept, 0, 100, Signal::CoolantTemp), [80.0]);
        kept.forget_before(20);
        assert_eq!(values(&kept, 0, 100, Signal::OilTemp), [97.0, 99.0]);
        kept.update(30, Signal::OilTemp, Value(99.0), -1);
        assert_eq!(kept.0.keys().copied().collect::<Vec<_>>(), [20]);
    }
}
