//! engine_worker: hot oil and powertrain (P) trouble codes call for an engine check; in the critical band, for stopping the engine before damage.

use schemas::{Alert, Decision};

use super::decision::{Plan, decision, urgent};

/// Routine plan, for warnings and recovered alerts.
pub const ROUTINE: Plan = Plan {
    action: "inspect_engine",
    advice: "Check the engine oil level and condition and read the stored powertrain trouble codes",
};

/// Urgent plan, for an open critical alert.
pub const URGENT: Plan = Plan {
    action: "stop_and_inspect_engine",
    advice: "Stop at the next safe place and have the engine inspected for overheating oil or a powertrain fault",
};

/// Decides what to do about a engine alert.
pub fn engine_worker(alert: &Alert) -> Decision {
    decision(alert, "engine_worker", if urgent(alert) { URGENT } else { ROUTINE })
}
