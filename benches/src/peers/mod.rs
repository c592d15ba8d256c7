//! Section 5, the peers on the identical workload and logic: the
//! hand-written differential baseline (in process), and Pathway and Bytewax
//! (Python, run by `benches/peers/run` in its own virtualenv).

pub mod differential;
pub mod python;

use std::path::Path;

use crate::chain::run_chain;
use crate::dataflow::workload;
use crate::report::PeerResult;

/// Runs every peer; a peer that cannot run is reported as skipped, with why.
pub fn measure(quick: bool, runner: &Path) -> anyhow::Result<Vec<PeerResult>> {
    let w = workload(quick);
    let ours = run_chain(w, 1, 1)?;
    let base = differential::run_baseline(w, 1);
    let mut results = vec![PeerResult {
        name: "differential".into(),
        readings_per_s_per_core: Some(base.readings as f64 / base.seconds.max(f64::MIN_POSITIVE)),
        equal_output: Some((base.rows, base.alerts, base.fingerprint) == (ours.rows, ours.alerts, ours.fingerprint)),
        skipped: None,
    }];
    results.extend(python::measure(quick, runner));
    Ok(results)
}
