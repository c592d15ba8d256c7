//! Whole-simulator tests: determinism, the input contract, ground truth
//! against the generated data, offline bursts and one produce round trip
//! through the in-process mock broker.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::{DateTime, Utc};
use operators::decode::{CanDecoder, Decoders, decode_record};
use schemas::{LogPos, RawRecord, Signal, TelemetryBody, Wheel};

use super::*;

const START: &str = "2026-11-24T00:00:00Z";

fn options(vehicles: usize, messages: u64, seed: u64) -> SimulateOptions {
    SimulateOptions {
        vehicles,
        messages: Some(messages),
        seed,
        start: Some(START.parse::<DateTime<Utc>>().unwrap()),
        progress: false,
        ..SimulateOptions::default()
    }
}

fn decoders() -> Decoders {
    let dbc = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../dbc/carvrooom.dbc")).unwrap();
    let map = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../dbc/carvrooom-vss.toml")).unwrap();
    let can = CanDecoder::from_dbc(
        &operators::decode::dbc_text_from_bytes(&dbc),
        &operators::decode::mapping_from_toml(&map).unwrap(),
    )
    .unwrap();
    Decoders { can: Some(can) }
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let a: Vec<(String, Vec<u8>)> = messages(&options(12, 3_000, 7)).unwrap().collect();
    let b: Vec<(String, Vec<u8>)> = messages(&options(12, 3_000, 7)).unwrap().collect();
    let c: Vec<(String, Vec<u8>)> = messages(&options(12, 3_000, 8)).unwrap().collect();
    assert_eq!(a.len(), 3_000);
    assert_eq!(a, b);
    assert_ne!(a, c);
    let differing = a.iter().zip(&c).filter(|(x, y)| x != y).count();
    assert!(differing > 2_900, "{differing}");
}

#[test]
fn every_message_is_the_contract_and_decodes_without_dead_letters() {
    let decoders = decoders();
    let mut formats = FormatCounts::default();
    let mut report = SimulateReport::default();
    for (offset, message) in (0i64..).zip(Simulation::new(&options(20, 4_000, 3)).unwrap()) {
        let body: TelemetryBody = serde_json::from_slice(&message.payload).unwrap();
        assert_eq!(body.vehicle_id, message.key);
        assert_eq!(body.ts.to_ms(), Ok(message.ts_ms));
        let record = RawRecord {
            pos: LogPos { partition: 0, offset },
            append_ms: message.sent_ms,
            key: Some(message.key.clone().into_bytes()),
            payload: message.payload.clone(),
        };
        let (telemetry, letters) = decode_record(&record, &decoders);
        assert_eq!(letters, vec![], "{}", String::from_utf8_lossy(&message.payload));
        let telemetry = telemetry.unwrap();
        assert_eq!(telemetry.values.len() as u64, message.readings);
        assert_eq!(&*telemetry.fleet_id, body.fleet_id.unwrap());
        formats.add(message.format, 1);
        report.count(&message);
    }
    for n in [formats.json, formats.obd, formats.can] {
        assert!((1_100..1_600).contains(&n), "{formats:?}");
    }
    assert_eq!(report.messages, formats);
    assert!(report.readings.total() > 15 * 4_000);
}

/// The decoded value of `signal` in every message of `vehicle`, by event time.
fn series(all: &[Message], vehicle: &str, signal: Signal) -> BTreeMap<i64, f64> {
    all.iter()
        .filter(|m| m.key == vehicle)
        .map(|m| {
            let body: TelemetryBody = serde_json::from_slice(&m.payload).unwrap();
            (m.ts_ms, body.signals[&signal.vss_name()])
        })
        .collect()
}

#[test]
fn ground_truth_matches_the_degradation_in_the_data() {
    let o = SimulateOptions {
        vehicles: 10,
        fleets: 2,
        messages: None,
        duration: Some("6d".parse().unwrap()),
        horizon: Some("2d".parse().unwrap()),
        degrade_share: 1.0,
        offline_share: 0.0,
        formats: vec![Format::Json],
        ..options(10, 0, 11)
    };
    let mut simulation = Simulation::new(&o).unwrap();
    let all: Vec<Message> = simulation.by_ref().collect();
    assert_eq!(all.len(), 10 * 6 * 1_440);
    let truth = simulation.truth();
    assert_eq!(truth.len(), 10);
    let tick_ms = 60_000;
    let mut failed_modes = Vec::new();
    for row in &truth {
        let failure_ms = row.failure_ms.unwrap_or(i64::MAX);
        assert!(row.onset_ms < failure_ms);
        if row.failure_ms.is_some() {
            failed_modes.push(row.mode);
        }
        match row.mode {
            Mode::PadWear => {
                let worn_first = Wheel::ALL
                    .into_iter()
                    .filter_map(|w| {
                        series(&all, &row.vehicle_id, Signal::PadWear(w))
                            .into_iter()
                            .find(|(_, v)| *v >= 100.0)
                            .map(|(t, _)| t)
                    })
                    .min();
                match (worn_first, row.failure_ms) {
                    (Some(t), Some(f)) => assert!((t - f).abs() <= tick_ms, "{row:?}: worn at {t}"),
                    (None, None) => {}
                    other => panic!("{row:?}: {other:?}"),
                }
            }
            mode => {
                let (signal, margin) = match mode {
                    Mode::CoolingFault => (Signal::CoolantTemp, 3.0),
                    Mode::WeakBattery => (Signal::BatteryVoltage, 0.2),
                    Mode::TransmissionOverheat => (Signal::TransmissionTemp, 4.0),
                    _ => (Signal::TirePressure(Wheel::ALL[0]), 4.0),
                };
                let values: Vec<BTreeMap<i64, f64>> = match mode {
                    Mode::TireLeak => {
                        Wheel::ALL.map(|w| series(&all, &row.vehicle_id, Signal::TirePressure(w))).to_vec()
                    }
                    _ => vec![series(&all, &row.vehicle_id, signal)],
                };
                let threshold = mode.failure_threshold();
                let worse = |v: f64, by: f64| {
                    if mode.failed(threshold + 1.0) { v >= threshold - by } else { v <= threshold + by }
                };
                // Nothing near the threshold before onset; at failure the sensor shows it (within noise).
                for series in &values {
                    assert!(series.range(..row.onset_ms).all(|(_, v)| !worse(*v, margin)), "{row:?}");
                }
                if let Some(f) = row.failure_ms {
                    assert!(
                        values.iter().any(|s| worse(s[&f], margin)),
                        "{row:?}: {:?}",
                        values.iter().map(|s| s[&f]).collect::<Vec<_>>()
                    );
                }
            }
        }
    }
    failed_modes.sort();
    failed_modes.dedup();
    assert_eq!(failed_modes, Mode::ALL.to_vec(), "{truth:#?}");
}

#[test]
fn offline_periods_send_older_readings_in_a_burst_on_reconnect() {
    let o = SimulateOptions { offline_share: 0.5, horizon: Some("1d".parse().unwrap()), ..options(8, 12_000, 5) };
    let all: Vec<Message> = Simulation::new(&o).unwrap().collect();
    let buffered: Vec<usize> = (0..all.len()).filter(|i| all[*i].buffered).collect();
    assert!(buffered.len() > 100, "{}", buffered.len());
    let mut newest_sent = i64::MIN;
    let mut late = 0;
    let mut last_ts: HashMap<&str, i64> = HashMap::new();
    for (i, m) in all.iter().enumerate() {
        // Per vehicle, event time still only moves forward.
        let previous = last_ts.insert(&m.key, m.ts_ms);
        assert!(previous.is_none_or(|p| p < m.ts_ms), "{i}");
        if m.buffered {
            assert!(m.sent_ms - m.ts_ms >= 60_000 && m.ts_ms < newest_sent, "{i}");
            // A burst runs on to the vehicle's current reading, sent at the same time.
            let next = &all[i + 1];
            assert_eq!((&next.key, next.sent_ms), (&m.key, m.sent_ms));
            late += 1;
        } else {
            assert_eq!(m.sent_ms, m.ts_ms);
        }
        newest_sent = newest_sent.max(m.ts_ms);
    }
    assert_eq!(late, buffered.len());
    let longest = all.iter().filter(|m| m.buffered).map(|m| m.sent_ms - m.ts_ms).max().unwrap();
    assert!(longest >= 3_600_000, "{longest}");
}

#[test]
fn a_duration_bounds_simulated_time_and_limits_are_honoured() {
    let o = SimulateOptions {
        messages: None,
        duration: Some("2h".parse().unwrap()),
        offline_share: 0.0,
        ..options(4, 0, 2)
    };
    let all: Vec<Message> = Simulation::new(&o).unwrap().collect();
    assert_eq!(all.len(), 4 * 120);
    let start = START.parse::<DateTime<Utc>>().unwrap().timestamp_millis();
    assert!(all.iter().all(|m| (start..start + 2 * 3_600_000).contains(&m.ts_ms)));
    assert_eq!(messages(&options(3, 17, 2)).unwrap().count(), 17);
    assert!(matches!(messages(&options(0, 17, 2)), Err(SimulateError::Option { option: "vehicles", .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn produces_to_the_mock_broker_keyed_by_vehicle() {
    use rdkafka::Message as _;
    use rdkafka::consumer::{Consumer, StreamConsumer};
    use rdkafka::mocking::MockCluster;

    let cluster = MockCluster::new(1).unwrap();
    cluster.create_topic("sim.test", 3, 1).unwrap();
    let o = SimulateOptions { brokers: cluster.bootstrap_servers(), topic: "sim.test".into(), ..options(6, 200, 9) };
    let report = run(&o).await.unwrap();
    assert_eq!(report.messages.total(), 200);

    let consumer: StreamConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", cluster.bootstrap_servers())
        .set("group.id", format!("sim-test-{}", std::process::id()))
        .set("session.timeout.ms", "6000")
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .create()
        .unwrap();
    consumer.subscribe(&["sim.test"]).unwrap();
    let mut got: Vec<(String, Vec<u8>)> = Vec::new();
    while got.len() < 200 {
        let record = tokio::time::timeout(Duration::from_secs(30), consumer.recv()).await.unwrap().unwrap();
        let key = String::from_utf8(record.key().unwrap().to_vec()).unwrap();
        got.push((key, record.payload().unwrap().to_vec()));
    }
    let mut expected: Vec<(String, Vec<u8>)> = messages(&o).unwrap().collect();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
}

#[test]
fn sparse_reports_keep_the_physics_and_the_truth() {
    let dense = SimulateOptions {
        messages: None,
        duration: Some("3d".parse().unwrap()),
        horizon: Some("2d".parse().unwrap()),
        degrade_share: 1.0,
        offline_share: 0.0,
        ..options(5, 0, 4)
    };
    let sparse = SimulateOptions { report_every: Some("10m".parse().unwrap()), ..dense.clone() };
    let mut a = Simulation::new(&dense).unwrap();
    let mut b = Simulation::new(&sparse).unwrap();
    let a_ts: Vec<(String, i64)> = a.by_ref().map(|m| (m.key, m.ts_ms)).collect();
    let b_ts: Vec<(String, i64)> = b.by_ref().map(|m| (m.key, m.ts_ms)).collect();
    assert_eq!((a_ts.len(), b_ts.len()), (5 * 3 * 1_440, 5 * 3 * 144));
    let start = START.parse::<DateTime<Utc>>().unwrap().timestamp_millis();
    let every_tenth: Vec<(String, i64)> =
        a_ts.into_iter().filter(|(_, ts)| ((ts - start) / 60_000).rem_euclid(10) == 0).collect();
    assert_eq!(every_tenth, b_ts);
    assert_eq!(a.truth(), b.truth());
    assert_eq!(a.planned().len(), 5);
}
