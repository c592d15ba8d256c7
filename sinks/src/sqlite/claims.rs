//! Warranty claims in `warranty_claims`: the submission (audited as the
//! submitter's action in the same transaction), the listings, and the queue of
//! decided claims whose event is still to be published. `published_ms` is the
//! store's own bookkeeping and never leaves it; the checks are a JSON array.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};

use schemas::{Claim, ClaimRecord, TsMs};

use super::people::{Audit, audit, now_ms};
use crate::codec::{check_page, json_list, parse};
use crate::error::StoreError;
use crate::store::{ClaimFilter, Page};

/// Stores a new claim with its audit entry; a taken `claim_id` is a `Conflict`.
pub async fn insert_claim(pool: &SqlitePool, record: &ClaimRecord) -> Result<(), StoreError> {
    let c = &record.claim;
    let checks = serde_json::to_string(&record.checks)
        .map_err(|e| StoreError::Invalid(format!("checks of claim {} are not JSON: {e}", c.claim_id)))?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO warranty_claims
            (claim_id, fleet_id, vehicle_id, component, failed_ms, odometer_km, description, alert_id,
             submitted_by, submitted_ms, status, reason, checks, decided_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )
    .bind(&c.claim_id)
    .bind(&c.fleet_id)
    .bind(&c.vehicle_id)
    .bind(c.component.as_str())
    .bind(c.failed_ms)
    .bind(c.odometer_km)
    .bind(&c.description)
    .bind(c.alert_id.as_deref())
    .bind(&c.submitted_by)
    .bind(c.submitted_ms)
    .bind(record.status.as_str())
    .bind(&record.reason)
    .bind(checks)
    .bind(record.decided_ms)
    .execute(&mut *tx)
    .await?;
    let entry = Audit {
        at_ms: now_ms(),
        actor: &c.submitted_by,
        action: "submit_claim",
        entity: "warranty_claim",
        entity_id: &c.claim_id,
        fleet_id: &c.fleet_id,
        detail: serde_json::json!({ "status": record.status.as_str(), "component": c.component.as_str() }),
    };
    audit(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// One claim.
pub async fn get_claim(pool: &SqlitePool, claim_id: &str) -> Result<Option<ClaimRecord>, StoreError> {
    let found =
        sqlx::query("SELECT * FROM warranty_claims WHERE claim_id = ?1").bind(claim_id).fetch_optional(pool).await?;
    found.as_ref().map(claim_record).transpose()
}

/// Claims matching `filter`, newest submission first, then by id.
pub async fn list_claims(pool: &SqlitePool, filter: &ClaimFilter, page: Page) -> Result<Vec<ClaimRecord>, StoreError> {
    let page = check_page(page)?;
    let found = sqlx::query(
        "SELECT * FROM warranty_claims
         WHERE (?1 IS NULL OR fleet_id = ?1) AND (?2 IS NULL OR vehicle_id = ?2)
           AND (?3 IS NULL OR status = ?3)
         ORDER BY submitted_ms DESC, claim_id
         LIMIT ?4 OFFSET ?5",
    )
    .bind(filter.fleet_id.as_deref())
    .bind(filter.vehicle_id.as_deref())
    .bind(filter.status.as_deref())
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(pool)
    .await?;
    found.iter().map(claim_record).collect()
}

/// At most `limit` decided, unpublished claims, earliest decision first, then
/// by id (served by the partial index `warranty_claims_unpublished`). A
/// negative `limit` is invalid rather than SQLite's "no limit".
pub async fn unpublished_claims(pool: &SqlitePool, limit: i64) -> Result<Vec<ClaimRecord>, StoreError> {
    let page = check_page(Page { offset: 0, limit })?;
    let found = sqlx::query(
        "SELECT * FROM warranty_claims
         WHERE published_ms IS NULL AND decided_ms IS NOT NULL
         ORDER BY decided_ms, claim_id
         LIMIT ?1",
    )
    .bind(page.limit)
    .fetch_all(pool)
    .await?;
    found.iter().map(claim_record).collect()
}

/// Sets the publication time of the named claims (bound as one JSON array);
/// unknown ids are ignored.
pub async fn mark_claims_published(pool: &SqlitePool, claim_ids: &[String], at_ms: TsMs) -> Result<(), StoreError> {
    sqlx::query("UPDATE warranty_claims SET published_ms = ?2 WHERE claim_id IN (SELECT value FROM json_each(?1))")
        .bind(json_list(claim_ids))
        .bind(at_ms)
        .execute(pool)
        .await?;
    Ok(())
}

/// Every column of `warranty_claims` but `published_ms`.
fn claim_record(row: &SqliteRow) -> Result<ClaimRecord, StoreError> {
    let claim_id: String = row.try_get("claim_id")?;
    let checks: &str = row.try_get("checks")?;
    let checks = serde_json::from_str(checks)
        .map_err(|e| StoreError::Decode(format!("checks of claim {claim_id} are not a list of checks: {e}")))?;
    Ok(ClaimRecord {
        claim: Claim {
            fleet_id: row.try_get("fleet_id")?,
            vehicle_id: row.try_get("vehicle_id")?,
            component: parse(row.try_get("component")?)?,
            failed_ms: row.try_get("failed_ms")?,
            odometer_km: row.try_get("odometer_km")?,
            description: row.try_get("description")?,
            alert_id: row.try_get("alert_id")?,
            submitted_by: row.try_get("submitted_by")?,
            submitted_ms: row.try_get("submitted_ms")?,
            claim_id,
        },
        status: parse(row.try_get("status")?)?,
        reason: row.try_get("reason")?,
        checks,
        decided_ms: row.try_get("decided_ms")?,
    })
}
