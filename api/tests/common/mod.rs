//! Shared fixtures of the API's black-box tests: an in-memory store, a
//! recording producer, a seeded data set and a one-shot request helper.

#![allow(dead_code)]

pub mod store;

use std::sync::{Arc, Mutex};

use api::{AppState, AuthConfig, Claims, ProduceError, Role, TelemetryProducer};
use async_trait::async_trait;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use schemas::{
    Alert, AlertState, Appointment, Band, Component, DeadLetter, DeadLetterReason, Decision, Fleet, HealthRow, LogPos,
    RawRecord, Severity, Value, Vehicle,
};
use serde_json::Value as Json;
use sinks::{AlertRecord, AppointmentRecord, DeadLetterRecord, Store};
use tower::ServiceExt;

pub use store::MemStore;

/// The JWT secret of auth-on tests.
pub const SECRET: &str = "test-secret";

/// A producer that records what it was given (or fails, when told to).
#[derive(Default)]
pub struct RecordingProducer {
    pub records: Mutex<Vec<(String, Vec<u8>)>>,
    pub fail: bool,
}

#[async_trait]
impl TelemetryProducer for RecordingProducer {
    async fn produce(&self, key: &str, payload: Vec<u8>) -> Result<(), ProduceError> {
        if self.fail {
            return Err(ProduceError::Cancelled);
        }
        self.records.lock().expect("lock").push((key.to_string(), payload));
        Ok(())
    }
}

/// A test app: the router and handles on its fakes.
pub struct App {
    pub router: Router,
    pub store: Arc<MemStore>,
    pub producer: Arc<RecordingProducer>,
}

/// The router over any store; `secret` turns auth on.
pub fn router_over(store: Arc<dyn Store>, producer: Option<Arc<RecordingProducer>>, secret: Option<&str>) -> Router {
    let state = AppState {
        store,
        producer: producer.map(|p| p as Arc<dyn TelemetryProducer>),
        metrics: api::metrics::install_recorder().expect("recorder"),
        auth: AuthConfig { jwt_secret: secret.map(str::to_string) },
    };
    api::router(state)
}

/// Builds an app over `store`; `secret` turns auth on.
pub fn app_with(store: Arc<MemStore>, producer: Option<Arc<RecordingProducer>>, secret: Option<&str>) -> App {
    let recording = producer.clone().unwrap_or_default();
    App { router: router_over(store.clone(), producer, secret), store, producer: recording }
}

/// A seeded app with a producer and auth off.
pub fn app() -> App {
    app_with(Arc::new(seeded()), Some(Arc::new(RecordingProducer::default())), None)
}

/// A seeded app with auth on.
pub fn app_auth() -> App {
    app_with(Arc::new(seeded()), Some(Arc::new(RecordingProducer::default())), Some(SECRET))
}

/// A signed token.
pub fn token(role: Role, fleets: &[&str]) -> String {
    let claims = Claims {
        sub: "tester".to_string(),
        role,
        fleets: fleets.iter().map(|f| f.to_string()).collect(),
        exp: 4_102_444_800,
    };
    api::auth::issue(SECRET, &claims).expect("sign")
}

/// Sends one request; returns the status and the body (JSON, or a JSON string for other content).
pub async fn send(
    router: &Router,
    method: &str,
    uri: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> (StatusCode, Json) {
    let (status, text) = send_raw(router, method, uri, body, "application/json", token).await;
    let json = serde_json::from_str(&text).unwrap_or(Json::String(text));
    (status, json)
}

/// Sends one request with a content type; returns the status and the body text.
pub async fn send_raw(
    router: &Router,
    method: &str,
    uri: &str,
    body: Option<&str>,
    content_type: &str,
    token: Option<&str>,
) -> (StatusCode, String) {
    let mut request = Request::builder().method(method).uri(uri);
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = request.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string()))).expect("request");
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// GET shorthand.
pub async fn get(router: &Router, uri: &str) -> (StatusCode, Json) {
    send(router, "GET", uri, None, None).await
}

/// POST shorthand.
pub async fn post(router: &Router, uri: &str, body: &str) -> (StatusCode, Json) {
    send(router, "POST", uri, Some(body), None).await
}

pub fn vehicle(id: &str, fleet: &str) -> Vehicle {
    Vehicle {
        vehicle_id: id.to_string(),
        fleet_id: fleet.to_string(),
        vin: None,
        owner: None,
        make: Some("Volvo".to_string()),
        model: Some("FH16".to_string()),
        warranty_start: None,
        home_depot: Some("north".to_string()),
        time_zone: None,
    }
}

pub fn health(vehicle: &str, fleet: &str, component: Component, ts_ms: i64, score: f64, band: Band) -> HealthRow {
    HealthRow {
        fleet_id: fleet.into(),
        vehicle_id: vehicle.into(),
        component,
        ts_ms,
        score: Value(score),
        band,
        rul_km: Some(Value(1200.0)),
        rul_km_p10: Some(Value(900.0)),
        rul_km_p90: Some(Value(1500.0)),
        rul_days: Some(Value(12.5)),
        odometer_km: Some(Value(50_000.0)),
        model_version: "rules-v3".into(),
    }
}

pub fn alert(id: &str, vehicle: &str, fleet: &str, severity: Severity, opened_ms: i64) -> AlertRecord {
    AlertRecord {
        alert: Alert {
            alert_id: id.to_string(),
            fleet_id: fleet.to_string(),
            vehicle_id: vehicle.to_string(),
            component: Component::Brakes,
            severity,
            state: AlertState::Open,
            opened_ms,
            last_ms: opened_ms + 60_000,
            resolved_ms: None,
            min_score: Value(35.0),
            rul_km: Some(Value(800.0)),
            rul_days: Some(Value(6.0)),
        },
        acknowledged_by: None,
        acknowledged_ms: None,
        note: None,
        escalated_ms: None,
    }
}

pub fn appointment(id: &str, vehicle: &str, fleet: &str, start_ms: i64) -> AppointmentRecord {
    AppointmentRecord {
        appointment: Appointment {
            appointment_id: id.to_string(),
            fleet_id: fleet.to_string(),
            vehicle_id: vehicle.to_string(),
            depot: "north".to_string(),
            technician_id: "t1".to_string(),
            bay_id: "b1".to_string(),
            start_ms,
            end_ms: start_ms + 3_600_000,
            components: vec![Component::Brakes],
            alert_ids: vec!["a1".to_string()],
            deadline_ms: start_ms + 86_400_000,
        },
        status: "scheduled".to_string(),
        confirmed_by: None,
    }
}

/// Two fleets (`acme` with v1 and v2, `beta` with v3), health, alerts, a
/// decision, appointments and two dead letters.
pub fn seeded() -> MemStore {
    let store = MemStore::default();
    {
        let mut d = store.data.lock().expect("lock");
        for (id, name) in [("acme", "Acme Logistics"), ("beta", "Beta Buses")] {
            d.fleets.insert(id.to_string(), Fleet { fleet_id: id.to_string(), name: name.to_string() });
        }
        for (id, fleet) in [("v1", "acme"), ("v2", "acme"), ("v3", "beta")] {
            d.vehicles.insert(id.to_string(), vehicle(id, fleet));
        }
        d.health = vec![
            health("v1", "acme", Component::Brakes, 1_000, 80.0, Band::Healthy),
            health("v1", "acme", Component::Brakes, 2_000, 40.0, Band::Degraded),
            health("v1", "acme", Component::Cooling, 2_000, 90.0, Band::Healthy),
            health("v3", "beta", Component::Tires, 2_000, 20.0, Band::Critical),
        ];
        for record in [
            alert("a1", "v1", "acme", Severity::Warning, 2_000),
            alert("a2", "v2", "acme", Severity::Critical, 3_000),
            alert("a3", "v3", "beta", Severity::Critical, 4_000),
        ] {
            d.alerts.insert(record.alert.alert_id.clone(), record);
        }
        d.decisions.push(Decision {
            decision_id: "d1".to_string(),
            alert_id: "a1".to_string(),
            fleet_id: "acme".to_string(),
            vehicle_id: "v1".to_string(),
            component: Component::Brakes,
            worker: "brake_worker".to_string(),
            action: "replace_brake_pads".to_string(),
            recommendation: "Replace the front brake pads.".to_string(),
            reasoning: "Pad wear 85% on the front left wheel.".to_string(),
            priority: 2,
            escalate: false,
            ts_ms: 2_000,
        });
        for record in [appointment("p1", "v1", "acme", 10_000), appointment("p2", "v3", "beta", 5_000)] {
            d.appointments.insert(record.appointment.appointment_id.clone(), record);
        }
        let record = |offset, payload: &[u8]| RawRecord {
            pos: LogPos { partition: 0, offset },
            append_ms: 7_000,
            key: Some(b"v1".to_vec()),
            payload: payload.to_vec(),
        };
        d.dead_letters = vec![
            DeadLetterRecord {
                id: 1,
                dead_letter: DeadLetter::whole(record(5, b"{nope"), DeadLetterReason::Malformed, "expected value"),
            },
            DeadLetterRecord {
                id: 2,
                dead_letter: DeadLetter {
                    item: Some("Vehicle.Bogus".to_string()),
                    vehicle_id: Some("v1".to_string()),
                    ts_ms: Some(6_000),
                    ..DeadLetter::whole(record(6, b"\xff{}"), DeadLetterReason::UnknownSignal, "unknown signal")
                },
            },
        ];
    }
    store
}
