//! [`WriteBehind`]: runs a worker's sinks as a chain of [`Stage`]s, each on
//! a thread of its own, so the dataflow computes the next epoch while the
//! sinks write this one, and a later stage (the event topics) works on an
//! epoch while an earlier one (the store) writes the next.
//!
//! Jobs reach the first stage in the order the sink operator hands them over,
//! and each stage passes every job on to the next once it has done it, so
//! every sink sees epochs in sequence and a later stage never sees an epoch
//! an earlier one has not written. The last stage publishes how far the chain
//! got; the operator holds its capability there, so offsets are still
//! committed only after their epoch is durable in every sink.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use timely::scheduling::SyncActivator;

use operators::Epoch;
use sinks::ResultBatch;

use crate::write::EpochWriter;

/// One sink stage of a worker: writes each epoch's batch, epochs in order,
/// durable by the next commit point at the latest.
pub trait Stage: Send + 'static {
    /// Writes one epoch's consolidated results (retrying what is retriable).
    fn write(&mut self, epoch: Epoch, batch: &ResultBatch);
    /// Makes everything written so far durable (rolls files, flushes the
    /// store's deferred commits).
    fn commit_point(&mut self, epoch: Epoch);
}

/// One piece of work, passed down the chain of stages.
#[derive(Clone)]
enum Job {
    Write(Epoch, Arc<ResultBatch>),
    CommitPoint(Epoch),
    /// Everything before this epoch has been handed over.
    Handed(Epoch),
    /// Where to signal progress.
    Wake(SyncActivator),
}

/// An [`EpochWriter`] that hands every epoch to a chain of stage threads.
pub struct WriteBehind {
    jobs: Sender<Job>,
    progress: Arc<Progress>,
    handed: Epoch,
}

/// What the stage threads tell the operator.
#[derive(Default)]
struct Progress {
    /// The first epoch not yet durable in every stage.
    durable: AtomicU64,
    /// Set when a stage panicked: nothing more will become durable.
    died: AtomicBool,
}

impl WriteBehind {
    /// Starts one thread per stage, in order; they end when this value is
    /// dropped and every job already handed over is done.
    pub fn start(stages: Vec<Box<dyn Stage>>) -> std::io::Result<WriteBehind> {
        if stages.is_empty() {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "a sink chain needs a stage"));
        }
        let progress = Arc::new(Progress::default());
        let (jobs, mut queue) = channel::<Job>();
        let count = stages.len();
        for (index, stage) in stages.into_iter().enumerate() {
            let (next, next_queue) = channel::<Job>();
            let forward = (index + 1 < count).then_some(next);
            let shared = progress.clone();
            let incoming = std::mem::replace(&mut queue, next_queue);
            std::thread::Builder::new().name(format!("sink-stage-{index}")).spawn(move || {
                let mut wake: Option<SyncActivator> = None;
                let run = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    work(stage, incoming, forward, &shared, &mut wake);
                }));
                if run.is_err() {
                    // Wake the operator so it notices, instead of waiting for epochs never written.
                    shared.died.store(true, Ordering::Release);
                    if let Some(activator) = &wake {
                        let _ = activator.activate();
                    }
                }
            })?;
        }
        Ok(WriteBehind { jobs, progress, handed: 0 })
    }

    /// Hands a job to the first stage. A stage thread only ends on its own
    /// by panicking; [`durable_before`](EpochWriter::durable_before) reports that.
    fn send(&self, job: Job) {
        let _ = self.jobs.send(job);
    }
}

/// One stage's thread: does each job, then passes it to the next stage; the
/// last stage records progress instead.
fn work(
    mut stage: Box<dyn Stage>,
    queue: Receiver<Job>,
    next: Option<Sender<Job>>,
    progress: &Progress,
    wake: &mut Option<SyncActivator>,
) {
    for job in queue {
        match &job {
            Job::Write(epoch, batch) => stage.write(*epoch, batch),
            Job::CommitPoint(epoch) => stage.commit_point(*epoch),
            Job::Wake(activator) => *wake = Some(activator.clone()),
            Job::Handed(handed) if next.is_none() => {
                progress.durable.store(*handed, Ordering::Release);
                // The operator is gone once the dataflow is dropped; nothing to wake then.
                if let Some(activator) = wake {
                    let _ = activator.activate();
                }
            }
            Job::Handed(_) => {}
        }
        if let Some(next) = &next {
            // A later stage that died is reported by its own thread.
            let _ = next.send(job);
        }
    }
}

impl EpochWriter for WriteBehind {
    fn write(&mut self, epoch: Epoch, batch: ResultBatch) {
        self.send(Job::Write(epoch, Arc::new(batch)));
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
            "a sink stage thread died before epoch {durable} was durable"
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

    use super::{Stage, WriteBehind};
    use crate::output::Output;
    use crate::write::write_outputs;

    type Log = Arc<Mutex<Vec<String>>>;

    /// Records what it is asked to do under its name; each write first waits
    /// for a permit when gated, and panics when told to.
    struct Recorder {
        name: &'static str,
        log: Log,
        permits: Option<Mutex<Receiver<()>>>,
        panic_on_write: bool,
    }

    impl Recorder {
        fn new(name: &'static str, log: &Log) -> Recorder {
            Recorder { name, log: log.clone(), permits: None, panic_on_write: false }
        }

        /// Gated: each write waits for a permit from the returned sender.
        fn gated(name: &'static str, log: &Log) -> (Recorder, SyncSender<()>) {
            let (permit, permits) = sync_channel(8);
            (Recorder { permits: Some(Mutex::new(permits)), ..Recorder::new(name, log) }, permit)
        }
    }

    impl Stage for Recorder {
        fn write(&mut self, epoch: Epoch, batch: &ResultBatch) {
            assert!(!self.panic_on_write, "the sink broke");
            if let Some(permits) = &self.permits {
                permits.lock().expect("permits").recv().expect("permit");
            }
            let seen: Vec<&str> = batch.vehicles_seen.iter().map(|(_, v)| v.as_str()).collect();
            self.log.lock().expect("log").push(format!("{} writes {epoch} {seen:?}", self.name));
        }

        fn commit_point(&mut self, epoch: Epoch) {
            self.log.lock().expect("log").push(format!("{} commits {epoch}", self.name));
        }
    }

    fn seen(vehicle: &str) -> Output {
        Output::Seen("f".into(), vehicle.into())
    }

    /// A dataflow writing through a [`WriteBehind`] of `stages`, committing every second epoch.
    fn build(worker: &mut Worker, stages: Vec<Recorder>) -> (InputSession<Epoch, Output, Diff>, ProbeHandle<Epoch>) {
        worker.dataflow::<Epoch, _, _>(move |scope| {
            let (input, outputs) = scope.new_collection::<Output, Diff>();
            let stages = stages.into_iter().map(|s| Box::new(s) as Box<dyn Stage>).collect();
            let writer = WriteBehind::start(stages).expect("threads");
            (input, write_outputs(outputs, writer, 2))
        })
    }

    fn step_until(worker: &mut Worker, mut done: impl FnMut() -> bool) {
        while !done() {
            worker.step_or_park(Some(Duration::from_millis(1)));
        }
    }

    fn entries(log: &Log) -> Vec<String> {
        log.lock().expect("log").clone()
    }

    #[test]
    fn an_epoch_passes_the_probe_only_once_the_thread_has_written_it() {
        let log = Log::default();
        let (recorder, permit) = Recorder::gated("sink", &log);
        let written = log.clone();
        timely::execute_directly(move |worker| {
            let (mut input, probe) = build(worker, vec![recorder]);
            input.insert(seen("a"));
            input.advance_to(1);
            input.flush();
            for _ in 0..200 {
                worker.step();
            }
            assert!(probe.less_equal(&0), "epoch 0 is handed over but not yet written");
            assert!(entries(&written).is_empty());

            permit.send(()).expect("permit");
            step_until(worker, || !probe.less_equal(&0));
            assert_eq!(entries(&written), ["sink writes 0 [\"a\"]", "sink commits 0"]);

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
            entries(&log),
            ["sink writes 0 [\"a\"]", "sink commits 0", "sink writes 1 [\"b\", \"c\"]", "sink commits 2"],
            "in epoch order, commit points after the writes they cover, the last one when the input ends"
        );
    }

    #[test]
    fn the_first_stage_writes_ahead_while_the_second_is_busy_and_the_probe_waits_for_both() {
        let log = Log::default();
        let first = Recorder::new("store", &log);
        let (second, permit) = Recorder::gated("events", &log);
        let written = log.clone();
        timely::execute_directly(move |worker| {
            let (mut input, probe) = build(worker, vec![first, second]);
            let logged = |entry: &str| entries(&written).iter().any(|e| e == entry);
            input.insert(seen("a"));
            input.advance_to(1);
            input.flush();
            step_until(worker, || logged("store commits 0"));
            input.insert(seen("b"));
            input.advance_to(2);
            input.flush();
            step_until(worker, || logged("store writes 1 [\"b\"]"));
            assert!(probe.less_equal(&0), "the second stage has written nothing yet");
            assert!(!entries(&written).iter().any(|e| e.starts_with("events")));

            permit.send(()).expect("permit");
            permit.send(()).expect("permit");
            step_until(worker, || !probe.less_equal(&1));
        });
        assert_eq!(
            entries(&log),
            [
                "store writes 0 [\"a\"]",
                "store commits 0",
                "store writes 1 [\"b\"]",
                "events writes 0 [\"a\"]",
                "events commits 0",
                "events writes 1 [\"b\"]",
                "store commits 2",
                "events commits 2",
            ],
            "the final commit point comes when the dataflow ends with the test"
        );
    }

    #[test]
    fn a_dead_stage_thread_stops_the_worker_instead_of_hanging_it() {
        let log = Log::default();
        let broken = Recorder { panic_on_write: true, ..Recorder::new("events", &log) };
        let stages = vec![Recorder::new("store", &log), broken];
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            timely::execute_directly(move |worker| {
                let (mut input, probe) = build(worker, stages);
                input.insert(seen("a"));
                input.advance_to(1);
                input.flush();
                step_until(worker, || !probe.less_equal(&0));
            })
        }));
        let message = outcome.expect_err("the worker panics");
        let text = message.downcast_ref::<String>().map(String::as_str).unwrap_or_default();
        assert_eq!(text, "a sink stage thread died before epoch 0 was durable");
    }
}
