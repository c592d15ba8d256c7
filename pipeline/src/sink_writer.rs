//! The [`EpochWriter`] of a worker: the store first (the system of record),
//! then the Parquet archive, then the event topics and alert channels.
//!
//! Epoch 0 is the replay that rebuilds state after a restart: its results
//! were archived and published before the restart, so only the idempotent
//! store upserts run for it.

use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Handle;

use operators::Epoch;
use sinks::channels::Notifier;
use sinks::kafka::{EventPublisher, events_for};
use sinks::parquet::ParquetArchive;
use sinks::{ResultBatch, Store};

use crate::worker::Control;
use crate::write::EpochWriter;

/// Every sink of one worker.
pub struct SinkWriter {
    /// Runs the async sinks from the worker thread.
    pub runtime: Handle,
    /// The results store.
    pub store: Arc<dyn Store>,
    /// This worker's Parquet archive, if archiving.
    pub archive: Option<ParquetArchive>,
    /// Event publisher, if publishing.
    pub events: Option<Arc<EventPublisher>>,
    /// Alert channels.
    pub notifier: Option<Arc<Notifier>>,
    /// Where fatal errors are reported.
    pub control: Control,
}

const RETRY_PAUSE: Duration = Duration::from_millis(500);

impl SinkWriter {
    fn store_batch(&self, batch: &ResultBatch) -> Result<(), String> {
        loop {
            match self.runtime.block_on(self.store.write_batch(batch)) {
                Ok(()) => return Ok(()),
                Err(e) if e.is_retriable() => {
                    tracing::warn!(error = %e, "store unavailable, retrying");
                    std::thread::sleep(RETRY_PAUSE);
                }
                Err(e) => return Err(format!("store: {e}")),
            }
        }
    }

    /// Publishes the batch's events and dead letters and hands the events to
    /// the alert channels (the events are built once, for both).
    fn publish(&self, batch: &ResultBatch) -> Result<(), String> {
        if self.events.is_none() && self.notifier.is_none() {
            return Ok(());
        }
        let events = events_for(batch);
        if let Some(publisher) = &self.events {
            self.runtime
                .block_on(publisher.publish_batch(&events, &batch.dead_letters))
                .map_err(|e| format!("events: {e}"))?;
        }
        if let Some(notifier) = &self.notifier {
            let report = self.runtime.block_on(notifier.notify(&events));
            if !report.failed.is_empty() {
                tracing::warn!(failures = report.failed.len(), "alert channels failed");
            }
        }
        Ok(())
    }

    fn try_write(&mut self, epoch: Epoch, batch: &ResultBatch) -> Result<(), String> {
        self.store_batch(batch)?;
        if epoch == 0 {
            return Ok(());
        }
        if let Some(archive) = self.archive.as_mut() {
            archive.write(batch).map_err(|e| format!("parquet: {e}"))?;
        }
        self.publish(batch)
    }
}

impl EpochWriter for SinkWriter {
    fn write(&mut self, epoch: Epoch, batch: ResultBatch) {
        // After a failure nothing more is written: every sink stays a prefix of the epochs.
        if batch.is_empty() || self.control.fatal().is_some() {
            return;
        }
        metrics::counter!("carvrooom_readings_accepted_total").increment(batch.readings.len() as u64);
        for letter in &batch.dead_letters {
            metrics::counter!("carvrooom_dead_letters_total", "reason" => letter.reason.as_str()).increment(1);
        }
        if let Err(message) = self.try_write(epoch, &batch) {
            tracing::error!(epoch, error = %message, "sink failed");
            self.control.fail(message);
        }
    }

    fn commit_point(&mut self, epoch: Epoch) {
        if self.control.fatal().is_some() {
            return;
        }
        if let Some(archive) = self.archive.as_mut()
            && let Err(e) = archive.flush()
        {
            tracing::error!(epoch, error = %e, "parquet roll failed");
            self.control.fail(format!("parquet: {e}"));
        }
    }
}
