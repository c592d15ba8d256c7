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

/// A kind of stored change awaiting its events.
#[derive(Clone, Copy, Debug)]
enum Queue {
    /// `alert.acknowledged`.
    Acknowledgements,
    /// `alert.escalated`.
    Escalations,
    /// `warranty.claim.validated` / `warranty.claim.rejected`.
    Claims,
}

impl Queue {
    /// Every queue, in the order they are published.
    const ALL: [Queue; 3] = [Queue::Acknowledgements, Queue::Escalations, Queue::Claims];

    /// What the queue holds, for the log.
    fn what(self) -> &'static str {
        match self {
            Queue::Acknowledgements => "alert acknowledgements",
            Queue::Escalations => "alert escalations",
            Queue::Claims => "warranty claim decisions",
        }
    }

    /// Publishes up to [`BATCH`] pending changes and marks them published
    /// once the broker has their events; returns how many there were (no
    /// broker or store write when there were none).
    async fn publish_batch(self, store: &dyn Store, publisher: &EventPublisher) -> anyhow::Result<usize> {
        match self {
            Queue::Acknowledgements => {
                let alerts = store.unpublished_acknowledgements(BATCH).await?;
                if alerts.is_empty() {
                    return Ok(0);
                }
                publisher.publish(&alerts.iter().filter_map(alert_acknowledged).collect::<Vec<_>>()).await?;
                let published: Vec<(String, i64)> =
                    alerts.into_iter().filter_map(|r| Some((r.alert.alert_id, r.acknowledged_ms?))).collect();
                store.mark_acknowledgements_published(&published).await?;
                Ok(published.len())
            }
            Queue::Escalations => {
                let alerts = store.unpublished_escalations(BATCH).await?;
                if alerts.is_empty() {
                    return Ok(0);
                }
                publisher.publish(&alert_escalated(&alerts)).await?;
                let ids: Vec<String> = alerts.into_iter().map(|r| r.alert.alert_id).collect();
                store.mark_escalations_published(&ids).await?;
                Ok(ids.len())
            }
            Queue::Claims => {
                let claims = store.unpublished_claims(BATCH).await?;
                if claims.is_empty() {
                    return Ok(0);
                }
                publisher.publish(&claims.iter().filter_map(claim_decided).collect::<Vec<_>>()).await?;
                let ids: Vec<String> = claims.into_iter().map(|c| c.claim.claim_id).collect();
                store.mark_claims_published(&ids, chrono::Utc::now().timestamp_millis()).await?;
                Ok(ids.len())
            }
        }
    }

    /// Publishes the queue's pending changes, a batch at a time, until none is left; returns how many.
    async fn drain(self, store: &dyn Store, publisher: &EventPublisher) -> anyhow::Result<usize> {
        let mut published = 0;
        loop {
            let count = self.publish_batch(store, publisher).await?;
            published += count;
            if (count as i64) < BATCH {
                return Ok(published);
            }
        }
    }
}

/// Every `every`, publishes the acknowledgements, escalations and claim decisions not yet published.
pub async fn publish_forever(store: Arc<dyn Store>, publisher: Arc<EventPublisher>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        for queue in Queue::ALL {
            match queue.drain(store.as_ref(), &publisher).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "{} published", queue.what()),
                Err(e) => tracing::warn!(error = %e, "publishing {} failed; retrying next round", queue.what()),
            }
        }
    }
}
