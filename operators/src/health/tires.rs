//! Tire score from the worst pressure deficit against a 240 kPa nominal.
//!
//! Passenger tires are typically inflated to ~240 kPa cold. Up to a 20 kPa
//! deficit (≥ 220 kPa) is normal drift; at 150 kPa (a 90 kPa deficit) the
//! sidewall flexes enough to overheat. The score is 100 at ≥ 220 kPa and
//! falls linearly to 0 at ≤ 150 kPa, from the lowest reading of the wheel
//! with the worst deficit; below 220 kPa a reading is an exceedance.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, ramp, round2};

/// Nominal cold inflation pressure, kPa.
pub const NOMINAL_KPA: f64 = 240.0;
/// Pressure at or above which the score is 100 (a 20 kPa deficit), kPa.
pub const FULL_KPA: f64 = NOMINAL_KPA - 20.0;
/// Pressure at or below which the score is 0 (a 90 kPa deficit), kPa.
pub const ZERO_KPA: f64 = NOMINAL_KPA - 90.0;

/// Tire score from the lowest pressure of the worst wheel, kPa.
pub fn tire_score(kpa: f64) -> f64 {
    round2(ramp(kpa, FULL_KPA, ZERO_KPA))
}

/// The tire rule: pressure per wheel, lower is worse, no DTCs.
pub const RULE: Rule = Rule {
    component: Component::Tires,
    rank: |s| matches!(s, Signal::TirePressure(_)).then_some(0),
    worse: Worse::Lower,
    warn: FULL_KPA,
    dtc_letter: None,
    score: |worst, _| tire_score(worst),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tire_scores_follow_the_deficit_ramp() {
        assert_eq!(tire_score(245.0), 100.0);
        assert_eq!(tire_score(220.0), 100.0);
        assert_eq!(tire_score(185.0), 50.0);
        assert_eq!(tire_score(164.0), 20.0);
        assert_eq!(tire_score(150.0), 0.0);
        assert_eq!(tire_score(90.0), 0.0);
    }
}
