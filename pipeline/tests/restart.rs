//! kill -9 in the middle of a stream, then a restart, ends in the same rows
//! as a clean run; and two worker threads give the same rows as one.

mod common;

use std::time::Duration;

use clap::Parser;

use common::{create_topic, fresh_database, produce, python_check, rows, run_args, run_to_end, service, spawn, unique};
use pipeline::cli::{Cli, Command};

/// Tables as the dataflow owns them, rendered as sorted text rows.
const SNAPSHOT: [&str; 6] = [
    "SELECT concat_ws('|', fleet_id, vehicle_id, component, ts, model_version, score, band, rul_km, rul_days, odometer_km) \
     FROM health.component_health_history ORDER BY 1",
    "SELECT concat_ws('|', alert_id, fleet_id, vehicle_id, component, severity, state, opened_at, last_at, resolved_at, min_score, rul_km, rul_days) \
     FROM alert.alerts ORDER BY 1",
    "SELECT concat_ws('|', decision_id, alert_id, action, priority, escalate) FROM agent.decisions ORDER BY 1",
    "SELECT concat_ws('|', appointment_id, vehicle_id, technician_id, bay_id, start_at, status) FROM scheduling.appointments ORDER BY 1",
    "SELECT concat_ws('|', reason, kafka_partition, kafka_offset, item) FROM ingestion.dead_letters ORDER BY 1",
    "SELECT concat_ws('|', vehicle_id, fleet_id) FROM analytics.vehicles ORDER BY 1",
];

async fn snapshot(db: &str) -> Vec<Vec<String>> {
    let mut tables = Vec::new();
    for sql in SNAPSHOT {
        tables.push(rows(db, sql).await);
    }
    tables
}

fn simulated(messages: u64) -> Vec<(Option<String>, String)> {
    let options = match Cli::parse_from([
        "carvrooom",
        "simulate",
        "--vehicles=12",
        &format!("--messages={messages}"),
        "--seed=42",
        "--degrade-share=0.5",
        "--start=2026-11-01T00:00:00Z",
    ])
    .command
    {
        Command::Simulate(options) => options,
        other => panic!("parsed as {other:?}"),
    };
    pipeline::simulate::messages(&options)
        .expect("simulation")
        .map(|(key, payload)| (Some(key), String::from_utf8(payload).expect("JSON is UTF-8")))
        .collect()
}

async fn topic_with(brokers: &str, records: &[(Option<String>, String)]) -> String {
    let topic = unique("restart");
    create_topic(brokers, &topic, 4).await;
    produce(brokers, &topic, records).await;
    topic
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_nine_and_restart_gives_the_rows_of_a_clean_run() {
    let (Some(brokers), Some(base_url)) = (service("KAFKA_BROKERS"), service("DATABASE_URL")) else { return };
    let records = simulated(10_000);

    let clean_topic = topic_with(&brokers, &records).await;
    let clean_db = fresh_database(&base_url).await;
    let clean_dir = tempfile::tempdir().expect("temp dir");
    run_to_end(&run_args(&brokers, &clean_topic, &unique("g"), &clean_db, clean_dir.path()));

    let crash_topic = topic_with(&brokers, &records).await;
    let crash_db = fresh_database(&base_url).await;
    let crash_dir = tempfile::tempdir().expect("temp dir");
    let mut args = run_args(&brokers, &crash_topic, &unique("g"), &crash_db, crash_dir.path());
    // Small epochs, so the run passes several commit points before it ends.
    args.push("--epoch-max-records=400".into());
    let mut child = spawn(&args);
    // Kill as soon as the first commit point is visible: mid-stream.
    let started = std::time::Instant::now();
    let pool = sqlx::PgPool::connect(&crash_db).await.expect("postgres reachable");
    let history = "SELECT count(*) FROM health.component_health_history";
    // The table appears when the run has migrated; until then there is nothing.
    while sqlx::query_scalar::<_, i64>(history).fetch_one(&pool).await.unwrap_or(0) == 0 {
        assert!(started.elapsed() < Duration::from_secs(120), "the crash run wrote nothing in 2 minutes");
        assert!(child.try_wait().expect("child state").is_none(), "the crash run ended before its first commit");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().expect("SIGKILL");
    pool.close().await;
    child.wait().expect("reaped");
    let partial = rows(&crash_db, "SELECT count(*)::bigint::text FROM health.component_health_history").await;
    run_to_end(&args);

    let clean = snapshot(&clean_db).await;
    assert!(clean[0].len() > 100, "the clean run scored too little: {}", clean[0].len());
    assert!(!clean[1].is_empty(), "the workload should raise alerts");
    let killed_at: usize = partial.first().and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(killed_at < clean[0].len(), "the kill came after the run had finished ({killed_at} health rows)");
    assert_eq!(snapshot(&crash_db).await, clean, "rows differ after kill -9 (partial run had {killed_at} health rows)");
    // The archive holds every record exactly once, crash or not.
    python_check(crash_dir.path(), serde_json::json!({"raw": {"count": records.len()}}));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_workers_give_the_rows_of_one() {
    let (Some(brokers), Some(base_url)) = (service("KAFKA_BROKERS"), service("DATABASE_URL")) else { return };
    let records = simulated(2000);
    let topic = topic_with(&brokers, &records).await;

    let one_db = fresh_database(&base_url).await;
    let one_dir = tempfile::tempdir().expect("temp dir");
    run_to_end(&run_args(&brokers, &topic, &unique("g"), &one_db, one_dir.path()));

    let two_db = fresh_database(&base_url).await;
    let two_dir = tempfile::tempdir().expect("temp dir");
    let mut args = run_args(&brokers, &topic, &unique("g"), &two_db, two_dir.path());
    args.push("--workers=2".into());
    run_to_end(&args);

    assert_eq!(snapshot(&two_db).await, snapshot(&one_db).await);
}
