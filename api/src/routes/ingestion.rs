//! `/ingestion/progress`: how far the stored results go into the input
//! topic, per partition, so an operator can tell the store's lag (against
//! the topic's end offsets) and when it last wrote results of each.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ErrorBody};
use crate::model::IngestionProgress;
use crate::state::AppState;

/// The ingestion routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(progress))
}

/// The store's position in each partition of the input topic.
#[utoipa::path(get, path = "/ingestion/progress", tag = "ingestion",
    responses((status = 200, body = IngestionProgress), (status = 401, body = ErrorBody)))]
async fn progress(State(state): State<AppState>) -> Result<Json<IngestionProgress>, ApiError> {
    Ok(Json(state.store.store_progress().await?.into()))
}
