//! turbofan_worker: a hot gas path and a shrinking remaining life call for a borescope inspection; in the critical band, for pulling the engine before the next flight.

use schemas::{Alert, Decision};

use super::decision::{Plan, decision, urgent};

/// Routine plan, for warnings and recovered alerts.
pub const ROUTINE: Plan = Plan {
    action: "inspect_turbofan",
    advice: "Schedule a borescope inspection of the compressor and turbine stages and trend the exhaust gas temperature margin",
};

/// Urgent plan, for an open critical alert.
pub const URGENT: Plan = Plan {
    action: "remove_turbofan",
    advice: "Remove the engine from service before its next cycle and send it for a shop visit",
};

/// Decides what to do about a turbofan alert.
pub fn turbofan_worker(alert: &Alert) -> Decision {
    decision(alert, "turbofan_worker", if urgent(alert) { URGENT } else { ROUTINE })
}
