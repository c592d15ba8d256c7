//! The sinks of a worker as [`Stage`]s, each on a thread of its own (see
//! [`crate::write_behind`]): first the store (the system of record), then
//! the Parquet archive, then the event topics and alert channels. An epoch is
//! archived and its events published only after it is stored, and the store
//! writes the next epoch meanwhile, so encoding and syncing files never holds
//! the store back.
//!
//! Epoch 0 is the replay that rebuilds state after a restart: its results
//! were archived and published before the restart, so only the idempotent
//! store upserts run for it.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Handle;

use operators::Epoch;
use sinks::channels::Notifier;
use sinks::kafka::{EventPublisher, events_for};
use sinks::parquet::ParquetArchive;
use sinks::{ResultBatch, Store, StoreError};

use crate::worker::Control;
use crate::write_behind::Stage;

/// The first stage: the results store.
pub struct StoreStage {
    /// Runs the async store from the stage's thread.
    pub runtime: Handle,
    /// The results store.
    pub store: Arc<dyn Store>,
    /// Where fatal errors are reported.
    pub control: Control,
}

/// The stage after the store: this worker's Parquet archive.
pub struct ArchiveStage {
    /// This worker's Parquet archive.
    pub archive: ParquetArchive,
    /// Where fatal errors are reported.
    pub control: Control,
}

/// The second stage: the event topics and the alert channels.
pub struct PublishStage {
    /// Runs the async publishers from the stage's thread.
    pub runtime: Handle,
    /// Event publisher, if publishing.
    pub events: Option<Arc<EventPublisher>>,
    /// Alert channels.
    pub notifier: Option<Arc<Notifier>>,
    /// Where fatal errors are reported.
    pub control: Control,
}

const RETRY_PAUSE: Duration = Duration::from_millis(500);

/// Runs `write` unless a sink already failed, and reports its failure as
/// fatal: after a failure nothing more is written, so every sink holds a
/// prefix of the epochs.
fn unless_failed(control: &Control, epoch: Epoch, write: impl FnOnce() -> Result<(), String>) {
    if control.fatal().is_some() {
        return;
    }
    if let Err(message) = write() {
        tracing::error!(epoch, error = %message, "sink failed");
        control.fail(message);
    }
}

impl StoreStage {
    /// Runs one store call until it succeeds or fails for good.
    fn retrying<F: Future<Output = Result<(), StoreError>>>(&self, call: impl Fn() -> F) -> Result<(), String> {
        loop {
            match self.runtime.block_on(call()) {
                Ok(()) => return Ok(()),
                Err(e) if e.is_retriable() => {
                    tracing::warn!(error = %e, "store write failed, retrying");
                    std::thread::sleep(RETRY_PAUSE);
                }
                Err(e) => return Err(format!("store: {e}")),
            }
        }
    }
}

impl Stage for StoreStage {
    fn write(&mut self, epoch: Epoch, batch: &ResultBatch) {
        if batch.is_empty() {
            return;
        }
        metrics::counter!("carvrooom_readings_accepted_total").increment(batch.readings.len() as u64);
        for letter in &batch.dead_letters {
            metrics::counter!("carvrooom_dead_letters_total", "reason" => letter.reason.as_str()).increment(1);
        }
        // Visible at once, durable by the next commit point: no offset is
        // committed before then, and a batch lost in a crash is read again.
        unless_failed(&self.control, epoch, || self.retrying(|| self.store.write_batch_deferred(batch)));
    }

    /// Makes every batch stored since the last commit point durable.
    fn commit_point(&mut self, epoch: Epoch) {
        unless_failed(&self.control, epoch, || self.retrying(|| self.store.make_durable()));
    }
}

impl Stage for ArchiveStage {
    fn write(&mut self, epoch: Epoch, batch: &ResultBatch) {
        if epoch == 0 || batch.is_empty() {
            return;
        }
        let archive = &mut self.archive;
        unless_failed(&self.control, epoch, || archive.write(batch).map(drop).map_err(|e| format!("parquet: {e}")));
    }

    /// Rolls the open files: finished, synced and renamed into place.
    fn commit_point(&mut self, epoch: Epoch) {
        let archive = &mut self.archive;
        unless_failed(&self.control, epoch, || archive.flush().map(drop).map_err(|e| format!("parquet: {e}")));
    }
}

impl PublishStage {
    /// Publishes the batch's events and dead letters and hands the events to
    /// the alert channels (the events are built once, for both).
    fn publish(&self, batch: &ResultBatch) -> Result<(), String> {
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
}

impl Stage for PublishStage {
    fn write(&mut self, epoch: Epoch, batch: &ResultBatch) {
        if epoch == 0 || batch.is_empty() {
            return;
        }
        unless_failed(&self.control, epoch, || self.publish(batch));
    }

    /// Every publish waits for its acknowledgements, so there is nothing left to make durable.
    fn commit_point(&mut self, _epoch: Epoch) {}
}
