//! `/decisions`: what the diagnosis agent recommended about each alert, and why.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::model::{DecisionView, Listing, PageParams};
use crate::routes::check_vehicle;
use crate::state::AppState;

/// The decision route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_decisions))
}

/// Filters of the decision listing.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DecisionFilter {
    /// Only this vehicle.
    vehicle_id: Option<String>,
    /// Only this alert.
    alert_id: Option<String>,
}

/// Lists agent decisions, newest first. A caller limited to some fleets must
/// name a vehicle or an alert.
#[utoipa::path(get, path = "/decisions", tag = "alerts", params(DecisionFilter, PageParams),
    responses((status = 200, body = Listing<DecisionView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn list_decisions(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<DecisionFilter>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<Listing<DecisionView>>, ApiError> {
    let page = params.page()?;
    if !caller.sees_all() && filter.vehicle_id.is_none() && filter.alert_id.is_none() {
        return Err(ApiError::bad_request("vehicle_id or alert_id is required for a fleet-scoped token"));
    }
    if let Some(vehicle_id) = &filter.vehicle_id {
        check_vehicle(state.store.as_ref(), &caller, vehicle_id).await?;
    }
    if let Some(alert_id) = &filter.alert_id
        && !caller.sees_all()
    {
        let alert = state
            .store
            .get_alert(alert_id)
            .await?
            .ok_or_else(|| ApiError::not_found(format!("alert '{alert_id}' not found")))?;
        caller.require_fleet(&alert.alert.fleet_id)?;
    }
    let rows = state.store.list_decisions(filter.vehicle_id.as_deref(), filter.alert_id.as_deref(), page).await?;
    Ok(Json(Listing::of(rows, page)))
}
