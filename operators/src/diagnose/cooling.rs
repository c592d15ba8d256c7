//! cooling_worker: high coolant temperature points at low coolant, a stuck thermostat, a failed fan or a leaking hose; in the critical band the engine is about to overheat.

use schemas::{Alert, Decision};

use super::decision::{Plan, decision, urgent};

/// Routine plan, for warnings and recovered alerts.
pub const ROUTINE: Plan = Plan {
    action: "inspect_cooling_system",
    advice: "Inspect the cooling system: coolant level, radiator fan, thermostat and hoses",
};

/// Urgent plan, for an open critical alert.
pub const URGENT: Plan = Plan {
    action: "repair_cooling_system",
    advice: "Stop driving and repair the cooling system before the engine overheats",
};

/// Decides what to do about a cooling alert.
pub fn cooling_worker(alert: &Alert) -> Decision {
    decision(alert, "cooling_worker", if urgent(alert) { URGENT } else { ROUTINE })
}
