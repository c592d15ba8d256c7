//! The queues of alert changes made outside the dataflow whose events are
//! still to be published: acknowledgements (`ack_published_ms` holds the
//! acknowledgement time last published, so a later acknowledgement queues
//! again) and escalations (`escalation_published`).

use sqlx::SqlitePool;

use schemas::TsMs;

use super::rows;
use crate::codec::check_page;
use crate::error::StoreError;
use crate::store::{AlertRecord, Page};

/// At most `limit` alerts whose latest acknowledgement is unpublished, earliest first, then by id.
pub async fn unpublished_acknowledgements(pool: &SqlitePool, limit: i64) -> Result<Vec<AlertRecord>, StoreError> {
    queued_alerts(
        pool,
        "SELECT * FROM alert_alerts
             WHERE acknowledged_ms IS NOT NULL AND ack_published_ms IS NOT acknowledged_ms
             ORDER BY acknowledged_ms, alert_id
             LIMIT ?1",
        limit,
    )
    .await
}

/// Marks each `(alert id, acknowledgement time)` published, unless the alert
/// has been acknowledged again since; in one transaction.
pub async fn mark_acknowledgements_published(
    pool: &SqlitePool,
    acknowledged: &[(String, TsMs)],
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    for (alert_id, at_ms) in acknowledged {
        sqlx::query("UPDATE alert_alerts SET ack_published_ms = ?2 WHERE alert_id = ?1 AND acknowledged_ms = ?2")
            .bind(alert_id)
            .bind(at_ms)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// At most `limit` escalated alerts whose escalation is unpublished, earliest first, then by id.
pub async fn unpublished_escalations(pool: &SqlitePool, limit: i64) -> Result<Vec<AlertRecord>, StoreError> {
    queued_alerts(
        pool,
        "SELECT * FROM alert_alerts
             WHERE escalated_ms IS NOT NULL AND escalation_published = 0
             ORDER BY escalated_ms, alert_id
             LIMIT ?1",
        limit,
    )
    .await
}

/// Marks the escalations of `alert_ids` published, in one transaction.
pub async fn mark_escalations_published(pool: &SqlitePool, alert_ids: &[String]) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    for alert_id in alert_ids {
        sqlx::query("UPDATE alert_alerts SET escalation_published = 1 WHERE alert_id = ?1")
            .bind(alert_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// At most `limit` alerts of an outbox queue, as `query` (its limit bound as
/// `?1`) selects and orders them.
async fn queued_alerts(pool: &SqlitePool, query: &'static str, limit: i64) -> Result<Vec<AlertRecord>, StoreError> {
    let page = check_page(Page { offset: 0, limit })?;
    let found = sqlx::query(query).bind(page.limit).fetch_all(pool).await?;
    found.iter().map(rows::alert_record).collect()
}
