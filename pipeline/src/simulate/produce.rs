//! Producing the simulation to Kafka: an idempotent `FutureProducer` keyed
//! by vehicle id, at most [`MAX_IN_FLIGHT`] unacknowledged records, open-loop
//! pacing, a progress bar on a terminal, and the truth file rewritten
//! whenever a fault starts or fails.

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rdkafka::config::ClientConfig;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord};

use super::error::SimulateError;
use super::format::rfc3339;
use super::generate::Simulation;
use super::options::SimulateOptions;
use super::pace::Pacer;
use super::report::SimulateReport;
use super::truth;

/// Most records produced but not yet acknowledged by the broker.
pub const MAX_IN_FLIGHT: usize = 10_000;

/// A message limit above which the progress bar shows a count, not a bar.
const ENDLESS: u64 = 1 << 40;

/// The idempotent producer for `brokers`.
fn producer(brokers: &str) -> Result<FutureProducer, SimulateError> {
    Ok(ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("enable.idempotence", "true")
        .set("acks", "all")
        .set("linger.ms", "5")
        .set("compression.type", "lz4")
        .set("message.timeout.ms", "60000")
        .set("queue.buffering.max.messages", "100000")
        .create()?)
}

/// A bar (or a counter for endless runs) on a terminal; hidden otherwise.
fn progress_bar(options: &SimulateOptions) -> ProgressBar {
    if !options.progress || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match options.message_limit().filter(|n| *n < ENDLESS) {
        Some(n) => (ProgressBar::new(n), "{elapsed_precise} [{wide_bar}] {pos}/{len} msgs {per_sec} {msg}"),
        None => (ProgressBar::new_spinner(), "{elapsed_precise} {spinner} {pos} msgs {per_sec} {msg}"),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// Waits for one record's acknowledgement.
async fn settle((key, delivery): (String, DeliveryFuture)) -> Result<(), SimulateError> {
    match delivery.await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err((source, _))) => Err(SimulateError::Delivery { key, source }),
        Err(_) => Err(SimulateError::DeliveryCanceled),
    }
}

/// Produces the simulation of `options` to Kafka and reports what was sent.
///
/// Each record has the vehicle id as key, the telemetry JSON as value and
/// the simulated send time as timestamp. Returns once every record is
/// acknowledged (and the truth file, if asked for, is written).
pub async fn run(options: &SimulateOptions) -> anyhow::Result<SimulateReport> {
    let mut simulation = Simulation::new(options)?;
    let producer = producer(&options.brokers)?;
    let bar = progress_bar(options);
    let pacer = Pacer::new(options.rate);
    let started = tokio::time::Instant::now();
    let mut in_flight: VecDeque<(String, DeliveryFuture)> = VecDeque::new();
    let mut report = SimulateReport { degrading: simulation.degrading(), ..SimulateReport::default() };
    let mut truth_version = usize::MAX;
    let mut index = 0u64;
    while let Some(message) = simulation.next() {
        if let Some(due) = pacer.due(index) {
            tokio::time::sleep_until(started + due).await;
        }
        index += 1;
        let mut record =
            FutureRecord::to(&options.topic).key(&message.key).payload(&message.payload).timestamp(message.sent_ms);
        loop {
            match producer.send_result(record) {
                Ok(delivery) => {
                    in_flight.push_back((message.key.clone(), delivery));
                    break;
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    record = back;
                    match in_flight.pop_front() {
                        Some(oldest) => settle(oldest).await?,
                        None => tokio::time::sleep(Duration::from_millis(5)).await,
                    }
                }
                Err((e, _)) => return Err(SimulateError::Kafka(e).into()),
            }
        }
        while in_flight.len() >= MAX_IN_FLIGHT {
            if let Some(oldest) = in_flight.pop_front() {
                settle(oldest).await?;
            }
        }
        report.count(&message);
        bar.inc(1);
        if index.is_multiple_of(256) {
            bar.set_message(rfc3339(message.ts_ms));
        }
        if let Some(path) = &options.truth
            && simulation.truth_version() != truth_version
        {
            truth_version = simulation.truth_version();
            truth::write_file(path, &simulation.truth())?;
        }
    }
    for delivery in in_flight {
        settle(delivery).await?;
    }
    let rows = simulation.truth();
    if let Some(path) = &options.truth {
        truth::write_file(path, &rows)?;
    }
    report.faults_started = rows.len();
    report.failures = rows.iter().filter(|r| r.failure_ms.is_some()).count();
    bar.finish_and_clear();
    Ok(report)
}
