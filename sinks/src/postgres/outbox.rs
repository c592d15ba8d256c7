//! The queues of alert changes made outside the dataflow whose events are
//! still to be published: acknowledgements (`ack_published_at` holds the
//! acknowledgement time last published, so a later acknowledgement queues
//! again) and escalations (`escalation_published`).

use sqlx::PgPool;

use schemas::TsMs;

use super::rows;
use crate::codec::{check_page, to_time};
use crate::error::StoreError;
use crate::store::{AlertRecord, Page};

/// At most `limit` alerts whose latest acknowledgement is unpublished, earliest first, then by id.
pub async fn unpublished_acknowledgements(pool: &PgPool, limit: i64) -> Result<Vec<AlertRecord>, StoreError> {
    queued_alerts(
        pool,
        "SELECT * FROM alert.alerts
             WHERE acknowledged_at IS NOT NULL AND ack_published_at IS DISTINCT FROM acknowledged_at
             ORDER BY acknowledged_at, alert_id
             LIMIT $1",
        limit,
    )
    .await
}

/// Marks each `(alert id, acknowledgement time)` published, unless the alert
/// has been acknowledged again since.
pub async fn mark_acknowledgements_published(pool: &PgPool, acknowledged: &[(String, TsMs)]) -> Result<(), StoreError> {
    let ids: Vec<&str> = acknowledged.iter().map(|(id, _)| id.as_str()).collect();
    let times = acknowledged.iter().map(|(_, at)| to_time(*at)).collect::<Result<Vec<_>, _>>()?;
    sqlx::query(
        "UPDATE alert.alerts AS a SET ack_published_at = p.at
         FROM UNNEST($1::text[], $2::timestamptz[]) AS p(alert_id, at)
         WHERE a.alert_id = p.alert_id AND a.acknowledged_at = p.at",
    )
    .bind(ids)
    .bind(times)
    .execute(pool)
    .await?;
    Ok(())
}

/// At most `limit` escalated alerts whose escalation is unpublished, earliest first, then by id.
pub async fn unpublished_escalations(pool: &PgPool, limit: i64) -> Result<Vec<AlertRecord>, StoreError> {
    queued_alerts(
        pool,
        "SELECT * FROM alert.alerts
             WHERE escalated_at IS NOT NULL AND NOT escalation_published
             ORDER BY escalated_at, alert_id
             LIMIT $1",
        limit,
    )
    .await
}

/// Marks the escalations of `alert_ids` published.
pub async fn mark_escalations_published(pool: &PgPool, alert_ids: &[String]) -> Result<(), StoreError> {
    sqlx::query("UPDATE alert.alerts SET escalation_published = true WHERE alert_id = ANY($1)")
        .bind(alert_ids)
        .execute(pool)
        .await?;
    Ok(())
}

/// At most `limit` alerts of an outbox queue, as `query` (its limit bound as
/// `$1`) selects and orders them.
async fn queued_alerts(pool: &PgPool, query: &'static str, limit: i64) -> Result<Vec<AlertRecord>, StoreError> {
    let page = check_page(Page { offset: 0, limit })?;
    let found = sqlx::query(query).bind(page.limit).fetch_all(pool).await?;
    found.iter().map(rows::alert_record).collect()
}
