//! The Python peers' transcription of the rules (`benches/peers/rules.py`)
//! against the cases of the Rust unit tests (`benches/peers/test_rules.py`):
//! a rule changed on one side only fails here, not silently in a benchmark
//! whose workload never reaches the changed range.

use std::process::Command;

#[test]
fn the_python_peers_rules_pass_the_rust_rules_cases() {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let peers = concat!(env!("CARGO_MANIFEST_DIR"), "/peers");
    let out = Command::new(&python)
        .args(["-m", "unittest", "discover", "-s", peers, "-p", "test_rules.py"])
        .output()
        .unwrap_or_else(|e| panic!("{python} runs: {e}"));
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("Ran ") && !report.contains("Ran 0 tests"), "{report}");
}
