//! [`Notifier`]: fans alert events out to every configured channel.

use schemas::{Event, EventKind};

use super::config::ChannelsConfig;
use super::{Channel, ChannelError, LogChannel, WebhookChannel};

/// One delivery that failed after the channel's own retries.
#[derive(Debug)]
pub struct Failure {
    /// The channel's name.
    pub channel: String,
    /// The event that was not delivered.
    pub event_id: String,
    /// Why.
    pub error: ChannelError,
}

/// What a notification round did.
#[derive(Debug, Default)]
pub struct NotifyReport {
    /// Successful (event, channel) deliveries.
    pub delivered: usize,
    /// Failed deliveries.
    pub failed: Vec<Failure>,
}

/// Delivers `alert.created` and `alert.escalated` events to its channels.
pub struct Notifier {
    channels: Vec<Box<dyn Channel>>,
}

impl Notifier {
    /// A notifier over the given channels.
    pub fn new(channels: Vec<Box<dyn Channel>>) -> Notifier {
        Notifier { channels }
    }

    /// The channels the configuration names.
    pub fn from_config(config: &ChannelsConfig) -> Result<Notifier, ChannelError> {
        let mut channels: Vec<Box<dyn Channel>> = Vec::new();
        if config.log {
            channels.push(Box::new(LogChannel));
        }
        for webhook in &config.webhooks {
            channels.push(Box::new(WebhookChannel::new(webhook.clone())?));
        }
        Ok(Notifier::new(channels))
    }

    /// True for the event kinds people are notified of.
    pub fn notifies(event: &Event) -> bool {
        [EventKind::AlertCreated, EventKind::AlertEscalated].iter().any(|k| k.topic() == event.event_type)
    }

    /// Delivers each alert event to every channel; other events are skipped.
    /// A failure is logged and reported, never stops the other deliveries.
    pub async fn notify(&self, events: &[Event]) -> NotifyReport {
        let mut report = NotifyReport::default();
        for event in events.iter().filter(|e| Notifier::notifies(e)) {
            for channel in &self.channels {
                match channel.deliver(event).await {
                    Ok(()) => report.delivered += 1,
                    Err(error) => {
                        tracing::warn!(channel = channel.name(), event_id = %event.event_id, error = %error, "alert delivery failed");
                        report.failed.push(Failure {
                            channel: channel.name().to_string(),
                            event_id: event.event_id.clone(),
                            error,
                        });
                    }
                }
            }
        }
        report
    }
}
