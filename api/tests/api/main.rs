//! Black-box tests of the API through `api::router()`, one request at a time.

#[path = "../common/mod.rs"]
mod common;

mod auth;
mod errors;
mod kafka;
mod ops;
mod registry;
mod results;
mod serve;
mod sqlite;
mod telemetry;
mod warranty;
