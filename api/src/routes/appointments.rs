//! `/appointments`: planned service appointments and their confirmation by a person.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, FleetScope};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::model::{AppointmentView, ConfirmRequest, Listing, PageParams};
use crate::routes::{across_fleets, listing_scope};
use crate::state::AppState;
use crate::validate;

/// The appointment routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_appointments)).routes(routes!(confirm_appointment))
}

/// Filters of the appointment listing.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AppointmentFilter {
    /// Only this fleet (default: every fleet the caller may see).
    fleet_id: Option<String>,
    /// Only this vehicle.
    vehicle_id: Option<String>,
}

/// Lists appointments by start time.
#[utoipa::path(get, path = "/appointments", tag = "appointments", params(AppointmentFilter, PageParams),
    responses((status = 200, body = Listing<AppointmentView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_appointments(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<AppointmentFilter>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<Listing<AppointmentView>>, ApiError> {
    let page = params.page()?;
    let scope =
        listing_scope(state.store.as_ref(), &caller, filter.fleet_id.as_deref(), filter.vehicle_id.as_deref()).await?;
    let store = &state.store;
    let vehicle_id = filter.vehicle_id.as_deref();
    let rows = across_fleets(
        scope,
        page,
        |fleet_id, page| async move { store.list_appointments(fleet_id.as_deref(), vehicle_id, page).await },
        |a, b| {
            a.appointment
                .start_ms
                .cmp(&b.appointment.start_ms)
                .then_with(|| a.appointment.appointment_id.cmp(&b.appointment.appointment_id))
        },
    )
    .await?;
    Ok(Json(Listing::of(rows, page)))
}

/// A person confirms a planned appointment.
#[utoipa::path(post, path = "/appointments/{appointment_id}/confirm", tag = "appointments",
    params(("appointment_id" = String, Path, description = "The appointment")), request_body = ConfirmRequest,
    responses((status = 200, body = AppointmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn confirm_appointment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(appointment_id): ApiPath<String>,
    ApiJson(request): ApiJson<ConfirmRequest>,
) -> Result<Json<AppointmentView>, ApiError> {
    validate::person("by", &request.by)?;
    let not_found = || ApiError::not_found(format!("appointment '{appointment_id}' not found"));
    if !caller.sees_all() {
        let fleet_id = find_fleet(&state, &caller, &appointment_id).await?.ok_or_else(not_found)?;
        caller.require_fleet(&fleet_id)?;
    }
    let record = state.store.confirm_appointment(&appointment_id, &request.by).await?.ok_or_else(not_found)?;
    Ok(Json(record.into()))
}

/// The fleet of an appointment among the caller's fleets, if it is there.
async fn find_fleet(state: &AppState, caller: &Caller, appointment_id: &str) -> Result<Option<String>, ApiError> {
    let FleetScope::Fleets(fleets) = caller.scope(None)? else { return Ok(None) };
    for fleet_id in fleets {
        let mut offset = 0;
        loop {
            let page = sinks::Page { offset, limit: crate::model::listing::MAX_LIMIT };
            let rows = state.store.list_appointments(Some(&fleet_id), None, page).await?;
            if rows.iter().any(|r| r.appointment.appointment_id == appointment_id) {
                return Ok(Some(fleet_id));
            }
            if (rows.len() as i64) < page.limit {
                break;
            }
            offset += page.limit;
        }
    }
    Ok(None)
}
