//! `carvrooom demo`: everything embedded, nothing installed. An in-process
//! Kafka-protocol broker (librdkafka's mock cluster) on a loopback port, the
//! simulator producing to it, the pipeline, an SQLite store, a Parquet
//! archive under the demo directory, and the API with its dashboard.

use std::sync::atomic::Ordering;

use clap::Parser;
use metrics_exporter_prometheus::PrometheusBuilder;
use rdkafka::mocking::MockCluster;
use tokio::runtime::Runtime;

use schemas::{Bay, Component, EventKind, PartStock, Technician};
use sinks::Store;

use crate::app::{api_state, load_decoders, shared_sinks, start};
use crate::cli::{Cli, Command, DemoArgs, RunArgs};
use crate::commands::stop_on_signal;
use crate::simulate::SimulateOptions;
use crate::store::open_store;

/// Topics the demo broker starts with: the raw topic, the dead-letter topic
/// and every event topic (the mock cluster has no admin API).
fn demo_topics() -> Vec<(&'static str, i32)> {
    let mut topics = vec![("vehicle.telemetry.raw", 4), ("vehicle.telemetry.dlq", 1)];
    topics.extend(EventKind::ALL.iter().map(|k| (k.topic(), 1)));
    topics
}

fn parse_sub(args: Vec<String>) -> anyhow::Result<Command> {
    Ok(Cli::try_parse_from(args)?.command)
}

fn run_args(broker: &str, demo: &DemoArgs) -> anyhow::Result<RunArgs> {
    let dir = demo.dir.display();
    match parse_sub(vec![
        "carvrooom".into(),
        "run".into(),
        format!("--brokers={broker}"),
        format!("--sqlite-path={dir}/carvrooom.db"),
        format!("--parquet-dir={dir}/archive"),
        format!("--api-addr={}", demo.api_addr),
        "--schedule-debounce-s=2".into(),
    ])? {
        Command::Run(args) => Ok(args),
        _ => anyhow::bail!("internal: demo run arguments did not parse as run"),
    }
}

fn simulate_options(broker: &str, demo: &DemoArgs) -> anyhow::Result<SimulateOptions> {
    match parse_sub(vec![
        "carvrooom".into(),
        "simulate".into(),
        format!("--brokers={broker}"),
        format!("--vehicles={}", demo.vehicles),
        format!("--rate={}", demo.rate),
        format!("--seed={}", demo.seed),
        format!("--messages={}", if demo.messages == 0 { u64::MAX / 2 } else { demo.messages }),
        format!("--truth={}/ground-truth.csv", demo.dir.display()),
        "--progress=false".into(),
    ])? {
        Command::Simulate(options) => Ok(options),
        _ => anyhow::bail!("internal: demo simulate arguments did not parse as simulate"),
    }
}

/// A small depot so the scheduler has someone to book: three technicians,
/// two bays and a few parts kits per component. Only added to an empty store.
async fn seed_depot(store: &dyn Store, depot: &str) -> anyhow::Result<()> {
    if !store.resources().await?.technicians.is_empty() {
        return Ok(());
    }
    let technicians = [
        ("tech-ana", "Ana", vec![Component::Engine, Component::Cooling, Component::Transmission], 6, 14),
        ("tech-ben", "Ben", vec![Component::Brakes, Component::Tires, Component::Battery], 6, 14),
        ("tech-chloe", "Chloé", Component::ALL.to_vec(), 14, 22),
    ];
    for (id, name, skills, start, end) in technicians {
        store
            .upsert_technician(&Technician {
                technician_id: id.into(),
                name: name.into(),
                depot: depot.into(),
                skills,
                shift_start_hour: start,
                shift_end_hour: end,
            })
            .await?;
    }
    for bay in ["bay-1", "bay-2"] {
        store.upsert_bay(&Bay { bay_id: bay.into(), depot: depot.into() }).await?;
    }
    for component in Component::ALL {
        store.upsert_part_stock(&PartStock { depot: depot.into(), component, quantity: 6 }).await?;
    }
    Ok(())
}

/// Runs the demo until interrupted (or until its messages are processed).
pub fn run(runtime: &Runtime, demo: &DemoArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&demo.dir)?;
    let cluster = MockCluster::new(1)?;
    for (topic, partitions) in demo_topics() {
        cluster.create_topic(topic, partitions, 1)?;
    }
    let broker = cluster.bootstrap_servers();
    println!("broker {broker}");

    let mut args = run_args(&broker, demo)?;
    if demo.messages > 0 {
        args.stop_when_idle_s = Some(5);
    }
    let metrics = PrometheusBuilder::new().install_recorder()?;
    let store = runtime.block_on(open_store(&args.store))?;
    runtime.block_on(seed_depot(store.as_ref(), &args.default_depot))?;
    let decoders = load_decoders(args.dbc.as_deref(), args.dbc_map.as_deref())?;
    let sinks = shared_sinks(&args, store.clone())?;
    let running = start(&args, runtime.handle(), sinks, decoders)?;

    let state = api_state(store, metrics, Some(&broker), &args.topic, None)?;
    let addr = args.api_addr;
    runtime.spawn(async move {
        if let Err(e) = api::serve(addr, state, std::future::pending()).await {
            tracing::error!(error = %e, "api stopped");
        }
    });
    println!("dashboard http://{addr}/");
    println!("api       http://{addr}/api/v1  (OpenAPI: http://{addr}/openapi.json, metrics: http://{addr}/metrics)");
    println!("archive   {}/archive  (SQLite: {}/carvrooom.db)", demo.dir.display(), demo.dir.display());
    println!(
        "produce   kcat -P -b {broker} -t vehicle.telemetry.raw -K: <<< 'veh-1:{{\"vehicle_id\":\"veh-1\",\"ts\":\"2026-11-24T10:00:00Z\",\"signals\":{{\"Vehicle.Speed\":50}}}}'"
    );

    let options = simulate_options(&broker, demo)?;
    let stop = running.control.stop.clone();
    let endless = demo.messages == 0;
    runtime.spawn(async move {
        match crate::simulate::run(&options).await {
            Ok(report) => tracing::info!(%report, "simulator finished"),
            Err(e) => {
                tracing::error!(error = %e, "simulator failed");
                if endless {
                    stop.store(true, Ordering::Relaxed);
                }
            }
        }
    });
    stop_on_signal(runtime, &running.control);
    let result = running.workers.join().map_err(|_| anyhow::anyhow!("the worker thread panicked"))?;
    drop(cluster);
    result
}
