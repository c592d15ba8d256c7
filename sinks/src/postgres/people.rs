//! Writes of the person-owned columns (acknowledgement, escalation, booking
//! confirmation), each recorded in `analytics.audit_log` in the same transaction.

use sqlx::{PgPool, Postgres, Transaction};

use schemas::TsMs;

use super::rows;
use crate::codec::to_time;
use crate::error::StoreError;
use crate::store::{AlertRecord, AppointmentRecord};

/// Records `actor`'s `action` on one entity in `analytics.audit_log`, inside
/// the caller's transaction so the entry exists exactly when the write does.
pub(super) async fn audit(
    tx: &mut Transaction<'_, Postgres>,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    fleet_id: &str,
    detail: serde_json::Value,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO analytics.audit_log (at, actor, action, entity, entity_id, fleet_id, detail)
         VALUES (now(), $1, $2, $3, $4, $5, $6)",
    )
    .bind(actor)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(fleet_id)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records an acknowledgement (a later one replaces an earlier; a missing note keeps the old one).
pub async fn acknowledge_alert(
    pool: &PgPool,
    alert_id: &str,
    by: &str,
    note: Option<&str>,
    at_ms: TsMs,
) -> Result<Option<AlertRecord>, StoreError> {
    let mut tx = pool.begin().await?;
    let found = sqlx::query(
        "UPDATE alert.alerts SET acknowledged_by = $2, acknowledged_at = $3, note = COALESCE($4, note)
         WHERE alert_id = $1 RETURNING *",
    )
    .bind(alert_id)
    .bind(by)
    .bind(to_time(at_ms)?)
    .bind(note)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = found else {
        return Ok(None);
    };
    let record = rows::alert_record(&row)?;
    let detail = serde_json::json!({ "note": note, "at_ms": at_ms });
    audit(&mut tx, by, "acknowledge", "alert", alert_id, &record.alert.fleet_id, detail).await?;
    tx.commit().await?;
    Ok(Some(record))
}

/// Marks open critical alerts opened before `older_than_ms`, never acknowledged
/// nor escalated, as escalated at `at_ms`; returns them oldest first.
pub async fn escalate_unacknowledged(
    pool: &PgPool,
    older_than_ms: TsMs,
    at_ms: TsMs,
) -> Result<Vec<AlertRecord>, StoreError> {
    let found = sqlx::query(
        "UPDATE alert.alerts SET escalated_at = $2
         WHERE state = 'open' AND severity = 'critical' AND acknowledged_at IS NULL
           AND escalated_at IS NULL AND opened_at < $1
         RETURNING *",
    )
    .bind(to_time(older_than_ms)?)
    .bind(to_time(at_ms)?)
    .fetch_all(pool)
    .await?;
    let mut records = found.iter().map(rows::alert_record).collect::<Result<Vec<_>, _>>()?;
    records.sort_by(|a, b| (a.alert.opened_ms, &a.alert.alert_id).cmp(&(b.alert.opened_ms, &b.alert.alert_id)));
    Ok(records)
}

/// Confirms a scheduled appointment. Confirming twice keeps the first
/// confirmation; a cancelled appointment cannot be confirmed (`Conflict`).
pub async fn confirm_appointment(
    pool: &PgPool,
    appointment_id: &str,
    by: &str,
) -> Result<Option<AppointmentRecord>, StoreError> {
    let mut tx = pool.begin().await?;
    let updated = sqlx::query(
        "UPDATE scheduling.appointments SET status = 'confirmed', confirmed_by = $2, confirmed_at = now()
         WHERE appointment_id = $1 AND status = 'scheduled' RETURNING *",
    )
    .bind(appointment_id)
    .bind(by)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = updated {
        let record = rows::appointment_record(&row)?;
        let detail = serde_json::json!({ "start_ms": record.appointment.start_ms });
        audit(&mut tx, by, "confirm", "appointment", appointment_id, &record.appointment.fleet_id, detail).await?;
        tx.commit().await?;
        return Ok(Some(record));
    }
    let existing = sqlx::query("SELECT * FROM scheduling.appointments WHERE appointment_id = $1")
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
