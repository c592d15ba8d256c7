//! schedule: turns open alerts into service appointments.
//!
//! The seed's scheduling service as a dataflow stage. [`service_jobs`] folds
//! each vehicle's open alerts into one [`ServiceJob`](schemas::ServiceJob);
//! [`schedule`] gathers the jobs and the [`Resource`]s (technicians, bays,
//! parts, home depots) on one worker and re-plans them with a MILP
//! ([`plan`]) — debounced, only when its inputs changed, never once per
//! epoch — emitting the difference between the new plan and the previous
//! one, so an appointment that no longer holds is retracted.
//!
//! ```text
//! alerts ─► service_jobs ─► schedule ─► appointments
//!                             ▲
//!                 resources ──┘
//! ```

mod config;
mod crew;
mod jobs;
mod milp;
mod operator;
mod plan;
mod resource;
mod slots;

#[cfg(test)]
mod tests;

pub use config::ScheduleConfig;
pub use jobs::service_jobs;
pub use operator::schedule;
pub use plan::{PlanError, plan};
pub use resource::{Resource, Resources};
