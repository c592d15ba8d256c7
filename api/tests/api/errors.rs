//! Every 4xx (and the store's 5xx) has the same JSON shape and a precise message.

use std::sync::atomic::Ordering;

use serde_json::json;

use crate::common::{app, get, post, send_raw};

#[tokio::test]
async fn bad_pagination_is_400() {
    let app = app();
    for (query, message) in [
        ("limit=0", "limit must be between 1 and 1000, got 0"),
        ("limit=1001", "limit must be between 1 and 1000, got 1001"),
        ("offset=-1", "offset must be >= 0, got -1"),
    ] {
        let (status, body) = get(&app.router, &format!("/api/v1/alerts?{query}")).await;
        assert_eq!((status.as_u16(), body), (400, json!({"error": message, "status": 400})), "{query}");
    }
    let (status, body) = get(&app.router, "/api/v1/vehicles?limit=ten").await;
    assert_eq!(status, 400);
    assert_eq!(body["status"], 400);
    assert!(body["error"].as_str().is_some_and(|e| e.contains("limit: invalid digit found in string")), "{body}");
}

#[tokio::test]
async fn bad_enum_values_are_400_with_the_allowed_list() {
    let app = app();
    for (uri, message) in [
        ("/api/v1/alerts?severity=bogus", "severity: unknown value 'bogus'; allowed: warning, critical"),
        ("/api/v1/alerts?state=closed", "state: unknown value 'closed'; allowed: open, resolved, withdrawn"),
        (
            "/api/v1/dead-letters?reason=late",
            "reason: unknown value 'late'; allowed: malformed, key_mismatch, unknown_signal, bad_obd, bad_can, too_late, future",
        ),
        (
            "/api/v1/health/v1/history?component=wings",
            "component: unknown value 'wings'; allowed: engine, cooling, brakes, transmission, battery, tires, turbofan",
        ),
    ] {
        let (status, body) = get(&app.router, uri).await;
        assert_eq!((status.as_u16(), body), (400, json!({"error": message, "status": 400})), "{uri}");
    }
}

#[tokio::test]
async fn bad_times_are_400() {
    let app = app();
    let (status, body) = get(&app.router, "/api/v1/health/v1/history?from=yesterday").await;
    assert_eq!(
        (status.as_u16(), body),
        (400, json!({"error": "from: 'yesterday' is not RFC 3339: premature end of input", "status": 400}))
    );
    let (status, body) =
        get(&app.router, "/api/v1/health/v1/history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").await;
    assert_eq!((status.as_u16(), body), (400, json!({"error": "from must not be after to", "status": 400})));
}

#[tokio::test]
async fn malformed_json_is_400_and_wrong_shapes_422() {
    let app = app();
    let (status, body) = post(&app.router, "/api/v1/fleets", r#"{"fleet_id": "x", "#).await;
    assert_eq!(status, 400);
    assert_eq!(body["status"], 400);
    assert!(
        body["error"].as_str().is_some_and(|e| e.starts_with("Failed to parse the request body as JSON")),
        "{body}"
    );

    let (status, body) = post(&app.router, "/api/v1/fleets", r#"{"fleet_id": "x"}"#).await;
    assert_eq!(status, 422);
    assert!(body["error"].as_str().is_some_and(|e| e.contains("missing field `name`")), "{body}");

    let (status, body) = send_raw(&app.router, "POST", "/api/v1/fleets", Some("{}"), "text/plain", None).await;
    assert_eq!(status, 415);
    assert!(body.contains(r#""status":415"#), "{body}");
}

#[tokio::test]
async fn invalid_registry_input_is_422_and_unknown_fleet_409() {
    let app = app();
    let (status, body) = post(
        &app.router,
        "/api/v1/vehicles",
        r#"{"vehicle_id": "v 1", "fleet_id": "acme", "vin": "SHORT", "warranty_start": "2025-13-01"}"#,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["error"],
        "vehicle_id: 'v 1' contains whitespace, a control character or '/'; \
         vin: 'SHORT' is not 17 characters of A-Z (no I, O, Q) and 0-9; \
         warranty_start: '2025-13-01' is not a YYYY-MM-DD date: input is out of range"
    );
    let (status, body) = post(&app.router, "/api/v1/vehicles", r#"{"vehicle_id": "v7", "fleet_id": "ghost"}"#).await;
    assert_eq!((status.as_u16(), body), (409, json!({"error": "fleet 'ghost' does not exist", "status": 409})));
    let (status, body) = post(
        &app.router,
        "/api/v1/technicians",
        r#"{"technician_id": "t", "name": "N", "depot": "d", "skills": [], "shift_start_hour": 18, "shift_end_hour": 6}"#,
    )
    .await;
    assert_eq!(
        (status.as_u16(), body),
        (422, json!({"error": "shift: start 18 and end 6 must satisfy 0 <= start < end <= 24", "status": 422}))
    );
    let (status, body) = post(&app.router, "/api/v1/alerts/a1/acknowledge", r#"{"by": " "}"#).await;
    assert_eq!((status.as_u16(), body), (422, json!({"error": "by: must not be empty", "status": 422})));
}

#[tokio::test]
async fn unknown_things_are_404() {
    let app = app();
    for (uri, message) in [
        ("/api/v1/alerts/zzz", "alert 'zzz' not found"),
        ("/api/v1/vehicles/zzz", "vehicle 'zzz' not found"),
        ("/api/v1/vehicles/zzz/health", "vehicle 'zzz' not found"),
        ("/api/v1/fleets/zzz/summary", "fleet 'zzz' not found"),
    ] {
        let (status, body) = get(&app.router, uri).await;
        assert_eq!((status.as_u16(), body), (404, json!({"error": message, "status": 404})), "{uri}");
    }
    let (status, body) = post(&app.router, "/api/v1/alerts/zzz/acknowledge", r#"{"by": "ann"}"#).await;
    assert_eq!((status.as_u16(), body), (404, json!({"error": "alert 'zzz' not found", "status": 404})));
}

#[tokio::test]
async fn an_unreachable_store_is_503_without_internals() {
    let app = app();
    app.store.down.store(true, Ordering::SeqCst);
    let (status, body) = get(&app.router, "/api/v1/vehicles").await;
    assert_eq!((status.as_u16(), body), (503, json!({"error": "store unavailable", "status": 503})));
    let (status, body) = get(&app.router, "/healthz").await;
    assert_eq!((status.as_u16(), body), (503, json!({"error": "store unavailable", "status": 503})));
}
