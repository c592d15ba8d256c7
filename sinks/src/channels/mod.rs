//! Alert delivery channels (the seed alert service's notifications): a
//! [`Notifier`] fans `alert.created` and `alert.escalated` events out to the
//! configured channels — webhooks and the log.

mod config;
mod log;
mod notifier;
mod webhook;

use async_trait::async_trait;
use thiserror::Error;

use schemas::Event;

pub use config::{ChannelsConfig, WebhookConfig};
pub use log::LogChannel;
pub use notifier::{Failure, Notifier, NotifyReport};
pub use webhook::WebhookChannel;

/// A failed delivery.
#[derive(Debug, Error)]
pub enum ChannelError {
    /// The receiver answered with a non-success status.
    #[error("{url} answered http {status}")]
    Status {
        /// The receiver.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The request could not be made or completed (connect, timeout, body).
    #[error("request to {url} failed")]
    Request {
        /// The receiver.
        url: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// The HTTP client could not be built.
    #[error("http client could not be built")]
    Client(#[source] reqwest::Error),
}

/// Somewhere alerts are delivered.
#[async_trait]
pub trait Channel: Send + Sync {
    /// A short name for logs and reports (`log`, `webhook:<url>`).
    fn name(&self) -> &str;
    /// Delivers one event; retries, if any, happen inside.
    async fn deliver(&self, event: &Event) -> Result<(), ChannelError>;
}
