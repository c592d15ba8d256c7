//! The registry (fleets, vehicles) and the scheduling resources, written by the API.

use sqlx::PgPool;

use schemas::{Bay, Fleet, PartStock, Technician, Vehicle};

use super::rows;
use crate::codec::{check_page, date};
use crate::error::StoreError;
use crate::store::{Page, Resources};

/// Creates or renames a fleet.
pub async fn upsert_fleet(pool: &PgPool, fleet: &Fleet) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO analytics.fleets (fleet_id, name) VALUES ($1, $2)
         ON CONFLICT (fleet_id) DO UPDATE SET name = EXCLUDED.name",
    )
    .bind(&fleet.fleet_id)
    .bind(&fleet.name)
    .execute(pool)
    .await?;
    Ok(())
}

/// All fleets by id.
pub async fn list_fleets(pool: &PgPool) -> Result<Vec<Fleet>, StoreError> {
    let found: Vec<(String, String)> =
        sqlx::query_as("SELECT fleet_id, name FROM analytics.fleets ORDER BY fleet_id").fetch_all(pool).await?;
    Ok(found.into_iter().map(|(fleet_id, name)| Fleet { fleet_id, name }).collect())
}

/// Registers a vehicle or replaces its registry facts.
pub async fn upsert_vehicle(pool: &PgPool, v: &Vehicle) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO analytics.vehicles
            (vehicle_id, fleet_id, vin, owner, make, model, warranty_start, home_depot, time_zone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (vehicle_id) DO UPDATE SET
            fleet_id = EXCLUDED.fleet_id, vin = EXCLUDED.vin, owner = EXCLUDED.owner,
            make = EXCLUDED.make, model = EXCLUDED.model, warranty_start = EXCLUDED.warranty_start,
            home_depot = EXCLUDED.home_depot, time_zone = EXCLUDED.time_zone",
    )
    .bind(&v.vehicle_id)
    .bind(&v.fleet_id)
    .bind(&v.vin)
    .bind(&v.owner)
    .bind(&v.make)
    .bind(&v.model)
    .bind(date(v.warranty_start.as_deref())?)
    .bind(&v.home_depot)
    .bind(&v.time_zone)
    .execute(pool)
    .await?;
    Ok(())
}

/// Vehicles by id, optionally of one fleet.
pub async fn list_vehicles(pool: &PgPool, fleet_id: Option<&str>, page: Page) -> Result<Vec<Vehicle>, StoreError> {
    let page = check_page(page)?;
    let found = sqlx::query(
        "SELECT * FROM analytics.vehicles WHERE ($1::text IS NULL OR fleet_id = $1)
         ORDER BY vehicle_id LIMIT $2 OFFSET $3",
    )
    .bind(fleet_id)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(pool)
    .await?;
    found.iter().map(rows::vehicle).collect()
}

/// One vehicle.
pub async fn get_vehicle(pool: &PgPool, vehicle_id: &str) -> Result<Option<Vehicle>, StoreError> {
    let found = sqlx::query("SELECT * FROM analytics.vehicles WHERE vehicle_id = $1")
        .bind(vehicle_id)
        .fetch_optional(pool)
        .await?;
    found.as_ref().map(rows::vehicle).transpose()
}

/// Technicians, bays and parts stock, each by id.
pub async fn resources(pool: &PgPool) -> Result<Resources, StoreError> {
    let technicians =
        sqlx::query("SELECT * FROM scheduling.technicians ORDER BY technician_id").fetch_all(pool).await?;
    let bays = sqlx::query("SELECT * FROM scheduling.bays ORDER BY bay_id").fetch_all(pool).await?;
    let parts = sqlx::query("SELECT * FROM scheduling.parts_stock ORDER BY depot, component").fetch_all(pool).await?;
    Ok(Resources {
        technicians: technicians.iter().map(rows::technician).collect::<Result<_, _>>()?,
        bays: bays.iter().map(rows::bay).collect::<Result<_, _>>()?,
        parts: parts.iter().map(rows::part_stock).collect::<Result<_, _>>()?,
    })
}

/// Adds or replaces a technician.
pub async fn upsert_technician(pool: &PgPool, t: &Technician) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO scheduling.technicians (technician_id, name, depot, skills, shift_start_hour, shift_end_hour)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (technician_id) DO UPDATE SET name = EXCLUDED.name, depot = EXCLUDED.depot,
            skills = EXCLUDED.skills, shift_start_hour = EXCLUDED.shift_start_hour,
            shift_end_hour = EXCLUDED.shift_end_hour",
    )
    .bind(&t.technician_id)
    .bind(&t.name)
    .bind(&t.depot)
    .bind(t.skills.iter().map(|c| c.as_str()).collect::<Vec<_>>())
    .bind(i16::from(t.shift_start_hour))
    .bind(i16::from(t.shift_end_hour))
    .execute(pool)
    .await?;
    Ok(())
}

/// Adds or replaces a bay.
pub async fn upsert_bay(pool: &PgPool, bay: &Bay) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO scheduling.bays (bay_id, depot) VALUES ($1, $2) ON CONFLICT (bay_id) DO UPDATE SET depot = EXCLUDED.depot")
        .bind(&bay.bay_id)
        .bind(&bay.depot)
        .execute(pool)
        .await?;
    Ok(())
}

/// Sets a depot's stock of one component's kits.
pub async fn upsert_part_stock(pool: &PgPool, stock: &PartStock) -> Result<(), StoreError> {
    let quantity = i32::try_from(stock.quantity)
        .map_err(|_| StoreError::Invalid(format!("quantity {} is too large", stock.quantity)))?;
    sqlx::query(
        "INSERT INTO scheduling.parts_stock (depot, component, quantity) VALUES ($1, $2, $3)
         ON CONFLICT (depot, component) DO UPDATE SET quantity = EXCLUDED.quantity",
    )
    .bind(&stock.depot)
    .bind(stock.component.as_str())
    .bind(quantity)
    .execute(pool)
    .await?;
    Ok(())
}
