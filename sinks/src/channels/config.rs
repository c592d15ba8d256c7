//! Configuration of the alert channels.

use serde::{Deserialize, Serialize};

/// Which channels receive alerts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelsConfig {
    /// Log every alert notification through `tracing`.
    #[serde(default = "default_log")]
    pub log: bool,
    /// Webhooks that receive each alert event as a JSON POST.
    #[serde(default)]
    pub webhooks: Vec<WebhookConfig>,
}

fn default_log() -> bool {
    true
}

impl Default for ChannelsConfig {
    fn default() -> Self {
        ChannelsConfig { log: default_log(), webhooks: Vec::new() }
    }
}

/// One webhook receiver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// The URL the event JSON is POSTed to.
    pub url: String,
    /// Attempts per event, the first included (retries only on 5xx, connect errors and timeouts).
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// Wait before the first retry, ms; doubles on each further retry.
    #[serde(default = "default_initial_backoff_ms")]
    pub initial_backoff_ms: u64,
    /// Per-request timeout, ms.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
}

fn default_max_attempts() -> u32 {
    3
}

fn default_initial_backoff_ms() -> u64 {
    200
}

fn default_timeout_ms() -> u64 {
    5_000
}

impl WebhookConfig {
    /// A webhook at `url` with the default retry policy.
    pub fn new(url: impl Into<String>) -> Self {
        WebhookConfig {
            url: url.into(),
            max_attempts: default_max_attempts(),
            initial_backoff_ms: default_initial_backoff_ms(),
            timeout_ms: default_timeout_ms(),
        }
    }
}
