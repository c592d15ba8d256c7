//! Helpers for the integration tests: the real services the test script
//! starts (PostgreSQL, Apache Kafka), the `carvrooom` binary as a child
//! process, and real clients to check what it wrote.
#![allow(dead_code, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::producer::{FutureProducer, FutureRecord};

/// The value of a service variable; `None` (skip) outside CI, a failure in CI,
/// so a CI run can never pass by skipping.
pub fn service(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ if std::env::var_os("CI").is_some() => panic!("{var} must be set in CI (scripts/test starts the services)"),
        _ => {
            eprintln!("skipping: {var} is not set (run scripts/test to start the services)");
            None
        }
    }
}

/// A name unique to this test run.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{prefix}_{}_{}", std::process::id(), nanos % 1_000_000_000)
}

/// Creates a fresh database on the server of `base_url` and returns its URL.
pub async fn fresh_database(base_url: &str) -> String {
    let name = unique("carvrooom_test");
    let pool = sqlx::PgPool::connect(base_url).await.expect("postgres reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.expect("create database");
    let (prefix, _) = base_url.rsplit_once('/').expect("database url has a path");
    format!("{prefix}/{name}")
}

/// Creates a topic on a real broker.
pub async fn create_topic(brokers: &str, topic: &str, partitions: i32) {
    let admin: AdminClient<DefaultClientContext> =
        ClientConfig::new().set("bootstrap.servers", brokers).create().expect("admin client");
    let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(1));
    for result in admin.create_topics([&new], &AdminOptions::new()).await.expect("create topics") {
        result.expect("topic created");
    }
}

/// Produces `(key, value)` records in order (idempotent producer, so order
/// holds with many in flight) and waits for every delivery.
pub async fn produce(brokers: &str, topic: &str, records: &[(Option<String>, String)]) {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("enable.idempotence", "true")
        .set("linger.ms", "5")
        .create()
        .expect("producer");
    let mut pending = Vec::with_capacity(records.len());
    for (key, value) in records {
        loop {
            let mut record = FutureRecord::to(topic).payload(value);
            if let Some(key) = key {
                record = record.key(key);
            }
            match producer.send_result(record) {
                Ok(delivery) => {
                    pending.push(delivery);
                    break;
                }
                Err((e, _)) => {
                    assert!(matches!(e.rdkafka_error_code(), Some(rdkafka::types::RDKafkaErrorCode::QueueFull)), "{e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    }
    for delivery in pending {
        delivery.await.expect("delivery reported").expect("delivered");
    }
}

/// The `carvrooom` binary built for these tests.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_carvrooom"))
}

/// `carvrooom run` arguments for a test: its topic, group, database and archive,
/// no API, short epochs and stop when idle.
pub fn run_args(brokers: &str, topic: &str, group: &str, database_url: &str, archive: &Path) -> Vec<String> {
    vec![
        "run".into(),
        format!("--brokers={brokers}"),
        format!("--topic={topic}"),
        format!("--group={group}"),
        format!("--database-url={database_url}"),
        format!("--parquet-dir={}", archive.display()),
        "--no-api".into(),
        "--epoch-ms=50".into(),
        "--commit-every=4".into(),
        "--schedule-debounce-s=0".into(),
        "--stop-when-idle-s=3".into(),
    ]
}

/// Runs the binary to completion, failing the test on a non-zero exit.
pub fn run_to_end(args: &[String]) -> Output {
    let output = Command::new(binary()).args(args).env("RUST_LOG", "info").output().expect("binary runs");
    assert!(output.status.success(), "carvrooom {:?} failed:\n{}", args, String::from_utf8_lossy(&output.stderr));
    output
}

/// Starts the binary in the background.
pub fn spawn(args: &[String]) -> Child {
    Command::new(binary()).args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("binary starts")
}

/// Rows of a query, each rendered as text columns joined by `|` (NULL as `∅`).
pub async fn rows(database_url: &str, sql: &'static str) -> Vec<String> {
    use sqlx::Row;
    let pool = sqlx::PgPool::connect(database_url).await.expect("postgres reachable");
    let result = sqlx::query(sql).fetch_all(&pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    result
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| row.try_get::<Option<String>, _>(i).ok().flatten().unwrap_or_else(|| "∅".into()))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

/// Reads the archive back with DuckDB and pyarrow (python/checks/read_parquet.py)
/// and fails the test unless both agree with `expectations`.
pub fn python_check(archive: &std::path::Path, expectations: serde_json::Value) {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../python/checks/read_parquet.py");
    let file = archive.join("expectations.json");
    std::fs::write(&file, expectations.to_string()).expect("write expectations");
    let output = std::process::Command::new(python).arg(script).arg(archive).arg(&file).output().expect("python runs");
    assert!(
        output.status.success(),
        "parquet check failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
