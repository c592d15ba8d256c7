//! `carvrooom validate`: checks a configuration and its connectivity the way
//! `vector validate` does, and runs nothing. Each check prints one line.

use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use tokio::runtime::Runtime;

use sinks::Store;
use sinks::postgres::{PgConfig, PgStore};
use sinks::sqlite::{SqliteConfig, SqliteStore};

use crate::app::load_decoders;
use crate::cli::RunArgs;
use crate::cluster::timely_config;

fn report(name: &str, result: anyhow::Result<String>) -> bool {
    match result {
        Ok(detail) => {
            println!("√ {name}: {detail}");
            true
        }
        Err(e) => {
            println!("x {name}: {e:#}");
            false
        }
    }
}

fn check_kafka(args: &RunArgs) -> anyhow::Result<String> {
    let consumer: BaseConsumer = ClientConfig::new().set("bootstrap.servers", &args.brokers).create()?;
    let metadata = consumer.fetch_metadata(Some(&args.topic), Duration::from_secs(10))?;
    let partitions = metadata
        .topics()
        .iter()
        .find(|t| t.name() == args.topic && t.error().is_none())
        .map_or(0, |t| t.partitions().len());
    Ok(format!(
        "{} broker(s) at {}; topic {} has {partitions} partition(s){}",
        metadata.brokers().len(),
        args.brokers,
        args.topic,
        if partitions == 0 { " (run creates it)" } else { "" }
    ))
}

async fn check_store(args: &RunArgs) -> anyhow::Result<String> {
    match &args.store.database_url {
        Some(url) => {
            let store = PgStore::connect(&PgConfig::new(url.clone()))?;
            store.healthcheck().await?;
            Ok("postgres answers".into())
        }
        None => {
            let store = SqliteStore::connect(&SqliteConfig::new(args.store.sqlite_path.clone()));
            store.healthcheck().await?;
            Ok(format!("sqlite file {}", args.store.sqlite_path.display()))
        }
    }
}

fn check_parquet(args: &RunArgs) -> anyhow::Result<String> {
    let Some(dir) = &args.parquet_dir else { return Ok("no archive configured".into()) };
    std::fs::create_dir_all(dir)?;
    let probe = dir.join(".carvrooom-validate");
    std::fs::write(&probe, b"ok")?;
    std::fs::remove_file(&probe)?;
    Ok(format!("{} is writable", dir.display()))
}

/// Runs every check; fails when any check fails.
pub fn run(runtime: &Runtime, args: &RunArgs) -> anyhow::Result<()> {
    let results = [
        report("cluster", timely_config(&args.cluster).map(|c| format!("{:?}", c.communication)).map_err(Into::into)),
        report(
            "dbc",
            load_decoders(args.dbc.as_deref(), args.dbc_map.as_deref()).map(|_| match &args.dbc {
                Some(dbc) => format!("{} decodes", dbc.display()),
                None => "built-in dbc/carvrooom.dbc".to_string(),
            }),
        ),
        report("kafka", check_kafka(args)),
        report("store", runtime.block_on(check_store(args))),
        report("parquet", check_parquet(args)),
    ];
    if results.iter().all(|ok| *ok) {
        println!("configuration is valid");
        Ok(())
    } else {
        anyhow::bail!("configuration has problems (see above)")
    }
}
