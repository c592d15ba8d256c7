//! 12 V battery score from the lowest battery voltage.
//!
//! A healthy lead-acid battery in daily use rests at ≥ 12.5 V (≈ 85 %
//! charge) even after a night parked; one that rests at 12.4 V (≈ 70 %)
//! after a day's driving is losing capacity, at 12.2 V (≈ 50 %) it no
//! longer holds its charge, and at 11.5 V it no longer cranks. The score is
//! 100 at ≥ 12.5 V and falls linearly to 0 at 12.25 V, from the window's
//! lowest reading: 80 (watch) at 12.45 V, 60 (degraded, an alert) at 12.4 V,
//! 40 (critical) at 12.35 V. A reading below 12.4 V is an exceedance. The battery's own sensor
//! (`Vehicle.LowVoltageBattery.CurrentVoltage`) is preferred; the OBD control
//! module voltage counts only in windows where the battery voltage is absent.

use schemas::{Component, Signal};

use super::rule::{Rule, Worse, ramp, round2};

/// Voltage at or above which the score is 100, V.
pub const FULL_V: f64 = 12.5;
/// Voltage at or below which the score is 0, V.
pub const ZERO_V: f64 = 12.25;
/// A reading below this is an exceedance, V.
pub const WARN_V: f64 = 12.4;

/// Battery score from the lowest voltage of a window.
pub fn battery_score(volts: f64) -> f64 {
    round2(ramp(volts, FULL_V, ZERO_V))
}

/// The battery rule: battery voltage (control-module voltage as fallback), lower is worse.
pub const RULE: Rule = Rule {
    component: Component::Battery,
    rank: |s| match s {
        Signal::BatteryVoltage => Some(0),
        Signal::ControlModuleVoltage => Some(1),
        _ => None,
    },
    worse: Worse::Lower,
    warn: WARN_V,
    dtc_letter: None,
    score: |worst, _| battery_score(worst),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn battery_scores_follow_the_voltage_ramp() {
        assert_eq!(battery_score(12.7), 100.0);
        assert_eq!(battery_score(12.5), 100.0);
        assert_eq!(battery_score(12.45), 80.0);
        assert_eq!(battery_score(12.4), 60.0);
        assert_eq!(battery_score(12.33), 32.0);
        assert_eq!(battery_score(12.25), 0.0);
        assert_eq!(battery_score(9.5), 0.0);
    }
}
