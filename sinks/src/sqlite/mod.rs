//! SQLite: the embedded store `carvrooom demo` uses when no database is configured.
//!
//! The same [`Store`](crate::Store) semantics as PostgreSQL over its own
//! migrations (`migrations/sqlite`): no schemas, so table names carry the
//! domain as a prefix (`health_component_health_history`); times are integer
//! milliseconds; lists are JSON arrays. The file is opened in WAL mode.

mod claims;
mod config;
mod outbox;
mod people;
mod reads;
mod registry;
mod rows;
mod store;
mod write;

pub use config::SqliteConfig;
pub use store::SqliteStore;
