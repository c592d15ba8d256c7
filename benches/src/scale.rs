//! Section 4, scale: one vs two worker threads, and one vs two timely
//! processes (same machine, loopback) on a 4-partition workload, with the
//! outputs' fingerprints compared.

use std::process::{Command, Stdio};

use crate::chain::{ChainRun, run_chain, run_chain_on};
use crate::dataflow::workload;
use crate::report::ScaleResult;

/// Runs the scale section; `me` is this binary, used to start the processes.
pub fn measure(quick: bool) -> anyhow::Result<ScaleResult> {
    let w = workload(quick);
    let one = run_chain(w, 1, 1)?;
    let two = run_chain(w, 2, 1)?;
    let processes = two_processes(quick);
    let same = |r: &ChainRun| (r.rows, r.alerts, r.fingerprint);
    let identical_output =
        same(&one) == same(&two) && processes.as_ref().is_none_or(|p| (p.rows, p.alerts, p.fingerprint) == same(&one));
    Ok(ScaleResult {
        one_worker_readings_per_s: one.readings_per_s(),
        two_workers_readings_per_s: two.readings_per_s(),
        two_processes_readings_per_s: processes.map(|p| p.readings_per_s()),
        identical_output,
    })
}

/// Runs the workload on two processes of this binary and sums their tallies;
/// `None` (with a message) when they could not run.
fn two_processes(quick: bool) -> Option<ChainRun> {
    let me = std::env::current_exe().ok()?;
    let base = 20_000 + (std::process::id() % 20_000) as u16;
    let addresses = format!("127.0.0.1:{base},127.0.0.1:{}", base + 1);
    // Both processes must be up at once: each waits for the other to connect.
    let spawned: Vec<_> = (0..2)
        .map(|process| {
            let mut command = Command::new(&me);
            command.args(["chain-process", "--process", &process.to_string(), "--addresses", &addresses]);
            if quick {
                command.arg("--quick");
            }
            command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()
        })
        .collect();
    let mut runs = Vec::new();
    for child in spawned {
        match child.and_then(|c| c.wait_with_output()) {
            // Timely may print connection progress first: the report is the last line.
            Ok(out) if out.status.success() => match last_line_json(&out.stdout) {
                Ok(v) => runs.push(v),
                Err(e) => {
                    eprintln!("scale: a process printed no report: {e}");
                    return None;
                }
            },
            Ok(out) => {
                eprintln!("scale: a process failed: {}", String::from_utf8_lossy(&out.stderr));
                return None;
            }
            Err(e) => {
                eprintln!("scale: cannot run a process: {e}");
                return None;
            }
        }
    }
    let w = workload(quick);
    let field = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap_or(0.0);
    Some(ChainRun {
        workers: 2,
        readings: w.readings(),
        messages: w.messages(),
        seconds: runs.iter().map(|v| field(v, "seconds")).fold(0.0, f64::max),
        epoch_ms: Vec::new(),
        rows: runs.iter().map(|v| v["rows"].as_i64().unwrap_or(0)).sum(),
        alerts: runs.iter().map(|v| v["alerts"].as_i64().unwrap_or(0)).sum(),
        fingerprint: runs.iter().map(|v| v["fingerprint"].as_u64().unwrap_or(0)).fold(0, u64::wrapping_add),
        live_rss: 0,
    })
}

/// The JSON value on the last non-empty line of `stdout`.
fn last_line_json(stdout: &[u8]) -> serde_json::Result<serde_json::Value> {
    let text = String::from_utf8_lossy(stdout);
    serde_json::from_str(text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or(""))
}

/// One process of the two-process run: prints its share's tallies as JSON.
pub fn process(quick: bool, process: usize, addresses: &str) -> anyhow::Result<()> {
    let addresses: Vec<String> = addresses.split(',').map(str::to_string).collect();
    let config = timely::Config {
        communication: timely::CommunicationConfig::Cluster {
            threads: 1,
            process,
            addresses,
            report: false,
            zerocopy: false,
        },
        worker: timely::WorkerConfig::default(),
    };
    let run = run_chain_on(workload(quick), config, 1, crate::chain::DEFAULT_HORIZON_MS)?;
    println!(
        "{}",
        serde_json::json!({"rows": run.rows, "alerts": run.alerts, "fingerprint": run.fingerprint, "seconds": run.seconds})
    );
    Ok(())
}
