//! Happy paths of the dataflow's results: health, alerts, decisions,
//! appointments, dead letters and the ingestion progress.

use serde_json::{Value, json};
use sinks::StoreProgress;

use crate::common::{app, get, post};

fn health_json(component: &str, ts_ms: i64, score: f64, band: &str) -> Value {
    json!({
        "fleet_id": "acme", "vehicle_id": "v1", "component": component, "ts_ms": ts_ms, "score": score, "band": band,
        "rul_km": 1200.0, "rul_km_p10": 900.0, "rul_km_p90": 1500.0, "rul_days": 12.5, "odometer_km": 50000.0,
        "model_version": "rules-v3"
    })
}

#[tokio::test]
async fn current_health_and_history() {
    let app = app();
    let (status, body) = get(&app.router, "/api/v1/vehicles/v1/health").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "vehicle_id": "v1",
            "fleet_id": "acme",
            "components": [health_json("cooling", 2000, 90.0, "healthy"), health_json("brakes", 2000, 40.0, "degraded")]
        })
    );

    let (status, body) = get(&app.router, "/api/v1/health/v1/history?component=brakes").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "items": [health_json("brakes", 2000, 40.0, "degraded"), health_json("brakes", 1000, 80.0, "healthy")],
            "offset": 0, "limit": 100
        })
    );

    let (_, body) =
        get(&app.router, "/api/v1/health/v1/history?from=1970-01-01T00:00:00.500Z&to=1970-01-01T00:00:01Z").await;
    assert_eq!(body, json!({"items": [health_json("brakes", 1000, 80.0, "healthy")], "offset": 0, "limit": 100}));
}

fn alert_json(id: &str, vehicle: &str, fleet: &str, severity: &str, opened_ms: i64) -> Value {
    json!({
        "alert_id": id, "fleet_id": fleet, "vehicle_id": vehicle, "component": "brakes", "severity": severity,
        "state": "open", "opened_ms": opened_ms, "last_ms": opened_ms + 60000, "resolved_ms": null, "min_score": 35.0,
        "rul_km": 800.0, "rul_days": 6.0, "acknowledged_by": null, "acknowledged_ms": null, "note": null,
        "escalated_ms": null
    })
}

#[tokio::test]
async fn alerts_list_get_and_acknowledge() {
    let app = app();
    let (status, body) = get(&app.router, "/api/v1/alerts").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "items": [
                alert_json("a3", "v3", "beta", "critical", 4000),
                alert_json("a2", "v2", "acme", "critical", 3000),
                alert_json("a1", "v1", "acme", "warning", 2000)
            ],
            "offset": 0, "limit": 100
        })
    );
    let (_, body) = get(&app.router, "/api/v1/alerts?fleet_id=acme&severity=critical&state=open").await;
    assert_eq!(body, json!({"items": [alert_json("a2", "v2", "acme", "critical", 3000)], "offset": 0, "limit": 100}));
    let (_, body) = get(&app.router, "/api/v1/alerts?vehicle_id=v1").await;
    assert_eq!(body["items"], json!([alert_json("a1", "v1", "acme", "warning", 2000)]));

    let (status, body) = get(&app.router, "/api/v1/alerts/a1").await;
    assert_eq!((status.as_u16(), body), (200, alert_json("a1", "v1", "acme", "warning", 2000)));

    let before = chrono::Utc::now().timestamp_millis();
    let (status, mut body) =
        post(&app.router, "/api/v1/alerts/a1/acknowledge", r#"{"by": "ann", "note": "on it"}"#).await;
    assert_eq!(status, 200);
    let at = body["acknowledged_ms"].as_i64().expect("acknowledged_ms");
    assert!(at >= before, "{at} < {before}");
    body["acknowledged_ms"] = Value::Null;
    let mut expected = alert_json("a1", "v1", "acme", "warning", 2000);
    expected["acknowledged_by"] = json!("ann");
    expected["note"] = json!("on it");
    assert_eq!(body, expected);
}

#[tokio::test]
async fn decisions_by_vehicle_and_alert() {
    let app = app();
    let decision = json!({
        "decision_id": "d1", "alert_id": "a1", "fleet_id": "acme", "vehicle_id": "v1", "component": "brakes",
        "worker": "brake_worker", "action": "replace_brake_pads", "recommendation": "Replace the front brake pads.",
        "reasoning": "Pad wear 85% on the front left wheel.", "priority": 2, "escalate": false, "ts_ms": 2000
    });
    let (status, body) = get(&app.router, "/api/v1/decisions?vehicle_id=v1").await;
    assert_eq!((status.as_u16(), body), (200, json!({"items": [decision], "offset": 0, "limit": 100})));
    let (_, body) = get(&app.router, "/api/v1/decisions?alert_id=a2").await;
    assert_eq!(body, json!({"items": [], "offset": 0, "limit": 100}));
}

fn appointment_json(id: &str, vehicle: &str, fleet: &str, start_ms: i64, status: &str, by: Option<&str>) -> Value {
    json!({
        "appointment_id": id, "fleet_id": fleet, "vehicle_id": vehicle, "depot": "north", "technician_id": "t1",
        "bay_id": "b1", "start_ms": start_ms, "end_ms": start_ms + 3600000, "components": ["brakes"],
        "alert_ids": ["a1"], "deadline_ms": start_ms + 86400000, "status": status, "confirmed_by": by
    })
}

#[tokio::test]
async fn appointments_list_and_confirm() {
    let app = app();
    let (status, body) = get(&app.router, "/api/v1/appointments").await;
    assert_eq!(status, 200);
    assert_eq!(
        body["items"],
        json!([
            appointment_json("p2", "v3", "beta", 5000, "scheduled", None),
            appointment_json("p1", "v1", "acme", 10000, "scheduled", None)
        ])
    );
    let (_, body) = get(&app.router, "/api/v1/appointments?fleet_id=acme&vehicle_id=v1").await;
    assert_eq!(body["items"], json!([appointment_json("p1", "v1", "acme", 10000, "scheduled", None)]));

    let (status, body) = post(&app.router, "/api/v1/appointments/p1/confirm", r#"{"by": "bob"}"#).await;
    assert_eq!((status.as_u16(), body), (200, appointment_json("p1", "v1", "acme", 10000, "confirmed", Some("bob"))));
    let (status, body) = post(&app.router, "/api/v1/appointments/nope/confirm", r#"{"by": "bob"}"#).await;
    assert_eq!((status.as_u16(), body), (404, json!({"error": "appointment 'nope' not found", "status": 404})));
}

#[tokio::test]
async fn dead_letters_and_counts() {
    let app = app();
    let second = json!({
        "id": 2, "reason": "unknown_signal", "detail": "unknown signal", "item": "Vehicle.Bogus", "vehicle_id": "v1",
        "ts_ms": 6000, "partition": 0, "offset": 6, "append_ms": 7000, "key": "v1", "payload_text": "\u{fffd}{}",
        "payload_base64": "/3t9"
    });
    let first = json!({
        "id": 1, "reason": "malformed", "detail": "expected value", "item": null, "vehicle_id": null, "ts_ms": null,
        "partition": 0, "offset": 5, "append_ms": 7000, "key": "v1", "payload_text": "{nope",
        "payload_base64": "e25vcGU="
    });
    let (status, body) = get(&app.router, "/api/v1/dead-letters").await;
    assert_eq!((status.as_u16(), body), (200, json!({"items": [second, first.clone()], "offset": 0, "limit": 100})));
    let (_, body) = get(&app.router, "/api/v1/dead-letters?reason=malformed").await;
    assert_eq!(body, json!({"items": [first], "offset": 0, "limit": 100}));

    let (status, body) = get(&app.router, "/api/v1/dead-letters/counts").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "total": 2,
            "by_reason": {
                "bad_can": 0, "bad_obd": 0, "future": 0, "key_mismatch": 0, "malformed": 1, "too_late": 0,
                "unknown_signal": 1
            }
        })
    );
}

#[tokio::test]
async fn ingestion_progress_by_partition() {
    let app = app();
    let (status, body) = get(&app.router, "/api/v1/ingestion/progress").await;
    assert_eq!((status.as_u16(), body), (200, json!({"partitions": []})));
    app.store.data.lock().expect("data").progress = vec![
        StoreProgress { partition: 0, next_offset: 120, written_ms: 9_000 },
        StoreProgress { partition: 3, next_offset: 7, written_ms: 9_500 },
    ];
    let (status, body) = get(&app.router, "/api/v1/ingestion/progress").await;
    assert_eq!(
        (status.as_u16(), body),
        (
            200,
            json!({"partitions": [
                {"partition": 0, "next_offset": 120, "written_ms": 9000},
                {"partition": 3, "next_offset": 7, "written_ms": 9500}
            ]})
        )
    );
}
