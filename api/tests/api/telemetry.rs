//! `POST /telemetry`: validation naming index and field, production keyed by vehicle.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::common::{RecordingProducer, app, app_with, post, seeded};

#[tokio::test]
async fn one_object_or_an_array_is_produced_keyed_by_vehicle() {
    let app = app();
    let one = json!({"vehicle_id": "v1", "ts": "2026-11-24T10:00:00Z", "signals": {"Vehicle.Speed": 88.5}});
    let (status, body) = post(&app.router, "/api/v1/telemetry", &one.to_string()).await;
    assert_eq!((status.as_u16(), body), (202, json!({"accepted": 1})));

    let many = json!([
        {"vehicle_id": "v2", "ts": 1764000000000_i64, "obd": ["41 05 7B"]},
        {"vehicle_id": "v1", "ts": 1764000001000_i64, "fleet_id": "acme", "odometer_km": 51234.5},
        {"vehicle_id": "v2", "ts": 1764000002000_i64, "can": [{"id": "0x0CF00400", "ext": true, "data": "00 7D"}]}
    ]);
    let (status, body) = post(&app.router, "/api/v1/telemetry", &many.to_string()).await;
    assert_eq!((status.as_u16(), body), (202, json!({"accepted": 3})));

    let records = app.producer.records.lock().expect("lock").clone();
    let produced: Vec<(String, Value)> =
        records.into_iter().map(|(k, p)| (k, serde_json::from_slice(&p).expect("json payload"))).collect();
    let mut expected = vec![("v1".to_string(), one)];
    if let Value::Array(items) = many {
        expected.extend(items.into_iter().map(|i| (i["vehicle_id"].as_str().unwrap_or_default().to_string(), i)));
    }
    assert_eq!(produced, expected);
}

async fn rejected(body: &str) -> (u16, Value) {
    let app = app();
    let (status, body) = post(&app.router, "/api/v1/telemetry", body).await;
    assert!(app.producer.records.lock().expect("lock").is_empty(), "nothing is produced from a rejected request");
    (status.as_u16(), body)
}

#[tokio::test]
async fn invalid_telemetry_is_422_naming_index_and_field() {
    let ok = r#"{"vehicle_id": "v1", "ts": 1, "signals": {"Vehicle.Speed": 1.0}}"#;
    for (body, message) in [
        (format!(r#"[{ok}, {{"vehicle_id": "v1", "signals": {{}}}}]"#), "[1].body: missing field `ts`"),
        (
            r#"{"vehicle_id": "v1", "ts": 1, "signals": {"Vehicle.Speed": "fast"}}"#.to_string(),
            r#"[0].signals.Vehicle.Speed: invalid type: string "fast", expected f64"#,
        ),
        (
            r#"{"vehicle_id": "v1", "ts": "yesterday", "odometer_km": 1}"#.to_string(),
            "[0].ts: ts 'yesterday' is not RFC 3339: premature end of input",
        ),
        (r#"{"vehicle_id": " ", "ts": 1, "odometer_km": 1}"#.to_string(), "[0].vehicle_id: must not be empty"),
        (
            format!(r#"[{ok}, {ok}, {{"vehicle_id": "v1", "ts": 1}}]"#),
            "[2].signals: at least one of signals, obd, can or odometer_km is required",
        ),
        ("42".to_string(), "body must be a telemetry object or an array of them"),
        ("[]".to_string(), "body is an empty array"),
    ] {
        assert_eq!(rejected(&body).await, (422, json!({"error": message, "status": 422})), "{body}");
    }
    let (status, body) = rejected(r#"{"vehicle_id": "v1", "ts": 1, "odometer_km": 1, "speed": 3}"#).await;
    assert_eq!(status, 422);
    assert!(body["error"].as_str().is_some_and(|e| e.starts_with("[0].speed: unknown field `speed`")), "{body}");

    let too_many = format!("[{}]", vec![ok; 1001].join(","));
    assert_eq!(
        rejected(&too_many).await,
        (422, json!({"error": "at most 1000 telemetry objects per request, got 1001", "status": 422}))
    );
    let (status, body) = rejected(r#"{"vehicle_id": "v1", "ts": 1,"#).await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().is_some_and(|e| e.starts_with("Failed to parse the request body as JSON")));
}

#[tokio::test]
async fn without_a_working_producer_it_is_503() {
    let body = r#"{"vehicle_id": "v1", "ts": 1, "odometer_km": 1}"#;
    let app = app_with(Arc::new(seeded()), None, None);
    let (status, answer) = post(&app.router, "/api/v1/telemetry", body).await;
    assert_eq!((status.as_u16(), answer), (503, json!({"error": "telemetry ingest is not configured", "status": 503})));

    let failing = Arc::new(RecordingProducer { fail: true, ..RecordingProducer::default() });
    let app = app_with(Arc::new(seeded()), Some(failing), None);
    let (status, answer) = post(&app.router, "/api/v1/telemetry", body).await;
    assert_eq!(
        (status.as_u16(), answer),
        (
            503,
            json!({
                "error": "kafka delivery cancelled; retrying the request is safe (a re-sent reading replaces the earlier one)",
                "status": 503
            })
        )
    );
}
