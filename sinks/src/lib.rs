//! Where results go: PostgreSQL (the system of record), SQLite (the embedded
//! default), the Parquet archive, Kafka event topics and alert channels.
//!
//! [`Store`] is the storage trait the pipeline writes through and the API
//! reads through.

pub mod batch;
pub mod changes;
pub mod channels;
mod codec;
pub mod error;
pub mod kafka;
pub mod parquet;
pub mod postgres;
pub mod sqlite;
pub mod store;

pub use batch::ResultBatch;
pub use error::StoreError;
pub use kafka::{EventPublisher, KafkaConfig, events_for};
pub use parquet::{ParquetArchive, ParquetConfig};
pub use postgres::{PgConfig, PgStore};
pub use sqlite::{SqliteConfig, SqliteStore};
pub use store::{
    AlertFilter, AlertRecord, AppointmentRecord, ClaimFilter, DeadLetterRecord, FleetSummary, Page, Resources, Store,
    StoreProgress,
};
