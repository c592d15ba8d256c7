//! Brake score from pad wear per wheel and chassis DTCs.
//!
//! Pad wear is reported as a percentage of the usable friction material
//! consumed (0 new, 100 worn to the backing plate). The score is
//! 100 − wear of the most worn pad in the window, minus 15 points per
//! distinct active C-code (ABS/ESC faults). Past 70 % wear (≈ 3 mm left on a
//! 10 mm pad) a reading is an exceedance.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, penalised, ramp};

/// Pad wear past which a reading is an exceedance, %.
pub const WARN_PCT: f64 = 70.0;

/// Brake score from the most worn pad (%) and the distinct active C-codes.
pub fn brake_score(wear_pct: f64, c_codes: u32) -> f64 {
    penalised(ramp(wear_pct, 0.0, 100.0), c_codes)
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
    fn brake_scores_are_remaining_pad_minus_c_codes() {
        assert_eq!(brake_score(0.0, 0), 100.0);
        assert_eq!(brake_score(35.5, 0), 64.5);
        assert_eq!(brake_score(72.0, 0), 28.0);
        assert_eq!(brake_score(72.0, 1), 13.0);
        assert_eq!(brake_score(100.0, 0), 0.0);
        assert_eq!(brake_score(95.0, 1), 0.0);
    }
}
