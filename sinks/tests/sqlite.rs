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
    store_progress,
    fleet_summary,
    registry_and_resources,
    invalid_batch_is_atomic,
    warranty_claims,
    acknowledgement_outbox,
    escalation_outbox,
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

#[tokio::test]
async fn each_stored_claim_is_audited_once() -> R {
    let (store, _dir) = store().await?;
    suite::warranty_claims(&store).await?;
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT entity_id, actor, action, fleet_id, detail FROM analytics_audit_log
         WHERE entity = 'warranty_claim' ORDER BY entity_id, id",
    )
    .fetch_all(store.pool())
    .await?;
    let mut entries = Vec::new();
    for (id, actor, action, fleet, detail) in rows {
        entries.push((id, actor, action, fleet, serde_json::from_str::<serde_json::Value>(&detail)?));
    }
    assert_eq!(entries, common::fixtures::claims().iter().map(common::fixtures::claim_audit).collect::<Vec<_>>());
    Ok(())
}
