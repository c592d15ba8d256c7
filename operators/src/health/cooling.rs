//! Cooling system score from engine coolant temperature (ECT).
//!
//! A warm engine holds its coolant at the thermostat's 85–95 °C while the
//! radiator keeps up; a coolant above that means the radiator no longer
//! rejects the engine's heat (it shows first on hot days and heavy loads),
//! and at ~115–120 °C the coolant boils at cap pressure. The score is 100 at
//! ≤ 94 °C and falls linearly to 0 at 112 °C, from the window's hottest
//! reading: 80 (watch) at 97.6 °C, 60 (degraded, an alert) at 101.2 °C.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, ramp, round2};

/// Coolant temperature at or below which the score is 100, °C.
pub const FULL_C: f64 = 94.0;
/// Coolant temperature at or above which the score is 0, °C.
pub const ZERO_C: f64 = 112.0;
/// A reading above this is an exceedance, °C.
pub const WARN_C: f64 = 100.0;

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
        assert_eq!(cooling_score(94.0), 100.0);
        assert_eq!(cooling_score(97.6), 80.0);
        assert_eq!(cooling_score(101.2), 60.0);
        assert_eq!(cooling_score(110.5), 8.33);
        assert_eq!(cooling_score(112.0), 0.0);
        assert_eq!(cooling_score(140.0), 0.0);
    }
}
