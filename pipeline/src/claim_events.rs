//! Publishes decided warranty claims (seed warranty-service) as
//! `warranty.claim.validated` / `warranty.claim.rejected`.
//!
//! The API decides a claim and stores it; this loop is the outbox that
//! turns stored decisions into events. A claim is marked published only
//! after the broker took its event, so a broker outage delays events and
//! loses none (a repeat after a crash between the two carries the same
//! deterministic event id, so consumers dedupe it).

use std::sync::Arc;
use std::time::Duration;

use sinks::Store;
use sinks::kafka::{EventPublisher, claim_decided};

/// Claims published per round at most.
const BATCH: i64 = 500;

/// Every `every`, publishes the decided claims not yet published.
pub async fn publish_claims_forever(store: Arc<dyn Store>, publisher: Arc<EventPublisher>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        if let Err(e) = publish_pending(store.as_ref(), &publisher).await {
            tracing::warn!(error = %e, "publishing warranty claim decisions failed; retrying next round");
        }
    }
}

/// Publishes the pending decisions, a batch at a time, until none is left.
async fn publish_pending(store: &dyn Store, publisher: &EventPublisher) -> anyhow::Result<()> {
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
