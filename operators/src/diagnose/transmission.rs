//! transmission_worker: hot transmission fluid ages quickly; in the critical band it varnishes and the clutches slip.

use schemas::{Alert, Decision};

use super::decision::{Plan, decision, urgent};

/// Routine plan, for warnings and recovered alerts.
pub const ROUTINE: Plan = Plan {
    action: "inspect_transmission_fluid",
    advice: "Check the transmission fluid level and condition and the transmission cooler",
};

/// Urgent plan, for an open critical alert.
pub const URGENT: Plan = Plan {
    action: "service_transmission",
    advice: "Have the transmission serviced before further heavy use; its fluid is overheating",
};

/// Decides what to do about a transmission alert.
pub fn transmission_worker(alert: &Alert) -> Decision {
    decision(alert, "transmission_worker", if urgent(alert) { URGENT } else { ROUTINE })
}
