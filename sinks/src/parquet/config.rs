//! Configuration of the Parquet archive.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Where the archive lives and when its files roll.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParquetConfig {
    /// Root folder; `raw/`, `readings/` and `health/` are created below it.
    pub dir: PathBuf,
    /// Roll every open file once any of them holds this many rows.
    #[serde(default = "default_max_rows")]
    pub max_rows: usize,
    /// Roll every open file once the oldest has been open this many seconds.
    #[serde(default = "default_max_age_secs")]
    pub max_age_secs: u64,
    /// Start of every file name; writers sharing one directory (timely
    /// workers) each need their own, e.g. `part-w0`.
    #[serde(default = "default_file_prefix")]
    pub file_prefix: String,
    /// zstd compression level (1–22).
    #[serde(default = "default_zstd_level")]
    pub zstd_level: i32,
}

fn default_max_rows() -> usize {
    500_000
}

fn default_max_age_secs() -> u64 {
    300
}

fn default_file_prefix() -> String {
    "part".to_string()
}

fn default_zstd_level() -> i32 {
    3
}

impl ParquetConfig {
    /// A configuration for the archive at `dir` with the default roll policy.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ParquetConfig {
            dir: dir.into(),
            max_rows: default_max_rows(),
            max_age_secs: default_max_age_secs(),
            file_prefix: default_file_prefix(),
            zstd_level: default_zstd_level(),
        }
    }
}
