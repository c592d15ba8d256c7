//! `/dead-letters`: input the pipeline could not use, with the reason and
//! the raw bytes. Listing them is for admins when auth is on (payloads span
//! every fleet); the per-reason counts are for any caller.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::model::{DeadLetterCounts, DeadLetterReason, DeadLetterView, Listing, Named, PageParams};
use crate::state::AppState;

/// The dead-letter routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_dead_letters)).routes(routes!(count_dead_letters))
}

/// Filters of the dead-letter listing.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DeadLetterFilter {
    /// Only this reason.
    #[param(value_type = Option<DeadLetterReason>)]
    reason: Option<String>,
}

/// Lists dead letters, newest first (admins only when auth is on).
#[utoipa::path(get, path = "/dead-letters", tag = "dead-letters", params(DeadLetterFilter, PageParams),
    responses((status = 200, body = Listing<DeadLetterView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_dead_letters(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<DeadLetterFilter>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<Listing<DeadLetterView>>, ApiError> {
    caller.require_admin()?;
    let page = params.page()?;
    let reason = DeadLetterReason::parse_param("reason", filter.reason.as_deref())?;
    let rows = state.store.list_dead_letters(reason.map(Named::as_str), page).await?;
    Ok(Json(Listing::of(rows, page)))
}

/// Dead letters per reason.
#[utoipa::path(get, path = "/dead-letters/counts", tag = "dead-letters",
    responses((status = 200, body = DeadLetterCounts), (status = 401, body = ErrorBody)))]
async fn count_dead_letters(State(state): State<AppState>) -> Result<Json<DeadLetterCounts>, ApiError> {
    Ok(Json(DeadLetterCounts::from_pairs(state.store.count_dead_letters().await?)))
}
