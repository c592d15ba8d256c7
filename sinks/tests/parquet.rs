//! The Parquet archive: hive partitions, roll policy, atomic publish, exact rows.

use std::fs::File;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use arrow::record_batch::RecordBatch;
use arrow::util::pretty::pretty_format_batches;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use schemas::{Band, Component, HealthRow, LogPos, RawRecord, Reading, Signal, Value, Wheel, arrow_schema};
use sinks::{ParquetArchive, ParquetConfig, ResultBatch};

type R = Result<(), Box<dyn std::error::Error>>;

/// 2025-11-24T23:59:00Z.
const LATE: i64 = 1_764_028_740_000;
/// 2025-11-25T00:01:00Z.
const NEXT_DAY: i64 = LATE + 120_000;

fn raw(offset: i64, append_ms: i64, key: Option<&str>) -> RawRecord {
    RawRecord {
        pos: LogPos { partition: 3, offset },
        append_ms,
        key: key.map(|k| k.as_bytes().to_vec()),
        payload: format!("{{\"n\":{offset}}}").into_bytes(),
    }
}

fn reading(offset: i64, ts_ms: i64, signal: Signal, value: f64) -> Reading {
    Reading {
        fleet_id: "f1".into(),
        vehicle_id: "v1".into(),
        ts_ms,
        signal,
        value: Value(value),
        pos: LogPos { partition: 3, offset },
    }
}

fn health(ts_ms: i64, score: f64, rul_km: Option<f64>) -> HealthRow {
    HealthRow {
        fleet_id: "f1".into(),
        vehicle_id: "v1".into(),
        component: Component::Brakes,
        ts_ms,
        score: Value(score),
        band: Band::Watch,
        rul_km: rul_km.map(Value),
        rul_km_p10: rul_km.map(|v| Value(v - 1000.0)),
        rul_km_p90: rul_km.map(|v| Value(v + 1000.0)),
        rul_days: None,
        odometer_km: Some(Value(1234.5)),
        model_version: "rules-v3".into(),
    }
}

fn batch() -> ResultBatch {
    ResultBatch {
        raw: vec![raw(7, LATE, Some("v1")), raw(8, NEXT_DAY, None), raw(9, LATE + 1, Some("v1"))],
        readings: vec![
            reading(7, LATE - 500, Signal::CoolantTemp, 91.5),
            reading(7, LATE - 500, Signal::TirePressure(Wheel::RearRight), 230.0),
            reading(9, LATE - 100, Signal::VehicleSpeed, 88.0),
        ],
        health: vec![(health(LATE - 60_000, 72.5, Some(9000.0)), -1), (health(LATE - 60_000, 70.0, None), 1)],
        ..ResultBatch::default()
    }
}

fn read(path: &Path) -> Result<RecordBatch, Box<dyn std::error::Error>> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)?.build()?;
    let batches = reader.collect::<Result<Vec<_>, _>>()?;
    let schema = batches.first().map(|b| b.schema()).ok_or("empty file")?;
    Ok(arrow::compute::concat_batches(&schema, &batches)?)
}

/// The file's rows as a table; timestamps shown in UTC without a zone
/// (printing named zones needs arrow's `chrono-tz` feature).
fn pretty(path: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let batch = read(path)?;
    let naive = DataType::Timestamp(TimeUnit::Millisecond, None);
    let columns = batch
        .columns()
        .iter()
        .map(|c| if matches!(c.data_type(), DataType::Timestamp(..)) { cast(c, &naive) } else { Ok(c.clone()) })
        .collect::<Result<Vec<_>, _>>()?;
    let fields: Vec<Field> = batch
        .schema()
        .fields()
        .iter()
        .zip(&columns)
        .map(|(f, c)| Field::new(f.name(), c.data_type().clone(), f.is_nullable()))
        .collect();
    let shown = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?;
    Ok(pretty_format_batches(&[shown])?.to_string())
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out.sort();
    out
}

fn relative(dir: &Path, paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.strip_prefix(dir).map(|r| r.display().to_string()).unwrap_or_default()).collect()
}

#[test]
fn rows_wait_in_tmp_files_until_flush_publishes_them() -> R {
    let dir = tempfile::tempdir()?;
    let mut archive =
        ParquetArchive::new(ParquetConfig { max_rows: 1_000, max_age_secs: 3_600, ..ParquetConfig::new(dir.path()) });
    assert_eq!(archive.write(&batch())?, Vec::<PathBuf>::new());
    assert_eq!(archive.pending_rows(), 8);
    assert_eq!(
        relative(dir.path(), &files_under(dir.path())),
        vec![
            "health/date=2025-11-24/part-3-7-000003.parquet.tmp",
            "raw/date=2025-11-24/part-3-7-000000.parquet.tmp",
            "raw/date=2025-11-25/part-3-8-000001.parquet.tmp",
            "readings/date=2025-11-24/part-3-7-000002.parquet.tmp",
        ]
    );

    let published = archive.flush()?;
    assert_eq!(
        relative(dir.path(), &published),
        vec![
            "raw/date=2025-11-24/part-3-7-000000.parquet",
            "raw/date=2025-11-25/part-3-8-000001.parquet",
            "readings/date=2025-11-24/part-3-7-000002.parquet",
            "health/date=2025-11-24/part-3-7-000003.parquet",
        ]
    );
    assert!(files_under(dir.path()).iter().all(|p| p.extension().is_some_and(|e| e == "parquet")));
    assert_eq!(archive.pending_rows(), 0);
    assert_eq!(archive.flush()?, Vec::<PathBuf>::new());

    assert_eq!(read(&published[0])?.schema(), arrow_schema::raw_messages());
    assert_eq!(read(&published[2])?.schema(), arrow_schema::readings());
    assert_eq!(read(&published[3])?.schema(), arrow_schema::health_history());
    assert_eq!(
        pretty(&published[0])?,
        "\
+-----------+--------+-------------------------+------+----------------+
| partition | offset | append_time             | key  | payload        |
+-----------+--------+-------------------------+------+----------------+
| 3         | 7      | 2025-11-24T23:59:00     | 7631 | 7b226e223a377d |
| 3         | 9      | 2025-11-24T23:59:00.001 | 7631 | 7b226e223a397d |
+-----------+--------+-------------------------+------+----------------+"
    );
    assert_eq!(
        pretty(&published[1])?,
        "\
+-----------+--------+---------------------+-----+----------------+
| partition | offset | append_time         | key | payload        |
+-----------+--------+---------------------+-----+----------------+
| 3         | 8      | 2025-11-25T00:01:00 |     | 7b226e223a387d |
+-----------+--------+---------------------+-----+----------------+"
    );
    assert_eq!(
        pretty(&published[2])?,
        "\
+----------+------------+-------------------------+-----------------------------------------------------+-------+---------+-----------+--------+
| fleet_id | vehicle_id | ts                      | signal                                              | value | unit    | partition | offset |
+----------+------------+-------------------------+-----------------------------------------------------+-------+---------+-----------+--------+
| f1       | v1         | 2025-11-24T23:58:59.500 | Vehicle.Powertrain.CombustionEngine.ECT             | 91.5  | celsius | 3         | 7      |
| f1       | v1         | 2025-11-24T23:58:59.500 | Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure | 230.0 | kPa     | 3         | 7      |
| f1       | v1         | 2025-11-24T23:58:59.900 | Vehicle.Speed                                       | 88.0  | km/h    | 3         | 9      |
+----------+------------+-------------------------+-----------------------------------------------------+-------+---------+-----------+--------+"
    );
    assert_eq!(
        pretty(&published[3])?,
        "\
+----------+------------+-----------+---------------------+-------+-------+--------+------------+------------+----------+-------------+---------------+------+
| fleet_id | vehicle_id | component | ts                  | score | band  | rul_km | rul_km_p10 | rul_km_p90 | rul_days | odometer_km | model_version | diff |
+----------+------------+-----------+---------------------+-------+-------+--------+------------+------------+----------+-------------+---------------+------+
| f1       | v1         | brakes    | 2025-11-24T23:58:00 | 72.5  | watch | 9000.0 | 8000.0     | 10000.0    |          | 1234.5      | rules-v3      | -1   |
| f1       | v1         | brakes    | 2025-11-24T23:58:00 | 70.0  | watch |        |            |            |          | 1234.5      | rules-v3      | 1    |
+----------+------------+-----------+---------------------+-------+-------+--------+------------+------------+----------+-------------+---------------+------+"
    );
    Ok(())
}

#[test]
fn files_roll_by_rows_and_by_age() -> R {
    let dir = tempfile::tempdir()?;
    let mut by_rows = ParquetArchive::new(ParquetConfig {
        max_rows: 3,
        max_age_secs: 3_600,
        ..ParquetConfig::new(dir.path().join("rows"))
    });
    let small = ResultBatch { raw: vec![raw(1, LATE, None), raw(2, LATE, None)], ..ResultBatch::default() };
    assert_eq!(by_rows.write(&small)?.len(), 0);
    let more = ResultBatch { raw: vec![raw(3, LATE, None)], ..ResultBatch::default() };
    let rolled = by_rows.write(&more)?;
    assert_eq!(relative(&dir.path().join("rows"), &rolled), vec!["raw/date=2025-11-24/part-3-1-000000.parquet"]);
    assert_eq!(read(&rolled[0])?.num_rows(), 3);
    assert_eq!(by_rows.pending_rows(), 0);

    let mut by_age = ParquetArchive::new(ParquetConfig {
        max_rows: 1_000,
        max_age_secs: 0,
        ..ParquetConfig::new(dir.path().join("age"))
    });
    let first = by_age.write(&small)?;
    let second = by_age.write(&more)?;
    assert_eq!(relative(&dir.path().join("age"), &first), vec!["raw/date=2025-11-24/part-3-1-000000.parquet"]);
    assert_eq!(relative(&dir.path().join("age"), &second), vec!["raw/date=2025-11-24/part-3-3-000001.parquet"]);
    assert!(!files_under(dir.path()).iter().any(|p| p.to_string_lossy().ends_with(".tmp")));
    Ok(())
}

#[test]
fn a_restart_never_overwrites_a_published_file() -> R {
    let dir = tempfile::tempdir()?;
    let config = ParquetConfig::new(dir.path());
    let small = ResultBatch { raw: vec![raw(1, LATE, None)], ..ResultBatch::default() };
    let mut before = ParquetArchive::new(config.clone());
    before.write(&small)?;
    let first = before.flush()?;
    let mut after = ParquetArchive::new(config);
    after.write(&small)?;
    let second = after.flush()?;
    assert_eq!(
        relative(dir.path(), &[first, second].concat()),
        vec!["raw/date=2025-11-24/part-3-1-000000.parquet", "raw/date=2025-11-24/part-3-1-000001.parquet"]
    );
    Ok(())
}

#[test]
fn an_empty_batch_opens_nothing() -> R {
    let dir = tempfile::tempdir()?;
    let mut archive = ParquetArchive::new(ParquetConfig::new(dir.path()));
    assert_eq!(archive.write(&ResultBatch::default())?, Vec::<PathBuf>::new());
    assert!(!archive.roll_due());
    assert_eq!(archive.flush()?, Vec::<PathBuf>::new());
    assert_eq!(files_under(dir.path()), Vec::<PathBuf>::new());
    Ok(())
}
