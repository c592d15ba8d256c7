//! [`WebhookChannel`]: POSTs the event JSON to a URL, retrying (bounded, with
//! doubling backoff) only when the failure may pass: a 5xx answer, a refused
//! or dropped connection, a timeout.

use std::time::Duration;

use async_trait::async_trait;

use schemas::Event;

use super::config::WebhookConfig;
use super::{Channel, ChannelError};

/// Delivers alert events to one webhook.
#[derive(Clone, Debug)]
pub struct WebhookChannel {
    client: reqwest::Client,
    config: WebhookConfig,
    name: String,
}

impl WebhookChannel {
    /// A channel for the configured webhook.
    pub fn new(config: WebhookConfig) -> Result<WebhookChannel, ChannelError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(config.timeout_ms))
            .build()
            .map_err(ChannelError::Client)?;
        let name = format!("webhook:{}", config.url);
        Ok(WebhookChannel { client, config, name })
    }

    async fn attempt(&self, event: &Event) -> Result<(), ChannelError> {
        let url = &self.config.url;
        let response = self
            .client
            .post(url)
            .json(event)
            .send()
            .await
            .map_err(|source| ChannelError::Request { url: url.clone(), source })?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(ChannelError::Status { url: url.clone(), status: status.as_u16() })
        }
    }
}

fn retriable(error: &ChannelError) -> bool {
    match error {
        ChannelError::Status { status, .. } => *status >= 500,
        ChannelError::Request { source, .. } => source.is_connect() || source.is_timeout(),
        ChannelError::Client(_) => false,
    }
}

#[async_trait]
impl Channel for WebhookChannel {
    fn name(&self) -> &str {
        &self.name
    }

    async fn deliver(&self, event: &Event) -> Result<(), ChannelError> {
        let mut backoff = Duration::from_millis(self.config.initial_backoff_ms);
        let mut attempt = 1;
        loop {
            match self.attempt(event).await {
                Ok(()) => return Ok(()),
                Err(e) if retriable(&e) && attempt < self.config.max_attempts => {
                    tracing::debug!(url = %self.config.url, attempt, error = %e, "webhook delivery will be retried");
                    tokio::time::sleep(backoff).await;
                    backoff = backoff.saturating_mul(2);
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}
