//! Section 2, end to end: Kafka → `carvrooom run` → Postgres + Parquet.
//!
//! See [`crate::e2e_run`]; this is the entry point that decides whether the
//! section can run.

use std::path::Path;

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
    crate::e2e_run::run(quick, brokers, database_url, bin).map(Some)
}
