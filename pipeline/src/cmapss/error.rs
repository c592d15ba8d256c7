//! Why a C-MAPSS command failed.

use std::path::PathBuf;

use operators::prognostics::fit::FitError;

use crate::model_file::ModelFileError;

/// A C-MAPSS command error.
#[derive(Debug, thiserror::Error)]
pub enum CmapssError {
    /// A file could not be read or written.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
    /// A line is not a C-MAPSS row.
    #[error("line {line}: {reason}")]
    Row {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The file holds no rows.
    #[error("no C-MAPSS rows in the input")]
    Empty,
    /// The model could not be fitted.
    #[error(transparent)]
    Fit(#[from] FitError),
    /// The model file could not be read or written.
    #[error(transparent)]
    Model(#[from] ModelFileError),
    /// The model does not cover turbofans.
    #[error("model {0} has no turbofan component")]
    NotTurbofan(String),
    /// Some units got no prediction.
    #[error("no prediction for units {0:?}")]
    Unpredicted(Vec<u32>),
    /// A truth file does not match the input.
    #[error("truth file {path}: {reason}")]
    Truth {
        /// The file.
        path: PathBuf,
        /// What does not match.
        reason: String,
    },
}
