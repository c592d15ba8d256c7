//! The `run`, `api`, `simulate` and `evaluate` subcommands.

use std::sync::atomic::Ordering;

use metrics_exporter_prometheus::PrometheusBuilder;
use tokio::runtime::Runtime;

use crate::app::{api_state, load_decoders, shared_sinks, start};
use crate::cli::{ApiArgs, RunArgs};
use crate::simulate::SimulateOptions;
use crate::store::open_store;
use crate::worker::Control;

/// Stops the workers on Ctrl-C or SIGTERM.
pub fn stop_on_signal(runtime: &Runtime, control: &Control) {
    let stop = control.stop.clone();
    runtime.spawn(async move {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate => {}
        }
        tracing::info!("stopping: finishing and committing what was read");
        stop.store(true, Ordering::Relaxed);
    });
}

/// `carvrooom run`: the pipeline plus the API.
pub fn run(runtime: &Runtime, args: &RunArgs) -> anyhow::Result<()> {
    let metrics = PrometheusBuilder::new().install_recorder()?;
    let store = runtime.block_on(open_store(&args.store))?;
    let decoders = load_decoders(args.dbc.as_deref(), args.dbc_map.as_deref())?;
    let sinks = shared_sinks(args, store.clone())?;
    let running = start(args, runtime.handle(), sinks, decoders)?;
    if !args.no_api {
        let state = api_state(store, metrics, Some(&args.brokers), &args.topic, args.jwt_secret.clone())?;
        let addr = args.api_addr;
        runtime.spawn(async move {
            if let Err(e) = api::serve(addr, state, std::future::pending()).await {
                tracing::error!(error = %e, "api stopped");
            }
        });
        eprintln!("api http://{addr}/api/v1  dashboard http://{addr}/");
    }
    stop_on_signal(runtime, &running.control);
    running.workers.join().map_err(|_| anyhow::anyhow!("the worker thread panicked"))?
}

/// `carvrooom api`: only the query API over an existing store.
pub fn api_only(runtime: &Runtime, args: &ApiArgs) -> anyhow::Result<()> {
    let metrics = PrometheusBuilder::new().install_recorder()?;
    let store = runtime.block_on(open_store(&args.store))?;
    let state = api_state(store, metrics, args.ingest_brokers.as_deref(), &args.ingest_topic, args.jwt_secret.clone())?;
    eprintln!("api http://{}/api/v1  dashboard http://{}/", args.api_addr, args.api_addr);
    runtime.block_on(api::serve(args.api_addr, state, async {
        let _ = tokio::signal::ctrl_c().await;
    }))?;
    Ok(())
}

/// `carvrooom simulate`: produce a simulated fleet's telemetry.
pub fn simulate(runtime: &Runtime, options: &SimulateOptions) -> anyhow::Result<()> {
    let report = runtime.block_on(crate::simulate::run(options))?;
    eprintln!("{report}");
    Ok(())
}

/// `carvrooom evaluate`: score the pipeline on a simulated fleet.
pub fn evaluate(args: &crate::evaluate::EvaluateArgs) -> anyhow::Result<()> {
    let report = crate::evaluate::run(args)?;
    tracing::info!(caught_km = report.scores.caught.share_km, "evaluation done");
    Ok(())
}
