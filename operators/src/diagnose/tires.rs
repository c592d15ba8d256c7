//! tire_worker: a pressure deficit wears the tire and costs fuel; in the critical band the sidewall overheats and the tire can fail.

use schemas::{Alert, Decision};

use super::decision::{Plan, decision, urgent};

/// Routine plan, for warnings and recovered alerts.
pub const ROUTINE: Plan = Plan {
    action: "inflate_tires",
    advice: "Check the tire pressures, inflate to the nominal 240 kPa and look for a slow leak",
};

/// Urgent plan, for an open critical alert.
pub const URGENT: Plan = Plan {
    action: "repair_tire",
    advice: "Stop and inspect the under-inflated tire, and repair or replace it before driving on",
};

/// Decides what to do about a tires alert.
pub fn tire_worker(alert: &Alert) -> Decision {
    decision(alert, "tire_worker", if urgent(alert) { URGENT } else { ROUTINE })
}
