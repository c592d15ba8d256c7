//! The store conformance suite against PostgreSQL: each test creates its own
//! database on the server `DATABASE_URL` names, so tests run in parallel.
//! Without `DATABASE_URL` every test prints a notice and passes.

mod common;

use std::str::FromStr;

use common::suite::{self, R};
use sinks::{PgStore, Store};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

struct TestDb {
    admin: PgConnectOptions,
    name: String,
    store: PgStore,
}

impl TestDb {
    /// A fresh, migrated database, or `None` when `DATABASE_URL` is unset.
    async fn create() -> Result<Option<TestDb>, Box<dyn std::error::Error>> {
        let Ok(url) = std::env::var("DATABASE_URL") else {
            eprintln!("DATABASE_URL is not set: skipping this PostgreSQL test");
            return Ok(None);
        };
        let admin = PgConnectOptions::from_str(&url)?;
        let name = format!("test_{:016x}", rand::random::<u64>());
        let mut conn = PgConnection::connect_with(&admin).await?;
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await?;
        conn.close().await?;
        let pool = PgPoolOptions::new().max_connections(4).connect_with(admin.clone().database(&name)).await?;
        let store = PgStore::from_pool(pool);
        store.migrate().await?;
        Ok(Some(TestDb { admin, name, store }))
    }

    async fn drop_db(self) -> R {
        self.store.pool().close().await;
        let mut conn = PgConnection::connect_with(&self.admin).await?;
        sqlx::query(AssertSqlSafe(format!("DROP DATABASE {} WITH (FORCE)", self.name))).execute(&mut conn).await?;
        conn.close().await?;
        Ok(())
    }
}

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() -> R {
                let Some(db) = TestDb::create().await? else { return Ok(()) };
                suite::$name(&db.store).await?;
                db.drop_db().await
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
async fn one_schema_per_domain() -> R {
    let Some(db) = TestDb::create().await? else { return Ok(()) };
    let schemas: Vec<String> = sqlx::query_scalar(
        "SELECT schema_name::text FROM information_schema.schemata
         WHERE schema_name IN ('ingestion', 'health', 'agent', 'alert', 'scheduling', 'warranty', 'analytics')
         ORDER BY schema_name",
    )
    .fetch_all(db.store.pool())
    .await?;
    assert_eq!(schemas, vec!["agent", "alert", "analytics", "health", "ingestion", "scheduling", "warranty"]);
    let claims: i64 = sqlx::query_scalar("SELECT count(*) FROM warranty.claims").fetch_one(db.store.pool()).await?;
    assert_eq!(claims, 0);
    db.drop_db().await
}

#[tokio::test]
async fn each_stored_claim_is_audited_once() -> R {
    let Some(db) = TestDb::create().await? else { return Ok(()) };
    suite::warranty_claims(&db.store).await?;
    let entries: Vec<(String, String, String, String, serde_json::Value)> = sqlx::query_as(
        "SELECT entity_id, actor, action, fleet_id, detail FROM analytics.audit_log
         WHERE entity = 'warranty_claim' ORDER BY entity_id, id",
    )
    .fetch_all(db.store.pool())
    .await?;
    assert_eq!(entries, common::fixtures::claims().iter().map(common::fixtures::claim_audit).collect::<Vec<_>>());
    db.drop_db().await
}

#[tokio::test]
async fn the_publish_queue_has_a_partial_index() -> R {
    let Some(db) = TestDb::create().await? else { return Ok(()) };
    let definition: String = sqlx::query_scalar(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'warranty' AND indexname = 'claims_unpublished'",
    )
    .fetch_one(db.store.pool())
    .await?;
    assert!(definition.contains("(decided_at, claim_id) WHERE ((published_at IS NULL) AND (decided_at IS NOT NULL))"));
    db.drop_db().await
}

#[tokio::test]
async fn health_history_pages_leave_room_for_in_page_updates() -> R {
    let Some(db) = TestDb::create().await? else { return Ok(()) };
    let options: Vec<String> = sqlx::query_scalar(
        "SELECT unnest(reloptions) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'health' AND c.relname = 'component_health_history'",
    )
    .fetch_all(db.store.pool())
    .await?;
    assert_eq!(options, vec!["fillfactor=70"]);
    db.drop_db().await
}

#[tokio::test]
async fn concurrent_writers_of_one_batch_leave_one_copy() -> R {
    let Some(db) = TestDb::create().await? else { return Ok(()) };
    let batch = common::fixtures::full_batch();
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let store = db.store.clone();
        let batch = batch.clone();
        tasks.push(tokio::spawn(async move { store.write_batch(&batch).await }));
    }
    for task in tasks {
        task.await??;
    }
    let s = suite::snapshot(&db.store).await?;
    let counts = (
        s.vehicles.len(),
        s.health.len(),
        s.alerts.len(),
        s.decisions.len(),
        s.appointments.len(),
        s.dead_letters.len(),
    );
    assert_eq!(counts, (3, 5, 3, 2, 3, 4));
    db.drop_db().await
}

#[tokio::test]
async fn a_deferred_batch_is_visible_at_once_and_durable_after_the_commit_point() -> R {
    let Some(db) = TestDb::create().await? else { return Ok(()) };
    let pool = db.store.pool().clone();
    let mark =
        || sqlx::query_scalar::<_, chrono::DateTime<chrono::Utc>>("SELECT written_at FROM ingestion.durable_mark");
    let marked = mark().fetch_one(&pool).await?;
    db.store.write_batch_deferred(&common::fixtures::full_batch()).await?;
    let written: String = sqlx::query_scalar("SELECT pg_current_wal_insert_lsn()::text").fetch_one(&pool).await?;
    let s = suite::snapshot(&db.store).await?;
    assert_eq!((s.vehicles.len(), s.health.len(), s.alerts.len()), (3, 5, 3), "visible before the commit point");

    db.store.make_durable().await?;
    let flushed: bool = sqlx::query_scalar("SELECT pg_current_wal_flush_lsn() >= $1::text::pg_lsn")
        .bind(&written)
        .fetch_one(&pool)
        .await?;
    assert!(flushed, "the WAL of the deferred batch is on disk after the commit point");
    assert!(mark().fetch_one(&pool).await? > marked, "the commit point wrote its mark");
    db.drop_db().await
}

#[tokio::test]
async fn a_deadlock_with_a_concurrent_writer_is_a_retriable_contention() -> R {
    let Some(db) = TestDb::create().await? else { return Ok(()) };
    let pool = db.store.pool().clone();
    sqlx::query("INSERT INTO analytics.fleets (fleet_id, name) VALUES ('a', 'a'), ('b', 'b')").execute(&pool).await?;
    let rename =
        |fleet: &'static str| sqlx::query("UPDATE analytics.fleets SET name = 'x' WHERE fleet_id = $1").bind(fleet);
    let (mut one, mut two) = (pool.begin().await?, pool.begin().await?);
    rename("a").execute(&mut *one).await?;
    rename("b").execute(&mut *two).await?;
    // Each now waits on the row the other holds: PostgreSQL aborts one of them.
    let crossing = tokio::spawn(async move { rename("b").execute(&mut *one).await.map(drop) });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let other = rename("a").execute(&mut *two).await.map(drop);
    let results = [crossing.await?, other];
    let lost: Vec<sinks::StoreError> =
        results.into_iter().filter_map(Result::err).map(sinks::StoreError::from).collect();
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert!(matches!(lost[0], sinks::StoreError::Contended(_)) && lost[0].is_retriable(), "{lost:?}");
    drop(two);
    db.drop_db().await
}
