//! `carvrooom evaluate`: how well the pipeline predicts the failures of a
//! simulated fleet.
//!
//! A seeded fleet is simulated (physics-inspired degradation with ground
//! truth, see [`crate::simulate`]), its messages run through the same
//! dataflow as `carvrooom run` in-process ([`crate::offline`]), and the
//! output is scored against the truth ([`metrics`]): the share of failures
//! warned ≥ 1 000 km and ≥ 7 days ahead, false alerts per 1 000 healthy
//! vehicle-days, and RUL error by horizon. The report prints as a table and
//! can be written as JSON, with a PNG of predicted against true RUL.
//!
//! ```text
//! simulate ─► offline dataflow ─► Observer (faulty components' rows, alerts) ─► metrics ─► table, JSON, PNG
//!    └──────────── ground truth (onset, failure) ───────────────────────────────┘
//! ```

mod error;
pub mod metrics;
mod observe;
mod plot;
mod report;
mod run;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

pub use error::EvaluateError;
pub use observe::Observer;
pub use plot::{AXIS_KM, DEFAULT_FONT, draw};
pub use report::{Report, RunInfo, TARGET_CAUGHT_KM, TARGET_FALSE_PER_1000, Targets};
pub use run::{EvaluateArgs, FleetArgs, evaluate, run};
