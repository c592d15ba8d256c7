//! The routes, one file per resource; each exposes `router()`.
//!
//! Shared here: the fleet-scoped listing merge and the per-vehicle access check.

pub mod alerts;
pub mod appointments;
pub mod dashboard;
pub mod dead_letters;
pub mod decisions;
pub mod fleets;
pub mod health;
pub mod import;
pub mod ingestion;
pub mod ops;
pub mod resources;
pub mod telemetry;
pub mod vehicles;
pub mod warranty;

use std::cmp::Ordering;
use std::future::Future;

use sinks::{Page, Store, StoreError};

use crate::auth::{Caller, FleetScope};
use crate::error::ApiError;

/// The OpenAPI tag of routes that need no credentials.
pub const OPS_TAG: &str = "ops";

/// Now, ms since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A listing over a fleet scope: one store call for every fleet (or one for
/// all), merged in the store's own `order` and cut to `page`.
pub(crate) async fn across_fleets<T, F, Fut>(
    scope: FleetScope,
    page: Page,
    fetch: F,
    order: impl Fn(&T, &T) -> Ordering,
) -> Result<Vec<T>, ApiError>
where
    F: Fn(Option<String>, Page) -> Fut,
    Fut: Future<Output = Result<Vec<T>, StoreError>>,
{
    let fleets = match scope {
        FleetScope::All => return Ok(fetch(None, page).await?),
        FleetScope::Fleets(mut fleets) if fleets.len() == 1 => return Ok(fetch(fleets.pop(), page).await?),
        FleetScope::Fleets(fleets) => fleets,
    };
    let head = Page { offset: 0, limit: page.offset.saturating_add(page.limit) };
    let mut rows = Vec::new();
    for fleet in fleets {
        rows.extend(fetch(Some(fleet), head).await?);
    }
    rows.sort_by(order);
    let skip = usize::try_from(page.offset).unwrap_or(usize::MAX);
    let take = usize::try_from(page.limit).unwrap_or(usize::MAX);
    Ok(rows.into_iter().skip(skip).take(take).collect())
}

/// For a caller limited to some fleets: 404 for an unknown vehicle, 403 for
/// another fleet's. Returns the vehicle's fleet when it was looked up.
pub(crate) async fn check_vehicle(
    store: &dyn Store,
    caller: &Caller,
    vehicle_id: &str,
) -> Result<Option<String>, ApiError> {
    if caller.sees_all() {
        return Ok(None);
    }
    let vehicle = store
        .get_vehicle(vehicle_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("vehicle '{vehicle_id}' not found")))?;
    caller.require_fleet(&vehicle.fleet_id)?;
    Ok(Some(vehicle.fleet_id))
}

/// The fleets a listing filtered by `fleet_id` and `vehicle_id` covers: the
/// requested fleet, else the vehicle's own fleet when a caller limited to
/// some fleets names a vehicle (403 for another fleet's, 404 for an unknown
/// one), else every fleet the caller may see.
pub(crate) async fn listing_scope(
    store: &dyn Store,
    caller: &Caller,
    fleet_id: Option<&str>,
    vehicle_id: Option<&str>,
) -> Result<FleetScope, ApiError> {
    let scope = caller.scope(fleet_id)?;
    if let Some(vehicle_id) = vehicle_id
        && fleet_id.is_none()
        && let Some(vehicle_fleet) = check_vehicle(store, caller, vehicle_id).await?
    {
        return Ok(FleetScope::Fleets(vec![vehicle_fleet]));
    }
    Ok(scope)
}

/// 409 unless the fleet exists.
pub(crate) async fn require_fleet_exists(store: &dyn Store, fleet_id: &str) -> Result<(), ApiError> {
    if store.list_fleets().await?.iter().any(|f| f.fleet_id == fleet_id) {
        Ok(())
    } else {
        Err(ApiError::conflict(format!("fleet '{fleet_id}' does not exist")))
    }
}
