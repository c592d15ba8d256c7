//! The store conformance suite against SQLite files in temporary folders.

mod common;

use common::suite::{self, R};
use sinks::{SqliteConfig, SqliteStore, Store};

async fn store() -> Result<(SqliteStore, tempfile::TempDir), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::connect(&SqliteConfig::new(dir.path().join("carvrooom.db")));
    store.migrate().await?;
    Ok((store, dir))
}

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() -> R {
                let (store, _dir) = store().await?;
                suite::$name(&store).await
            }
        )*
    };
}

scenarios!(
    migrate_twice,
    write_batch_twice,
    retractions,
    people_columns_survive,
    listings,
    dead_letters_idempotent,
    fleet_summary,
    registry_and_resources,
    invalid_batch_is_atomic,
);

#[tokio::test]
async fn the_file_is_in_wal_mode_and_survives_reopening() -> R {
    let (store, dir) = store().await?;
    store.write_batch(&common::fixtures::full_batch()).await?;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(store.pool()).await?;
    assert_eq!(mode, "wal");
    let before = suite::snapshot(&store).await?;
    store.pool().close().await;
    let reopened = SqliteStore::connect(&SqliteConfig::new(dir.path().join("carvrooom.db")));
    reopened.migrate().await?;
    assert_eq!(suite::snapshot(&reopened).await?, before);
    Ok(())
}
