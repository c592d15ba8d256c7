//! Cooling system score from engine coolant temperature (ECT).
//!
//! A warm engine's wax thermostat (opens at 86 °C, fully open at 98 °C)
//! holds the coolant inside its band, higher the harder the radiator must
//! work: a clean radiator keeps it at ≤ 93 °C even on a hot day under load,
//! a fouled one needs the thermostat further open, so it runs warmer in
//! every condition long before it runs out of headroom; past the band the
//! radiator no longer rejects the engine's heat, and at ~115–120 °C the
//! coolant boils at cap pressure. The score is 100 at ≤ 93.5 °C and falls
//! linearly to 0 at 99.75 °C, from the window's hottest reading: 80 (watch)
//! at 94.75 °C, 60 (degraded, an alert) at 96 °C, 40 (critical) at 97.25 °C.
//! Above 96 °C a reading is an exceedance. The limits assume that thermostat;
//! an engine with a hotter one needs them moved with it.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, ramp, round2};

/// Coolant temperature at or below which the score is 100, °C.
pub const FULL_C: f64 = 93.5;
/// Coolant temperature at or above which the score is 0, °C.
pub const ZERO_C: f64 = 99.75;
/// A reading above this is an exceedance, °C.
pub const WARN_C: f64 = 96.0;

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
        assert_eq!(cooling_score(93.5), 100.0);
        assert_eq!(cooling_score(94.75), 80.0);
        assert_eq!(cooling_score(96.0), 60.0);
        assert_eq!(cooling_score(97.25), 40.0);
        assert_eq!(cooling_score(98.9), 13.6);
        assert_eq!(cooling_score(99.75), 0.0);
        assert_eq!(cooling_score(120.0), 0.0);
    }
}
