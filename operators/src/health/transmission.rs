//! Transmission score from transmission fluid temperature.
//!
//! Automatic transmission fluid lives at 80–100 °C; every ~10 °C above that
//! roughly halves its life, and past ~140 °C varnish forms and clutches
//! slip. The score is 100 at ≤ 100 °C and falls linearly to 0 at 140 °C,
//! from the window's hottest reading; above 110 °C a reading is an exceedance.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, ramp, round2};

/// Fluid temperature at or below which the score is 100, °C.
pub const FULL_C: f64 = 100.0;
/// Fluid temperature at or above which the score is 0, °C.
pub const ZERO_C: f64 = 140.0;
/// A reading above this is an exceedance, °C.
pub const WARN_C: f64 = 110.0;

/// Transmission score from the hottest fluid reading of a window.
pub fn transmission_score(fluid_c: f64) -> f64 {
    round2(ramp(fluid_c, FULL_C, ZERO_C))
}

/// The transmission rule: fluid temperature, higher is worse, no DTCs.
pub const RULE: Rule = Rule {
    component: Component::Transmission,
    rank: |s| (s == Signal::TransmissionTemp).then_some(0),
    worse: Worse::Higher,
    warn: WARN_C,
    dtc_letter: None,
    score: |worst, _| transmission_score(worst),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transmission_scores_follow_the_fluid_ramp() {
        assert_eq!(transmission_score(85.0), 100.0);
        assert_eq!(transmission_score(110.0), 75.0);
        assert_eq!(transmission_score(120.0), 50.0);
        assert_eq!(transmission_score(133.0), 17.5);
        assert_eq!(transmission_score(150.0), 0.0);
    }
}
