//! Cooling system score from engine coolant temperature (ECT).
//!
//! A warm engine runs its coolant at 85–100 °C with the thermostat open;
//! above ~105 °C the system is struggling and at ~125 °C most coolants boil
//! at cap pressure. The score is 100 at ≤ 100 °C and falls linearly to 0 at
//! 125 °C, from the window's hottest reading.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, ramp, round2};

/// Coolant temperature at or below which the score is 100, °C.
pub const FULL_C: f64 = 100.0;
/// Coolant temperature at or above which the score is 0, °C.
pub const ZERO_C: f64 = 125.0;
/// A reading above this is an exceedance, °C.
pub const WARN_C: f64 = 105.0;

/// Cooling score from the hottest coolant reading of a window.
pub fn cooling_score(coolant_c: f64) -> f64 {
    round2(ramp(coolant_c, FULL_C, ZERO_C))
}

/// The cooling rule: coolant temperature, higher is worse, no DTCs.
pub const RULE: Rule = Rule {
    component: Component::Cooling,
    rank: |s| (s == Signal::CoolantTemp).then_some(0),
    worse: Worse::Higher,
    warn: WARN_C,
    dtc_letter: None,
    score: |worst, _| cooling_score(worst),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cooling_scores_follow_the_coolant_ramp() {
        assert_eq!(cooling_score(92.0), 100.0);
        assert_eq!(cooling_score(100.0), 100.0);
        assert_eq!(cooling_score(105.0), 80.0);
        assert_eq!(cooling_score(115.0), 40.0);
        assert_eq!(cooling_score(122.0), 12.0);
        assert_eq!(cooling_score(125.0), 0.0);
        assert_eq!(cooling_score(140.0), 0.0);
    }
}
