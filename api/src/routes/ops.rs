//! Operational routes that need no credentials: `/healthz`, `/metrics`, `/openapi.json`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// `/healthz` and `/metrics`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz)).routes(routes!(metrics))
}

/// `path` (an `/openapi.json`), serving `document`.
pub fn document<S: Clone + Send + Sync + 'static>(path: &str, document: Arc<String>) -> Router<S> {
    Router::new().route(
        path,
        get(move || {
            let document = Arc::clone(&document);
            async move { ([(header::CONTENT_TYPE, "application/json")], document.as_str().to_owned()) }
        }),
    )
}

/// The service's health.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
}

/// 200 when the store answers, 503 otherwise.
#[utoipa::path(get, path = "/healthz", tag = "ops", security(()),
    responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.store.healthcheck().await.map_err(|e| {
        tracing::warn!(error = %e, "healthcheck failed");
        ApiError::unavailable("store unavailable")
    })?;
    Ok(Json(Health { status: "ok".to_string() }))
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(get, path = "/metrics", tag = "ops", security(()),
    responses((status = 200, content_type = "text/plain; version=0.0.4", body = String)))]
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    state.metrics.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
