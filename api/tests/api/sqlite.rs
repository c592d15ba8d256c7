//! The API over the real embedded store (`sinks::SqliteStore`), end to end:
//! registry writes through the API, results written as the pipeline writes
//! them, read back and acknowledged through the API.

use std::sync::Arc;

use schemas::{Band, Component, Severity};
use serde_json::{Value, json};
use sinks::{ResultBatch, SqliteConfig, SqliteStore, Store};

use crate::common::{alert, get, health, post, router_over};

#[tokio::test]
async fn reads_and_writes_through_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(SqliteStore::connect(&SqliteConfig::new(dir.path().join("results.db"))));
    store.migrate().await.expect("migrate");
    let router = router_over(store.clone(), None, None);

    assert_eq!(get(&router, "/healthz").await.1, json!({"status": "ok"}));
    assert_eq!(post(&router, "/api/v1/fleets", r#"{"fleet_id": "acme", "name": "Acme"}"#).await.0, 200);
    let (status, body) = post(&router, "/api/v1/vehicles", r#"{"vehicle_id": "v1", "fleet_id": "ghost"}"#).await;
    assert_eq!((status.as_u16(), body), (409, json!({"error": "fleet 'ghost' does not exist", "status": 409})));
    let (status, _) = post(
        &router,
        "/api/v1/vehicles",
        r#"{"vehicle_id": "v1", "fleet_id": "acme", "warranty_start": "2025-01-15"}"#,
    )
    .await;
    assert_eq!(status, 200);

    let batch = ResultBatch {
        health: vec![
            (health("v1", "acme", Component::Brakes, 1_000, 80.0, Band::Healthy), 1),
            (health("v1", "acme", Component::Brakes, 2_000, 40.0, Band::Degraded), 1),
        ],
        alerts: vec![(alert("a1", "v1", "acme", Severity::Warning, 2_000).alert, 1)],
        ..ResultBatch::default()
    };
    store.write_batch(&batch).await.expect("batch");

    let (status, body) = get(&router, "/api/v1/vehicles/v1/health").await;
    assert_eq!(status, 200);
    assert_eq!(body["components"].as_array().map(Vec::len), Some(1));
    assert_eq!((&body["components"][0]["score"], &body["components"][0]["band"]), (&json!(40.0), &json!("degraded")));
    let (_, body) = get(&router, "/api/v1/health/v1/history?component=brakes&limit=1&offset=1").await;
    assert_eq!((&body["items"][0]["ts_ms"], &body["limit"], &body["offset"]), (&json!(1000), &json!(1), &json!(1)));

    let (_, body) = get(&router, "/api/v1/alerts?fleet_id=acme&state=open").await;
    let ids: Vec<&Value> = body["items"].as_array().into_iter().flatten().map(|a| &a["alert_id"]).collect();
    assert_eq!(ids, [&json!("a1")]);
    let (status, body) = post(&router, "/api/v1/alerts/a1/acknowledge", r#"{"by": "ann"}"#).await;
    assert_eq!((status.as_u16(), &body["acknowledged_by"], &body["note"]), (200, &json!("ann"), &Value::Null));
    let (status, _) = post(&router, "/api/v1/alerts/nope/acknowledge", r#"{"by": "ann"}"#).await;
    assert_eq!(status, 404);

    let (_, body) = get(&router, "/api/v1/fleets/acme/summary").await;
    assert_eq!(
        (&body["vehicles"], &body["open_alerts_by_severity"]),
        (&json!(1), &json!({"critical": 0, "warning": 1}))
    );
    let (_, body) = get(&router, "/api/v1/dead-letters/counts").await;
    assert_eq!(body["total"], 0);
}
