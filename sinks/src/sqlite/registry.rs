//! The registry (fleets, vehicles) and the scheduling resources, written by the API.

use sqlx::SqlitePool;

use schemas::{Bay, Fleet, PartStock, Technician, Vehicle};

use super::rows;
use crate::codec::{check_page, date, json_list};
use crate::error::StoreError;
use crate::store::{Page, Resources};

/// Creates or renames a fleet.
pub async fn upsert_fleet(pool: &SqlitePool, fleet: &Fleet) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO analytics_fleets (fleet_id, name) VALUES (?1, ?2)
         ON CONFLICT (fleet_id) DO UPDATE SET name = excluded.name",
    )
    .bind(&fleet.fleet_id)
    .bind(&fleet.name)
    .execute(pool)
    .await?;
    Ok(())
}

/// All fleets by id.
pub async fn list_fleets(pool: &SqlitePool) -> Result<Vec<Fleet>, StoreError> {
    let found: Vec<(String, String)> =
        sqlx::query_as("SELECT fleet_id, name FROM analytics_fleets ORDER BY fleet_id").fetch_all(pool).await?;
    Ok(found.into_iter().map(|(fleet_id, name)| Fleet { fleet_id, name }).collect())
}

/// Registers a vehicle or replaces its registry facts.
pub async fn upsert_vehicle(pool: &SqlitePool, v: &Vehicle) -> Result<(), StoreError> {
    let warranty_start = date(v.warranty_start.as_deref())?.map(|d| d.to_string());
    sqlx::query(
        "INSERT INTO analytics_vehicles
            (vehicle_id, fleet_id, vin, owner, make, model, warranty_start, home_depot, time_zone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (vehicle_id) DO UPDATE SET
            fleet_id = excluded.fleet_id, vin = excluded.vin, owner = excluded.owner,
            make = excluded.make, model = excluded.model, warranty_start = excluded.warranty_start,
            home_depot = excluded.home_depot, time_zone = excluded.time_zone",
    )
    .bind(&v.vehicle_id)
    .bind(&v.fleet_id)
    .bind(&v.vin)
    .bind(&v.owner)
    .bind(&v.make)
    .bind(&v.model)
    .bind(warranty_start)
    .bind(&v.home_depot)
    .bind(&v.time_zone)
    .execute(pool)
    .await?;
    Ok(())
}

/// Vehicles by id, optionally of one fleet.
pub async fn list_vehicles(pool: &SqlitePool, fleet_id: Option<&str>, page: Page) -> Result<Vec<Vehicle>, StoreError> {
    let page = check_page(page)?;
    let found = sqlx::query(
        "SELECT * FROM analytics_vehicles WHERE (?1 IS NULL OR fleet_id = ?1)
         ORDER BY vehicle_id LIMIT ?2 OFFSET ?3",
    )
    .bind(fleet_id)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(pool)
    .await?;
    found.iter().map(rows::vehicle).collect()
}

/// One vehicle.
pub async fn get_vehicle(pool: &SqlitePool, vehicle_id: &str) -> Result<Option<Vehicle>, StoreError> {
    let found = sqlx::query("SELECT * FROM analytics_vehicles WHERE vehicle_id = ?1")
        .bind(vehicle_id)
        .fetch_optional(pool)
        .await?;
    found.as_ref().map(rows::vehicle).transpose()
}

/// Technicians, bays and parts stock, each by id.
pub async fn resources(pool: &SqlitePool) -> Result<Resources, StoreError> {
    let technicians =
        sqlx::query("SELECT * FROM scheduling_technicians ORDER BY technician_id").fetch_all(pool).await?;
    let bays = sqlx::query("SELECT * FROM scheduling_bays ORDER BY bay_id").fetch_all(pool).await?;
    let parts = sqlx::query("SELECT * FROM scheduling_parts_stock ORDER BY depot, component").fetch_all(pool).await?;
    Ok(Resources {
        technicians: technicians.iter().map(rows::technician).collect::<Result<_, _>>()?,
        bays: bays.iter().map(rows::bay).collect::<Result<_, _>>()?,
        parts: parts.iter().map(rows::part_stock).collect::<Result<_, _>>()?,
    })
}

/// Adds or replaces a technician.
pub async fn upsert_technician(pool: &SqlitePool, t: &Technician) -> Result<(), StoreError> {
    let skills: Vec<&str> = t.skills.iter().map(|c| c.as_str()).collect();
    sqlx::query(
        "INSERT INTO scheduling_technicians (technician_id, name, depot, skills, shift_start_hour, shift_end_hour)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (technician_id) DO UPDATE SET name = excluded.name, depot = excluded.depot,
            skills = excluded.skills, shift_start_hour = excluded.shift_start_hour,
            shift_end_hour = excluded.shift_end_hour",
    )
    .bind(&t.technician_id)
    .bind(&t.name)
    .bind(&t.depot)
    .bind(json_list(&skills))
    .bind(i64::from(t.shift_start_hour))
    .bind(i64::from(t.shift_end_hour))
    .execute(pool)
    .await?;
    Ok(())
}

/// Adds or replaces a bay.
pub async fn upsert_bay(pool: &SqlitePool, bay: &Bay) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO scheduling_bays (bay_id, depot) VALUES (?1, ?2) ON CONFLICT (bay_id) DO UPDATE SET depot = excluded.depot")
        .bind(&bay.bay_id)
        .bind(&bay.depot)
        .execute(pool)
        .await?;
    Ok(())
}

/// Sets a depot's stock of one component's kits.
pub async fn upsert_part_stock(pool: &SqlitePool, stock: &PartStock) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO scheduling_parts_stock (depot, component, quantity) VALUES (?1, ?2, ?3)
         ON CONFLICT (depot, component) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(&stock.depot)
    .bind(stock.component.as_str())
    .bind(i64::from(stock.quantity))
    .execute(pool)
    .await?;
    Ok(())
}
