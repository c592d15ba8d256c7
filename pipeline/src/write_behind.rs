//! [`WriteBehind`]: runs a worker's [`EpochWriter`] on a thread of its own,
//! so the dataflow computes the next epoch while the sinks write this one.
//!
//! Jobs reach the thread in the order the sink operator hands them over and
//! run in that order, so every sink still sees epochs in sequence. The
//! thread publishes how far it got; the operator holds its capability there,
//! so offsets are still committed only after their epoch is durable.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use timely::scheduling::SyncActivator;

use operators::Epoch;
use sinks::ResultBatch;

use crate::write::EpochWriter;

/// One piece of work for the writing thread.
enum Job {
    Write(Epoch, ResultBatch),
    CommitPoint(Epoch),
    /// Everything before this epoch has been handed over.
    Handed(Epoch),
    /// Where to signal progress.
    Wake(SyncActivator),
}

/// An [`EpochWriter`] that forwards to another writer running on its own thread.
pub struct WriteBehind {
    jobs: Sender<Job>,
    progress: Arc<Progress>,
    handed: Epoch,
}

/// What the writing thread tells the operator.
#[derive(Default)]
struct Progress {
    /// The first epoch not yet durable.
    durable: AtomicU64,
    /// Set when the writer panicked: nothing more will become durable.
    died: AtomicBool,
}

impl WriteBehind {
    /// Starts the thread that runs `inner`; it ends when this value is dropped
    /// and every job already handed over is done.
    pub fn start<W: EpochWriter + Send>(inner: W) -> std::io::Result<WriteBehind> {
        let (jobs, queue) = channel::<Job>();
        let progress = Arc::new(Progress::default());
        let shared = progress.clone();
        std::thread::Builder::new().name("sink-writer".into()).spawn(move || {
            let mut wake: Option<SyncActivator> = None;
            let run = std::panic::catch_unwind(AssertUnwindSafe(|| work(inner, queue, &shared, &mut wake)));
            if run.is_err() {
                // Wake the operator so it notices, instead of waiting for epochs never written.
                shared.died.store(true, Ordering::Release);
                if let Some(activator) = &wake {
                    let _ = activator.activate();
                }
            }
        })?;
        Ok(WriteBehind { jobs, progress, handed: 0 })
    }

    /// Hands a job to the thread. The thread only ends on its own by
    /// panicking; [`durable_before`](EpochWriter::durable_before) reports that.
    fn send(&self, job: Job) {
        let _ = self.jobs.send(job);
    }
}

/// The writing thread: runs the jobs in order until the sender is dropped.
fn work<W: EpochWriter>(mut inner: W, queue: Receiver<Job>, progress: &Progress, wake: &mut Option<SyncActivator>) {
    for job in queue {
        match job {
            Job::Write(epoch, batch) => inner.write(epoch, batch),
            Job::CommitPoint(epoch) => inner.commit_point(epoch),
            Job::Wake(activator) => *wake = Some(activator),
            Job::Handed(handed) => {
                progress.durable.store(inner.durable_before(handed), Ordering::Release);
                // The operator is gone once the dataflow is dropped; nothing to wake then.
                if let Some(activator) = wake {
                    let _ = activator.activate();
                }
            }
        }
    }
}

impl EpochWriter for WriteBehind {
    fn write(&mut self, epoch: Epoch, batch: ResultBatch) {
        self.send(Job::Write(epoch, batch));
    }

    fn commit_point(&mut self, epoch: Epoch) {
        self.send(Job::CommitPoint(epoch));
    }

    fn durable_before(&mut self, handed: Epoch) -> Epoch {
        if handed > self.handed {
            self.handed = handed;
            self.send(Job::Handed(handed));
        }
        let durable = self.progress.durable.load(Ordering::Acquire);
        // Stop the worker rather than wait for epochs that will never be written.
        assert!(
            durable >= self.handed || !self.progress.died.load(Ordering::Acquire),
            "the sink-writer thread died before epoch {durable} was durable"
        );
        durable
    }

    fn wake_with(&mut self, activator: SyncActivator) {
        self.send(Job::Wake(activator));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use differential_dataflow::input::{Input, InputSession};
    use timely::dataflow::operators::probe::Handle as ProbeHandle;
    use timely::worker::Worker;

    use operators::{Diff, Epoch};
    use sinks::ResultBatch;

    use super::WriteBehind;
    use crate::output::Output;
    use crate::write::{EpochWriter, write_outputs};

    /// Records what it is asked to do; each write first waits for a permit
    /// when gated, and panics when told to.
    struct Recorder {
        log: Arc<Mutex<Vec<String>>>,
        permits: Option<Mutex<Receiver<()>>>,
        panic_on_write: bool,
    }

    impl EpochWriter for Recorder {
        fn write(&mut self, epoch: Epoch, batch: ResultBatch) {
            assert!(!self.panic_on_write, "the sink broke");
            if let Some(permits) = &self.permits {
                permits.lock().expect("permits").recv().expect("permit");
            }
            let seen: Vec<&str> = batch.vehicles_seen.iter().map(|(_, v)| v.as_str()).collect();
            self.log.lock().expect("log").push(format!("write {epoch} {seen:?}"));
        }

        fn commit_point(&mut self, epoch: Epoch) {
            self.log.lock().expect("log").push(format!("commit {epoch}"));
        }
    }

    fn seen(vehicle: &str) -> Output {
        Output::Seen("f".into(), vehicle.into())
    }

    /// A dataflow writing through a [`WriteBehind`] of `recorder`, committing every second epoch.
    fn build(worker: &mut Worker, recorder: Recorder) -> (InputSession<Epoch, Output, Diff>, ProbeHandle<Epoch>) {
        worker.dataflow::<Epoch, _, _>(move |scope| {
            let (input, outputs) = scope.new_collection::<Output, Diff>();
            let writer = WriteBehind::start(recorder).expect("thread");
            (input, write_outputs(outputs, writer, 2))
        })
    }

    fn step_until(worker: &mut Worker, mut done: impl FnMut() -> bool) {
        while !done() {
            worker.step_or_park(Some(Duration::from_millis(1)));
        }
    }

    #[test]
    fn an_epoch_passes_the_probe_only_once_the_thread_has_written_it() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let (permit, permits): (SyncSender<()>, _) = sync_channel(8);
        let recorder = Recorder { log: log.clone(), permits: Some(Mutex::new(permits)), panic_on_write: false };
        let written = log.clone();
        timely::execute_directly(move |worker| {
            let (mut input, probe) = build(worker, recorder);
            input.insert(seen("a"));
            input.advance_to(1);
            input.flush();
            for _ in 0..200 {
                worker.step();
            }
            assert!(probe.less_equal(&0), "epoch 0 is handed over but not yet written");
            assert!(written.lock().expect("log").is_empty());

            permit.send(()).expect("permit");
            step_until(worker, || !probe.less_equal(&0));
            assert_eq!(*written.lock().expect("log"), ["write 0 [\"a\"]", "commit 0"]);

            input.insert(seen("b"));
            input.insert(seen("c"));
            input.advance_to(2);
            input.flush();
            permit.send(()).expect("permit");
            step_until(worker, || !probe.less_equal(&1));
            drop(input);
            step_until(worker, || probe.done());
        });
        assert_eq!(
            *log.lock().expect("log"),
            ["write 0 [\"a\"]", "commit 0", "write 1 [\"b\", \"c\"]", "commit 2"],
            "in epoch order, commit points after the writes they cover, the last one when the input ends"
        );
    }

    #[test]
    fn a_dead_writer_thread_stops_the_worker_instead_of_hanging_it() {
        let recorder = Recorder { log: Arc::default(), permits: None, panic_on_write: true };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            timely::execute_directly(move |worker| {
                let (mut input, probe) = build(worker, recorder);
                input.insert(seen("a"));
                input.advance_to(1);
                input.flush();
                step_until(worker, || !probe.less_equal(&0));
            })
        }));
        let message = outcome.expect_err("the worker panics");
        let text = message.downcast_ref::<String>().map(String::as_str).unwrap_or_default();
        assert_eq!(text, "the sink-writer thread died before epoch 0 was durable");
    }
}
