//! `/health/{vehicle_id}/history`: a vehicle's health rows over time, as the
//! seed's warranty service reads them.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::model::{Component, HealthView, Listing, Named, PageParams};
use crate::routes::check_vehicle;
use crate::state::AppState;

/// The health history route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health_history))
}

/// Filters of the health history.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct HistoryFilter {
    /// Only this component.
    #[param(value_type = Option<Component>)]
    component: Option<String>,
    /// From this time on (inclusive), RFC 3339.
    from: Option<String>,
    /// Up to this time (inclusive), RFC 3339.
    to: Option<String>,
}

fn parse_time(param: &str, value: Option<&str>) -> Result<Option<i64>, ApiError> {
    value
        .map(|text| {
            chrono::DateTime::parse_from_rfc3339(text)
                .map(|t| t.timestamp_millis())
                .map_err(|e| ApiError::bad_request(format!("{param}: '{text}' is not RFC 3339: {e}")))
        })
        .transpose()
}

/// A vehicle's health rows, newest first.
#[utoipa::path(get, path = "/health/{vehicle_id}/history", tag = "health",
    params(("vehicle_id" = String, Path, description = "The vehicle"), HistoryFilter, PageParams),
    responses((status = 200, body = Listing<HealthView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn health_history(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(vehicle_id): ApiPath<String>,
    ApiQuery(filter): ApiQuery<HistoryFilter>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<Listing<HealthView>>, ApiError> {
    let page = params.page()?;
    let component = Component::parse_param("component", filter.component.as_deref())?;
    let from_ms = parse_time("from", filter.from.as_deref())?;
    let to_ms = parse_time("to", filter.to.as_deref())?;
    if let (Some(from), Some(to)) = (from_ms, to_ms)
        && from > to
    {
        return Err(ApiError::bad_request("from must not be after to"));
    }
    check_vehicle(state.store.as_ref(), &caller, &vehicle_id).await?;
    let rows = state.store.health_history(&vehicle_id, component.map(Named::as_str), from_ms, to_ms, page).await?;
    Ok(Json(Listing::of(rows, page)))
}
