//! `carvrooom train`: fit a prognostics model from a data set and save a
//! versioned model file — a simulated fleet (`train fleet`) or a C-MAPSS
//! run-to-failure file (`train cmapss`, the same as `carvrooom cmapss train`).

pub mod assemble;
pub mod fleet;
pub mod label;

#[cfg(test)]
mod tests;

/// `carvrooom train …`
#[derive(Clone, Debug, clap::Subcommand)]
pub enum TrainCommand {
    /// Simulate a fleet with ground truth, and fit one model per component.
    Fleet(fleet::FleetTrainArgs),
    /// Fit a turbofan model on a C-MAPSS training file.
    Cmapss(crate::cmapss::train::TrainArgs),
}

/// Runs a `carvrooom train` subcommand.
pub fn run(command: &TrainCommand) -> anyhow::Result<()> {
    match command {
        TrainCommand::Fleet(args) => fleet::run(args).map(|_| ()),
        TrainCommand::Cmapss(args) => crate::cmapss::train::run(args).map(|_| ()).map_err(anyhow::Error::from),
    }
}
