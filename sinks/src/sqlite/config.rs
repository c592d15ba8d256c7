//! Configuration of the SQLite store.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Where the SQLite file lives and how it is opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqliteConfig {
    /// The database file; created when missing.
    pub path: PathBuf,
    /// Most connections the pool opens (readers run beside the one writer in WAL mode).
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
    /// Milliseconds a connection waits for a lock held by another before failing.
    #[serde(default = "default_busy_timeout_ms")]
    pub busy_timeout_ms: u64,
}

fn default_max_connections() -> u32 {
    4
}

fn default_busy_timeout_ms() -> u64 {
    5_000
}

impl SqliteConfig {
    /// A configuration for the file at `path` with the default pool settings.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        SqliteConfig {
            path: path.into(),
            max_connections: default_max_connections(),
            busy_timeout_ms: default_busy_timeout_ms(),
        }
    }
}
