//! A totally ordered, hashable `f64`, so measured values can live inside
//! differential-dataflow collections (which require `Ord + Hash`).

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

/// A measured value in the unit its signal declares.
///
/// Ordering is `f64::total_cmp`; equality and hashing use the bit pattern,
/// so `Value` is a lawful key. Decoders never produce NaN.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Value(pub f64);

impl Value {
    /// The plain `f64`.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Value {}

impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Value {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value(v)
    }
}
