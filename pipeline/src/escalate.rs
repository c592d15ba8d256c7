//! The alert escalation timer (seed alert-service): open critical alerts
//! that stay unacknowledged too long are escalated and sent to the alert
//! channels; [`crate::outbox`] publishes them as `alert.escalated`. The
//! escalation records the time that triggered it.

use std::sync::Arc;
use std::time::Duration;

use sinks::Store;
use sinks::channels::Notifier;
use sinks::kafka::alert_escalated;

/// Checks every `every`, escalating alerts unacknowledged for `after`.
pub async fn escalate_forever(
    store: Arc<dyn Store>,
    notifier: Option<Arc<Notifier>>,
    after: Duration,
    every: Duration,
) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let now = chrono::Utc::now().timestamp_millis();
        let cutoff = now - i64::try_from(after.as_millis()).unwrap_or(i64::MAX);
        let escalated = match store.escalate_unacknowledged(cutoff, now).await {
            Ok(list) => list,
            Err(e) => {
                tracing::warn!(error = %e, "escalation check failed");
                continue;
            }
        };
        let events = alert_escalated(&escalated);
        if events.is_empty() {
            continue;
        }
        tracing::info!(count = events.len(), "alerts escalated");
        if let Some(notifier) = &notifier {
            notifier.notify(&events).await;
        }
    }
}
