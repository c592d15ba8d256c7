//! [`LogChannel`]: writes each alert notification to the log.

use async_trait::async_trait;

use schemas::Event;

use super::{Channel, ChannelError};

/// Logs alert notifications at `info` with structured fields.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogChannel;

#[async_trait]
impl Channel for LogChannel {
    fn name(&self) -> &str {
        "log"
    }

    async fn deliver(&self, event: &Event) -> Result<(), ChannelError> {
        tracing::info!(
            event_type = %event.event_type,
            event_id = %event.event_id,
            fleet_id = %event.fleet_id,
            vehicle_id = %event.vehicle_id,
            payload = %event.payload,
            "alert notification"
        );
        Ok(())
    }
}
