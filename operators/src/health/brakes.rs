//! Brake score from pad wear per wheel and chassis DTCs.
//!
//! Pad wear is reported as a percentage of the usable friction material
//! consumed (0 new, 100 worn to the backing plate). Pads are meant to wear,
//! so the score stays 100 up to 40 % wear and then falls linearly with the
//! most worn pad of the window: 60 (degraded, an alert) at 70 % wear (≈ 3 mm
//! left on a 10 mm pad, the usual replacement point), 40 (critical) at 85 %
//! and 20 at the backing plate; minus 15 points per distinct active C-code
//! (ABS/ESC faults). Past 70 % wear a reading is an exceedance.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, penalised, ramp};

/// Pad wear up to which the score is 100, %.
pub const FULL_PCT: f64 = 40.0;
/// Pad wear at which the ramp reaches 0 (beyond the backing plate, so a worn-out pad scores 20), %.
pub const ZERO_PCT: f64 = 115.0;
/// Pad wear past which a reading is an exceedance, %.
pub const WARN_PCT: f64 = 70.0;

/// Brake score from the most worn pad (%) and the distinct active C-codes.
pub fn brake_score(wear_pct: f64, c_codes: u32) -> f64 {
    penalised(ramp(wear_pct, FULL_PCT, ZERO_PCT), c_codes)
}

/// The brake rule: pad wear per wheel, higher is worse, C-codes penalise.
pub const RULE: Rule = Rule {
    component: Component::Brakes,
    rank: |s| matches!(s, Signal::PadWear(_)).then_some(0),
    worse: Worse::Higher,
    warn: WARN_PCT,
    dtc_letter: Some('C'),
    score: brake_score,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brake_scores_follow_the_wear_ramp_minus_c_codes() {
        assert_eq!(brake_score(0.0, 0), 100.0);
        assert_eq!(brake_score(40.0, 0), 100.0);
        assert_eq!(brake_score(55.0, 0), 80.0);
        assert_eq!(brake_score(70.0, 0), 60.0);
        assert_eq!(brake_score(72.0, 0), 57.33);
        assert_eq!(brake_score(72.0, 1), 42.33);
        assert_eq!(brake_score(85.0, 0), 40.0);
        assert_eq!(brake_score(100.0, 0), 20.0);
        assert_eq!(brake_score(100.0, 2), 0.0);
    }
}
