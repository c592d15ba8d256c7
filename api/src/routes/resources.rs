//! `/technicians`, `/bays`, `/parts`: the scheduling resources the planner assigns.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::model::{BayView, PartStockView, TechnicianView};
use crate::routes::vehicles::REGISTRY_WRITERS;
use crate::state::AppState;
use crate::validate;

/// The scheduling resource routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_technicians, upsert_technician))
        .routes(routes!(list_bays, upsert_bay))
        .routes(routes!(list_parts, upsert_part_stock))
}

/// Lists technicians.
#[utoipa::path(get, path = "/technicians", tag = "resources",
    responses((status = 200, body = Vec<TechnicianView>), (status = 401, body = ErrorBody)))]
async fn list_technicians(State(state): State<AppState>) -> Result<Json<Vec<TechnicianView>>, ApiError> {
    let resources = state.store.resources().await?;
    Ok(Json(resources.technicians.into_iter().map(Into::into).collect()))
}

/// Adds or replaces a technician.
#[utoipa::path(post, path = "/technicians", tag = "resources", request_body = TechnicianView,
    responses((status = 200, body = TechnicianView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upsert_technician(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(technician): ApiJson<TechnicianView>,
) -> Result<Json<TechnicianView>, ApiError> {
    caller.require_role(REGISTRY_WRITERS)?;
    validate::technician(&technician)?;
    state.store.upsert_technician(&technician.clone().into()).await?;
    Ok(Json(technician))
}

/// Lists service bays.
#[utoipa::path(get, path = "/bays", tag = "resources",
    responses((status = 200, body = Vec<BayView>), (status = 401, body = ErrorBody)))]
async fn list_bays(State(state): State<AppState>) -> Result<Json<Vec<BayView>>, ApiError> {
    let resources = state.store.resources().await?;
    Ok(Json(resources.bays.into_iter().map(Into::into).collect()))
}

/// Adds or replaces a bay.
#[utoipa::path(post, path = "/bays", tag = "resources", request_body = BayView,
    responses((status = 200, body = BayView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upsert_bay(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(bay): ApiJson<BayView>,
) -> Result<Json<BayView>, ApiError> {
    caller.require_role(REGISTRY_WRITERS)?;
    validate::bay(&bay)?;
    state.store.upsert_bay(&bay.clone().into()).await?;
    Ok(Json(bay))
}

/// Lists parts stock per depot and component.
#[utoipa::path(get, path = "/parts", tag = "resources",
    responses((status = 200, body = Vec<PartStockView>), (status = 401, body = ErrorBody)))]
async fn list_parts(State(state): State<AppState>) -> Result<Json<Vec<PartStockView>>, ApiError> {
    let resources = state.store.resources().await?;
    Ok(Json(resources.parts.into_iter().map(Into::into).collect()))
}

/// Sets a depot's stock of one component's parts kits.
#[utoipa::path(post, path = "/parts", tag = "resources", request_body = PartStockView,
    responses((status = 200, body = PartStockView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upsert_part_stock(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(stock): ApiJson<PartStockView>,
) -> Result<Json<PartStockView>, ApiError> {
    caller.require_role(REGISTRY_WRITERS)?;
    validate::part_stock(&stock)?;
    state.store.upsert_part_stock(&stock.clone().into()).await?;
    Ok(Json(stock))
}
