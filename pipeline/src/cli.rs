//! The command line: every option also reads an environment variable
//! (`CARVROOOM_…`) and a key of the optional TOML file given by `--config`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// CarVrooom: vehicle telemetry in, maintenance action out.
#[derive(Debug, Parser)]
#[command(name = "carvrooom", version, about)]
pub struct Cli {
    /// TOML file whose keys are option names (`brokers = "…"`, `epoch-ms = 100`);
    /// command-line flags and environment variables override it.
    #[arg(long, global = true, env = "CARVROOOM_CONFIG")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the pipeline (Kafka → dataflow → Postgres/SQLite + Parquet + events) and the API.
    Run(RunArgs),
    /// Serve only the query API over an existing store.
    Api(ApiArgs),
    /// Produce simulated fleet telemetry to Kafka.
    Simulate(crate::simulate::SimulateOptions),
    /// Everything embedded: an in-process broker, the simulator, the pipeline, SQLite and the API.
    Demo(DemoArgs),
    /// Check a configuration and its connectivity without running anything.
    Validate(RunArgs),
    /// Score the pipeline on a simulated fleet: failures caught ahead, false alerts, RUL error.
    Evaluate(crate::evaluate::EvaluateArgs),
    /// Fit a prognostics model (simulated fleet or C-MAPSS) and save a versioned model file.
    #[command(subcommand)]
    Train(crate::train::TrainCommand),
    /// NASA C-MAPSS turbofan data: train a RUL model, or predict through the dataflow.
    #[command(subcommand)]
    Cmapss(crate::cmapss::CmapssCommand),
}

/// Where results are stored.
#[derive(Clone, Debug, Args)]
pub struct StoreArgs {
    /// PostgreSQL URL (`postgres://user:pass@host/db`); without it results go to the SQLite file.
    #[arg(long, env = "CARVROOOM_DATABASE_URL")]
    pub database_url: Option<String>,
    /// SQLite file used when no database URL is given.
    #[arg(long, env = "CARVROOOM_SQLITE_PATH", default_value = "carvrooom.db")]
    pub sqlite_path: PathBuf,
}

/// The query API.
#[derive(Clone, Debug, Args)]
pub struct ApiArgs {
    /// Results store.
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address the API listens on.
    #[arg(long, env = "CARVROOOM_API_ADDR", default_value = "127.0.0.1:8080")]
    pub api_addr: SocketAddr,
    /// HS256 secret for bearer JWTs; without it the API needs no authentication.
    #[arg(long, env = "CARVROOOM_JWT_SECRET")]
    pub jwt_secret: Option<String>,
    /// Brokers `POST /api/v1/telemetry` produces to (none: HTTP ingest answers 503).
    #[arg(long = "ingest-brokers", env = "CARVROOOM_INGEST_BROKERS")]
    pub ingest_brokers: Option<String>,
    /// Topic `POST /api/v1/telemetry` produces to.
    #[arg(long = "ingest-topic", env = "CARVROOOM_INGEST_TOPIC", default_value = "vehicle.telemetry.raw")]
    pub ingest_topic: String,
}

/// The pipeline.
#[derive(Clone, Debug, Args)]
pub struct RunArgs {
    /// Kafka bootstrap servers.
    #[arg(long, env = "CARVROOOM_BROKERS", default_value = "127.0.0.1:9092")]
    pub brokers: String,
    /// Raw telemetry topic.
    #[arg(long, env = "CARVROOOM_TOPIC", default_value = "vehicle.telemetry.raw")]
    pub topic: String,
    /// Partitions to create the raw topic with when it does not exist.
    #[arg(long, env = "CARVROOOM_TOPIC_PARTITIONS", default_value_t = 4)]
    pub topic_partitions: i32,
    /// Consumer group id (stores committed offsets only; partitions are assigned statically).
    #[arg(long, env = "CARVROOOM_GROUP", default_value = "carvrooom")]
    pub group: String,
    /// Results store.
    #[command(flatten)]
    pub store: StoreArgs,
    /// Directory of the Parquet archive (none: no archive).
    #[arg(long, env = "CARVROOOM_PARQUET_DIR")]
    pub parquet_dir: Option<PathBuf>,
    /// Publish events on the Kafka event topics.
    #[arg(long, env = "CARVROOOM_EVENTS", default_value_t = true, action = clap::ArgAction::Set)]
    pub events: bool,
    /// Prefix for the event and dead-letter topic names (e.g. `staging.`).
    #[arg(long, env = "CARVROOOM_EVENT_TOPIC_PREFIX", default_value = "")]
    pub event_topic_prefix: String,
    /// DBC file for CAN frames (default: the built-in dbc/carvrooom.dbc).
    #[arg(long, env = "CARVROOOM_DBC", requires = "dbc_map")]
    pub dbc: Option<PathBuf>,
    /// TOML file with a `[signals]` table mapping `MESSAGE.SIGNAL` of the DBC to VSS names.
    #[arg(long, env = "CARVROOOM_DBC_MAP", requires = "dbc")]
    pub dbc_map: Option<PathBuf>,
    /// Length of an ingestion epoch, ms.
    #[arg(long, env = "CARVROOOM_EPOCH_MS", default_value_t = 100)]
    pub epoch_ms: u64,
    /// Most records read into one epoch.
    #[arg(long, env = "CARVROOOM_EPOCH_MAX_RECORDS", default_value_t = 50_000)]
    pub epoch_max_records: usize,
    /// Commit point every this many epochs (Parquet roll + offset commit).
    #[arg(long, env = "CARVROOOM_COMMIT_EVERY", default_value_t = 20)]
    pub commit_every: u64,
    /// Correction horizon: readings older than this behind the vehicle's newest are too late, s.
    #[arg(long, env = "CARVROOOM_HORIZON_S", default_value_t = 3600)]
    pub horizon_s: i64,
    /// Readings stamped more than this after their Kafka append time are future, s.
    #[arg(long, env = "CARVROOOM_MAX_FUTURE_S", default_value_t = 300)]
    pub max_future_s: i64,
    /// Health window length, s.
    #[arg(long, env = "CARVROOOM_WINDOW_S", default_value_t = 600)]
    pub window_s: i64,
    /// Trained model file (`carvrooom train`); components it covers get its
    /// health indicator and RUL band, the others rules-v3. Without it: rules-v3.
    #[arg(long, env = "CARVROOOM_MODEL")]
    pub model: Option<PathBuf>,
    /// How often the model file is checked for a new version to hot-swap in, s.
    #[arg(long, env = "CARVROOOM_MODEL_POLL_S", default_value_t = 10)]
    pub model_poll_s: u64,
    /// Least time between two scheduler solves, s.
    #[arg(long, env = "CARVROOOM_SCHEDULE_DEBOUNCE_S", default_value_t = 5)]
    pub schedule_debounce_s: u64,
    /// Depot for vehicles without a home depot.
    #[arg(long, env = "CARVROOOM_DEFAULT_DEPOT", default_value = "main")]
    pub default_depot: String,
    /// Escalate open critical alerts unacknowledged for this long, s.
    #[arg(long, env = "CARVROOOM_ESCALATE_AFTER_S", default_value_t = 900)]
    pub escalate_after_s: i64,
    /// Webhook that receives created and escalated alerts.
    #[arg(long, env = "CARVROOOM_ALERT_WEBHOOK")]
    pub alert_webhook: Option<String>,
    /// Stop once every partition is read to its end and idle for this many seconds.
    #[arg(long, env = "CARVROOOM_STOP_WHEN_IDLE_S")]
    pub stop_when_idle_s: Option<u64>,
    /// Address the API listens on.
    #[arg(long, env = "CARVROOOM_API_ADDR", default_value = "127.0.0.1:8080")]
    pub api_addr: SocketAddr,
    /// Do not serve the API.
    #[arg(long, env = "CARVROOOM_NO_API")]
    pub no_api: bool,
    /// HS256 secret for bearer JWTs; without it the API needs no authentication.
    #[arg(long, env = "CARVROOOM_JWT_SECRET")]
    pub jwt_secret: Option<String>,
    /// Timely cluster.
    #[command(flatten)]
    pub cluster: ClusterArgs,
}

/// Timely's own cluster mode: the same binary on every process.
#[derive(Clone, Debug, Args)]
pub struct ClusterArgs {
    /// Worker threads per process.
    #[arg(long, short = 'w', env = "CARVROOOM_WORKERS", default_value_t = 1)]
    pub workers: usize,
    /// Number of processes in the cluster.
    #[arg(long, short = 'n', env = "CARVROOOM_PROCESSES", default_value_t = 1)]
    pub processes: usize,
    /// This process's index in the cluster.
    #[arg(long, short = 'p', env = "CARVROOOM_PROCESS", default_value_t = 0)]
    pub process: usize,
    /// File with one `host:port` per process.
    #[arg(long, env = "CARVROOOM_HOSTFILE")]
    pub hostfile: Option<PathBuf>,
}

/// The demo.
#[derive(Clone, Debug, Args)]
pub struct DemoArgs {
    /// Address the API listens on.
    #[arg(long, env = "CARVROOOM_API_ADDR", default_value = "127.0.0.1:8080")]
    pub api_addr: SocketAddr,
    /// Working directory for the SQLite file and the Parquet archive.
    #[arg(long, env = "CARVROOOM_DEMO_DIR", default_value = "demo-data")]
    pub dir: PathBuf,
    /// Simulated vehicles.
    #[arg(long, default_value_t = 40)]
    pub vehicles: usize,
    /// Simulated messages per second.
    #[arg(long, default_value_t = 200)]
    pub rate: u64,
    /// Simulator seed.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Stop after this many simulated messages (0: run until interrupted).
    #[arg(long, default_value_t = 0)]
    pub messages: u64,
}
