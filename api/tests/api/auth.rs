//! Auth on: bearer JWTs, roles and fleet scoping. (Auth off is every other test.)

use api::Role;
use serde_json::{Value, json};

use crate::common::{app_auth, send, token};

fn ids(body: &Value, key: &str) -> Vec<String> {
    let rows = body.get("items").unwrap_or(body);
    rows.as_array().into_iter().flatten().filter_map(|r| r[key].as_str().map(str::to_string)).collect()
}

#[tokio::test]
async fn credentials_are_required_except_for_ops() {
    let app = app_auth();
    let (status, body) = send(&app.router, "GET", "/api/v1/fleets", None, None).await;
    assert_eq!((status.as_u16(), body), (401, json!({"error": "missing Authorization: Bearer token", "status": 401})));
    let (status, body) = send(&app.router, "GET", "/api/v1/fleets", None, Some("not.a.jwt")).await;
    assert_eq!(status, 401);
    assert!(body["error"].as_str().is_some_and(|e| e.starts_with("invalid token")), "{body}");
    let forged = api::auth::issue(
        "other-secret",
        &api::Claims { sub: "x".into(), role: Role::Admin, fleets: vec![], exp: 4_102_444_800 },
    )
    .expect("sign");
    let (status, _) = send(&app.router, "GET", "/api/v1/fleets", None, Some(&forged)).await;
    assert_eq!(status, 401);

    for uri in ["/healthz", "/metrics", "/openapi.json", "/api/v1/healthz", "/api/v1/openapi.json", "/"] {
        let (status, _) = send(&app.router, "GET", uri, None, None).await;
        assert_eq!(status, 200, "{uri}");
    }
}

#[tokio::test]
async fn a_fleet_manager_sees_only_their_fleets() {
    let app = app_auth();
    let acme = token(Role::FleetManager, &["acme"]);
    let t = Some(acme.as_str());
    let get = |uri: &'static str| send(&app.router, "GET", uri, None, t);

    let (status, body) = get("/api/v1/fleets").await;
    assert_eq!((status.as_u16(), body), (200, json!([{"fleet_id": "acme", "name": "Acme Logistics"}])));
    assert_eq!(ids(&get("/api/v1/vehicles").await.1, "vehicle_id"), ["v1", "v2"]);
    assert_eq!(ids(&get("/api/v1/alerts").await.1, "alert_id"), ["a2", "a1"]);
    assert_eq!(ids(&get("/api/v1/appointments").await.1, "appointment_id"), ["p1"]);
    assert_eq!(ids(&get("/api/v1/decisions?alert_id=a1").await.1, "decision_id"), ["d1"]);
    assert_eq!(get("/api/v1/vehicles/v1/health").await.0, 200);
    assert_eq!(get("/api/v1/health/v1/history").await.0, 200);
    assert_eq!(get("/api/v1/fleets/acme/summary").await.0, 200);
    assert_eq!(get("/api/v1/dead-letters/counts").await.0, 200);

    let forbidden = json!({"error": "fleet 'beta' is not among the token's fleets", "status": 403});
    for uri in [
        "/api/v1/vehicles?fleet_id=beta",
        "/api/v1/vehicles/v3",
        "/api/v1/vehicles/v3/health",
        "/api/v1/health/v3/history",
        "/api/v1/alerts/a3",
        "/api/v1/alerts?vehicle_id=v3",
        "/api/v1/fleets/beta/summary",
        "/api/v1/decisions?vehicle_id=v3",
    ] {
        let (status, body) = get(uri).await;
        assert_eq!((status.as_u16(), body), (403, forbidden.clone()), "{uri}");
    }
    let (status, body) = get("/api/v1/decisions").await;
    assert_eq!(
        (status.as_u16(), body),
        (400, json!({"error": "vehicle_id or alert_id is required for a fleet-scoped token", "status": 400}))
    );
    assert_eq!(get("/api/v1/dead-letters").await.0, 403);

    let post = |uri: &'static str, body: &'static str| send(&app.router, "POST", uri, Some(body), t);
    assert_eq!(post("/api/v1/alerts/a3/acknowledge", r#"{"by": "ann"}"#).await.0, 403);
    assert_eq!(post("/api/v1/alerts/a1/acknowledge", r#"{"by": "ann"}"#).await.0, 200);
    assert_eq!(post("/api/v1/appointments/p2/confirm", r#"{"by": "ann"}"#).await.0, 404);
    assert_eq!(post("/api/v1/appointments/p1/confirm", r#"{"by": "ann"}"#).await.0, 200);
    assert_eq!(post("/api/v1/vehicles", r#"{"vehicle_id": "v3", "fleet_id": "acme"}"#).await.0, 403);
    assert_eq!(post("/api/v1/vehicles", r#"{"vehicle_id": "v8", "fleet_id": "acme"}"#).await.0, 200);
    assert_eq!(post("/api/v1/fleets", r#"{"fleet_id": "x", "name": "X"}"#).await.0, 403);
    assert_eq!(
        post("/api/v1/telemetry", r#"{"vehicle_id": "v3", "ts": 1, "fleet_id": "beta", "odometer_km": 1}"#).await.0,
        403
    );
    assert_eq!(
        post("/api/v1/telemetry", r#"{"vehicle_id": "v1", "ts": 1, "fleet_id": "acme", "odometer_km": 1}"#).await.0,
        202
    );
}

#[tokio::test]
async fn roles_limit_writes() {
    let app = app_auth();
    let owner = token(Role::Owner, &["acme"]);
    let (status, body) =
        send(&app.router, "POST", "/api/v1/bays", Some(r#"{"bay_id": "b1", "depot": "d"}"#), Some(&owner)).await;
    assert_eq!((status.as_u16(), body), (403, json!({"error": "role Owner may not do this", "status": 403})));
    let admin = token(Role::Admin, &[]);
    let (status, _) =
        send(&app.router, "POST", "/api/v1/fleets", Some(r#"{"fleet_id": "x", "name": "X"}"#), Some(&admin)).await;
    assert_eq!(status, 200);
    let (status, body) = send(&app.router, "GET", "/api/v1/dead-letters?limit=1", None, Some(&admin)).await;
    assert_eq!((status.as_u16(), ids(&body, "reason")), (200, vec!["unknown_signal".to_string()]));
    assert_eq!(
        ids(&send(&app.router, "GET", "/api/v1/alerts", None, Some(&admin)).await.1, "alert_id"),
        ["a3", "a2", "a1"]
    );
}

#[tokio::test]
async fn several_fleets_merge_into_one_page() {
    let app = app_auth();
    let both = token(Role::Technician, &["beta", "acme"]);
    let page = |uri: &'static str| send(&app.router, "GET", uri, None, Some(&both));
    assert_eq!(ids(&page("/api/v1/alerts").await.1, "alert_id"), ["a3", "a2", "a1"]);
    assert_eq!(ids(&page("/api/v1/alerts?offset=1&limit=1").await.1, "alert_id"), ["a2"]);
    assert_eq!(ids(&page("/api/v1/vehicles?offset=1&limit=2").await.1, "vehicle_id"), ["v2", "v3"]);
    assert_eq!(ids(&page("/api/v1/appointments").await.1, "appointment_id"), ["p2", "p1"]);
}
