//! The end-to-end measurement on a real broker and PostgreSQL.
//!
//! A message is visible in Postgres once `ingestion.store_progress` (written
//! in the same transaction as the message's rows) has passed its offset. It
//! is durable everywhere once `carvrooom run` has committed its offset,
//! which happens only after every sink (Postgres, Parquet, events) has
//! durably written the epoch holding it. The pipeline runs as tuned for
//! latency: 40 ms epochs and a commit point (Parquet roll + offset commit)
//! every 5 epochs, so the two differ by what the later sinks take and by up
//! to 200 ms of waiting for the commit point. 40 ms rather than 20: on two
//! cores shared with the broker, Postgres and the load generator, the
//! per-epoch costs of 20 ms epochs left less room to drain a backlog (p99
//! visible within 250 ms in 5 of 7 alternated runs at 40 ms, 2 of 7 at 20).
//!
//! An unmeasured open-loop run first warms up the broker's JVM.
//!
//! * **Saturation:** the whole workload is produced first, then the
//!   pipeline starts; the rate is measured from the first store transaction
//!   to the one that makes the last message visible (start-up and migrations
//!   excluded).
//! * **Open loop:** the pipeline runs first; messages are produced at a
//!   fixed offered rate whatever the pipeline does, each message's delivery
//!   (append) time recorded by the producer's delivery callback; two pollers,
//!   each on its own thread, watch the store's progress and the committed
//!   offsets every 5 ms throughout, and a message's latency is the first poll
//!   that sees it past minus its delivery time. The latencies reported are
//!   those of the steady state: messages delivered after a warm-up at the
//!   same rate, once the fresh pipeline has met every vehicle and the fresh
//!   database holds their rows. The p99 from the first message is reported
//!   beside them (`cold_p99_ms`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::{ClientContext, DefaultClientContext};
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use serde_json::json;

use schemas::{Signal, Telemetry};

use crate::report::E2eResult;
use crate::stats::percentile;
use crate::workload::{READINGS_PER_MESSAGE, Workload};

/// Partitions of the benchmark topics.
const PARTITIONS: i32 = 4;

/// Runs both measurements.
pub fn run(quick: bool, brokers: &str, database_url: &str, bin: &Path) -> anyhow::Result<E2eResult> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        // Enough messages for more than one full epoch (50,000 records at most): the rate is taken from the
        // first store transaction on, so a workload that fits one epoch would leave nothing to time.
        let (vehicles, rounds) = if quick { (500, 160) } else { (2_000, 60) };
        let w = Workload {
            vehicles,
            period_ms: 60_000,
            messages_per_vehicle: rounds,
            degrading: 0.1,
            seed: 11,
            partitions: PARTITIONS,
        };
        let offered = if quick { 50_000.0 } else { 100_000.0 };
        let seconds = if quick { 6.0 } else { 20.0 };
        let warm_up = if quick { 2.0 } else { 5.0 };
        // A freshly started broker's JVM has not compiled its hot paths yet:
        // our first measurement on one had 2–3× the latency of later ones. Warm it up unmeasured.
        open_loop(offered, 0.0, if quick { 2.0 } else { 8.0 }, brokers, database_url, bin).await?;
        let saturated = saturation(w, brokers, database_url, bin).await?;
        let open = open_loop(offered, warm_up, seconds, brokers, database_url, bin).await?;
        let ms = |latencies: &[f64], p: f64| percentile(latencies, p).unwrap_or(f64::NAN);
        Ok(E2eResult {
            readings_per_s: saturated * READINGS_PER_MESSAGE as f64,
            messages_per_s: saturated,
            offered_readings_per_s: offered,
            open_loop_readings_per_s: open.achieved,
            p50_ms: ms(&open.visible, 50.0),
            p99_ms: ms(&open.visible, 99.0),
            cold_p99_ms: ms(&open.visible_from_start, 99.0),
            committed_p50_ms: ms(&open.committed, 50.0),
            committed_p99_ms: ms(&open.committed, 99.0),
        })
    })
}

/// A name no other run uses.
fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{}", std::process::id(), nanos % 1_000_000_000)
}

/// A database made for one measurement.
struct BenchDatabase {
    name: String,
    url: String,
}

/// Creates a fresh database.
async fn fresh_database(base_url: &str) -> anyhow::Result<BenchDatabase> {
    let name = unique("carvrooom_bench");
    let pool = sqlx::PgPool::connect(base_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await?;
    let (prefix, _) = base_url.rsplit_once('/').ok_or_else(|| anyhow::anyhow!("database url has no path"))?;
    Ok(BenchDatabase { url: format!("{prefix}/{name}"), name })
}

/// Drops what one measurement made: its database, its input topic and the
/// event topics named after it, and its Parquet directory. Left behind, the
/// next measurement would share the cores with autovacuum and a broker
/// carrying them.
async fn clean_up(brokers: &str, base_url: &str, db: &BenchDatabase, topic: &str, dir: &Path) -> anyhow::Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    let pool = sqlx::PgPool::connect(base_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.name)))
        .execute(&pool)
        .await?;
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new().set("bootstrap.servers", brokers).create()?;
    let events = format!("{topic}.");
    let metadata = admin.inner().fetch_metadata(None, Duration::from_secs(10))?;
    let ours: Vec<&str> =
        metadata.topics().iter().map(|t| t.name()).filter(|n| *n == topic || n.starts_with(&events)).collect();
    for result in admin.delete_topics(&ours, &AdminOptions::new()).await? {
        result.map_err(|(t, e)| anyhow::anyhow!("delete topic {t}: {e}"))?;
    }
    Ok(())
}

/// Creates a topic with [`PARTITIONS`] partitions.
async fn create_topic(brokers: &str, topic: &str) -> anyhow::Result<()> {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new().set("bootstrap.servers", brokers).create()?;
    let new = NewTopic::new(topic, PARTITIONS, TopicReplication::Fixed(1));
    for result in admin.create_topics([&new], &AdminOptions::new()).await? {
        result.map_err(|(t, e)| anyhow::anyhow!("create topic {t}: {e}"))?;
    }
    Ok(())
}

/// The JSON contract body of a workload message.
pub fn payload(m: &Telemetry) -> String {
    let mut signals = serde_json::Map::new();
    let mut odometer = None;
    for (signal, value) in &m.values {
        if *signal == Signal::Odometer {
            odometer = Some(value.get());
        } else {
            signals.insert(signal.vss_name(), json!(value.get()));
        }
    }
    json!({"vehicle_id": m.vehicle_id, "fleet_id": m.fleet_id, "ts": m.ts_ms, "odometer_km": odometer, "signals": signals})
        .to_string()
}

/// A producer that records when each message was acknowledged.
type ClockedProducer = ThreadedProducer<DeliveryClock>;

fn producer(brokers: &str) -> anyhow::Result<ClockedProducer> {
    Ok(ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("linger.ms", "2")
        .set("queue.buffering.max.messages", "1000000")
        .create_with_context(DeliveryClock::default())?)
}

/// Records when the broker acknowledged each message, on the producer's own
/// polling thread, so the load generator spends no task per message.
#[derive(Default)]
struct DeliveryClock {
    /// `(partition, offset, acknowledged at)` of every delivered message.
    acked: Mutex<Vec<(i32, i64, Instant)>>,
}

impl ClientContext for DeliveryClock {}

impl ProducerContext for DeliveryClock {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _opaque: ()) {
        if let (Ok(message), Ok(mut acked)) = (result, self.acked.lock()) {
            acked.push((message.partition(), message.offset(), Instant::now()));
        }
    }
}

/// Hands one message to the producer (waiting while its queue is full).
async fn enqueue(producer: &ClockedProducer, topic: &str, m: &Telemetry) -> anyhow::Result<()> {
    let body = payload(m);
    loop {
        let record = BaseRecord::to(topic).key(&*m.vehicle_id).payload(&body).partition(m.record.pos.partition);
        match producer.send(record) {
            Ok(()) => return Ok(()),
            Err((e, _)) if e.rdkafka_error_code() == Some(RDKafkaErrorCode::QueueFull) => {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            Err((e, _)) => anyhow::bail!("produce: {e}"),
        }
    }
}

/// Waits for every delivery report, then returns the acknowledged messages.
fn acknowledged(producer: &ClockedProducer) -> anyhow::Result<Vec<(i32, i64, Instant)>> {
    producer.flush(Duration::from_secs(60))?;
    Ok(producer.context().acked.lock().map(|acked| acked.clone()).unwrap_or_default())
}

/// How a benchmark's `carvrooom run` ends.
enum Ending {
    /// It stops by itself once the topic is read to its end and idle for 2 s
    /// (the topic is filled before it starts).
    WhenIdle,
    /// The measurement kills it: it starts before the first message is
    /// produced, so an idle patience could end it before the load begins.
    Killed,
}

/// Starts `carvrooom run` on `topic`.
fn start(
    bin: &Path,
    brokers: &str,
    topic: &str,
    group: &str,
    db: &str,
    dir: &Path,
    ending: Ending,
) -> anyhow::Result<Child> {
    let mut command = Command::new(bin);
    command.args(["run", "--no-api", "--epoch-ms=40", "--commit-every=5"]);
    if let Ending::WhenIdle = ending {
        command.arg("--stop-when-idle-s=2");
    }
    Ok(command
        .arg(format!("--brokers={brokers}"))
        .arg(format!("--topic={topic}"))
        .arg(format!("--group={group}"))
        .arg(format!("--database-url={db}"))
        .arg(format!("--parquet-dir={}", dir.display()))
        .arg(format!("--event-topic-prefix={topic}."))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?)
}

/// Reads the group's committed offsets (next offset to read) per partition.
fn committed(consumer: &BaseConsumer, topic: &str) -> BTreeMap<i32, i64> {
    let mut list = TopicPartitionList::new();
    for p in 0..PARTITIONS {
        list.add_partition(topic, p);
    }
    consumer
        .committed_offsets(list, Duration::from_secs(2))
        .map(|l| {
            l.elements()
                .iter()
                .filter_map(|e| match e.offset() {
                    Offset::Offset(o) => Some((e.partition(), o)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn watcher(brokers: &str, group: &str) -> anyhow::Result<BaseConsumer> {
    Ok(ClientConfig::new().set("bootstrap.servers", brokers).set("group.id", group).create()?)
}

/// Messages per second from the first to the last store transaction, all produced up front.
async fn saturation(w: Workload, brokers: &str, base_url: &str, bin: &Path) -> anyhow::Result<f64> {
    let topic = unique("bench_sat");
    create_topic(brokers, &topic).await?;
    let producer = producer(brokers)?;
    for m in w.all() {
        enqueue(&producer, &topic, &m).await?;
    }
    let acked = acknowledged(&producer)?.len();
    anyhow::ensure!(acked == w.messages(), "produce: {acked} of {} messages acknowledged", w.messages());
    let db = fresh_database(base_url).await?;
    let dir = std::env::temp_dir().join(unique("bench_parquet"));
    let group = unique("bench_group");
    let mut child = start(bin, brokers, &topic, &group, &db.url, &dir, Ending::WhenIdle)?;
    let pool = sqlx::PgPool::connect(&db.url).await?;
    let total = w.messages() as i64;
    let mut first: Option<(Instant, i64)> = None;
    let deadline = Instant::now() + Duration::from_secs(600);
    let last = loop {
        let done: i64 = store_positions(&pool).await.values().sum();
        let now = Instant::now();
        if done > 0 && first.is_none() {
            first = Some((now, done));
        }
        if done >= total {
            break now;
        }
        anyhow::ensure!(now < deadline, "saturation run did not finish in 10 minutes ({done}/{total})");
        if let Ok(Some(status)) = child.try_wait() {
            anyhow::bail!("carvrooom run exited early: {status}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let _ = child.wait();
    pool.close().await;
    clean_up(brokers, base_url, &db, &topic, &dir).await?;
    let (t0, c0) = first.unwrap_or((last, 0));
    Ok((total - c0) as f64 / last.duration_since(t0).as_secs_f64().max(1e-9))
}

/// What an open-loop run measured.
struct OpenLoop {
    /// Readings per second achieved: every measured message over the time
    /// from the end of the warm-up until the last is visible.
    achieved: f64,
    /// Every measured message's append → visible in Postgres, ms.
    visible: Vec<f64>,
    /// Every measured message's append → offset committed (durable in every sink), ms.
    committed: Vec<f64>,
    /// Every message's append → visible in Postgres, warm-up included, ms.
    visible_from_start: Vec<f64>,
}

/// Produces at `offered` readings/s for `warm_up` + `seconds` and measures
/// the latency to the store and to the commit of every message delivered
/// after the warm-up.
async fn open_loop(
    offered: f64,
    warm_up: f64,
    seconds: f64,
    brokers: &str,
    base_url: &str,
    bin: &Path,
) -> anyhow::Result<OpenLoop> {
    let topic = unique("bench_open");
    create_topic(brokers, &topic).await?;
    let db = fresh_database(base_url).await?;
    let dir = std::env::temp_dir().join(unique("bench_parquet"));
    let group = unique("bench_group");
    let mut child = start(bin, brokers, &topic, &group, &db.url, &dir, Ending::Killed)?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let messages_per_s = offered / READINGS_PER_MESSAGE as f64;
    let count = (messages_per_s * (warm_up + seconds)) as usize;
    let vehicles = 2_000;
    let w = Workload {
        vehicles,
        period_ms: 60_000,
        messages_per_vehicle: count.div_ceil(vehicles),
        degrading: 0.1,
        seed: 12,
        partitions: PARTITIONS,
    };
    let producer = producer(brokers)?;
    let store = Watch::start(store_progress(sqlx::PgPool::connect(&db.url).await?));
    let commits = Watch::start(committed_offsets(watcher(brokers, &group)?, topic.clone()));
    let began = Instant::now();
    for (i, m) in w.all().take(count).enumerate() {
        let due = began + Duration::from_secs_f64(i as f64 / messages_per_s);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            tokio::time::sleep(wait).await;
        }
        enqueue(&producer, &topic, &m).await?;
    }
    let delivered = acknowledged(&producer)?;
    if let Ok(Some(status)) = child.try_wait() {
        anyhow::bail!("carvrooom run exited during the open loop: {status}");
    }
    let expected = delivered.len() as i64;
    let committed = commits.until(expected, Duration::from_secs(300)).await;
    let visible = store.until(expected, Duration::from_secs(5)).await;
    let _ = child.kill();
    let _ = child.wait();
    clean_up(brokers, base_url, &db, &topic, &dir).await?;
    // The store watch ran on until the commits caught up: the run ended when the last message became visible.
    let all_visible = visible.iter().find(|(_, c)| c.values().sum::<i64>() >= expected).or(visible.last());
    let finished = all_visible.map(|(t, _)| *t).unwrap_or(began);
    let measured_from = began + Duration::from_secs_f64(warm_up);
    let measured: Vec<_> = delivered.iter().filter(|(_, _, at)| *at >= measured_from).copied().collect();
    Ok(OpenLoop {
        achieved: measured.len() as f64 * READINGS_PER_MESSAGE as f64
            / finished.saturating_duration_since(measured_from).as_secs_f64().max(1e-9),
        visible: latencies(&measured, &visible),
        committed: latencies(&measured, &committed),
        visible_from_start: latencies(&delivered, &visible),
    })
}

/// Each delivered message's time from delivery to the first snapshot that
/// has passed its offset, ms; messages never passed are left out.
fn latencies(delivered: &[(i32, i64, Instant)], seen: &[(Instant, BTreeMap<i32, i64>)]) -> Vec<f64> {
    delivered
        .iter()
        .filter_map(|(p, o, at)| {
            // Positions only grow, so the first snapshot past `o` is found by bisection.
            let first = seen.partition_point(|(_, c)| c.get(p).is_none_or(|next| next <= o));
            let (when, _) = seen.get(first)?;
            Some(when.saturating_duration_since(*at).as_secs_f64() * 1e3)
        })
        .collect()
}

/// Reads the store's progress: per partition, the next offset whose rows are not yet visible.
fn store_progress(pool: sqlx::PgPool) -> impl FnMut() -> BTreeMap<i32, i64> + Send + 'static {
    let runtime = tokio::runtime::Handle::current();
    move || runtime.block_on(store_positions(&pool))
}

/// The store's progress now; nothing before the pipeline has made its tables.
async fn store_positions(pool: &sqlx::PgPool) -> BTreeMap<i32, i64> {
    sqlx::query_as::<_, (i32, i64)>("SELECT kafka_partition, next_offset FROM ingestion.store_progress")
        .fetch_all(pool)
        .await
        .map(|rows| rows.into_iter().collect())
        .unwrap_or_default()
}

/// Reads the group's committed offsets.
fn committed_offsets(consumer: BaseConsumer, topic: String) -> impl FnMut() -> BTreeMap<i32, i64> + Send + 'static {
    move || committed(&consumer, &topic)
}

/// Snapshots of per-partition positions (next offset not yet passed), taken
/// every 5 ms on a thread of its own from before the first message is
/// produced, so a message passing is seen within 5 ms of when it happens.
struct Watch {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Vec<(Instant, BTreeMap<i32, i64>)>>,
    total: Arc<AtomicI64>,
}

impl Watch {
    fn start(mut snapshot: impl FnMut() -> BTreeMap<i32, i64> + Send + 'static) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let total = Arc::new(AtomicI64::new(0));
        let (halt, sum) = (stop.clone(), total.clone());
        let thread = std::thread::spawn(move || {
            let mut seen = Vec::new();
            while !halt.load(Ordering::Relaxed) {
                let c = snapshot();
                sum.store(c.values().sum(), Ordering::Relaxed);
                seen.push((Instant::now(), c));
                std::thread::sleep(Duration::from_millis(5));
            }
            seen
        });
        Self { stop, thread, total }
    }

    /// Waits until `expected` messages are passed (or `patience` runs
    /// out), then stops watching and returns the snapshots in time order.
    async fn until(self, expected: i64, patience: Duration) -> Vec<(Instant, BTreeMap<i32, i64>)> {
        let deadline = Instant::now() + patience;
        while self.total.load(Ordering::Relaxed) < expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or_default()
    }
}
