//! One open archive file: written under a `.tmp` name and published by
//! fsync + rename + fsync of the folder.

use std::fs::File;
use std::path::{Path, PathBuf};

use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::{Compression, ZstdLevel};
use ::parquet::file::properties::WriterProperties;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::sink::ParquetError;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ParquetError + '_ {
    move |source| ParquetError::Io { path: path.to_path_buf(), source }
}

/// A file being written.
pub struct OpenFile {
    writer: ArrowWriter<File>,
    tmp: PathBuf,
    target: PathBuf,
    /// Rows written so far.
    pub rows: usize,
}

impl OpenFile {
    /// Creates `folder` if needed and opens the first free
    /// `<prefix>-<partition>-<offset>-<seq>.parquet` name in it (as `….tmp`),
    /// bumping `seq` past names that already exist.
    pub fn create(
        folder: &Path,
        prefix: &str,
        first: schemas::LogPos,
        seq: &mut u64,
        schema: SchemaRef,
        zstd_level: i32,
    ) -> Result<OpenFile, ParquetError> {
        if !folder.exists() {
            std::fs::create_dir_all(folder).map_err(io(folder))?;
            // make the new folder's entry durable in the table folder and the root
            for dir in folder.ancestors().skip(1).take(2) {
                sync_dir(dir)?;
            }
        }
        let target = loop {
            let name = format!("{prefix}-{}-{}-{:06}.parquet", first.partition, first.offset, *seq);
            *seq += 1;
            let candidate = folder.join(name);
            if !candidate.exists() {
                break candidate;
            }
        };
        let mut tmp_name = target.clone().into_os_string();
        tmp_name.push(".tmp");
        let tmp = PathBuf::from(tmp_name);
        let file = File::create(&tmp).map_err(io(&tmp))?;
        let props =
            WriterProperties::builder().set_compression(Compression::ZSTD(ZstdLevel::try_new(zstd_level)?)).build();
        let writer = ArrowWriter::try_new(file, schema, Some(props))?;
        Ok(OpenFile { writer, tmp, target, rows: 0 })
    }

    /// Appends rows.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), ParquetError> {
        self.writer.write(batch)?;
        self.rows += batch.num_rows();
        Ok(())
    }

    /// Finishes the file, makes it durable and renames it into place.
    pub fn publish(self) -> Result<PathBuf, ParquetError> {
        let file = self.writer.into_inner()?;
        file.sync_all().map_err(io(&self.tmp))?;
        drop(file);
        std::fs::rename(&self.tmp, &self.target).map_err(io(&self.target))?;
        if let Some(folder) = self.target.parent() {
            sync_dir(folder)?;
        }
        Ok(self.target)
    }
}

fn sync_dir(dir: &Path) -> Result<(), ParquetError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}
