//! End to end on real parts: Apache Kafka (KRaft) and PostgreSQL started by
//! `scripts/test`, the `carvrooom` binary as a child process, results checked
//! with SQL, the archive read back by DuckDB and pyarrow, events consumed
//! back from their topics, and the API answering over HTTP.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use serde_json::json;

use common::{create_topic, fresh_database, produce, python_check, rows, run_args, run_to_end, service, unique};
use operators::decode::can::CanDecoder;
use schemas::{EventKind, Signal, Wheel};

const T0: &str = "2026-11-20T00:00:00Z";

fn t(minutes: i64) -> String {
    let base: DateTime<Utc> = T0.parse().expect("T0 parses");
    (base + chrono::Duration::minutes(minutes)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn keyed(key: &str, body: serde_json::Value) -> (Option<String>, String) {
    (Some(key.to_string()), body.to_string())
}

fn brake(minutes: i64, wear: f64, odometer: f64) -> (Option<String>, String) {
    keyed(
        "veh-brake",
        json!({"vehicle_id": "veh-brake", "fleet_id": "f1", "ts": t(minutes), "odometer_km": odometer,
               "signals": {"Vehicle.Chassis.Axle.Row1.Wheel.Left.Brake.PadWear": wear}}),
    )
}

/// The first phase: three formats, every kind of dead letter, a brake that
/// turns critical, and a truck that uploads six hours of buffered readings.
fn phase_one() -> Vec<(Option<String>, String)> {
    let can = CanDecoder::carvrooom().expect("built-in DBC");
    let frames = can
        .encode(&[
            (Signal::TirePressure(Wheel::FrontLeft), 236.0),
            (Signal::TirePressure(Wheel::FrontRight), 238.0),
            (Signal::TirePressure(Wheel::RearLeft), 240.0),
            (Signal::TirePressure(Wheel::RearRight), 232.0),
            (Signal::BatteryVoltage, 12.6),
        ])
        .expect("encodes");
    let mut records = vec![
        brake(1, 10.0, 1000.0),
        keyed(
            "veh-offline",
            json!({"vehicle_id": "veh-offline", "fleet_id": "f2", "ts": t(0),
                                    "signals": {"Vehicle.Powertrain.Transmission.Temperature": 85.0}}),
        ),
        brake(11, 62.5, 1010.0),
        (Some("veh-x".into()), "not json".into()),
        keyed("veh-2", json!({"vehicle_id": "veh-3", "ts": t(5), "signals": {"Vehicle.Speed": 10.0}})),
        keyed(
            "veh-obd",
            json!({"vehicle_id": "veh-obd", "fleet_id": "f1", "ts": t(3),
                                "obd": ["41 05 7B", "41 5C 82", "43 01 04"]}),
        ),
        keyed("veh-can", json!({"vehicle_id": "veh-can", "fleet_id": "f1", "ts": t(4), "can": frames})),
        brake(21, 88.75, 1020.0),
    ];
    // Six hours offline, then the buffer arrives at once, in event-time order.
    for minutes in (10..=360).step_by(10) {
        records.push(keyed(
            "veh-offline",
            json!({"vehicle_id": "veh-offline", "fleet_id": "f2", "ts": t(minutes),
                   "signals": {"Vehicle.Powertrain.Transmission.Temperature": 85.0}}),
        ));
    }
    // Behind the truck's newest reading by more than the 1 h horizon: too late.
    records.push(keyed(
        "veh-offline",
        json!({"vehicle_id": "veh-offline", "fleet_id": "f2", "ts": t(15),
               "signals": {"Vehicle.Powertrain.Transmission.Temperature": 85.0}}),
    ));
    // A day after its append time: future.
    let tomorrow = (Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    records.push(keyed("veh-obd", json!({"vehicle_id": "veh-obd", "ts": tomorrow, "signals": {"Vehicle.Speed": 1.0}})));
    records
}

/// Every JSON record of `topic`, read from the beginning until it has been quiet for 4 s.
fn consume_all(brokers: &str, topic: &str) -> Vec<serde_json::Value> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", unique("reader"))
        .set("auto.offset.reset", "earliest")
        .create()
        .expect("consumer");
    consumer.subscribe(&[topic]).expect("subscribe");
    let mut out = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let mut quiet_since = std::time::Instant::now();
    while std::time::Instant::now() < deadline && quiet_since.elapsed() < Duration::from_secs(4) {
        if let Some(Ok(m)) = consumer.poll(Duration::from_millis(200)) {
            // The raw topic also holds the deliberately malformed record.
            if let Ok(value) = serde_json::from_slice(m.payload().unwrap_or_default()) {
                out.push(value);
            }
            quiet_since = std::time::Instant::now();
        }
    }
    out
}

/// The partition count of every topic on the cluster. Listing them all asks
/// for no topic by name, so nothing is auto-created by asking.
fn topic_partitions(brokers: &str) -> BTreeMap<String, usize> {
    let consumer: BaseConsumer = ClientConfig::new().set("bootstrap.servers", brokers).create().expect("consumer");
    let metadata = consumer.fetch_metadata(None, Duration::from_secs(10)).expect("metadata");
    metadata.topics().iter().map(|t| (t.name().to_string(), t.partitions().len())).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn kafka_to_postgres_parquet_events_and_corrections() {
    let (Some(brokers), Some(base_url)) = (service("KAFKA_BROKERS"), service("DATABASE_URL")) else { return };
    let topic = unique("telemetry");
    create_topic(&brokers, &topic, 2).await;
    let db = fresh_database(&base_url).await;
    let archive = tempfile::tempdir().expect("temp dir");
    let group = unique("group");
    let mut args = run_args(&brokers, &topic, &group, &db, archive.path());
    let events_prefix = format!("{topic}.");
    args.push(format!("--event-topic-prefix={events_prefix}"));
    args.push("--topic-partitions=3".into());

    let first = phase_one();
    produce(&brokers, &topic, &first).await;
    run_to_end(&args);

    // Every event topic was created at start-up with `--topic-partitions`
    // (the broker would auto-create with 4), even those no event needed yet.
    let event_topics = EventKind::ALL.iter().map(|kind| kind.topic()).chain(["vehicle.telemetry.dlq"]);
    let partitions = topic_partitions(&brokers);
    for name in event_topics {
        assert_eq!(partitions.get(&format!("{events_prefix}{name}")), Some(&3), "{name}");
    }

    let letters =
        rows(&db, "SELECT reason, coalesce(vehicle_id, '∅') FROM ingestion.dead_letters ORDER BY reason").await;
    assert_eq!(letters, ["future|veh-obd", "key_mismatch|veh-3", "malformed|∅", "too_late|veh-offline"]);

    let brakes = rows(
        &db,
        "SELECT to_char(ts AT TIME ZONE 'UTC', 'HH24:MI'), score::text, band FROM health.component_health_history \
         WHERE vehicle_id = 'veh-brake' AND component = 'brakes' ORDER BY ts",
    )
    .await;
    assert_eq!(brakes, ["00:10|100|healthy", "00:20|70|watch", "00:30|35|critical"]);

    let alerts = rows(&db, "SELECT vehicle_id, component, severity, state FROM alert.alerts ORDER BY alert_id").await;
    assert_eq!(alerts, ["veh-brake|brakes|critical|open"]);
    let decisions = rows(&db, "SELECT vehicle_id, action FROM agent.decisions").await;
    assert_eq!(decisions, ["veh-brake|replace_brake_pads"]);

    // The six-hours-buffered upload is scored at its own event times: 37 windows, none too late.
    let offline = rows(
        &db,
        "SELECT count(*)::text, to_char(min(ts) AT TIME ZONE 'UTC', 'HH24:MI'), to_char(max(ts) AT TIME ZONE 'UTC', 'DD HH24:MI') \
         FROM health.component_health_history WHERE vehicle_id = 'veh-offline'",
    )
    .await;
    assert_eq!(offline, ["37|00:10|20 06:10"]);

    let formats = rows(
        &db,
        "SELECT vehicle_id, component, score::text FROM health.component_health_history \
         WHERE vehicle_id IN ('veh-obd', 'veh-can') ORDER BY vehicle_id, component",
    )
    .await;
    assert_eq!(formats, ["veh-can|battery|100", "veh-can|tires|100", "veh-obd|cooling|100", "veh-obd|engine|85"]);

    let vehicles = rows(&db, "SELECT vehicle_id, fleet_id FROM analytics.vehicles ORDER BY vehicle_id").await;
    assert_eq!(vehicles, ["veh-brake|f1", "veh-can|f1", "veh-obd|f1", "veh-offline|f2"]);

    let created = consume_all(&brokers, &format!("{events_prefix}alert.created"));
    assert_eq!(created.len(), 1, "{created:?}");
    let alert_id = created[0]["payload"]["alert_id"].as_str().expect("alert id").to_string();
    assert_eq!(created[0]["schema_version"], 1);

    // Phase two: a correction of the critical reading, after a restart that
    // replays the log to rebuild state. The alert no longer holds.
    produce(&brokers, &topic, &[brake(21, 58.75, 1020.0)]).await;
    run_to_end(&args);
    let alerts = rows(&db, "SELECT alert_id, state FROM alert.alerts").await;
    assert_eq!(alerts, [format!("{alert_id}|withdrawn")]);
    let brakes = rows(
        &db,
        "SELECT score::text, band FROM health.component_health_history WHERE vehicle_id = 'veh-brake' ORDER BY ts",
    )
    .await;
    assert_eq!(brakes, ["100|healthy", "70|watch", "75|watch"]);
    let withdrawn = consume_all(&brokers, &format!("{events_prefix}alert.withdrawn"));
    assert_eq!(withdrawn.len(), 1, "{withdrawn:?}");
    assert_eq!(withdrawn[0]["payload"]["alert_id"], alert_id.as_str());
    // The replay wrote nothing twice.
    let letters = rows(&db, "SELECT count(*)::text FROM ingestion.dead_letters").await;
    assert_eq!(letters, ["4"]);

    let claim_id = api_answers_and_ingests_over_http(&brokers, &topic, &db, &alert_id).await;

    let raw_count = first.len() + 1;
    python_check(
        archive.path(),
        json!({
            "raw": {"count": raw_count},
            // 3 brake messages × 2 values + 37 offline + 3 OBD + 5 CAN in phase one, 2 in phase two.
            "readings": {"count": 53, "contains": [
                {"vehicle_id": "veh-brake", "signal": "Vehicle.Chassis.Axle.Row1.Wheel.Left.Brake.PadWear", "value": 88.75},
                {"vehicle_id": "veh-brake", "signal": "Vehicle.Chassis.Axle.Row1.Wheel.Left.Brake.PadWear", "value": 58.75},
                {"vehicle_id": "veh-obd", "signal": "Vehicle.Powertrain.CombustionEngine.ECT", "value": 83.0}
            ]},
            // The corrected window appears as a retraction and an insertion.
            "health": {"contains": [
                {"vehicle_id": "veh-brake", "component": "brakes", "score": 35.0, "band": "critical", "diff": 1},
                {"vehicle_id": "veh-brake", "component": "brakes", "score": 35.0, "band": "critical", "diff": -1},
                {"vehicle_id": "veh-brake", "component": "brakes", "score": 75.0, "band": "watch", "diff": 1}
            ]}
        }),
    );

    // The next `carvrooom run` publishes the acknowledgement and the claim's decision, once each.
    let pending = rows(&db, "SELECT status || '|' || (published_at IS NULL)::text FROM warranty.claims").await;
    assert_eq!(pending, ["rejected|true"]);
    run_to_end(&args);
    let rejected = consume_all(&brokers, &format!("{events_prefix}warranty.claim.rejected"));
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!(rejected[0]["payload"]["claim"]["claim_id"], claim_id.as_str());
    let published = rows(&db, "SELECT (published_at IS NOT NULL)::text FROM warranty.claims").await;
    assert_eq!(published, ["true"]);
    let acknowledged = consume_all(&brokers, &format!("{events_prefix}alert.acknowledged"));
    assert_eq!(acknowledged.len(), 1, "{acknowledged:?}");
    assert_eq!(acknowledged[0]["payload"]["alert"]["alert_id"], alert_id.as_str());
    assert_eq!(acknowledged[0]["payload"]["acknowledged_by"], "ann");
}

/// `carvrooom api` over the same database: the results as JSON, and HTTP
/// ingest producing to the raw topic (or refusing bad input with a 4xx).
async fn api_answers_and_ingests_over_http(brokers: &str, topic: &str, db: &str, alert_id: &str) -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
    let mut api = common::spawn(&[
        "api".into(),
        format!("--database-url={db}"),
        format!("--api-addr=127.0.0.1:{port}"),
        format!("--ingest-brokers={brokers}"),
        format!("--ingest-topic={topic}"),
    ]);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the API did not come up");

    let alerts: serde_json::Value = client
        .get(format!("{base}/api/v1/alerts?vehicle_id=veh-brake"))
        .send()
        .await
        .expect("alerts")
        .json()
        .await
        .expect("JSON");
    assert_eq!(alerts["items"].as_array().map(Vec::len), Some(1), "{alerts}");
    assert_eq!(alerts["items"][0]["alert_id"], alert_id);
    assert_eq!(alerts["items"][0]["state"], "withdrawn");

    let history: serde_json::Value = client
        .get(format!("{base}/api/v1/health/veh-brake/history?component=brakes"))
        .send()
        .await
        .expect("history")
        .json()
        .await
        .expect("JSON");
    let scores: Vec<f64> =
        history["items"].as_array().expect("items").iter().filter_map(|r| r["score"].as_f64()).collect();
    assert_eq!(scores, [75.0, 70.0, 100.0], "newest first: {history}");

    let acked = client
        .post(format!("{base}/api/v1/alerts/{alert_id}/acknowledge"))
        .json(&json!({"by": "ann"}))
        .send()
        .await
        .expect("acknowledge");
    assert_eq!(acked.status().as_u16(), 200);

    let bad = client.get(format!("{base}/api/v1/alerts?severity=loud")).send().await.expect("request");
    assert_eq!(bad.status().as_u16(), 400);

    let accepted = client
        .post(format!("{base}/api/v1/telemetry"))
        .json(&json!({"vehicle_id": "veh-http", "ts": t(30), "signals": {"Vehicle.Speed": 42.0}}))
        .send()
        .await
        .expect("ingest");
    assert_eq!(accepted.status().as_u16(), 202);
    let rejected = client
        .post(format!("{base}/api/v1/telemetry"))
        .json(&json!([{"vehicle_id": "veh-http", "ts": "yesterday"}]))
        .send()
        .await
        .expect("ingest");
    assert_eq!(rejected.status().as_u16(), 422);
    let claim_id = warranty_claim_is_decided(&client, &base).await;
    api.kill().expect("stop api");
    let _ = api.wait();

    let raw = consume_all(brokers, topic);
    let http: Vec<_> = raw.iter().filter(|m| m["vehicle_id"] == "veh-http").collect();
    assert_eq!(http.len(), 1, "HTTP ingest produced {http:?}");
    claim_id
}

/// A warranty claim on veh-brake with its odometer rolled back below the
/// telemetry's: rejected at once, stored, and not yet published (the API
/// process publishes nothing; `carvrooom run` does). Returns its id.
async fn warranty_claim_is_decided(client: &reqwest::Client, base: &str) -> String {
    let registered = client
        .post(format!("{base}/api/v1/vehicles"))
        .json(&json!({"vehicle_id": "veh-brake", "fleet_id": "f1", "warranty_start": "2026-01-01"}))
        .send()
        .await
        .expect("register");
    assert!(registered.status().is_success(), "{}", registered.status());
    let failed_ms = (T0.parse::<DateTime<Utc>>().expect("T0") + chrono::Duration::minutes(35)).timestamp_millis();
    let claim = json!({"vehicle_id": "veh-brake", "component": "brakes", "failed_ms": failed_ms, "odometer_km": 500.0,
                       "description": "pads gone", "submitted_by": "owner"});
    let reply = client.post(format!("{base}/api/v1/warranty/claims")).json(&claim).send().await.expect("claim");
    assert_eq!(reply.status().as_u16(), 201);
    let body: serde_json::Value = reply.json().await.expect("JSON");
    assert_eq!(body["status"], "rejected", "{body}");
    assert_eq!(
        body["reason"],
        "rejected: 500 km claimed, but the telemetry recorded 1020 km on 2026-11-20 00:30 UTC, before the failure"
    );
    body["claim_id"].as_str().expect("claim id").to_string()
}
