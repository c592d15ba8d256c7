//! criterion micro-benches of the sinks' pure work (`sinks::<name>`), with
//! `Throughput::Elements` = the batch's accepted messages. The batch is the
//! dataflow's output for one epoch in which every vehicle sent a message,
//! built outside the timed part.

// criterion_group! generates an undocumented `pub fn`.
#![allow(missing_docs)]

use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use benches::stage::{Epochs, capture};
use benches::workload::Workload;
use operators::degrade::{DegradeSetup, degrade};
use operators::finality::Finality;
use operators::gate::{GateConfig, gate};
use operators::health::{HealthConfig, health};
use operators::latest::latest;
use schemas::{HealthRow, Reading, Telemetry};
use sinks::ResultBatch;
use sinks::kafka::events_for;

/// 2,000 vehicles × 20 one-minute messages, one round per epoch; the last epoch's results.
fn last_epoch() -> ResultBatch {
    let w = Workload {
        vehicles: 2_000,
        period_ms: 60_000,
        messages_per_vehicle: 20,
        degrading: 0.1,
        seed: 9,
        partitions: 1,
    };
    let messages: Epochs<Telemetry> =
        (0..w.messages_per_vehicle).map(|r| w.round(r).into_iter().map(|m| (m, 1)).collect()).collect();
    let finality = Finality::default();
    let readings: Epochs<Reading> = capture(messages, move |m| latest(gate(m, GateConfig::default()).0, finality));
    let rows: Epochs<HealthRow> = capture(readings.clone(), move |r| {
        degrade(health(r, HealthConfig::default(), finality), DegradeSetup::default(), finality).0
    });
    // Sorted, as the sink operator consolidates every batch.
    let mut readings: Vec<Reading> = last(readings).into_iter().filter(|(_, diff)| *diff > 0).map(|(r, _)| r).collect();
    readings.sort();
    let mut health = last(rows);
    health.sort();
    ResultBatch { readings, health, ..ResultBatch::default() }
}

fn last<D>(epochs: Epochs<D>) -> Vec<(D, operators::Diff)> {
    epochs.into_iter().last().unwrap_or_default()
}

/// The events of one batch, each encoded as the publisher sends it.
fn events(c: &mut Criterion) {
    let batch = last_epoch();
    let messages = batch.readings.iter().map(|r| (&r.vehicle_id, r.pos)).collect::<BTreeSet<_>>().len();
    let mut group = c.benchmark_group("sinks::events");
    group.throughput(Throughput::Elements(messages as u64));
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    group.bench_function("one_message_per_vehicle", |b| {
        b.iter(|| {
            let encoded: Vec<Vec<u8>> =
                events_for(black_box(&batch)).iter().map(|e| serde_json::to_vec(e).unwrap_or_default()).collect();
            black_box(encoded)
        });
    });
    group.finish();
}

criterion_group!(benches, events);
criterion_main!(benches);
