//! Opens the results store the flags name: PostgreSQL when a URL is given,
//! else the embedded SQLite file. Migrations run here, at start-up.

use std::sync::Arc;

use sinks::Store;
use sinks::postgres::{PgConfig, PgStore};
use sinks::sqlite::{SqliteConfig, SqliteStore};

use crate::cli::StoreArgs;

/// Connects, migrates and returns the store.
pub async fn open_store(args: &StoreArgs) -> anyhow::Result<Arc<dyn Store>> {
    let store: Arc<dyn Store> = match &args.database_url {
        Some(url) => Arc::new(PgStore::connect(&PgConfig::new(url.clone()))?),
        None => Arc::new(SqliteStore::connect(&SqliteConfig::new(args.sqlite_path.clone()))),
    };
    store.migrate().await?;
    Ok(store)
}
