//! [`ParquetArchive`]: buffers each batch's raw records, readings and health
//! changes into per-(table, date) files and rolls them all together.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use thiserror::Error;

use schemas::{LogPos, TsMs, arrow_schema};

use super::columns;
use super::config::ParquetConfig;
use super::file::OpenFile;
use crate::batch::ResultBatch;

/// A failure of the Parquet archive.
#[derive(Debug, Error)]
pub enum ParquetError {
    /// A file or folder operation failed.
    #[error("parquet archive io on {path}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The Parquet writer failed.
    #[error("parquet writer failed")]
    Parquet(#[from] ::parquet::errors::ParquetError),
    /// Rows could not be assembled into Arrow arrays.
    #[error("arrow batch could not be built")]
    Arrow(#[from] ArrowError),
    /// A time outside the calendar range cannot name a date partition.
    #[error("time {0} ms has no calendar date")]
    Time(TsMs),
}

/// The archive's tables (top-level folders).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    /// `raw/`: every consumed record, partitioned by append date.
    Raw,
    /// `readings/`: normalized readings, partitioned by event date.
    Readings,
    /// `health/`: the health changelog, partitioned by event date.
    Health,
}

impl Table {
    /// The folder name.
    pub fn dir(self) -> &'static str {
        match self {
            Table::Raw => "raw",
            Table::Readings => "readings",
            Table::Health => "health",
        }
    }
}

/// The Parquet archive writer. Not shared: one per timely worker.
pub struct ParquetArchive {
    config: ParquetConfig,
    open: BTreeMap<(Table, String), OpenFile>,
    oldest: Option<Instant>,
    seq: u64,
}

fn date(ms: TsMs) -> Result<String, ParquetError> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d").to_string()).ok_or(ParquetError::Time(ms))
}

/// Groups rows by the date of `ms(row)`, keeping their order within a date.
/// Rows are grouped by UTC day number and each day is named once.
fn by_date<T>(
    rows: impl Iterator<Item = T>,
    ms: impl Fn(&T) -> TsMs,
) -> Result<BTreeMap<String, Vec<T>>, ParquetError> {
    const DAY_MS: TsMs = 86_400_000;
    // day number → (a time on that day, its rows)
    let mut days: BTreeMap<TsMs, (TsMs, Vec<T>)> = BTreeMap::new();
    for row in rows {
        let at = ms(&row);
        days.entry(at.div_euclid(DAY_MS)).or_insert_with(|| (at, Vec::new())).1.push(row);
    }
    days.into_values().map(|(at, rows)| Ok((date(at)?, rows))).collect()
}

impl ParquetArchive {
    /// An archive writing below `config.dir` (created on the first write).
    pub fn new(config: ParquetConfig) -> Self {
        ParquetArchive { config, open: BTreeMap::new(), oldest: None, seq: 0 }
    }

    /// Appends the batch's raw records, readings and health changes, then
    /// rolls if the roll policy says so. Returns the files this call
    /// published (empty when nothing rolled).
    pub fn write(&mut self, batch: &ResultBatch) -> Result<Vec<PathBuf>, ParquetError> {
        let batch_first = batch.raw.iter().map(|r| r.pos).min().unwrap_or_default();
        for (day, rows) in by_date(batch.raw.iter(), |r| r.append_ms)? {
            let first = rows.iter().map(|r| r.pos).min().unwrap_or(batch_first);
            self.append(Table::Raw, day, first, columns::raw(&rows)?)?;
        }
        for (day, rows) in by_date(batch.readings.iter(), |r| r.ts_ms)? {
            let first = rows.iter().map(|r| r.pos).min().unwrap_or(batch_first);
            self.append(Table::Readings, day, first, columns::readings(&rows)?)?;
        }
        for (day, rows) in by_date(batch.health.iter(), |(h, _)| h.ts_ms)? {
            self.append(Table::Health, day, batch_first, columns::health(&rows)?)?;
        }
        if self.roll_due() { self.flush() } else { Ok(Vec::new()) }
    }

    fn append(&mut self, table: Table, day: String, first: LogPos, rows: RecordBatch) -> Result<(), ParquetError> {
        let key = (table, day);
        if !self.open.contains_key(&key) {
            let folder = self.config.dir.join(table.dir()).join(format!("date={}", key.1));
            let schema = match table {
                Table::Raw => arrow_schema::raw_messages(),
                Table::Readings => arrow_schema::readings(),
                Table::Health => arrow_schema::health_history(),
            };
            let file = OpenFile::create(
                &folder,
                &self.config.file_prefix,
                first,
                &mut self.seq,
                schema,
                self.config.zstd_level,
            )?;
            self.open.insert(key.clone(), file);
            self.oldest.get_or_insert_with(Instant::now);
        }
        match self.open.get_mut(&key) {
            Some(file) => file.write(&rows),
            None => Ok(()),
        }
    }

    /// True when an open file holds `max_rows` rows or the oldest open file
    /// is older than `max_age_secs`.
    pub fn roll_due(&self) -> bool {
        let full = self.open.values().any(|f| f.rows >= self.config.max_rows);
        let old = self.oldest.is_some_and(|t| t.elapsed() >= Duration::from_secs(self.config.max_age_secs));
        full || old
    }

    /// Rows written to files not yet published.
    pub fn pending_rows(&self) -> usize {
        self.open.values().map(|f| f.rows).sum()
    }

    /// Rolls every open file: finishes, fsyncs and renames each into place.
    /// Returns the published files, by table and date.
    pub fn flush(&mut self) -> Result<Vec<PathBuf>, ParquetError> {
        let mut published = Vec::with_capacity(self.open.len());
        while let Some((_, file)) = self.open.pop_first() {
            published.push(file.publish()?);
        }
        self.oldest = None;
        Ok(published)
    }
}
