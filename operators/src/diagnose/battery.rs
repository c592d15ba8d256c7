//! battery_worker: low 12 V voltage means a weak battery or a charging fault; in the critical band the vehicle may not start again.

use schemas::{Alert, Decision};

use super::decision::{Plan, decision, urgent};

/// Routine plan, for warnings and recovered alerts.
pub const ROUTINE: Plan = Plan { action: "test_battery", advice: "Test the 12 V battery and the charging system" };

/// Urgent plan, for an open critical alert.
pub const URGENT: Plan =
    Plan { action: "replace_battery", advice: "Replace the 12 V battery; it no longer holds a start-capable charge" };

/// Decides what to do about a battery alert.
pub fn battery_worker(alert: &Alert) -> Decision {
    decision(alert, "battery_worker", if urgent(alert) { URGENT } else { ROUTINE })
}
