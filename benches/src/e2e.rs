//! Section 2, end to end: Kafka → `carvrooom run` → Postgres + Parquet.
//!
//! See [`crate::e2e_run`]; this is the entry point that decides whether the
//! section can run, and runs it in a fresh process of this binary.
//!
//! Its latency pollers and load generator run in the measuring process, so
//! that process must be fresh: after the in-process dataflow sections its
//! allocator was still handing their freed memory back to the system, which
//! stalled the pollers (p99 append → visible 411–516 ms in full runs
//! against 123–186 ms for the section alone).

use std::path::Path;
use std::process::Command;

use crate::report::E2eResult;

/// Runs the end-to-end section, or explains why it is skipped (`None`).
pub fn measure(
    quick: bool,
    brokers: Option<&str>,
    database_url: Option<&str>,
    bin: &Path,
) -> anyhow::Result<Option<E2eResult>> {
    let (Some(brokers), Some(database_url)) = (brokers, database_url) else {
        eprintln!("e2e: skipped (set KAFKA_BROKERS and DATABASE_URL, or use benches/run)");
        return Ok(None);
    };
    if !bin.exists() {
        eprintln!("e2e: skipped ({} not found: cargo build --release -p pipeline)", bin.display());
        return Ok(None);
    }
    let me = std::env::current_exe()?;
    let mut child = Command::new(me);
    child.arg("e2e-child").args(["--brokers", brokers, "--database-url", database_url]).arg("--carvrooom").arg(bin);
    if quick {
        child.arg("--quick");
    }
    let out = child.stderr(std::process::Stdio::inherit()).output()?;
    anyhow::ensure!(out.status.success(), "e2e: the measuring process failed ({})", out.status);
    Ok(Some(serde_json::from_slice(&out.stdout)?))
}

/// The measurement inside the fresh process: prints one [`E2eResult`] as JSON.
pub fn child(quick: bool, brokers: &str, database_url: &str, bin: &Path) -> anyhow::Result<()> {
    let result = crate::e2e_run::run(quick, brokers, database_url, bin)?;
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}
