//! `POST /telemetry`: HTTP ingest for devices and gateways without a Kafka
//! client. Valid messages are produced to the raw topic keyed by vehicle id;
//! the pipeline then treats them like any other record.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::model::Accepted;
use crate::model::telemetry::validate;
use crate::state::AppState;

/// The ingest route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ingest))
}

/// Accepts one telemetry object or an array of up to 1000
/// (`{vehicle_id, ts, fleet_id?, odometer_km?, signals?, obd?, can?}`), all or none.
#[utoipa::path(post, path = "/telemetry", tag = "telemetry",
    request_body(content = Object, description = "a telemetry object or an array of them"),
    responses((status = 202, body = Accepted), (status = 400, body = ErrorBody, description = "malformed JSON"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "names the index and field"),
        (status = 503, body = ErrorBody, description = "no producer configured, or Kafka unavailable")))]
async fn ingest(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    let messages = validate(body)?;
    for (index, message) in messages.iter().enumerate() {
        caller
            .require_fleet(&message.fleet_id)
            .map_err(|e| ApiError { message: format!("[{index}]: {}", e.message), ..e })?;
    }
    let producer =
        state.producer.as_ref().ok_or_else(|| ApiError::unavailable("telemetry ingest is not configured"))?;
    let accepted = messages.len();
    producer.produce_all(messages.into_iter().map(|m| (m.vehicle_id, m.payload)).collect()).await?;
    metrics::counter!("api_telemetry_accepted_total").increment(accepted as u64);
    Ok((StatusCode::ACCEPTED, Json(Accepted { accepted })))
}
