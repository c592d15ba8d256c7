//! criterion micro-benches, one group per operator (`operators::<name>`),
//! each with `Throughput::Elements` = the stage's input updates. Inputs are
//! built (and upstream stages run) outside the timed part.

// criterion_group! generates an undocumented `pub fn`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use benches::stage::{Epochs, capture, time};
use benches::workload::Workload;
use operators::alert::alerts;
use operators::decode::{CanDecoder, Decoders, decode_record};
use operators::degrade::{DegradeSetup, degrade};
use operators::finality::Finality;
use operators::gate::{GateConfig, gate};
use operators::health::{HealthConfig, WindowScore, health};
use operators::latest::latest;
use operators::schedule::plan;
use operators::schedule::{Resource, Resources, ScheduleConfig};
use schemas::{
    Bay, Component, HealthRow, PartStock, RawRecord, Reading, ServiceJob, Signal, Technician, Telemetry, TelemetryBody,
};

/// 200 vehicles × 60 one-minute messages, epochs of 5 minutes.
fn messages() -> Epochs<Telemetry> {
    let w =
        Workload { vehicles: 200, period_ms: 60_000, messages_per_vehicle: 60, degrading: 0.2, seed: 9, partitions: 1 };
    (0..w.messages_per_vehicle)
        .collect::<Vec<_>>()
        .chunks(5)
        .map(|rounds| rounds.iter().flat_map(|r| w.round(*r)).map(|m| (m, 1)).collect())
        .collect()
}

fn elements<D>(epochs: &Epochs<D>) -> u64 {
    epochs.iter().map(|e| e.len() as u64).sum()
}

fn stage_group<I, O, F>(c: &mut Criterion, name: &str, input: Epochs<I>, build: F)
where
    I: differential_dataflow::ExchangeData + std::hash::Hash + Sync,
    O: differential_dataflow::ExchangeData + std::hash::Hash,
    F: for<'s> Fn(operators::Coll<'s, I>) -> operators::Coll<'s, O> + Send + Sync + Copy + 'static,
{
    let mut group = c.benchmark_group(format!("operators::{name}"));
    group.throughput(Throughput::Elements(elements(&input)));
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    group.bench_function("workload", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| time(input.clone(), build)).sum());
    });
    group.finish();
}

fn dataflow_stages(c: &mut Criterion) {
    let finality = Finality::default();
    let messages = messages();
    let accepted: Epochs<Telemetry> = capture(messages.clone(), |m| gate(m, GateConfig::default()).0);
    let readings: Epochs<Reading> = capture(accepted.clone(), move |m| latest(m, finality));
    let scores: Epochs<WindowScore> = capture(readings.clone(), move |r| health(r, HealthConfig::default(), finality));
    let rows: Epochs<HealthRow> = capture(scores.clone(), move |s| degrade(s, DegradeSetup::default(), finality).0);
    stage_group(c, "gate", messages, |m| gate(m, GateConfig::default()).0);
    stage_group(c, "latest", accepted, move |m| latest(m, finality));
    stage_group(c, "health", readings, move |r| health(r, HealthConfig::default(), finality));
    stage_group(c, "degrade", scores, move |s| degrade(s, DegradeSetup::default(), finality).0);
    stage_group(c, "alert", rows, move |r| alerts(r, finality));
}

/// One raw record per input format, for the decode benches.
fn records() -> Vec<(&'static str, RawRecord)> {
    let record = |payload: String| RawRecord {
        pos: schemas::LogPos { partition: 0, offset: 0 },
        append_ms: 1_767_225_600_000,
        key: Some(b"veh-1".to_vec()),
        payload: payload.into_bytes(),
    };
    let json = r#"{"vehicle_id":"veh-1","ts":1767225600000,"odometer_km":1234.5,"signals":{"Vehicle.Powertrain.CombustionEngine.ECT":91,"Vehicle.Powertrain.CombustionEngine.EOT":96,"Vehicle.Speed":62,"Vehicle.LowVoltageBattery.CurrentVoltage":12.6,"Vehicle.Powertrain.Transmission.Temperature":81}}"#;
    let obd = r#"{"vehicle_id":"veh-1","ts":1767225600000,"obd":["41 05 7B","41 0C 0E 70","41 0D 3E","41 5C 88","43 01 04 80 03 41 23"]}"#;
    let can = CanDecoder::carvrooom()
        .and_then(|d| {
            d.encode(&[(Signal::CoolantTemp, 91.0), (Signal::VehicleSpeed, 62.0), (Signal::BatteryVoltage, 12.6)])
        })
        .map(|frames| {
            let body = TelemetryBody {
                vehicle_id: "veh-1".into(),
                ts: schemas::Timestamp::EpochMs(1_767_225_600_000),
                fleet_id: None,
                odometer_km: None,
                signals: Default::default(),
                obd: Vec::new(),
                can: frames,
            };
            serde_json::to_string(&body).unwrap_or_default()
        })
        .unwrap_or_default();
    vec![("json", record(json.to_string())), ("obd", record(obd.to_string())), ("can", record(can))]
}

fn decode(c: &mut Criterion) {
    let decoders = Decoders { can: CanDecoder::carvrooom().ok() };
    let mut group = c.benchmark_group("operators::normalize");
    group.throughput(Throughput::Elements(1));
    for (name, record) in records() {
        group.bench_function(name, |b| b.iter(|| black_box(decode_record(black_box(&record), &decoders))));
    }
    group.finish();
}

/// 40 jobs over two depots with 5 technicians, 3 bays and parts each.
fn schedule(c: &mut Criterion) {
    use Component::*;
    let day = 86_400_000;
    let now = 20_000 * day;
    let components = [Brakes, Engine, Cooling, Tires];
    let jobs: Vec<ServiceJob> = (0..40)
        .map(|i| ServiceJob {
            fleet_id: "f".into(),
            vehicle_id: format!("v{i:02}"),
            depot: String::new(),
            components: vec![components[i % 4]],
            alert_ids: vec![format!("a{i}")],
            priority: if i % 7 == 0 { 1 } else { 3 },
            deadline_ms: now + (i as i64 % 6) * day,
            ready_ms: now,
        })
        .collect();
    let mut items = Vec::new();
    for (d, depot) in ["main", "north"].into_iter().enumerate() {
        for t in 0..5 {
            items.push(Resource::Technician(Technician {
                technician_id: format!("t{d}{t}"),
                name: format!("T{d}{t}"),
                depot: depot.into(),
                skills: vec![components[t % 4], components[(t + d + 1) % 4]],
                shift_start_hour: 8,
                shift_end_hour: 16,
            }));
        }
        for b in 0..3 {
            items.push(Resource::Bay(Bay { bay_id: format!("b{d}{b}"), depot: depot.into() }));
        }
        for component in components {
            items.push(Resource::Part(PartStock { depot: depot.into(), component, quantity: 12 }));
        }
    }
    let resources = Resources::from_resources(&items);
    let config = ScheduleConfig::default();
    let mut group = c.benchmark_group("operators::schedule");
    group.throughput(Throughput::Elements(jobs.len() as u64));
    group.sample_size(10);
    group.bench_function("plan_40_jobs", |b| b.iter(|| black_box(plan(&jobs, &resources, &config, now))));
    group.finish();
}

criterion_group!(benches, decode, dataflow_stages, schedule);
criterion_main!(benches);
