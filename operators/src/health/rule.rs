//! The shape of a rules-v3 component scorer: which signals it reads, which
//! direction of its primary signal is worse, where the warning limit sits and
//! how a window's worst value and DTC count become a 0–100 score.
//!
//! Each component file in this folder declares one [`Rule`]; the window
//! features and the operator are generic over it.

use schemas::{Component, Signal};

/// Which direction of the primary signal is bad for the component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Worse {
    /// High values are bad (temperatures, pad wear).
    Higher,
    /// Low values are bad (voltage, tire pressure).
    Lower,
}

impl Worse {
    /// True when `a` is strictly worse than `b`.
    pub fn is_worse(self, a: f64, b: f64) -> bool {
        match self {
            Worse::Higher => a > b,
            Worse::Lower => a < b,
        }
    }
}

/// How one component is scored from one window of readings.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The component scored.
    pub component: Component,
    /// Rank of a primary signal (0 preferred); a window uses only the
    /// best-ranked signals it holds, so a fallback signal counts only when
    /// the preferred one is absent. `None` for every other signal.
    pub rank: fn(Signal) -> Option<u8>,
    /// Which direction of the primary signal is bad.
    pub worse: Worse,
    /// Warning limit of the primary signal: a reading past it is an exceedance.
    pub warn: f64,
    /// The DTC letter attributed to the component (`P` engine, `C` brakes).
    pub dtc_letter: Option<char>,
    /// The score from the window's worst primary value and its distinct DTC count.
    pub score: fn(worst: f64, dtcs: u32) -> f64,
}

impl Rule {
    /// True when a reading of `signal` informs this rule.
    pub fn reads(&self, signal: Signal) -> bool {
        match signal {
            Signal::Dtc(dtc) => self.dtc_letter == Some(dtc.letter()),
            other => (self.rank)(other).is_some(),
        }
    }
}

/// Points a score loses per distinct active DTC attributed to the component.
pub const DTC_PENALTY: f64 = 15.0;

/// Linear ramp: 100 at `full` or better, 0 at `zero` or worse, linear between
/// (works in either direction: `full < zero` for "higher is worse").
pub fn ramp(x: f64, full: f64, zero: f64) -> f64 {
    ((zero - x) / (zero - full) * 100.0).clamp(0.0, 100.0)
}

/// A ramp score minus [`DTC_PENALTY`] per DTC, floored at 0 and rounded to 0.01.
pub fn penalised(base: f64, dtcs: u32) -> f64 {
    round2((base - DTC_PENALTY * f64::from(dtcs)).max(0.0))
}

/// Rounds to two decimals, so equal physics gives bit-equal scores.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_runs_both_ways_and_clamps() {
        assert_eq!(ramp(100.0, 100.0, 125.0), 100.0);
        assert_eq!(ramp(90.0, 100.0, 125.0), 100.0);
        assert_eq!(ramp(112.5, 100.0, 125.0), 50.0);
        assert_eq!(ramp(130.0, 100.0, 125.0), 0.0);
        assert_eq!(ramp(185.0, 220.0, 150.0), 50.0);
        assert_eq!(ramp(260.0, 220.0, 150.0), 100.0);
    }

    #[test]
    fn penalty_floors_at_zero_and_rounds() {
        assert_eq!(penalised(100.0, 2), 70.0);
        assert_eq!(penalised(10.0, 1), 0.0);
        assert_eq!(penalised(49.999_999_9, 0), 50.0);
    }
}
