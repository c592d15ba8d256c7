//! Publishes the changes made outside the dataflow as events: alert
//! acknowledgements (`alert.acknowledged`) and warranty claim decisions
//! (`warranty.claim.validated` / `warranty.claim.rejected`) made through the
//! API, and escalations by the timer (`alert.escalated`).
//!
//! Each is stored first (the API has no producer of events); this loop is
//! the outbox that turns stored changes into events. Each is marked published
//! only after the broker took its event, so a broker outage delays events
//! and loses none (a repeat after a crash between the two carries the same
//! deterministic event id, so consumers dedupe it).

use std::sync::Arc;
use std::time::Duration;

use sinks::Store;
use sinks::kafka::{EventPublisher, alert_acknowledged, alert_escalated, claim_decided};

/// Changes published per round and kind at most.
const BATCH: i64 = 500;

/// Every `every`, publishes the acknowledgements, escalations and claim decisions not yet published.
pub async fn publish_forever(store: Arc<dyn Store>, publisher: Arc<EventPublisher>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        if let Err(e) = acknowledgements(store.as_ref(), &publisher).await {
            tracing::warn!(error = %e, "publishing alert acknowledgements failed; retrying next round");
        }
        if let Err(e) = escalations(store.as_ref(), &publisher).await {
            tracing::warn!(error = %e, "publishing alert escalations failed; retrying next round");
        }
        if let Err(e) = claims(store.as_ref(), &publisher).await {
            tracing::warn!(error = %e, "publishing warranty claim decisions failed; retrying next round");
        }
    }
}

/// Publishes the pending acknowledgements, a batch at a time, until none is left.
async fn acknowledgements(store: &dyn Store, publisher: &EventPublisher) -> anyhow::Result<()> {
    loop {
        let alerts = store.unpublished_acknowledgements(BATCH).await?;
        let events: Vec<_> = alerts.iter().filter_map(alert_acknowledged).collect();
        if events.is_empty() {
            return Ok(());
        }
        publisher.publish(&events).await?;
        let published: Vec<(String, i64)> =
            alerts.into_iter().filter_map(|r| Some((r.alert.alert_id, r.acknowledged_ms?))).collect();
        store.mark_acknowledgements_published(&published).await?;
        tracing::info!(count = published.len(), "alert acknowledgements published");
        if (published.len() as i64) < BATCH {
            return Ok(());
        }
    }
}

/// Publishes the pending escalations, a batch at a time, until none is left.
async fn escalations(store: &dyn Store, publisher: &EventPublisher) -> anyhow::Result<()> {
    loop {
        let alerts = store.unpublished_escalations(BATCH).await?;
        if alerts.is_empty() {
            return Ok(());
        }
        publisher.publish(&alert_escalated(&alerts)).await?;
        let ids: Vec<String> = alerts.into_iter().map(|r| r.alert.alert_id).collect();
        store.mark_escalations_published(&ids).await?;
        tracing::info!(count = ids.len(), "alert escalations published");
        if (ids.len() as i64) < BATCH {
            return Ok(());
        }
    }
}

/// Publishes the pending claim decisions, a batch at a time, until none is left.
async fn claims(store: &dyn Store, publisher: &EventPublisher) -> anyhow::Result<()> {
    loop {
        let claims = store.unpublished_claims(BATCH).await?;
        if claims.is_empty() {
            return Ok(());
        }
        let events: Vec<_> = claims.iter().filter_map(claim_decided).collect();
        publisher.publish(&events).await?;
        let ids: Vec<String> = claims.into_iter().map(|c| c.claim.claim_id).collect();
        store.mark_claims_published(&ids, chrono::Utc::now().timestamp_millis()).await?;
        tracing::info!(count = ids.len(), "warranty claim decisions published");
        if (ids.len() as i64) < BATCH {
            return Ok(());
        }
    }
}
