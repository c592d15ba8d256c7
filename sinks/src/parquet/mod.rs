//! The Parquet archive: raw records, normalized readings and the health
//! changelog as zstd-compressed Parquet files in hive-style date partitions
//! (`<dir>/readings/date=2026-11-24/part-….parquet`) for DuckDB, pyarrow and
//! Spark.
//!
//! Rows go to open `.parquet.tmp` files; a roll closes every open file,
//! fsyncs it, renames it into place and fsyncs its folder, so a reader never
//! sees a half-written file and, once a roll returns, everything written
//! before it is durable (the roll is a commit point).

mod columns;
mod config;
mod file;
mod sink;

pub use config::ParquetConfig;
pub use sink::{ParquetArchive, ParquetError, Table};
