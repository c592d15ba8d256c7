//! The loop every timely worker runs: read an epoch of Kafka input, close
//! the epoch, compute it while the sinks write the one before, commit the
//! offsets of commit points once every worker has written them to every
//! sink, repeat.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use thiserror::Error;
use timely::worker::Worker;

use operators::Epoch;
use operators::schedule::Resource;

use crate::dataflow::{DataflowSettings, build};
use crate::source::{KafkaSource, SourceConfig, SourceError};
use crate::write::{EpochWriter, is_commit_point};

/// Why a worker stopped with an error.
#[derive(Debug, Error)]
pub enum WorkerError {
    /// The Kafka source failed.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// A sink failed in a way retrying cannot fix; nothing after it was committed.
    #[error("sink failed: {0}")]
    Sink(String),
}

/// Shared state that ends the workers: a stop request and the first fatal sink error.
#[derive(Clone, Default)]
pub struct Control {
    /// Set to stop reading; the workers finish what they read and commit it.
    pub stop: Arc<AtomicBool>,
    /// The first fatal sink error, if any.
    pub fatal: Arc<Mutex<Option<String>>>,
}

impl Control {
    /// Records a fatal sink error (the first one wins).
    pub fn fail(&self, message: String) {
        if let Ok(mut slot) = self.fatal.lock() {
            slot.get_or_insert(message);
        }
    }

    /// The first fatal sink error, if any.
    pub fn fatal(&self) -> Option<String> {
        self.fatal.lock().ok().and_then(|slot| slot.clone())
    }
}

/// How a worker paces and ends its loop.
#[derive(Clone, Debug)]
pub struct LoopSettings {
    /// Where to read.
    pub source: SourceConfig,
    /// Length of an ingestion epoch.
    pub epoch: Duration,
    /// Most records per epoch.
    pub epoch_max_records: usize,
    /// Stop once caught up and idle this long.
    pub stop_when_idle: Option<Duration>,
    /// How often worker 0 reloads the scheduling resources.
    pub resource_refresh: Duration,
}

/// How many epochs the sinks may still be writing when the next epoch is
/// read: two, so the dataflow computes epoch `e + 2` while the store writes
/// `e + 1` and the later stages (archive, events) finish `e`, and the size
/// of an epoch still follows the sinks' pace. With one, a slow file roll or
/// publish in a later stage held back reading; two gave a lower p99 from
/// append to visible in Postgres (three alternated benchmark runs each: 141–245 ms against 182–224 ms).
const WRITE_BEHIND: Epoch = 2;

/// An epoch cut but not yet durable: when it was cut, and the source
/// positions to commit once it is durable (at commit points).
struct Cut {
    epoch: Epoch,
    at: Instant,
    positions: Option<BTreeMap<i32, i64>>,
}

/// The epochs cut but not yet durable, oldest first.
#[derive(Default)]
struct InFlight(VecDeque<Cut>);

impl InFlight {
    fn cut(&mut self, epoch: Epoch, at: Instant, positions: Option<BTreeMap<i32, i64>>) {
        self.0.push_back(Cut { epoch, at, positions });
    }

    /// Forgets the epochs no longer `being_written`, recording each one's
    /// time from cut to durable; returns the latest positions among them to commit.
    fn durable(&mut self, being_written: impl Fn(&Epoch) -> bool) -> Option<BTreeMap<i32, i64>> {
        let mut commit = None;
        while let Some(cut) = self.0.front()
            && !being_written(&cut.epoch)
        {
            metrics::histogram!("carvrooom_epoch_seconds").record(cut.at.elapsed().as_secs_f64());
            if let Some(Cut { positions: Some(positions), .. }) = self.0.pop_front() {
                commit = Some(positions);
            }
        }
        commit
    }
}

/// Commits `positions` unless a sink has failed: after a failure nothing is
/// committed, so the failed epoch is read again on restart.
fn commit_unless_failed(
    source: &KafkaSource,
    positions: &BTreeMap<i32, i64>,
    control: &Control,
) -> Result<(), WorkerError> {
    if let Some(message) = control.fatal() {
        return Err(WorkerError::Sink(message));
    }
    source.commit(positions)?;
    Ok(())
}

/// Runs one worker until stopped (or idle, or failed).
pub fn run_worker<W, R>(
    worker: &mut Worker,
    settings: DataflowSettings,
    looping: &LoopSettings,
    control: &Control,
    writer: W,
    mut load_resources: R,
) -> Result<(), WorkerError>
where
    W: EpochWriter,
    R: FnMut() -> Option<BTreeSet<Resource>>,
{
    let (index, peers) = (worker.index(), worker.peers());
    let commit_every = settings.commit_every;
    let mut handles = build(worker, settings, writer);
    let mut source = KafkaSource::open(&looping.source, index, peers)?;
    tracing::info!(worker = index, partitions = ?source.partitions(), "source assigned");

    let (mut replayed, mut buffer) = (Vec::new(), Vec::new());
    source.replay(Duration::from_secs(5), &mut replayed, &mut buffer)?;
    if !replayed.is_empty() {
        tracing::info!(worker = index, records = replayed.len(), "replaying to rebuild state");
    }
    // Epoch 0 is the replay and nothing else: what it rebuilds was archived
    // and published before the restart (see `crate::sink_writer`).
    for record in replayed {
        handles.raw.insert(record);
    }
    handles.raw.advance_to(1);
    handles.resources.advance_to(1);
    let mut resources = BTreeSet::new();
    let mut last_refresh: Option<Instant> = None;
    let mut epoch: Epoch = 1;
    let mut in_flight = InFlight::default();
    let mut idle_since: Option<Instant> = None;
    loop {
        if index == 0 && last_refresh.is_none_or(|t| t.elapsed() >= looping.resource_refresh) {
            if let Some(fresh) = load_resources() {
                for gone in resources.difference(&fresh) {
                    handles.resources.remove(gone.clone());
                }
                for new in fresh.difference(&resources) {
                    handles.resources.insert(new.clone());
                }
                resources = fresh;
            }
            last_refresh = Some(Instant::now());
        }
        let records = buffer.len();
        metrics::counter!("carvrooom_records_consumed_total").increment(records as u64);
        for record in buffer.drain(..) {
            handles.raw.insert(record);
        }
        let started = Instant::now();
        in_flight.cut(epoch, started, is_commit_point(epoch, commit_every).then(|| source.positions()));
        epoch += 1;
        handles.raw.advance_to(epoch);
        handles.resources.advance_to(epoch);
        handles.raw.flush();
        handles.resources.flush();
        // Compute the epoch just cut, while the sinks write at most
        // `WRITE_BEHIND` epochs before it.
        while handles.computed.less_than(&epoch) || handles.probe.less_than(&(epoch - WRITE_BEHIND)) {
            if let Some(message) = control.fatal() {
                return Err(WorkerError::Sink(message));
            }
            worker.step_or_park(Some(Duration::from_millis(1)));
        }
        if let Some(positions) = in_flight.durable(|e| handles.probe.less_equal(e)) {
            commit_unless_failed(&source, &positions, control)?;
        }
        if control.stop.load(Ordering::Relaxed) {
            break;
        }
        // The next epoch is cut one epoch length after this one was: when
        // processing took longer, it takes what has arrived meanwhile at once.
        source.poll(started + looping.epoch, looping.epoch_max_records, &mut buffer)?;
        if let Some(patience) = looping.stop_when_idle {
            if buffer.is_empty() && source.caught_up()? {
                if idle_since.get_or_insert_with(Instant::now).elapsed() >= patience {
                    break;
                }
            } else {
                idle_since = None;
            }
        }
    }
    for record in buffer.drain(..) {
        handles.raw.insert(record);
    }
    let final_positions = source.positions();
    let probe = handles.probe.clone();
    drop(handles);
    while !probe.done() {
        if let Some(message) = control.fatal() {
            return Err(WorkerError::Sink(message));
        }
        worker.step_or_park(Some(Duration::from_millis(1)));
    }
    commit_unless_failed(&source, &final_positions, control)?;
    tracing::info!(worker = index, epochs = epoch, "worker finished");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_flight_epochs_yield_the_positions_of_the_last_durable_commit_point() {
        let at = Instant::now();
        let positions = |offset: i64| BTreeMap::from([(0, offset)]);
        let mut in_flight = InFlight::default();
        in_flight.cut(1, at, None);
        in_flight.cut(2, at, Some(positions(20)));
        in_flight.cut(3, at, Some(positions(30)));
        in_flight.cut(4, at, None);
        assert_eq!(in_flight.durable(|e| *e >= 2), None, "epoch 1 is durable but no commit point");
        assert_eq!(in_flight.durable(|e| *e >= 4), Some(positions(30)), "the later of two commit points");
        assert_eq!(in_flight.durable(|e| *e >= 4), None, "each epoch is reported once");
        assert_eq!(in_flight.durable(|e| *e >= 5), None);
        assert!(in_flight.0.is_empty());
    }
}
