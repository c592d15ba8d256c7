//! Engine score from engine oil temperature (EOT) and powertrain DTCs.
//!
//! Engine oil normally runs at 90–110 °C; above ~120 °C mineral oils thin
//! and oxidise quickly, and at ~150 °C even synthetics break down. The score
//! is 100 at ≤ 110 °C and falls linearly to 0 at 150 °C (hottest reading of
//! the window), minus 15 points per distinct active P-code. Engine speed and
//! load are engine signals too, but rules-v3 does not score them.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, penalised, ramp};

/// Oil temperature at or below which the base score is 100, °C.
pub const FULL_C: f64 = 110.0;
/// Oil temperature at or above which the base score is 0, °C.
pub const ZERO_C: f64 = 150.0;
/// A reading above this is an exceedance, °C.
pub const WARN_C: f64 = 120.0;

/// Engine score from the hottest oil reading and the distinct active P-codes.
pub fn engine_score(oil_c: f64, p_codes: u32) -> f64 {
    penalised(ramp(oil_c, FULL_C, ZERO_C), p_codes)
}

/// The engine rule: oil temperature, higher is worse, P-codes penalise.
pub const RULE: Rule = Rule {
    component: Component::Engine,
    rank: |s| (s == Signal::OilTemp).then_some(0),
    worse: Worse::Higher,
    warn: WARN_C,
    dtc_letter: Some('P'),
    score: engine_score,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_scores_follow_the_oil_ramp_minus_p_codes() {
        assert_eq!(engine_score(95.0, 0), 100.0);
        assert_eq!(engine_score(110.0, 0), 100.0);
        assert_eq!(engine_score(120.0, 0), 75.0);
        assert_eq!(engine_score(130.0, 0), 50.0);
        assert_eq!(engine_score(130.0, 1), 35.0);
        assert_eq!(engine_score(95.0, 2), 70.0);
        assert_eq!(engine_score(145.0, 1), 0.0);
        assert_eq!(engine_score(160.0, 0), 0.0);
    }
}
