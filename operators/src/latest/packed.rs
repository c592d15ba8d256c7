//! The winning values of one event time, each in 4 bytes when an `f32`
//! holds it exactly and in 8 otherwise: lossless.
//!
//! A vehicle's readings are kept for the whole correction horizon, and they
//! were the largest part of the dataflow's state. Most sensor values are
//! whole numbers or binary fractions (a temperature in °C, an engine speed in
//! quarter rpm, a pad wear in half percent), which an `f32` holds exactly;
//! decimal fractions (a voltage in mV, an odometer in tenths of a km) are
//! not, and keep their 8 bytes.

use smallvec::SmallVec;

use schemas::Value;

/// Values by index; which of the first 64 are wide is a bit mask, and every
/// value from the 65th on is wide.
#[derive(Debug)]
pub(super) struct Packed {
    /// Bit `i` set: value `i` takes two words.
    wide: u64,
    /// The values in order: one word each when narrow, two (low, high) when wide.
    words: Box<[u32]>,
}

/// The `f32` bits of `value` when an `f32` holds it exactly: the same `f64`
/// bits come back (so `-0.0` stays, and a NaN is narrowed only when its
/// payload survives).
fn narrow(value: Value) -> Option<u32> {
    let single = value.get() as f32;
    (f64::from(single).to_bits() == value.get().to_bits()).then_some(single.to_bits())
}

impl Packed {
    /// `values`, in order.
    pub(super) fn new(values: impl IntoIterator<Item = Value>) -> Self {
        let mut wide = 0u64;
        let mut words: SmallVec<[u32; 32]> = SmallVec::new();
        for (i, value) in values.into_iter().enumerate() {
            match narrow(value) {
                Some(single) if i < 64 => words.push(single),
                _ => {
                    if i < 64 {
                        wide |= 1 << i;
                    }
                    let bits = value.get().to_bits();
                    words.extend([bits as u32, (bits >> 32) as u32]);
                }
            }
        }
        Packed { wide, words: words.into_iter().collect() }
    }

    /// Whether value `i` takes two words.
    fn is_wide(&self, i: usize) -> bool {
        i >= 64 || self.wide & (1 << i) != 0
    }

    /// The first word of value `i`: one word per value before it, and one
    /// more per wide one.
    fn offset(&self, i: usize) -> usize {
        if i < 64 {
            i + (self.wide & ((1u64 << i) - 1)).count_ones() as usize
        } else {
            i + self.wide.count_ones() as usize + (i - 64)
        }
    }

    /// The value at word `at`, wide or not.
    fn read(&self, at: usize, wide: bool) -> Value {
        if wide {
            Value(f64::from_bits(u64::from(self.words[at]) | u64::from(self.words[at + 1]) << 32))
        } else {
            Value(f64::from(f32::from_bits(self.words[at])))
        }
    }

    /// Value `i`.
    pub(super) fn get(&self, i: usize) -> Value {
        self.read(self.offset(i), self.is_wide(i))
    }

    /// Every value, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = Value> + '_ {
        let mut at = 0;
        (0..).map_while(move |i| {
            let wide = self.is_wide(i);
            (at < self.words.len()).then(|| {
                let value = self.read(at, wide);
                at += if wide { 2 } else { 1 };
                value
            })
        })
    }

    /// Makes value `i` `value`: in place when it takes as many words as the
    /// one it replaces.
    pub(super) fn set(&mut self, i: usize, value: Value) {
        let at = self.offset(i);
        match (narrow(value), self.is_wide(i)) {
            (Some(single), false) => self.words[at] = single,
            (None, true) => {
                let bits = value.get().to_bits();
                (self.words[at], self.words[at + 1]) = (bits as u32, (bits >> 32) as u32);
            }
            _ => self.rebuild(|values| values[i] = value),
        }
    }

    /// Inserts `value` as value `i`, shifting the ones after it.
    pub(super) fn insert(&mut self, i: usize, value: Value) {
        self.rebuild(|values| values.insert(i, value));
    }

    /// Re-packs the values after `change`.
    fn rebuild(&mut self, change: impl FnOnce(&mut SmallVec<[Value; 16]>)) {
        let mut values: SmallVec<[Value; 16]> = self.iter().collect();
        change(&mut values);
        *self = Packed::new(values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(packed: &Packed) -> Vec<u64> {
        packed.iter().map(|v| v.get().to_bits()).collect()
    }

    fn bits(values: &[f64]) -> Vec<u64> {
        values.iter().map(|v| v.to_bits()).collect()
    }

    #[test]
    fn exact_singles_take_one_word_and_the_rest_two_losslessly() {
        let given = [90.0, 12.61, -0.0, 2200.25, 10_000.1, f64::NAN, 0.5, 1e300];
        let packed = Packed::new(given.map(Value));
        assert_eq!(packed.wide, 0b1001_0010, "12.61, 10 000.1 and 1e300 are wide");
        assert_eq!(packed.words.len(), 11);
        assert_eq!(values(&packed), bits(&given));
        assert_eq!((0..given.len()).map(|i| packed.get(i).get().to_bits()).collect::<Vec<_>>(), bits(&given));
    }

    #[test]
    fn set_and_insert_change_widths_where_needed() {
        let mut packed = Packed::new([1.0, 2.0, 3.0].map(Value));
        packed.set(1, Value(2.5));
        assert_eq!((packed.wide, packed.words.len()), (0, 3), "narrow for narrow, in place");
        packed.set(1, Value(0.1));
        assert_eq!((packed.wide, packed.words.len()), (0b10, 4));
        packed.insert(0, Value(0.2));
        assert_eq!(packed.wide, 0b101);
        packed.set(2, Value(7.0));
        assert_eq!(values(&packed), bits(&[0.2, 1.0, 7.0, 3.0]));
        assert_eq!(packed.words.len(), 5);
    }

    #[test]
    fn values_past_the_64th_are_always_wide() {
        let given: Vec<f64> = (0..70).map(f64::from).collect();
        let mut packed = Packed::new(given.iter().copied().map(Value));
        assert_eq!((packed.wide, packed.words.len()), (0, 64 + 2 * 6));
        assert_eq!(values(&packed), bits(&given));
        packed.set(3, Value(0.3));
        packed.set(66, Value(5.5));
        assert_eq!(packed.get(3).get(), 0.3);
        assert_eq!(packed.get(66).get(), 5.5);
        assert_eq!(packed.get(69).get(), 69.0);
        assert_eq!(packed.iter().count(), 70);
    }
}
