//! Arrow schemas of the Parquet archive, shared by the writer and by tests
//! that read the files back.

use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use std::sync::Arc;

fn ts_ms(name: &str) -> Field {
    Field::new(name, DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())), false)
}

/// `raw/`: every consumed Kafka record, the audit trail and the source for replay.
pub fn raw_messages() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("partition", DataType::Int32, false),
        Field::new("offset", DataType::Int64, false),
        ts_ms("append_time"),
        Field::new("key", DataType::Binary, true),
        Field::new("payload", DataType::Binary, false),
    ]))
}

/// `readings/`: normalized readings, one row per signal value.
pub fn readings() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("fleet_id", DataType::Utf8, false),
        Field::new("vehicle_id", DataType::Utf8, false),
        ts_ms("ts"),
        Field::new("signal", DataType::Utf8, false),
        Field::new("value", DataType::Float64, false),
        Field::new("unit", DataType::Utf8, false),
        Field::new("partition", DataType::Int32, false),
        Field::new("offset", DataType::Int64, false),
    ]))
}

/// `health/`: the health history changelog (`diff` +1 insert, −1 retraction).
pub fn health_history() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("fleet_id", DataType::Utf8, false),
        Field::new("vehicle_id", DataType::Utf8, false),
        Field::new("component", DataType::Utf8, false),
        ts_ms("ts"),
        Field::new("score", DataType::Float64, false),
        Field::new("band", DataType::Utf8, false),
        Field::new("rul_km", DataType::Float64, true),
        Field::new("rul_km_p10", DataType::Float64, true),
        Field::new("rul_km_p90", DataType::Float64, true),
        Field::new("rul_days", DataType::Float64, true),
        Field::new("odometer_km", DataType::Float64, true),
        Field::new("model_version", DataType::Utf8, false),
        Field::new("diff", DataType::Int64, false),
    ]))
}
