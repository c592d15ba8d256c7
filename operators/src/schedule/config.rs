//! How the scheduler discretises time and how often it re-plans.

use std::time::Duration;

/// Settings of the scheduling stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleConfig {
    /// Minimum wall-clock time between two solves while input keeps changing.
    pub debounce: Duration,
    /// How many days ahead of "now" appointments are planned.
    pub horizon_days: u32,
    /// Length of one appointment slot, minutes (1 to 1440); each UTC day is
    /// cut into slots of this length starting at midnight.
    pub slot_minutes: u32,
    /// The depot serving a vehicle that has no home depot.
    pub default_depot: String,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            debounce: Duration::from_secs(5),
            horizon_days: 7,
            slot_minutes: 120,
            default_depot: "main".to_string(),
        }
    }
}
