//! `carvrooom-bench`: the end-to-end benchmark harness. See benches/README.md.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use benches::report::{Report, Sections};
use benches::{dataflow, e2e, memory_probe, peers, scale, workload_csv};

/// mimalloc instead of glibc's malloc: the dataflow allocates and frees many
/// small rows per record on its worker threads, and glibc kept growing and
/// trimming those threads' heaps a page at a time (one `mprotect` per page).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Measures CarVrooom's throughput, latency and memory, and its peers'.
#[derive(Debug, Parser)]
#[command(name = "carvrooom-bench", version)]
struct Cli {
    /// What to run (default: everything).
    #[command(subcommand)]
    command: Option<Command>,
    /// Small sizes: the whole run finishes in under a minute.
    #[arg(long, global = true)]
    quick: bool,
    /// Also write the report as JSON to this file.
    #[arg(long, global = true)]
    json: Option<PathBuf>,
    /// Kafka bootstrap servers for the end-to-end section (skipped when absent).
    #[arg(long, env = "KAFKA_BROKERS", global = true)]
    brokers: Option<String>,
    /// PostgreSQL URL for the end-to-end section (skipped when absent).
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// The `carvrooom` binary the end-to-end section runs.
    #[arg(long, env = "CARVROOOM_BIN", global = true, default_value = "target/release/carvrooom")]
    carvrooom: PathBuf,
    /// Fleet sizes of the memory section (default 1000,10000,100000; quick 1000,5000).
    #[arg(long, global = true, value_delimiter = ',')]
    memory_vehicles: Vec<usize>,
    /// Correction horizons of the memory section, minutes, each at the smallest fleet size
    /// (default 15,60,240; quick 15,60); every fleet size is measured at 60.
    #[arg(long, global = true, value_delimiter = ',')]
    memory_horizons_min: Vec<usize>,
    /// The peers' runner (`benches/peers/run`); peers are skipped when it is missing.
    #[arg(long, global = true, default_value = "benches/peers/run")]
    peers_runner: PathBuf,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Every section.
    All,
    /// Dataflow only: in-memory messages through the operator chain.
    Dataflow,
    /// End to end: Kafka → carvrooom run → Postgres + Parquet.
    E2e,
    /// Peak memory and state per (vehicle, component) at several fleet sizes.
    Memory,
    /// 1 vs 2 worker threads and 1 vs 2 timely processes, outputs compared.
    Scale,
    /// The peers (hand-written differential, Pathway, Bytewax) on the same workload.
    Peers,
    /// Writes the workload as CSV (`fleet_id,vehicle_id,ts_ms,signal,value`).
    Workload(workload_csv::WorkloadArgs),
    /// Writes our health rows and alerts on a workload CSV, for the peers' equality check.
    Ours(workload_csv::OursArgs),
    /// Internal: one of the two timely processes of the scale section (prints JSON).
    #[command(hide = true)]
    ChainProcess {
        /// This process's index.
        #[arg(long)]
        process: usize,
        /// Comma-separated `host:port` of every process.
        #[arg(long)]
        addresses: String,
    },
    /// Internal: one memory measurement in a fresh process (prints JSON).
    #[command(hide = true)]
    MemoryChild {
        /// Vehicles.
        vehicles: usize,
        /// Messages per vehicle.
        rounds: usize,
        /// Correction horizon, minutes.
        horizon_min: usize,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let sections = match cli.command.unwrap_or(Command::All) {
        Command::Workload(args) => return workload_csv::write_workload(&args),
        Command::Ours(args) => return workload_csv::write_ours(&args),
        Command::MemoryChild { vehicles, rounds, horizon_min } => {
            return memory_probe::child(vehicles, rounds, horizon_min);
        }
        Command::ChainProcess { process, addresses } => return scale::process(cli.quick, process, &addresses),
        Command::All => Sections::all(),
        Command::Dataflow => Sections { dataflow: true, ..Sections::none() },
        Command::E2e => Sections { e2e: true, ..Sections::none() },
        Command::Memory => Sections { memory: true, ..Sections::none() },
        Command::Scale => Sections { scale: true, ..Sections::none() },
        Command::Peers => Sections { peers: true, ..Sections::none() },
    };
    let mut report = Report::new(cli.quick);
    // End to end first: its load generator and watchers run in this
    // process, and after the dataflow section had run here its p99 was
    // 176–611 ms against 107–163 ms in a process of its own (the cause not
    // found). The other sections run in-process or in child processes of
    // their own and are not known to be touched by what it leaves.
    if sections.e2e {
        report.e2e = e2e::measure(cli.quick, cli.brokers.as_deref(), cli.database_url.as_deref(), &cli.carvrooom)?;
    }
    if sections.dataflow {
        report.dataflow = Some(dataflow::measure(cli.quick)?);
    }
    if sections.scale {
        report.scale = Some(scale::measure(cli.quick)?);
    }
    if sections.memory {
        let sizes = if cli.memory_vehicles.is_empty() {
            memory_probe::default_sizes(cli.quick)
        } else {
            cli.memory_vehicles.clone()
        };
        let horizons = if cli.memory_horizons_min.is_empty() {
            memory_probe::default_horizons(cli.quick)
        } else {
            cli.memory_horizons_min.clone()
        };
        report.memory = Some(memory_probe::measure(&sizes, &horizons)?);
    }
    if sections.peers {
        report.peers = Some(peers::measure(cli.quick, &cli.peers_runner)?);
    }
    print!("{}", report.table());
    if let Some(path) = cli.json {
        std::fs::write(&path, serde_json::to_string_pretty(&report.json())?)?;
        println!("json      {}", path.display());
    }
    Ok(())
}
