//! `/warranty`: claim submission, decided at once from the coverage and the
//! vehicle's telemetry ([`crate::warranty::assess`]); claim lookup and
//! listing; the coverage policy.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use schemas::{AlertState, Claim, TsMs};
use serde::Deserialize;
use sinks::{AlertFilter, ClaimFilter, Page, StoreError};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::model::listing::MAX_LIMIT;
use crate::model::{ClaimRequest, ClaimStatus, ClaimView, CoverageView, Listing, Named, PageParams};
use crate::routes::{across_fleets, listing_scope, now_ms};
use crate::state::AppState;
use crate::validate;
use crate::warranty::{Evidence, GRACE_MS, LOOKBACK_MS, WarrantyPolicy, assess};

/// The longest claim description the API accepts, characters.
const MAX_DESCRIPTION: usize = 4_000;

/// The warranty routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(submit_claim, list_claims)).routes(routes!(get_claim)).routes(routes!(coverage))
}

/// Filters of the claim listing.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ClaimParams {
    /// Only this fleet (default: every fleet the caller may see).
    fleet_id: Option<String>,
    /// Only this vehicle.
    vehicle_id: Option<String>,
    /// Only this status.
    #[param(value_type = Option<ClaimStatus>)]
    status: Option<String>,
}

/// Submits a warranty claim and decides it at once: validated (covered, and
/// the telemetry saw the failure coming), rejected (not covered, over the
/// km limit, an odometer below the telemetry's, or already paid) or left
/// submitted for a person to review. The checks come back as the evidence.
#[utoipa::path(post, path = "/warranty/claims", tag = "warranty", request_body = ClaimRequest,
    responses((status = 201, body = ClaimView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_claim(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<ClaimRequest>,
) -> Result<(StatusCode, Json<ClaimView>), ApiError> {
    let now = now_ms();
    check_request(&request, now)?;
    let store = state.store.as_ref();
    let vehicle = store
        .get_vehicle(&request.vehicle_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("vehicle '{}' not found", request.vehicle_id)))?;
    caller.require_fleet(&vehicle.fleet_id)?;
    let component = schemas::Component::from(request.component);
    let claim_id = Claim::id_for(&vehicle.vehicle_id, component, request.failed_ms);
    if let Some(existing) = store.get_claim(&claim_id).await? {
        return Err(exists(&claim_id, existing.status));
    }
    let all = Page { offset: 0, limit: MAX_LIMIT };
    let alerts: Vec<schemas::Alert> = store
        .list_alerts(&AlertFilter { vehicle_id: Some(vehicle.vehicle_id.clone()), ..AlertFilter::default() }, all)
        .await?
        .into_iter()
        .map(|record| record.alert)
        .collect();
    if let Some(alert_id) = &request.alert_id {
        let refers = store.get_alert(alert_id).await?.is_some_and(|record| {
            let a = record.alert;
            a.vehicle_id == vehicle.vehicle_id && a.component == component && a.state != AlertState::Withdrawn
        });
        if !refers {
            return Err(ApiError::unprocessable(format!(
                "alert_id: '{alert_id}' is not an alert on this vehicle's {component}"
            )));
        }
    }
    let history = store
        .health_history(
            &vehicle.vehicle_id,
            Some(component.as_str()),
            Some(request.failed_ms - LOOKBACK_MS),
            Some(request.failed_ms + GRACE_MS + 1),
            Page { offset: 0, limit: i64::MAX },
        )
        .await?;
    let claims = store
        .list_claims(&ClaimFilter { vehicle_id: Some(vehicle.vehicle_id.clone()), ..ClaimFilter::default() }, all)
        .await?;
    let claim = Claim {
        claim_id: claim_id.clone(),
        fleet_id: vehicle.fleet_id.clone(),
        vehicle_id: vehicle.vehicle_id.clone(),
        component,
        failed_ms: request.failed_ms,
        odometer_km: request.odometer_km,
        description: request.description,
        alert_id: request.alert_id,
        submitted_by: request.submitted_by,
        submitted_ms: now,
    };
    let evidence = Evidence { vehicle: &vehicle, history: &history, alerts: &alerts, claims: &claims };
    let record = assess(claim, evidence, &WarrantyPolicy::default(), now);
    match store.insert_claim(&record).await {
        Ok(()) => Ok((StatusCode::CREATED, Json(record.into()))),
        // Submitted concurrently with the same failure: the first one stands.
        Err(StoreError::Conflict(_)) => Err(exists(&claim_id, record.status)),
        Err(e) => Err(e.into()),
    }
}

/// 409 for a failure that already has its claim.
fn exists(claim_id: &str, status: schemas::ClaimStatus) -> ApiError {
    ApiError::conflict(format!("claim '{claim_id}' for this failure exists already ({status})"))
}

/// 422 for a request the decision cannot stand on.
fn check_request(request: &ClaimRequest, now: TsMs) -> Result<(), ApiError> {
    validate::id("vehicle_id", &request.vehicle_id).map_err(ApiError::unprocessable)?;
    validate::person("submitted_by", &request.submitted_by)?;
    if !request.odometer_km.is_finite() || request.odometer_km < 0.0 {
        return Err(ApiError::unprocessable(format!(
            "odometer_km: {} is not a distance (a finite number ≥ 0)",
            request.odometer_km
        )));
    }
    if request.failed_ms > now {
        return Err(ApiError::unprocessable(format!("failed_ms: {} is in the future", request.failed_ms)));
    }
    if request.failed_ms < 0 {
        return Err(ApiError::unprocessable(format!("failed_ms: {} is before 1970", request.failed_ms)));
    }
    let length = request.description.trim().chars().count();
    if length == 0 || length > MAX_DESCRIPTION {
        return Err(ApiError::unprocessable(format!("description: must be 1–{MAX_DESCRIPTION} characters")));
    }
    if let Some(alert_id) = &request.alert_id {
        validate::id("alert_id", alert_id).map_err(ApiError::unprocessable)?;
    }
    Ok(())
}

/// Lists warranty claims, newest submission first.
#[utoipa::path(get, path = "/warranty/claims", tag = "warranty", params(ClaimParams, PageParams),
    responses((status = 200, body = Listing<ClaimView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_claims(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ClaimParams>,
    ApiQuery(paging): ApiQuery<PageParams>,
) -> Result<Json<Listing<ClaimView>>, ApiError> {
    let page = paging.page()?;
    let status = ClaimStatus::parse_param("status", params.status.as_deref())?;
    let scope =
        listing_scope(state.store.as_ref(), &caller, params.fleet_id.as_deref(), params.vehicle_id.as_deref()).await?;
    let base =
        ClaimFilter { fleet_id: None, vehicle_id: params.vehicle_id, status: status.map(|s| s.as_str().to_string()) };
    let store = &state.store;
    let base = &base;
    let rows = across_fleets(
        scope,
        page,
        |fleet_id, page| async move {
            let filter = ClaimFilter { fleet_id, ..base.clone() };
            store.list_claims(&filter, page).await
        },
        |a, b| b.claim.submitted_ms.cmp(&a.claim.submitted_ms).then_with(|| a.claim.claim_id.cmp(&b.claim.claim_id)),
    )
    .await?;
    Ok(Json(Listing::of(rows, page)))
}

/// One warranty claim, with its evidence.
#[utoipa::path(get, path = "/warranty/claims/{claim_id}", tag = "warranty",
    params(("claim_id" = String, Path, description = "The claim")),
    responses((status = 200, body = ClaimView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_claim(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(claim_id): ApiPath<String>,
) -> Result<Json<ClaimView>, ApiError> {
    let record = state
        .store
        .get_claim(&claim_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("claim '{claim_id}' not found")))?;
    caller.require_fleet(&record.claim.fleet_id)?;
    Ok(Json(record.into()))
}

/// What the warranty covers, per component (a component not listed is not covered).
#[utoipa::path(get, path = "/warranty/coverage", tag = "warranty", responses((status = 200, body = Vec<CoverageView>)))]
async fn coverage() -> Json<Vec<CoverageView>> {
    let policy = WarrantyPolicy::default();
    Json(
        policy
            .coverage
            .into_iter()
            .map(|(component, c)| CoverageView { component: component.into(), months: c.months, km: c.km })
            .collect(),
    )
}
