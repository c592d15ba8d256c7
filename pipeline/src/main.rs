//! `carvrooom`: the one binary. See `carvrooom --help`.

use std::process::ExitCode;

use clap::Parser;

use pipeline::cli::{Cli, Command};
use pipeline::config_file::with_config_file;
use pipeline::{commands, demo, validate};

/// mimalloc instead of glibc's malloc: the dataflow allocates and frees many
/// small rows per record on its worker threads, and glibc kept growing and
/// trimming those threads' heaps a page at a time (one `mprotect` per page).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,rdkafka=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let argv = with_config_file(std::env::args_os().collect())?;
    let cli = Cli::parse_from(argv);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    match cli.command {
        Command::Run(args) => commands::run(&runtime, &args),
        Command::Api(args) => commands::api_only(&runtime, &args),
        Command::Simulate(options) => commands::simulate(&runtime, &options),
        Command::Demo(args) => demo::run(&runtime, &args),
        Command::Validate(args) => validate::run(&runtime, &args),
        Command::Evaluate(args) => commands::evaluate(&args),
        Command::Train(command) => pipeline::train::run(&command),
        Command::Cmapss(command) => pipeline::cmapss::run(&command).map_err(anyhow::Error::from),
    }
}
