//! NASA C-MAPSS turbofan data through CarVrooom: `carvrooom cmapss train`
//! fits a RUL model on a run-to-failure training file and cross-validates it
//! the standard way; `carvrooom cmapss predict` streams a file through the
//! live dataflow with that model and writes `unit,rul` at each unit's last
//! cycle.
//!
//! Each engine is one asset (fleet `cmapss`, vehicle `unit-NNN`) with one
//! turbofan component whose usage axis is cycles; each row becomes one
//! telemetry message carrying its cycle count, 3 operational settings and
//! 21 sensors, placed in its own 10-minute health window.

pub mod error;
pub mod messages;
pub mod predict;
pub mod read;
pub mod train;

#[cfg(test)]
mod tests;

pub use error::CmapssError;
pub use read::{CmapssRow, parse, read};

/// `carvrooom cmapss …`
#[derive(Clone, Debug, clap::Subcommand)]
pub enum CmapssCommand {
    /// Fit and cross-validate a RUL model on a C-MAPSS training file and save it.
    Train(train::TrainArgs),
    /// Stream a C-MAPSS file through the dataflow and write each unit's RUL at its last cycle.
    Predict(predict::PredictArgs),
}

/// Runs a `carvrooom cmapss` subcommand.
pub fn run(command: &CmapssCommand) -> Result<(), CmapssError> {
    match command {
        CmapssCommand::Train(args) => train::run(args).map(|_| ()),
        CmapssCommand::Predict(args) => predict::run(args).map(|_| ()),
    }
}
