//! `/fleets`: the tenants, and each fleet's headline numbers.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::model::{FleetSummaryView, FleetView};
use crate::state::AppState;
use crate::validate;

/// The fleet routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_fleets, upsert_fleet)).routes(routes!(fleet_summary))
}

/// Lists the fleets the caller may see, by id.
#[utoipa::path(get, path = "/fleets", tag = "fleets",
    responses((status = 200, body = Vec<FleetView>), (status = 401, body = ErrorBody)))]
async fn list_fleets(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<FleetView>>, ApiError> {
    let fleets = state.store.list_fleets().await?;
    Ok(Json(fleets.into_iter().filter(|f| caller.require_fleet(&f.fleet_id).is_ok()).map(FleetView::from).collect()))
}

/// Creates a fleet or renames it (admins only).
#[utoipa::path(post, path = "/fleets", tag = "fleets", request_body = FleetView,
    responses((status = 200, body = FleetView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upsert_fleet(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(fleet): ApiJson<FleetView>,
) -> Result<Json<FleetView>, ApiError> {
    caller.require_admin()?;
    validate::id("fleet_id", &fleet.fleet_id).map_err(ApiError::unprocessable)?;
    validate::person("name", &fleet.name)?;
    state.store.upsert_fleet(&fleet.clone().into()).await?;
    Ok(Json(fleet))
}

/// The headline numbers of one fleet.
#[utoipa::path(get, path = "/fleets/{fleet_id}/summary", tag = "fleets",
    params(("fleet_id" = String, Path, description = "The fleet")),
    responses((status = 200, body = FleetSummaryView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn fleet_summary(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(fleet_id): ApiPath<String>,
) -> Result<Json<FleetSummaryView>, ApiError> {
    caller.require_fleet(&fleet_id)?;
    if !state.store.list_fleets().await?.iter().any(|f| f.fleet_id == fleet_id) {
        return Err(ApiError::not_found(format!("fleet '{fleet_id}' not found")));
    }
    Ok(Json(state.store.fleet_summary(&fleet_id).await?.into()))
}
