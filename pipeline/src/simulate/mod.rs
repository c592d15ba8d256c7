//! `carvrooom simulate`: a deterministic fleet simulator producing vehicle
//! telemetry to Kafka, with ground truth for the faults it plants.
//!
//! N vehicles across M fleets drive urban, highway or mixed duty cycles
//! in simulated event time (physics every `--tick`, a message every
//! `--report-every`, from `--start`), with realistic baselines and sensor
//! noise. A share of them develops a fault — sticking brake caliper,
//! radiator fouling, battery capacity fade, slow tire leak, transmission
//! slip — with its own onset, rate and noise, driven by the vehicle's use
//! (braking energy, load, ambient temperature, engine starts; see
//! `degrade.rs`); failure is when the physical quantity crosses its limit.
//! Some go offline and upload their buffered readings in a burst on
//! reconnect. Each reading set becomes a message in a seeded choice of
//! JSON signals, OBD-II responses or CAN frames (the public
//! [`schemas::TelemetryBody`] contract). The same seed and options give
//! byte-identical messages.
//!
//! ```text
//! options ─► fleet (vehicles, faults, offline windows) ─► snapshots ─► format ─► Kafka
//!                                    └─► ground truth CSV (onset, failure)
//! ```

mod degrade;
mod error;
mod fleet;
mod format;
mod generate;
mod options;
mod pace;
mod produce;
mod profile;
mod random;
mod report;
mod truth;
mod vehicle;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

pub use degrade::Mode;
pub use error::SimulateError;
pub use format::Format;
pub use generate::{Message, Simulation};
pub use options::{DEFAULT_MESSAGES, SimSpan, SimulateOptions};
pub use produce::{MAX_IN_FLIGHT, run};
pub use report::{FormatCounts, SimulateReport};
pub use truth::{TRUTH_HEADER, TruthRow, write_csv, write_file};

/// The records of the simulation of `options` as `(key, payload)` pairs, in
/// send order: a pure generator (no Kafka) for tests, the demo and benchmarks.
pub fn messages(options: &SimulateOptions) -> Result<impl Iterator<Item = (String, Vec<u8>)> + use<>, SimulateError> {
    Ok(Simulation::new(options)?.map(|message| (message.key, message.payload)))
}
