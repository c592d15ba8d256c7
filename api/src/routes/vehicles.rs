//! `/vehicles`: the vehicle registry and each vehicle's current health.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, Role};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::model::{HealthView, Listing, PageParams, VehicleHealth, VehicleView};
use crate::routes::{across_fleets, require_fleet_exists};
use crate::state::AppState;
use crate::validate;

/// The roles that may change the registry (admins always may).
pub(crate) const REGISTRY_WRITERS: &[Role] = &[Role::FleetManager];

/// The vehicle routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_vehicles, upsert_vehicle))
        .routes(routes!(get_vehicle))
        .routes(routes!(vehicle_health))
}

/// Filters of the vehicle listing.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct VehicleFilter {
    /// Only this fleet (default: every fleet the caller may see).
    fleet_id: Option<String>,
}

/// Lists vehicles by id.
#[utoipa::path(get, path = "/vehicles", tag = "vehicles", params(VehicleFilter, PageParams),
    responses((status = 200, body = Listing<VehicleView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_vehicles(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<VehicleFilter>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<Listing<VehicleView>>, ApiError> {
    let page = params.page()?;
    let scope = caller.scope(filter.fleet_id.as_deref())?;
    let store = &state.store;
    let rows = across_fleets(
        scope,
        page,
        |fleet, page| async move { store.list_vehicles(fleet.as_deref(), page).await },
        |a, b| a.vehicle_id.cmp(&b.vehicle_id),
    )
    .await?;
    Ok(Json(Listing::of(rows, page)))
}

/// Registers a vehicle or updates its registry facts; its fleet must exist.
#[utoipa::path(post, path = "/vehicles", tag = "vehicles", request_body = VehicleView,
    responses((status = 200, body = VehicleView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the fleet does not exist"), (status = 422, body = ErrorBody)))]
async fn upsert_vehicle(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(vehicle): ApiJson<VehicleView>,
) -> Result<Json<VehicleView>, ApiError> {
    caller.require_role(REGISTRY_WRITERS)?;
    validate::vehicle(&vehicle)?;
    caller.require_fleet(&vehicle.fleet_id)?;
    if let Some(existing) = state.store.get_vehicle(&vehicle.vehicle_id).await? {
        caller.require_fleet(&existing.fleet_id)?;
    }
    require_fleet_exists(state.store.as_ref(), &vehicle.fleet_id).await?;
    state.store.upsert_vehicle(&vehicle.clone().into()).await?;
    Ok(Json(vehicle))
}

async fn visible_vehicle(state: &AppState, caller: &Caller, vehicle_id: &str) -> Result<schemas::Vehicle, ApiError> {
    let vehicle = state
        .store
        .get_vehicle(vehicle_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("vehicle '{vehicle_id}' not found")))?;
    caller.require_fleet(&vehicle.fleet_id)?;
    Ok(vehicle)
}

/// One vehicle's registry facts.
#[utoipa::path(get, path = "/vehicles/{vehicle_id}", tag = "vehicles",
    params(("vehicle_id" = String, Path, description = "The vehicle")),
    responses((status = 200, body = VehicleView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_vehicle(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(vehicle_id): ApiPath<String>,
) -> Result<Json<VehicleView>, ApiError> {
    Ok(Json(visible_vehicle(&state, &caller, &vehicle_id).await?.into()))
}

/// The current health of each scored component of a vehicle, with its remaining useful life.
#[utoipa::path(get, path = "/vehicles/{vehicle_id}/health", tag = "health",
    params(("vehicle_id" = String, Path, description = "The vehicle")),
    responses((status = 200, body = VehicleHealth), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn vehicle_health(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(vehicle_id): ApiPath<String>,
) -> Result<Json<VehicleHealth>, ApiError> {
    let vehicle = visible_vehicle(&state, &caller, &vehicle_id).await?;
    let mut components: Vec<HealthView> =
        state.store.current_health(&vehicle_id).await?.into_iter().map(HealthView::from).collect();
    components.sort_by_key(|h| h.component);
    Ok(Json(VehicleHealth { vehicle_id: vehicle.vehicle_id, fleet_id: vehicle.fleet_id, components }))
}
