//! Turbofan score from the LPT outlet temperature (T50, C-MAPSS sensor 4).
//!
//! Exhaust gas temperature is the classic health indicator of a gas turbine:
//! as the compressor and turbines wear, the engine runs hotter for the same
//! thrust. In the C-MAPSS FD001 fleet T50 starts near 1 400 °R and ends
//! near 1 430–1 440 °R at failure. The score is 100 at ≤ 1 400 °R and falls
//! linearly to 0 at 1 440 °R, from the window's hottest reading; past
//! 1 420 °R a reading is an exceedance. This is the rules-v3 fallback: a
//! trained model (see `prognostics`) replaces it when one is loaded.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, ramp, round2};

/// The C-MAPSS sensor number of T50.
pub const T50_SENSOR: u8 = 4;
/// T50 at or below which the score is 100, °R.
pub const FULL_R: f64 = 1400.0;
/// T50 at or above which the score is 0, °R.
pub const ZERO_R: f64 = 1440.0;
/// A reading above this is an exceedance, °R.
pub const WARN_R: f64 = 1420.0;

/// Turbofan score from the hottest T50 reading of a window.
pub fn turbofan_score(t50_r: f64) -> f64 {
    round2(ramp(t50_r, FULL_R, ZERO_R))
}

/// The turbofan rule: T50, higher is worse, no DTCs.
pub const RULE: Rule = Rule {
    component: Component::Turbofan,
    rank: |s| (s == Signal::Sensor(T50_SENSOR)).then_some(0),
    worse: Worse::Higher,
    warn: WARN_R,
    dtc_letter: None,
    score: |worst, _| turbofan_score(worst),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turbofan_scores_follow_the_t50_ramp() {
        assert_eq!(turbofan_score(1395.0), 100.0);
        assert_eq!(turbofan_score(1410.0), 75.0);
        assert_eq!(turbofan_score(1433.3), 16.75);
        assert_eq!(turbofan_score(1450.0), 0.0);
        assert!(RULE.reads(Signal::Sensor(4)) && !RULE.reads(Signal::Sensor(7)));
    }
}
