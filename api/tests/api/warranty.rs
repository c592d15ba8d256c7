//! Warranty claims through the API: submitted and decided at once, read
//! back, listed, and refused with a precise 4xx when they cannot stand.

use api::Role;
use schemas::{Band, Component};
use serde_json::{Value, json};

use crate::common::{App, app, app_auth, get, health, post, send, token};

/// `app()` with v1 under warranty since 1970-01-01 and its engine critical at 2 s.
fn covered() -> App {
    let app = app();
    {
        let mut d = app.store.data.lock().expect("lock");
        if let Some(v1) = d.vehicles.get_mut("v1") {
            v1.warranty_start = Some("1970-01-01".into());
        }
        d.health.push(health("v1", "acme", Component::Engine, 2_000, 35.0, Band::Critical));
    }
    app
}

fn claim_body(component: &str, failed_ms: i64, odometer_km: f64) -> String {
    json!({
        "vehicle_id": "v1", "component": component, "failed_ms": failed_ms, "odometer_km": odometer_km,
        "description": "engine seized on the motorway", "submitted_by": "ann"
    })
    .to_string()
}

/// The body with its clock-dependent times checked against `[before, after]` and zeroed.
fn settled(mut body: Value, before: i64, after: i64) -> Value {
    for field in ["submitted_ms", "decided_ms"] {
        if let Some(ms) = body[field].as_i64() {
            assert!((before..=after).contains(&ms), "{field} {ms} outside [{before}, {after}]");
            body[field] = json!(0);
        }
    }
    body
}

fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[tokio::test]
async fn a_claim_is_decided_on_submission_and_read_back() {
    let app = covered();
    let before = now();
    let (status, body) = post(&app.router, "/api/v1/warranty/claims", &claim_body("engine", 5_000, 50_100.0)).await;
    let after = now();
    assert_eq!(status, 201, "{body}");
    let claim_id = schemas::Claim::id_for("v1", Component::Engine, 5_000);
    let telemetry = "the telemetry showed the engine critical from 1970-01-01 00:00 UTC (lowest score 35.0)";
    let expected = json!({
        "claim_id": claim_id, "fleet_id": "acme", "vehicle_id": "v1", "component": "engine", "failed_ms": 5000,
        "odometer_km": 50100.0, "description": "engine seized on the motorway", "alert_id": null,
        "submitted_by": "ann", "submitted_ms": 0, "status": "validated",
        "reason": format!("validated: covered, and {telemetry}"),
        "checks": [
            {"name": "coverage_period", "outcome": "pass",
             "detail": "the engine failed on 1970-01-01, within its 60-month coverage from 1970-01-01 to 1975-01-01"},
            {"name": "mileage_limit", "outcome": "pass", "detail": "50100 km claimed at the failure is within the 100000 km limit"},
            {"name": "odometer", "outcome": "pass",
             "detail": "50100 km claimed; the telemetry recorded 50000 km on 1970-01-01 00:00 UTC, before the failure"},
            {"name": "telemetry", "outcome": "pass", "detail": telemetry},
            {"name": "duplicate", "outcome": "pass", "detail": "no other validated claim for the engine within 90 days"}
        ],
        "decided_ms": 0
    });
    assert_eq!(settled(body.clone(), before, after), expected);

    let (status, stored) = get(&app.router, &format!("/api/v1/warranty/claims/{claim_id}")).await;
    assert_eq!((status.as_u16(), stored.clone()), (200, body.clone()));
    let (_, listed) = get(&app.router, "/api/v1/warranty/claims?status=validated&vehicle_id=v1").await;
    assert_eq!(listed, json!({"items": [body], "offset": 0, "limit": 100}));
    let (_, none) = get(&app.router, "/api/v1/warranty/claims?status=rejected").await;
    assert_eq!(none["items"], json!([]));

    // The same failure again (a retried request) finds the first claim.
    let (status, body) = post(&app.router, "/api/v1/warranty/claims", &claim_body("engine", 5_000, 50_100.0)).await;
    assert_eq!(
        (status.as_u16(), body),
        (
            409,
            json!({"error": format!("claim '{claim_id}' for this failure exists already (validated)"), "status": 409})
        )
    );
}

#[tokio::test]
async fn claims_past_the_limits_are_rejected_and_inconclusive_ones_wait_for_review() {
    let app = covered();
    // Brakes are covered for 40 000 km; the telemetry recorded 50 000.
    let (status, body) = post(&app.router, "/api/v1/warranty/claims", &claim_body("brakes", 5_000, 39_000.0)).await;
    assert_eq!((status.as_u16(), &body["status"]), (201, &json!("rejected")));
    assert_eq!(
        body["reason"],
        "rejected: 50000 km recorded by the telemetry at the failure is past the 40000 km limit"
    );
    assert!(body["decided_ms"].is_i64(), "{body}");
    // The cooling system was healthy right up to the failure: a person decides.
    let (status, body) = post(&app.router, "/api/v1/warranty/claims", &claim_body("cooling", 5_000, 50_100.0)).await;
    assert_eq!((status.as_u16(), &body["status"]), (201, &json!("submitted")));
    assert_eq!(
        body["reason"],
        "needs review: the telemetry shows the cooling healthy up to the failure (1 window in the 30 days before it, lowest score 90.0, no alert)"
    );
    assert_eq!(body["decided_ms"], Value::Null);
    let (_, listed) = get(&app.router, "/api/v1/warranty/claims?fleet_id=acme").await;
    let statuses: Vec<&Value> =
        listed["items"].as_array().map(|items| items.iter().map(|i| &i["status"]).collect()).unwrap_or_default();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&&json!("rejected")) && statuses.contains(&&json!("submitted")));
}

#[tokio::test]
async fn bad_claims_get_a_precise_4xx() {
    let app = covered();
    let future = now() + 3_600_000;
    for (body, status, message) in [
        (claim_body("engine", 5_000, -1.0), 422, "odometer_km: -1 is not a distance (a finite number ≥ 0)".to_string()),
        (claim_body("engine", future, 1.0), 422, format!("failed_ms: {future} is in the future")),
        (
            json!({"vehicle_id": "v1", "component": "engine", "failed_ms": 5000, "odometer_km": 1.0,
                   "description": " ", "submitted_by": "ann"})
            .to_string(),
            422,
            "description: must be 1–4000 characters".to_string(),
        ),
        (
            json!({"vehicle_id": "v1", "component": "engine", "failed_ms": 5000, "odometer_km": 1.0,
                   "description": "x", "submitted_by": ""})
            .to_string(),
            422,
            "submitted_by: must not be empty".to_string(),
        ),
        (
            json!({"vehicle_id": "v1", "component": "engine", "failed_ms": 5000, "odometer_km": 1.0,
                   "description": "x", "submitted_by": "ann", "alert_id": "a1"})
            .to_string(),
            422,
            "alert_id: 'a1' is not an alert on this vehicle's engine".to_string(),
        ),
        (
            json!({"vehicle_id": "ghost", "component": "engine", "failed_ms": 5000, "odometer_km": 1.0,
                   "description": "x", "submitted_by": "ann"})
            .to_string(),
            404,
            "vehicle 'ghost' not found".to_string(),
        ),
    ] {
        let (got, reply) = post(&app.router, "/api/v1/warranty/claims", &body).await;
        assert_eq!((got.as_u16(), reply), (status, json!({"error": message, "status": status})), "{body}");
    }
    let (status, body) = post(&app.router, "/api/v1/warranty/claims", &claim_body("wings", 5_000, 1.0)).await;
    assert_eq!(status, 422);
    assert!(body["error"].as_str().is_some_and(|e| e.contains("unknown variant `wings`")), "{body}");
    let (status, body) = get(&app.router, "/api/v1/warranty/claims?status=approved").await;
    assert_eq!(
        (status.as_u16(), body),
        (
            400,
            json!({"error": "status: unknown value 'approved'; allowed: submitted, validated, rejected", "status": 400})
        )
    );
    let (status, body) = get(&app.router, "/api/v1/warranty/claims/clm-nope").await;
    assert_eq!((status.as_u16(), body), (404, json!({"error": "claim 'clm-nope' not found", "status": 404})));
    // Nothing was stored by the refused requests.
    assert_eq!(get(&app.router, "/api/v1/warranty/claims").await.1["items"], json!([]));
}

#[tokio::test]
async fn claims_stay_within_the_callers_fleets() {
    let app = app_auth();
    let acme = token(Role::Owner, &["acme"]);
    let beta = token(Role::Owner, &["beta"]);
    let body = claim_body("engine", 5_000, 50_100.0);
    let (status, reply) = send(&app.router, "POST", "/api/v1/warranty/claims", Some(&body), Some(&beta)).await;
    assert_eq!(
        (status.as_u16(), reply),
        (403, json!({"error": "fleet 'acme' is not among the token's fleets", "status": 403}))
    );
    let (status, reply) = send(&app.router, "POST", "/api/v1/warranty/claims", Some(&body), Some(&acme)).await;
    assert_eq!(status, 201, "{reply}");
    let uri = format!("/api/v1/warranty/claims/{}", reply["claim_id"].as_str().unwrap_or_default());
    assert_eq!(send(&app.router, "GET", &uri, None, Some(&acme)).await.0, 200);
    assert_eq!(send(&app.router, "GET", &uri, None, Some(&beta)).await.0, 403);
    let (_, listed) = send(&app.router, "GET", "/api/v1/warranty/claims", None, Some(&beta)).await;
    assert_eq!(listed["items"], json!([]));
    let (_, listed) = send(&app.router, "GET", "/api/v1/warranty/claims", None, Some(&acme)).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_coverage_is_published() {
    let (status, body) = get(&app().router, "/api/v1/warranty/coverage").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!([
            {"component": "engine", "months": 60, "km": 100000.0},
            {"component": "cooling", "months": 60, "km": 100000.0},
            {"component": "transmission", "months": 60, "km": 100000.0},
            {"component": "battery", "months": 36, "km": 60000.0},
            {"component": "brakes", "months": 24, "km": 40000.0},
            {"component": "tires", "months": 24, "km": 40000.0}
        ])
    );
}
