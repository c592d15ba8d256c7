//! The `carvrooom` binary's library: CLI and config, the Kafka source, the
//! dataflow assembly and its sink operator, the simulator and the demo. The
//! only crate that wires every other crate together.

pub mod app;
pub mod cli;
pub mod cluster;
pub mod cmapss;
pub mod commands;
pub mod config_file;
pub mod coordinator;
pub mod dataflow;
pub mod demo;
pub mod escalate;
pub mod evaluate;
pub mod model_file;
pub mod offline;
pub mod outbox;
pub mod output;
pub mod simulate;
pub mod sink_writer;
pub mod source;
pub mod stale;
pub mod store;
pub mod topics;
pub mod train;
pub mod validate;
pub mod windows;
pub mod worker;
pub mod write;
pub mod write_behind;
