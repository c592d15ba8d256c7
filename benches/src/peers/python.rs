//! Pathway and Bytewax: run by `benches/peers/run` (which sets up its own
//! virtualenv), on the workload CSV this binary writes, each printing one
//! JSON line `{"name", "readings_per_s_per_core", "equal_output", "skipped"}`.

use std::path::Path;
use std::process::Command;

use crate::dataflow::workload;
use crate::report::PeerResult;

/// The Python peers' results, or both skipped with the reason.
pub fn measure(quick: bool, runner: &Path) -> Vec<PeerResult> {
    let skipped = |why: String| {
        ["pathway", "bytewax"]
            .into_iter()
            .map(|name| PeerResult {
                name: name.into(),
                readings_per_s_per_core: None,
                equal_output: None,
                skipped: Some(why.clone()),
            })
            .collect()
    };
    if !runner.exists() {
        return skipped(format!("{} not found", runner.display()));
    }
    let w = workload(quick);
    let me = std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_default();
    let output = Command::new(runner)
        .env("CARVROOOM_BENCH", me)
        .args(["--vehicles", &w.vehicles.to_string(), "--minutes", &w.messages_per_vehicle.to_string()])
        .args(["--seed", &w.seed.to_string()])
        .output();
    match output {
        Ok(out) if out.status.success() => parse(&String::from_utf8_lossy(&out.stdout)),
        Ok(out) => skipped(format!("runner failed: {}", String::from_utf8_lossy(&out.stderr).trim())),
        Err(e) => skipped(format!("runner did not start: {e}")),
    }
}

/// One [`PeerResult`] per JSON line of the runner's output.
pub fn parse(stdout: &str) -> Vec<PeerResult> {
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            Some(PeerResult {
                name: v["name"].as_str()?.to_string(),
                readings_per_s_per_core: v["readings_per_s_per_core"].as_f64(),
                equal_output: v["equal_output"].as_bool(),
                skipped: v["skipped"].as_str().map(str::to_string),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runner_lines_become_results() {
        let out = "setting up\n{\"name\":\"pathway\",\"readings_per_s_per_core\":1500.5,\"equal_output\":true}\n{\"name\":\"bytewax\",\"skipped\":\"pip failed\"}\n";
        let got = parse(out);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].readings_per_s_per_core, Some(1500.5));
        assert_eq!(got[0].equal_output, Some(true));
        assert_eq!(got[1].skipped.as_deref(), Some("pip failed"));
        assert_eq!(got[1].readings_per_s_per_core, None);
    }
}
