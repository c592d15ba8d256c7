//! The API's read queries over the SQLite tables.

use sqlx::{Row, SqlitePool};

use schemas::{Decision, HealthRow, TsMs};

use super::rows;
use crate::codec::check_page;
use crate::error::StoreError;
use crate::store::{AlertFilter, AlertRecord, AppointmentRecord, DeadLetterRecord, FleetSummary, Page, StoreProgress};

/// The newest row of each component of a vehicle, by component.
pub async fn current_health(pool: &SqlitePool, vehicle_id: &str) -> Result<Vec<HealthRow>, StoreError> {
    let found = sqlx::query(
        "SELECT fleet_id, vehicle_id, component, ts_ms, score, band, rul_km, rul_km_p10, rul_km_p90, rul_days, odometer_km, model_version
         FROM health_component_health_current WHERE vehicle_id = ?1 ORDER BY component",
    )
    .bind(vehicle_id)
    .fetch_all(pool)
    .await?;
    found.iter().map(rows::health_row).collect()
}

/// Health history, newest first; `from_ms` inclusive, `to_ms` exclusive.
pub async fn health_history(
    pool: &SqlitePool,
    vehicle_id: &str,
    component: Option<&str>,
    from_ms: Option<TsMs>,
    to_ms: Option<TsMs>,
    page: Page,
) -> Result<Vec<HealthRow>, StoreError> {
    let page = check_page(page)?;
    let found = sqlx::query(
        "SELECT fleet_id, vehicle_id, component, ts_ms, score, band, rul_km, rul_km_p10, rul_km_p90, rul_days, odometer_km, model_version
         FROM health_component_health_history
         WHERE vehicle_id = ?1 AND (?2 IS NULL OR component = ?2)
           AND (?3 IS NULL OR ts_ms >= ?3) AND (?4 IS NULL OR ts_ms < ?4)
         ORDER BY ts_ms DESC, component, model_version
         LIMIT ?5 OFFSET ?6",
    )
    .bind(vehicle_id)
    .bind(component)
    .bind(from_ms)
    .bind(to_ms)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(pool)
    .await?;
    found.iter().map(rows::health_row).collect()
}

/// Alerts matching `filter`, newest first.
pub async fn list_alerts(pool: &SqlitePool, filter: &AlertFilter, page: Page) -> Result<Vec<AlertRecord>, StoreError> {
    let page = check_page(page)?;
    let found = sqlx::query(
        "SELECT * FROM alert_alerts
         WHERE (?1 IS NULL OR fleet_id = ?1) AND (?2 IS NULL OR vehicle_id = ?2)
           AND (?3 IS NULL OR severity = ?3) AND (?4 IS NULL OR state = ?4)
         ORDER BY opened_ms DESC, alert_id
         LIMIT ?5 OFFSET ?6",
    )
    .bind(filter.fleet_id.as_deref())
    .bind(filter.vehicle_id.as_deref())
    .bind(filter.severity.as_deref())
    .bind(filter.state.as_deref())
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(pool)
    .await?;
    found.iter().map(rows::alert_record).collect()
}

/// One alert.
pub async fn get_alert(pool: &SqlitePool, alert_id: &str) -> Result<Option<AlertRecord>, StoreError> {
    let found =
        sqlx::query("SELECT * FROM alert_alerts WHERE alert_id = ?1").bind(alert_id).fetch_optional(pool).await?;
    found.as_ref().map(rows::alert_record).transpose()
}

/// Decisions, newest first.
pub async fn list_decisions(
    pool: &SqlitePool,
    vehicle_id: Option<&str>,
    alert_id: Option<&str>,
    page: Page,
) -> Result<Vec<Decision>, StoreError> {
    let page = check_page(page)?;
    let found = sqlx::query(
        "SELECT * FROM agent_decisions
         WHERE (?1 IS NULL OR vehicle_id = ?1) AND (?2 IS NULL OR alert_id = ?2)
         ORDER BY ts_ms DESC, decision_id
         LIMIT ?3 OFFSET ?4",
    )
    .bind(vehicle_id)
    .bind(alert_id)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(pool)
    .await?;
    found.iter().map(rows::decision).collect()
}

/// Appointments by start.
pub async fn list_appointments(
    pool: &SqlitePool,
    fleet_id: Option<&str>,
    vehicle_id: Option<&str>,
    page: Page,
) -> Result<Vec<AppointmentRecord>, StoreError> {
    let page = check_page(page)?;
    let found = sqlx::query(
        "SELECT * FROM scheduling_appointments
         WHERE (?1 IS NULL OR fleet_id = ?1) AND (?2 IS NULL OR vehicle_id = ?2)
         ORDER BY start_ms, appointment_id
         LIMIT ?3 OFFSET ?4",
    )
    .bind(fleet_id)
    .bind(vehicle_id)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(pool)
    .await?;
    found.iter().map(rows::appointment_record).collect()
}

/// Dead letters, newest append time first.
pub async fn list_dead_letters(
    pool: &SqlitePool,
    reason: Option<&str>,
    page: Page,
) -> Result<Vec<DeadLetterRecord>, StoreError> {
    let page = check_page(page)?;
    let found = sqlx::query(
        "SELECT * FROM ingestion_dead_letters
         WHERE (?1 IS NULL OR reason = ?1)
         ORDER BY append_ms DESC, id DESC
         LIMIT ?2 OFFSET ?3",
    )
    .bind(reason)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(pool)
    .await?;
    found.iter().map(rows::dead_letter_record).collect()
}

/// Dead letters per reason, by reason.
pub async fn count_dead_letters(pool: &SqlitePool) -> Result<Vec<(String, i64)>, StoreError> {
    let found = sqlx::query("SELECT reason, count(*) AS n FROM ingestion_dead_letters GROUP BY reason ORDER BY reason")
        .fetch_all(pool)
        .await?;
    found.iter().map(|r| Ok((r.try_get("reason")?, r.try_get("n")?))).collect()
}

/// How far the stored results go into the input, by partition.
pub async fn store_progress(pool: &SqlitePool) -> Result<Vec<StoreProgress>, StoreError> {
    let found = sqlx::query(
        "SELECT kafka_partition, next_offset, written_ms FROM ingestion_store_progress ORDER BY kafka_partition",
    )
    .fetch_all(pool)
    .await?;
    found
        .iter()
        .map(|r| {
            Ok(StoreProgress {
                partition: r.try_get("kafka_partition")?,
                next_offset: r.try_get("next_offset")?,
                written_ms: r.try_get("written_ms")?,
            })
        })
        .collect()
}

/// Headline numbers of one fleet.
pub async fn fleet_summary(pool: &SqlitePool, fleet_id: &str) -> Result<FleetSummary, StoreError> {
    let vehicles: i64 = sqlx::query_scalar("SELECT count(*) FROM analytics_vehicles WHERE fleet_id = ?1")
        .bind(fleet_id)
        .fetch_one(pool)
        .await?;
    let mean_score: Option<f64> =
        sqlx::query_scalar("SELECT avg(score) FROM health_component_health_current WHERE fleet_id = ?1")
            .bind(fleet_id)
            .fetch_one(pool)
            .await?;
    let components_by_band = counts(
        pool,
        "SELECT band AS k, count(*) AS n FROM health_component_health_current WHERE fleet_id = ?1
         GROUP BY band ORDER BY band",
        fleet_id,
    )
    .await?;
    let open_alerts_by_severity = counts(
        pool,
        "SELECT severity AS k, count(*) AS n FROM alert_alerts WHERE fleet_id = ?1 AND state = 'open'
         GROUP BY severity ORDER BY severity",
        fleet_id,
    )
    .await?;
    let upcoming_appointments: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM scheduling_appointments
         WHERE fleet_id = ?1 AND status IN ('scheduled', 'confirmed')",
    )
    .bind(fleet_id)
    .fetch_one(pool)
    .await?;
    let dead_letters: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ingestion_dead_letters d
         JOIN analytics_vehicles v ON v.vehicle_id = d.vehicle_id WHERE v.fleet_id = ?1",
    )
    .bind(fleet_id)
    .fetch_one(pool)
    .await?;
    Ok(FleetSummary {
        fleet_id: fleet_id.to_string(),
        vehicles,
        mean_score,
        components_by_band,
        open_alerts_by_severity,
        upcoming_appointments,
        dead_letters,
    })
}

async fn counts(pool: &SqlitePool, sql: &'static str, fleet_id: &str) -> Result<Vec<(String, i64)>, StoreError> {
    let found = sqlx::query(sql).bind(fleet_id).fetch_all(pool).await?;
    found.iter().map(|r| Ok((r.try_get("k")?, r.try_get("n")?))).collect()
}
