//! brake_worker: pad wear (and chassis C-codes) mean the pads are due; in the critical band they must be replaced before the vehicle drives on.

use schemas::{Alert, Decision};

use super::decision::{Plan, decision, urgent};

/// Routine plan, for warnings and recovered alerts.
pub const ROUTINE: Plan = Plan { action: "replace_brake_pads", advice: "Replace the worn brake pads" };

/// Urgent plan, for an open critical alert.
pub const URGENT: Plan = Plan {
    action: "replace_brake_pads",
    advice: "Replace the brake pads before further driving; the most worn pad is close to its backing plate",
};

/// Decides what to do about a brakes alert.
pub fn brake_worker(alert: &Alert) -> Decision {
    decision(alert, "brake_worker", if urgent(alert) { URGENT } else { ROUTINE })
}
