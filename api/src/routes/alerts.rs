//! `/alerts`: alert listing, lookup and acknowledgement by a person.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use sinks::AlertFilter;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::model::{AcknowledgeRequest, AlertState, AlertView, Listing, Named, PageParams, Severity};
use crate::routes::{across_fleets, listing_scope, now_ms};
use crate::state::AppState;
use crate::validate;

/// The alert routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_alerts)).routes(routes!(get_alert)).routes(routes!(acknowledge_alert))
}

/// Filters of the alert listing.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AlertParams {
    /// Only this fleet (default: every fleet the caller may see).
    fleet_id: Option<String>,
    /// Only this vehicle.
    vehicle_id: Option<String>,
    /// Only this severity.
    #[param(value_type = Option<Severity>)]
    severity: Option<String>,
    /// Only this state.
    #[param(value_type = Option<AlertState>)]
    state: Option<String>,
}

/// Lists alerts, newest first.
#[utoipa::path(get, path = "/alerts", tag = "alerts", params(AlertParams, PageParams),
    responses((status = 200, body = Listing<AlertView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_alerts(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<AlertParams>,
    ApiQuery(paging): ApiQuery<PageParams>,
) -> Result<Json<Listing<AlertView>>, ApiError> {
    let page = paging.page()?;
    let severity = Severity::parse_param("severity", params.severity.as_deref())?;
    let alert_state = AlertState::parse_param("state", params.state.as_deref())?;
    let scope =
        listing_scope(state.store.as_ref(), &caller, params.fleet_id.as_deref(), params.vehicle_id.as_deref()).await?;
    let base = AlertFilter {
        fleet_id: None,
        vehicle_id: params.vehicle_id,
        severity: severity.map(|s| s.as_str().to_string()),
        state: alert_state.map(|s| s.as_str().to_string()),
    };
    let store = &state.store;
    let base = &base;
    let rows = across_fleets(
        scope,
        page,
        |fleet_id, page| async move {
            let filter = AlertFilter { fleet_id, ..base.clone() };
            store.list_alerts(&filter, page).await
        },
        |a, b| b.alert.opened_ms.cmp(&a.alert.opened_ms).then_with(|| a.alert.alert_id.cmp(&b.alert.alert_id)),
    )
    .await?;
    Ok(Json(Listing::of(rows, page)))
}

async fn visible_alert(state: &AppState, caller: &Caller, alert_id: &str) -> Result<sinks::AlertRecord, ApiError> {
    let record = state
        .store
        .get_alert(alert_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("alert '{alert_id}' not found")))?;
    caller.require_fleet(&record.alert.fleet_id)?;
    Ok(record)
}

/// One alert.
#[utoipa::path(get, path = "/alerts/{alert_id}", tag = "alerts",
    params(("alert_id" = String, Path, description = "The alert")),
    responses((status = 200, body = AlertView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_alert(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(alert_id): ApiPath<String>,
) -> Result<Json<AlertView>, ApiError> {
    Ok(Json(visible_alert(&state, &caller, &alert_id).await?.into()))
}

/// Records a person's acknowledgement (and note) on an alert.
#[utoipa::path(post, path = "/alerts/{alert_id}/acknowledge", tag = "alerts",
    params(("alert_id" = String, Path, description = "The alert")), request_body = AcknowledgeRequest,
    responses((status = 200, body = AlertView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn acknowledge_alert(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(alert_id): ApiPath<String>,
    ApiJson(request): ApiJson<AcknowledgeRequest>,
) -> Result<Json<AlertView>, ApiError> {
    validate::person("by", &request.by)?;
    visible_alert(&state, &caller, &alert_id).await?;
    let record = state
        .store
        .acknowledge_alert(&alert_id, &request.by, request.note.as_deref(), now_ms())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("alert '{alert_id}' not found")))?;
    Ok(Json(record.into()))
}
