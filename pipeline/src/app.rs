//! Starts the pipeline: decoders, sinks, the timely workers on their own
//! threads, the query API and the escalation timer.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::runtime::Handle;

use operators::decode::Decoders;
use operators::decode::can::{CARVROOOM_DBC, CARVROOOM_VSS, CanDecoder, dbc_text_from_bytes, mapping_from_toml};
use operators::degrade::{DegradeConfig, DegradeSetup};
use operators::gate::GateConfig;
use operators::health::HealthConfig;
use operators::prognostics::ModelSlot;
use operators::schedule::{Resource, ScheduleConfig};
use sinks::channels::{ChannelsConfig, Notifier, WebhookConfig};
use sinks::kafka::{EventPublisher, KafkaConfig};
use sinks::parquet::{ParquetArchive, ParquetConfig};
use sinks::{Page, Store};

use crate::cli::RunArgs;
use crate::cluster::timely_config;
use crate::dataflow::DataflowSettings;
use crate::sink_writer::{ArchiveStage, PublishStage, StoreStage};
use crate::source::SourceConfig;
use crate::topics::ensure_topics;
use crate::worker::{Control, LoopSettings, run_worker};
use crate::write_behind::{Stage, WriteBehind};

/// A started pipeline.
pub struct Running {
    /// Stops it.
    pub control: Control,
    /// The thread that runs the timely workers; joins to the first error.
    pub workers: JoinHandle<anyhow::Result<()>>,
}

/// Loads the DBC and its VSS mapping: the files given, else the built-in ones.
pub fn load_decoders(dbc: Option<&Path>, map: Option<&Path>) -> anyhow::Result<Decoders> {
    let (dbc_text, map_text) = match (dbc, map) {
        (Some(dbc), Some(map)) => (
            dbc_text_from_bytes(&std::fs::read(dbc).with_context(|| format!("reading DBC {}", dbc.display()))?),
            std::fs::read_to_string(map).with_context(|| format!("reading DBC mapping {}", map.display()))?,
        ),
        _ => (CARVROOOM_DBC.to_string(), CARVROOOM_VSS.to_string()),
    };
    let mapping = mapping_from_toml(&map_text)?;
    Ok(Decoders { can: Some(CanDecoder::from_dbc(&dbc_text, &mapping)?) })
}

/// The operators' settings from the flags, with the model in `model`.
pub fn dataflow_settings(args: &RunArgs, decoders: Decoders, model: ModelSlot) -> DataflowSettings {
    DataflowSettings {
        decoders: Arc::new(decoders),
        gate: GateConfig { horizon_ms: args.horizon_s * 1000, max_future_ms: args.max_future_s * 1000 },
        health: HealthConfig { window_ms: args.window_s * 1000 },
        degrade: DegradeSetup { config: DegradeConfig::default(), model },
        schedule: ScheduleConfig {
            debounce: Duration::from_secs(args.schedule_debounce_s),
            default_depot: args.default_depot.clone(),
            ..ScheduleConfig::default()
        },
        commit_every: args.commit_every,
    }
}

/// The scheduling resources as the dataflow sees them: technicians, bays,
/// parts stock and every registered vehicle's home depot.
pub async fn load_resources(store: &dyn Store) -> anyhow::Result<BTreeSet<Resource>> {
    let stored = store.resources().await?;
    let mut set: BTreeSet<Resource> = stored
        .technicians
        .into_iter()
        .map(Resource::Technician)
        .chain(stored.bays.into_iter().map(Resource::Bay))
        .chain(stored.parts.into_iter().map(Resource::Part))
        .collect();
    let mut page = Page { offset: 0, limit: 1000 };
    loop {
        let vehicles = store.list_vehicles(None, page).await?;
        let done = (vehicles.len() as i64) < page.limit;
        for v in vehicles {
            if let Some(depot) = v.home_depot {
                set.insert(Resource::HomeDepot { vehicle_id: v.vehicle_id, depot });
            }
        }
        if done {
            return Ok(set);
        }
        page.offset += page.limit;
    }
}

/// Sinks shared by every worker.
#[derive(Clone)]
pub struct SharedSinks {
    /// The store.
    pub store: Arc<dyn Store>,
    /// Event publisher.
    pub events: Option<Arc<EventPublisher>>,
    /// Alert channels.
    pub notifier: Option<Arc<Notifier>>,
}

/// Builds the event publisher and the alert channels the flags ask for.
pub fn shared_sinks(args: &RunArgs, store: Arc<dyn Store>) -> anyhow::Result<SharedSinks> {
    let events = if args.events {
        let config = KafkaConfig { topic_prefix: args.event_topic_prefix.clone(), ..KafkaConfig::new(&args.brokers) };
        Some(Arc::new(EventPublisher::new(config)?))
    } else {
        None
    };
    let channels = ChannelsConfig {
        log: true,
        webhooks: args.alert_webhook.iter().map(|url| WebhookConfig::new(url.clone())).collect(),
    };
    let notifier = Some(Arc::new(Notifier::from_config(&channels)?));
    Ok(SharedSinks { store, events, notifier })
}

/// Starts the workers (and the escalation timer) on `runtime`.
pub fn start(args: &RunArgs, runtime: &Handle, sinks: SharedSinks, decoders: Decoders) -> anyhow::Result<Running> {
    let config = timely_config(&args.cluster)?;
    let mut topics = vec![args.topic.clone()];
    topics.extend(sinks.events.iter().flat_map(|publisher| publisher.topics()));
    runtime.block_on(ensure_topics(&args.brokers, &topics, args.topic_partitions))?;
    let model = ModelSlot::new(match &args.model {
        Some(path) => Some(crate::model_file::load(path)?),
        None => None,
    });
    if let (Some(path), Some(current)) = (&args.model, model.current()) {
        tracing::info!(path = %path.display(), version = %current.version, "model loaded");
        crate::model_file::watch(path.clone(), model.clone(), Duration::from_secs(args.model_poll_s.max(1)))?;
    }
    let settings = dataflow_settings(args, decoders, model);
    let epoch = Duration::from_millis(args.epoch_ms);
    let looping = LoopSettings {
        source: SourceConfig {
            brokers: args.brokers.clone(),
            topic: args.topic.clone(),
            group: args.group.clone(),
            fetch_wait: epoch / 2,
        },
        epoch,
        epoch_max_records: args.epoch_max_records,
        stop_when_idle: args.stop_when_idle_s.map(Duration::from_secs),
        resource_refresh: Duration::from_secs(10),
    };
    let control = Control::default();
    let parquet = args.parquet_dir.clone();
    if let Some(dir) = &parquet {
        let removed = crate::stale::remove_unfinished(dir)?;
        if removed > 0 {
            tracing::info!(removed, "removed unfinished Parquet files of an earlier run");
        }
    }
    runtime.spawn(crate::escalate::escalate_forever(
        sinks.store.clone(),
        sinks.notifier.clone(),
        Duration::from_secs(args.escalate_after_s.max(0) as u64),
        Duration::from_secs(30),
    ));
    if let Some(publisher) = sinks.events.clone() {
        runtime.spawn(crate::outbox::publish_forever(sinks.store.clone(), publisher, Duration::from_secs(5)));
    }
    let worker_control = control.clone();
    let runtime = runtime.clone();
    let workers = std::thread::Builder::new().name("timely".into()).spawn(move || -> anyhow::Result<()> {
        let guards = timely::execute(config, move |worker| {
            let archive = parquet.as_ref().map(|dir| {
                let file_prefix = format!("part-w{}", worker.index());
                ParquetArchive::new(ParquetConfig { file_prefix, ..ParquetConfig::new(dir.clone()) })
            });
            let mut stages: Vec<Box<dyn Stage>> = vec![Box::new(StoreStage {
                runtime: runtime.clone(),
                store: sinks.store.clone(),
                control: worker_control.clone(),
            })];
            if let Some(archive) = archive {
                stages.push(Box::new(ArchiveStage { archive, control: worker_control.clone() }));
            }
            if sinks.events.is_some() || sinks.notifier.is_some() {
                stages.push(Box::new(PublishStage {
                    runtime: runtime.clone(),
                    events: sinks.events.clone(),
                    notifier: sinks.notifier.clone(),
                    control: worker_control.clone(),
                }));
            }
            let store = sinks.store.clone();
            let handle = runtime.clone();
            let load = move || match handle.block_on(load_resources(store.as_ref())) {
                Ok(set) => Some(set),
                Err(e) => {
                    tracing::warn!(error = %e, "loading scheduling resources failed");
                    None
                }
            };
            let writer = WriteBehind::start(stages)?;
            run_worker(worker, settings.clone(), &looping, &worker_control, writer, load).map_err(anyhow::Error::from)
        })
        .map_err(|e| anyhow::anyhow!("starting timely: {e}"))?;
        for result in guards.join() {
            result.map_err(|e| anyhow::anyhow!("worker panicked: {e}"))??;
        }
        Ok(())
    })?;
    Ok(Running { control, workers })
}

/// The API state for a pipeline process.
pub fn api_state(
    store: Arc<dyn Store>,
    metrics: PrometheusHandle,
    brokers: Option<&str>,
    topic: &str,
    jwt_secret: Option<String>,
) -> anyhow::Result<api::AppState> {
    let producer: Option<Arc<dyn api::TelemetryProducer>> = match brokers {
        Some(brokers) => {
            Some(Arc::new(api::KafkaTelemetryProducer::new(&api::KafkaProducerConfig::new(brokers, topic))?))
        }
        None => None,
    };
    Ok(api::AppState { store, producer, metrics, auth: api::AuthConfig { jwt_secret } })
}
