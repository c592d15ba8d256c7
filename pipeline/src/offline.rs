//! Offline runs: records from memory through the same dataflow as
//! `carvrooom run` ([`crate::dataflow::build`]), on one timely worker in
//! this thread, with no Kafka and no database.
//!
//! The input is cut into epochs of a fixed number of records, as the Kafka
//! source cuts its reads; each record gets partition 0 and the next offset,
//! so ties between re-sent readings break by input order. What the sink
//! operator writes goes to an [`Absorb`]er instead of the stores: the
//! [`Collector`] consolidates every result (summing diffs per value), an
//! evaluation can fold them into something smaller as they arrive.
//!
//! ```text
//! (key, payload, append_ms) ─► epochs ─► dataflow::build ─► Absorb (Collector: final rows, alerts, …)
//! ```

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use timely::communication::Allocator;
use timely::communication::allocator::thread::Thread;
use timely::worker::{Config as WorkerConfig, Worker};

use operators::decode::Decoders;
use operators::degrade::{DegradeConfig, DegradeSetup};
use operators::gate::GateConfig;
use operators::health::HealthConfig;
use operators::prognostics::ModelSlot;
use operators::schedule::ScheduleConfig;
use operators::{Diff, Epoch};
use schemas::{Alert, Appointment, DeadLetter, Decision, HealthRow, LogPos, RawRecord, Transition};
use sinks::ResultBatch;

use crate::dataflow::{DataflowSettings, build};
use crate::output::Output;
use crate::write::EpochWriter;

/// One input record, as the Kafka source would read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfflineRecord {
    /// Record key (the vehicle id).
    pub key: String,
    /// Record value (the telemetry JSON).
    pub payload: Vec<u8>,
    /// Kafka append time, ms (the gate's reference for "future" readings).
    pub append_ms: i64,
}

impl OfflineRecord {
    /// The raw record the Kafka source would hand over for it at `offset` of partition 0.
    pub fn into_raw(self, offset: u64) -> RawRecord {
        RawRecord {
            pos: LogPos { partition: 0, offset: i64::try_from(offset).unwrap_or(i64::MAX) },
            append_ms: self.append_ms,
            key: Some(self.key.into_bytes()),
            payload: self.payload,
        }
    }
}

/// How the input is cut and what is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OfflineOptions {
    /// Records per epoch (at least one).
    pub records_per_epoch: usize,
    /// Keep every change of a health row, transition, alert, decision or
    /// appointment with its epoch (in [`OfflineRun::changes`]).
    pub keep_changes: bool,
}

impl Default for OfflineOptions {
    /// 10 000 records per epoch, no change log.
    fn default() -> Self {
        OfflineOptions { records_per_epoch: 10_000, keep_changes: false }
    }
}

/// The operator settings `carvrooom run` uses by default, with `decoders`
/// and the trained model in `model` (rules-v3 when it is empty).
pub fn default_settings(decoders: Decoders, model: ModelSlot) -> DataflowSettings {
    DataflowSettings {
        decoders: Arc::new(decoders),
        gate: GateConfig::default(),
        health: HealthConfig::default(),
        degrade: DegradeSetup { config: DegradeConfig::default(), model },
        schedule: ScheduleConfig::default(),
        commit_every: 20,
    }
}

/// Receives what the sink operator writes, one epoch at a time, in epoch order.
pub trait Absorb: Default + 'static {
    /// Takes one epoch's consolidated results.
    fn absorb(&mut self, epoch: Epoch, batch: ResultBatch);
}

/// Counts of one offline run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    /// Records fed.
    pub records: u64,
    /// Epochs the input was cut into.
    pub epochs: u64,
    /// Wall-clock time of the run, ms.
    pub elapsed_ms: u64,
}

/// Runs `records` through the dataflow built with `settings`, one epoch of
/// `options.records_per_epoch` records at a time, and returns what
/// `absorber` made of the results once every epoch is written.
pub fn run_into<A: Absorb>(
    records: impl IntoIterator<Item = OfflineRecord>,
    settings: DataflowSettings,
    options: OfflineOptions,
    absorber: A,
) -> (A, RunCounts) {
    let started = Instant::now();
    let mut worker = Worker::new(WorkerConfig::default(), Allocator::Thread(Thread::default()), Some(started));
    let shared = Rc::new(RefCell::new(absorber));
    let mut handles = build(&mut worker, settings, Shared(shared.clone()));
    let per_epoch = options.records_per_epoch.max(1);
    let mut counts = RunCounts::default();
    let mut epoch: Epoch = 0;
    let mut in_epoch = 0;
    for record in records {
        handles.raw.insert(record.into_raw(counts.records));
        counts.records += 1;
        in_epoch += 1;
        if in_epoch == per_epoch {
            epoch += 1;
            in_epoch = 0;
            handles.raw.advance_to(epoch);
            handles.resources.advance_to(epoch);
            handles.raw.flush();
            handles.resources.flush();
            while handles.probe.less_than(&epoch) {
                worker.step();
            }
        }
    }
    if in_epoch > 0 {
        epoch += 1;
    }
    let probe = handles.probe.clone();
    drop(handles);
    while !probe.done() {
        worker.step();
    }
    counts.epochs = epoch;
    counts.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let absorbed = std::mem::take(&mut *shared.borrow_mut());
    (absorbed, counts)
}

/// Runs `records` through the dataflow and collects every result (see [`Collector`]).
pub fn run(
    records: impl IntoIterator<Item = OfflineRecord>,
    settings: DataflowSettings,
    options: OfflineOptions,
) -> OfflineRun {
    let (collector, counts) = run_into(records, settings, options, Collector::new(options.keep_changes));
    OfflineRun { counts, ..collector.finish() }
}

/// The final results of an offline run: every retractable output
/// consolidated (values whose diffs sum to zero dropped), in sorted order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OfflineRun {
    /// Records, epochs and time.
    pub counts: RunCounts,
    /// Readings accepted (archived by `carvrooom run`; counted here).
    pub readings: u64,
    /// Dead letters, in the order written.
    pub dead_letters: Vec<DeadLetter>,
    /// `(fleet_id, vehicle_id)` of every vehicle seen.
    pub vehicles_seen: BTreeSet<(String, String)>,
    /// Health history.
    pub health: Vec<HealthRow>,
    /// Band transitions.
    pub transitions: Vec<Transition>,
    /// Alerts (the final version of each).
    pub alerts: Vec<Alert>,
    /// Agent decisions.
    pub decisions: Vec<Decision>,
    /// Appointments.
    pub appointments: Vec<Appointment>,
    /// Every change `(epoch, output, diff)` of the retractable outputs, in
    /// epoch order, when [`OfflineOptions::keep_changes`] is set.
    pub changes: Vec<(Epoch, Output, Diff)>,
}

/// Running sums of diffs per value, kept sorted.
#[derive(Debug)]
struct Sums<T: Ord> {
    diffs: BTreeMap<T, Diff>,
}

impl<T: Ord> Default for Sums<T> {
    fn default() -> Self {
        Sums { diffs: BTreeMap::new() }
    }
}

impl<T: Ord + Clone> Sums<T> {
    fn add(&mut self, updates: &[(T, Diff)]) {
        for (value, diff) in updates {
            let sum = self.diffs.entry(value.clone()).or_insert(0);
            *sum += diff;
            if *sum == 0 {
                self.diffs.remove(value);
            }
        }
    }

    /// The values present (positive sum), once per unit of multiplicity.
    fn values(self) -> Vec<T> {
        self.diffs
            .into_iter()
            .flat_map(|(value, diff)| std::iter::repeat_n(value, usize::try_from(diff).unwrap_or(0)))
            .collect()
    }
}

/// An [`Absorb`]er that consolidates every result into an [`OfflineRun`],
/// optionally logging each change with its epoch.
#[derive(Debug, Default)]
pub struct Collector {
    keep_changes: bool,
    readings: u64,
    dead_letters: Vec<DeadLetter>,
    vehicles_seen: BTreeSet<(String, String)>,
    health: Sums<HealthRow>,
    transitions: Sums<Transition>,
    alerts: Sums<Alert>,
    decisions: Sums<Decision>,
    appointments: Sums<Appointment>,
    changes: Vec<(Epoch, Output, Diff)>,
}

impl Collector {
    /// An empty collector; `keep_changes` logs every change with its epoch.
    pub fn new(keep_changes: bool) -> Collector {
        Collector { keep_changes, ..Collector::default() }
    }

    /// The consolidated results (counts left at zero).
    pub fn finish(self) -> OfflineRun {
        OfflineRun {
            counts: RunCounts::default(),
            readings: self.readings,
            dead_letters: self.dead_letters,
            vehicles_seen: self.vehicles_seen,
            health: self.health.values(),
            transitions: self.transitions.values(),
            alerts: self.alerts.values(),
            decisions: self.decisions.values(),
            appointments: self.appointments.values(),
            changes: self.changes,
        }
    }
}

impl Absorb for Collector {
    fn absorb(&mut self, epoch: Epoch, batch: ResultBatch) {
        self.readings += batch.readings.len() as u64;
        self.dead_letters.extend(batch.dead_letters);
        self.vehicles_seen.extend(batch.vehicles_seen);
        if self.keep_changes {
            let log = &mut self.changes;
            log.extend(batch.health.iter().map(|(v, d)| (epoch, Output::Health(v.clone()), *d)));
            log.extend(batch.transitions.iter().map(|(v, d)| (epoch, Output::Transition(v.clone()), *d)));
            log.extend(batch.alerts.iter().map(|(v, d)| (epoch, Output::Alert(v.clone()), *d)));
            log.extend(batch.decisions.iter().map(|(v, d)| (epoch, Output::Decision(v.clone()), *d)));
            log.extend(batch.appointments.iter().map(|(v, d)| (epoch, Output::Appointment(v.clone()), *d)));
        }
        self.health.add(&batch.health);
        self.transitions.add(&batch.transitions);
        self.alerts.add(&batch.alerts);
        self.decisions.add(&batch.decisions);
        self.appointments.add(&batch.appointments);
    }
}

/// The [`EpochWriter`] the sink operator writes through: hands each epoch to the absorber.
struct Shared<A>(Rc<RefCell<A>>);

impl<A: Absorb> EpochWriter for Shared<A> {
    fn write(&mut self, epoch: Epoch, batch: ResultBatch) {
        self.0.borrow_mut().absorb(epoch, batch);
    }

    fn commit_point(&mut self, _epoch: Epoch) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemas::{Band, Component};

    fn record(ts: &str, signals: &str) -> OfflineRecord {
        let payload = format!(
            r#"{{"vehicle_id":"veh-1","fleet_id":"fleet-1","ts":"{ts}","odometer_km":100.0,"signals":{{{signals}}}}}"#
        );
        OfflineRecord { key: "veh-1".into(), payload: payload.into_bytes(), append_ms: 1_795_500_000_000 + 86_400_000 }
    }

    fn input() -> Vec<OfflineRecord> {
        vec![
            record("2026-11-24T06:01:00Z", r#""Vehicle.LowVoltageBattery.CurrentVoltage":12.42"#),
            record("2026-11-24T06:12:00Z", r#""Vehicle.LowVoltageBattery.CurrentVoltage":12.38"#),
            OfflineRecord { key: "veh-1".into(), payload: b"not json".to_vec(), append_ms: 0 },
        ]
    }

    #[test]
    fn records_run_through_the_real_dataflow_into_consolidated_rows() {
        let settings = default_settings(Decoders::default(), ModelSlot::default());
        let run = run(input(), settings.clone(), OfflineOptions { records_per_epoch: 1, keep_changes: true });
        assert_eq!(run.counts.records, 3);
        assert_eq!(run.counts.epochs, 3);
        assert_eq!(run.readings, 4, "voltage and odometer of each message");
        assert_eq!(run.dead_letters.len(), 1);
        assert_eq!(run.vehicles_seen, BTreeSet::from([("fleet-1".to_string(), "veh-1".to_string())]));
        let rows: Vec<(Component, i64, f64, Band)> =
            run.health.iter().map(|h| (h.component, h.ts_ms, h.score.get(), h.band)).collect();
        assert_eq!(
            rows,
            vec![
                (Component::Battery, 1_795_500_600_000, 68.0, Band::Watch),
                (Component::Battery, 1_795_501_200_000, 52.0, Band::Degraded),
            ]
        );
        assert_eq!(run.alerts.len(), 1);
        assert_eq!(run.alerts[0].opened_ms, 1_795_501_200_000);
        // The change log consolidates to the final rows; the first row came in epoch 0.
        assert_eq!(run.changes[0], (0, Output::Health(run.health[0].clone()), 1));
        let mut log = Sums::default();
        log.add(&run.changes.iter().map(|(_, o, d)| (o.clone(), *d)).collect::<Vec<_>>());
        assert_eq!(log.values().iter().filter(|o| matches!(o, Output::Health(_))).count(), 2);
        // How the input is cut into epochs does not change the results.
        let one = run_into(input(), settings, OfflineOptions::default(), Collector::new(false));
        assert_eq!(one.1.epochs, 1);
        let one = one.0.finish();
        assert_eq!((one.health, one.alerts, one.transitions), (run.health, run.alerts, run.transitions));
        assert!(one.changes.is_empty());
    }
}
