//! Turns batch rows into Arrow record batches of the archive's schemas
//! (`schemas::arrow_schema`).

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BinaryArray, Float64Array, Int32Array, Int64Array, StringArray, TimestampMillisecondArray,
};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;

use schemas::{HealthRow, RawRecord, Reading, arrow_schema};

fn ts(values: Vec<i64>) -> ArrayRef {
    Arc::new(TimestampMillisecondArray::from(values).with_timezone("UTC"))
}

fn text<'a>(values: impl Iterator<Item = &'a str>) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(values))
}

/// `raw/` rows.
pub fn raw(rows: &[&RawRecord]) -> Result<RecordBatch, ArrowError> {
    RecordBatch::try_new(
        arrow_schema::raw_messages(),
        vec![
            Arc::new(Int32Array::from_iter_values(rows.iter().map(|r| r.pos.partition))),
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.pos.offset))),
            ts(rows.iter().map(|r| r.append_ms).collect()),
            Arc::new(BinaryArray::from_iter(rows.iter().map(|r| r.key.as_deref()))),
            Arc::new(BinaryArray::from_iter_values(rows.iter().map(|r| r.payload.as_slice()))),
        ],
    )
}

/// `readings/` rows.
pub fn readings(rows: &[&Reading]) -> Result<RecordBatch, ArrowError> {
    let signals: Vec<String> = rows.iter().map(|r| r.signal.to_string()).collect();
    RecordBatch::try_new(
        arrow_schema::readings(),
        vec![
            text(rows.iter().map(|r| &*r.fleet_id)),
            text(rows.iter().map(|r| &*r.vehicle_id)),
            ts(rows.iter().map(|r| r.ts_ms).collect()),
            text(signals.iter().map(String::as_str)),
            Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| r.value.get()))),
            text(rows.iter().map(|r| r.signal.unit())),
            Arc::new(Int32Array::from_iter_values(rows.iter().map(|r| r.pos.partition))),
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.pos.offset))),
        ],
    )
}

/// `health/` changelog rows.
pub fn health(rows: &[&(HealthRow, isize)]) -> Result<RecordBatch, ArrowError> {
    let opt = |f: fn(&HealthRow) -> Option<schemas::Value>| -> ArrayRef {
        Arc::new(Float64Array::from(rows.iter().map(|(r, _)| f(r).map(|v| v.get())).collect::<Vec<_>>()))
    };
    RecordBatch::try_new(
        arrow_schema::health_history(),
        vec![
            text(rows.iter().map(|(r, _)| &*r.fleet_id)),
            text(rows.iter().map(|(r, _)| &*r.vehicle_id)),
            text(rows.iter().map(|(r, _)| r.component.as_str())),
            ts(rows.iter().map(|(r, _)| r.ts_ms).collect()),
            Arc::new(Float64Array::from_iter_values(rows.iter().map(|(r, _)| r.score.get()))),
            text(rows.iter().map(|(r, _)| r.band.as_str())),
            opt(|r| r.rul_km),
            opt(|r| r.rul_km_p10),
            opt(|r| r.rul_km_p90),
            opt(|r| r.rul_days),
            opt(|r| r.odometer_km),
            text(rows.iter().map(|(r, _)| &*r.model_version)),
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|(_, d)| *d as i64))),
        ],
    )
}
