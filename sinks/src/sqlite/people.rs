//! Writes of the person-owned columns (acknowledgement, escalation, booking
//! confirmation), each recorded in `analytics_audit_log` in the same transaction.

use sqlx::{Sqlite, SqlitePool, Transaction};

use schemas::TsMs;

use super::rows;
use crate::error::StoreError;
use crate::store::{AlertRecord, AppointmentRecord};

/// One entry of `analytics_audit_log`: who did what to which entity, when.
pub(super) struct Audit<'a> {
    pub(super) at_ms: TsMs,
    pub(super) actor: &'a str,
    pub(super) action: &'a str,
    pub(super) entity: &'a str,
    pub(super) entity_id: &'a str,
    pub(super) fleet_id: &'a str,
    pub(super) detail: serde_json::Value,
}

/// Appends `entry` inside the caller's transaction, so the entry exists
/// exactly when the write does.
pub(super) async fn audit(tx: &mut Transaction<'_, Sqlite>, entry: Audit<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO analytics_audit_log (at_ms, actor, action, entity, entity_id, fleet_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(entry.at_ms)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.fleet_id)
    .bind(entry.detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The wall-clock time, ms: when a person's write happened.
pub(super) fn now_ms() -> TsMs {
    chrono::Utc::now().timestamp_millis()
}

/// Records an acknowledgement (a later one replaces an earlier; a missing note keeps the old one).
pub async fn acknowledge_alert(
    pool: &SqlitePool,
    alert_id: &str,
    by: &str,
    note: Option<&str>,
    at_ms: TsMs,
) -> Result<Option<AlertRecord>, StoreError> {
    let mut tx = pool.begin().await?;
    let found = sqlx::query(
        "UPDATE alert_alerts SET acknowledged_by = ?2, acknowledged_ms = ?3, note = COALESCE(?4, note)
         WHERE alert_id = ?1 RETURNING *",
    )
    .bind(alert_id)
    .bind(by)
    .bind(at_ms)
    .bind(note)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = found else {
        return Ok(None);
    };
    let record = rows::alert_record(&row)?;
    let entry = Audit {
        at_ms: now_ms(),
        actor: by,
        action: "acknowledge",
        entity: "alert",
        entity_id: alert_id,
        fleet_id: &record.alert.fleet_id,
        detail: serde_json::json!({ "note": note, "at_ms": at_ms }),
    };
    audit(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(Some(record))
}

/// Marks open critical alerts opened before `older_than_ms`, never acknowledged
/// nor escalated, as escalated at `at_ms`; returns them oldest first.
pub async fn escalate_unacknowledged(
    pool: &SqlitePool,
    older_than_ms: TsMs,
    at_ms: TsMs,
) -> Result<Vec<AlertRecord>, StoreError> {
    let found = sqlx::query(
        "UPDATE alert_alerts SET escalated_ms = ?2
         WHERE state = 'open' AND severity = 'critical' AND acknowledged_ms IS NULL
           AND escalated_ms IS NULL AND opened_ms < ?1
         RETURNING *",
    )
    .bind(older_than_ms)
    .bind(at_ms)
    .fetch_all(pool)
    .await?;
    let mut records = found.iter().map(rows::alert_record).collect::<Result<Vec<_>, _>>()?;
    records.sort_by(|a, b| (a.alert.opened_ms, &a.alert.alert_id).cmp(&(b.alert.opened_ms, &b.alert.alert_id)));
    Ok(records)
}

/// Confirms a scheduled appointment. Confirming twice keeps the first
/// confirmation; a cancelled appointment cannot be confirmed (`Conflict`).
pub async fn confirm_appointment(
    pool: &SqlitePool,
    appointment_id: &str,
    by: &str,
) -> Result<Option<AppointmentRecord>, StoreError> {
    let mut tx = pool.begin().await?;
    let at_ms = now_ms();
    let updated = sqlx::query(
        "UPDATE scheduling_appointments SET status = 'confirmed', confirmed_by = ?2, confirmed_ms = ?3
         WHERE appointment_id = ?1 AND status = 'scheduled' RETURNING *",
    )
    .bind(appointment_id)
    .bind(by)
    .bind(at_ms)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = updated {
        let record = rows::appointment_record(&row)?;
        let entry = Audit {
            at_ms,
            actor: by,
            action: "confirm",
            entity: "appointment",
            entity_id: appointment_id,
            fleet_id: &record.appointment.fleet_id,
            detail: serde_json::json!({ "start_ms": record.appointment.start_ms }),
        };
        audit(&mut tx, entry).await?;
        tx.commit().await?;
        return Ok(Some(record));
    }
    let existing = sqlx::query("SELECT * FROM scheduling_appointments WHERE appointment_id = ?1")
        .bind(appointment_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = existing else {
        return Ok(None);
    };
    let record = rows::appointment_record(&row)?;
    if record.status == "cancelled" {
        return Err(StoreError::Conflict(format!("appointment {appointment_id} is cancelled")));
    }
    Ok(Some(record))
}
