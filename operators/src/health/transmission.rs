//! Transmission score from transmission fluid temperature.
//!
//! Automatic transmission fluid lives at 80–100 °C; every ~10 °C above that
//! roughly halves its life, and past ~140 °C varnish forms and clutches
//! slip. Fluid that runs 8 °C past its normal range already loses life
//! twice as fast and means slip or a cooler problem, so that is the alert:
//! the score is 100 at ≤ 95 °C (the score starts to move while the fluid is
//! still in range, so a trend shows early) and falls linearly to 0 at
//! 127.5 °C, from the window's hottest reading: 80 (watch) at 101.5 °C, 60
//! (degraded, an alert) at 108 °C, 40 (critical) at 114.5 °C. Above 108 °C
//! a reading is an exceedance.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, ramp, round2};

/// Fluid temperature at or below which the score is 100, °C.
pub const FULL_C: f64 = 95.0;
/// Fluid temperature at or above which the score is 0, °C.
pub const ZERO_C: f64 = 127.5;
/// A reading above this is an exceedance, °C.
pub const WARN_C: f64 = 108.0;

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
        assert_eq!(transmission_score(95.0), 100.0);
        assert_eq!(transmission_score(101.5), 80.0);
        assert_eq!(transmission_score(108.0), 60.0);
        assert_eq!(transmission_score(114.5), 40.0);
        assert_eq!(transmission_score(120.0), 23.08);
        assert_eq!(transmission_score(127.5), 0.0);
        assert_eq!(transmission_score(150.0), 0.0);
    }
}
