//! `/healthz`, `/metrics`, `/openapi.json` and the dashboard.

use serde_json::{Value, json};

use crate::common::{app, get, send_raw};

#[tokio::test]
async fn healthz_is_ok() {
    let app = app();
    assert_eq!(get(&app.router, "/healthz").await, (axum::http::StatusCode::OK, json!({"status": "ok"})));
    assert_eq!(get(&app.router, "/api/v1/healthz").await.1, json!({"status": "ok"}));
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_status() {
    let app = app();
    get(&app.router, "/api/v1/vehicles/v1").await;
    get(&app.router, "/api/v1/vehicles/nope").await;
    let (status, text) = send_raw(&app.router, "GET", "/metrics", None, "", None).await;
    assert_eq!(status, 200);
    for line in [
        r#"http_requests_total{method="GET",route="/api/v1/vehicles/{vehicle_id}",status="200"}"#,
        r#"http_requests_total{method="GET",route="/api/v1/vehicles/{vehicle_id}",status="404"}"#,
        r#"http_request_duration_seconds_bucket{method="GET",route="/api/v1/vehicles/{vehicle_id}",le="0.001"}"#,
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
}

#[tokio::test]
async fn openapi_documents_every_route() {
    let app = app();
    let (status, doc) = get(&app.router, "/openapi.json").await;
    assert_eq!(status, 200);
    let paths: Vec<&str> = doc["paths"].as_object().map(|p| p.keys().map(String::as_str).collect()).unwrap_or_default();
    let mut expected = vec![
        "/api/v1/telemetry",
        "/api/v1/fleets",
        "/api/v1/fleets/{fleet_id}/summary",
        "/api/v1/vehicles",
        "/api/v1/vehicles/import",
        "/api/v1/vehicles/{vehicle_id}",
        "/api/v1/vehicles/{vehicle_id}/health",
        "/api/v1/health/{vehicle_id}/history",
        "/api/v1/alerts",
        "/api/v1/alerts/{alert_id}",
        "/api/v1/alerts/{alert_id}/acknowledge",
        "/api/v1/decisions",
        "/api/v1/appointments",
        "/api/v1/appointments/{appointment_id}/confirm",
        "/api/v1/dead-letters",
        "/api/v1/dead-letters/counts",
        "/api/v1/ingestion/progress",
        "/api/v1/technicians",
        "/api/v1/bays",
        "/api/v1/parts",
        "/api/v1/warranty/claims",
        "/api/v1/warranty/claims/{claim_id}",
        "/api/v1/warranty/coverage",
        "/healthz",
        "/metrics",
    ];
    let mut paths = paths;
    paths.sort_unstable();
    expected.sort_unstable();
    assert_eq!(paths, expected);
    assert_eq!(
        doc["paths"]["/api/v1/alerts"]["get"]["parameters"][2]["schema"],
        json!({"$ref": "#/components/schemas/Severity"})
    );
    assert_eq!(doc["components"]["schemas"]["Severity"]["enum"], json!(["warning", "critical"]));
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    for reference in refs {
        let name = reference.trim_start_matches("#/components/schemas/");
        assert!(doc["components"]["schemas"].get(name).is_some(), "{reference} does not resolve");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    );
    assert_eq!(get(&app.router, "/api/v1/openapi.json").await.1, doc);
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                refs.push(reference.clone());
            }
            map.values().for_each(|v| collect_refs(v, refs));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

#[tokio::test]
async fn dashboard_is_served() {
    let app = app();
    let (status, html) = send_raw(&app.router, "GET", "/", None, "", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("<script src=\"/app.js\"></script>"));
    assert!(html.contains("<table id=\"claims\">"));
    let (status, js) = send_raw(&app.router, "GET", "/app.js", None, "", None).await;
    assert_eq!(status, 200);
    assert!(js.contains("setInterval(() => refresh(false), REFRESH_MS)"));
    assert!(js.contains("/warranty/claims?fleet_id="));
    assert_eq!(send_raw(&app.router, "GET", "/style.css", None, "", None).await.0, 200);
}
