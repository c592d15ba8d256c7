//! Benchmarks of CarVrooom: the deterministic workload, the dataflow-only
//! runner, the end-to-end run against Kafka and Postgres, memory probes, the
//! hand-written differential baseline, and the report the
//! `carvrooom-bench` binary prints and writes as JSON. The criterion
//! micro-benches per operator live in `benches/operators.rs`.

pub mod chain;
pub mod dataflow;
pub mod e2e;
pub mod e2e_run;
pub mod memory;
pub mod memory_probe;
pub mod peers;
pub mod report;
pub mod scale;
pub mod stage;
pub mod stats;
pub mod workload;
pub mod workload_csv;
