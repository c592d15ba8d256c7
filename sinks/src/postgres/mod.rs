//! PostgreSQL: the system of record for results.
//!
//! One schema per seed domain (`ingestion`, `health`, `agent`, `alert`,
//! `scheduling`, `warranty`, `analytics`), created by the numbered migrations
//! in `migrations/postgres`. A batch is written in one transaction with one
//! set-based `INSERT … SELECT FROM UNNEST(…) ON CONFLICT` statement per table.

mod claims;
mod config;
mod outbox;
mod people;
mod reads;
mod registry;
mod rows;
mod store;
mod write;

pub use config::PgConfig;
pub use store::PgStore;
