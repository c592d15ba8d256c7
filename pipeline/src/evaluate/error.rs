//! Why an evaluation failed.

use std::path::PathBuf;

use thiserror::Error;

use crate::simulate::SimulateError;

/// An evaluation error.
#[derive(Debug, Error)]
pub enum EvaluateError {
    /// The simulated fleet could not be planned.
    #[error(transparent)]
    Simulate(#[from] SimulateError),
    /// The model file could not be loaded.
    #[error(transparent)]
    Model(#[from] crate::model_file::ModelFileError),
    /// The built-in decoders could not be loaded.
    #[error("loading decoders: {0}")]
    Decoders(String),
    /// The JSON report could not be written.
    #[error("writing {path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The plot could not be drawn.
    #[error("drawing {path}: {reason}")]
    Plot {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}
