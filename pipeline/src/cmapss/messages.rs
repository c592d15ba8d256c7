//! C-MAPSS rows as telemetry messages, in the order a fleet would stream
//! them: cycle by cycle, every engine's row of a cycle together.

use std::collections::BTreeMap;

use schemas::{Signal, TelemetryBody, Timestamp};

use super::read::CmapssRow;
use crate::offline::OfflineRecord;

/// The fleet every engine belongs to.
pub const FLEET: &str = "cmapss";
/// Event time of cycle 1: 2026-01-01T00:00:00Z, aligned to the health windows.
pub const T0_MS: i64 = 1_767_225_600_000;
/// Event time between two cycles: one 10-minute health window per cycle.
pub const CYCLE_MS: i64 = 600_000;

/// The asset id of an engine.
pub fn vehicle_id(unit: u32) -> String {
    format!("unit-{unit:03}")
}

/// The engine of an asset id.
pub fn unit_of(vehicle_id: &str) -> Option<u32> {
    vehicle_id.strip_prefix("unit-")?.parse().ok()
}

/// Event time of a cycle's readings: one second into its window.
pub fn cycle_ts_ms(cycle: u32) -> i64 {
    T0_MS + (i64::from(cycle) - 1) * CYCLE_MS + 1_000
}

/// The telemetry body of one row.
pub fn body(row: &CmapssRow) -> TelemetryBody {
    let mut signals = BTreeMap::new();
    signals.insert(Signal::Cycles.vss_name(), f64::from(row.cycle));
    for (n, value) in (1u8..).zip(row.settings) {
        signals.insert(Signal::Setting(n).vss_name(), value);
    }
    for (n, value) in (1u8..).zip(row.sensors) {
        signals.insert(Signal::Sensor(n).vss_name(), value);
    }
    TelemetryBody {
        vehicle_id: vehicle_id(row.unit),
        ts: Timestamp::EpochMs(cycle_ts_ms(row.cycle)),
        fleet_id: Some(FLEET.into()),
        odometer_km: None,
        signals,
        obd: Vec::new(),
        can: Vec::new(),
    }
}

/// Every row as a Kafka-like record, ordered by (cycle, unit), appended when measured.
pub fn records(rows: &[CmapssRow]) -> Vec<OfflineRecord> {
    let mut ordered: Vec<&CmapssRow> = rows.iter().collect();
    ordered.sort_by_key(|r| (r.cycle, r.unit));
    ordered
        .into_iter()
        .map(|row| {
            let body = body(row);
            OfflineRecord {
                key: body.vehicle_id.clone(),
                payload: serde_json::to_vec(&body).unwrap_or_default(),
                append_ms: cycle_ts_ms(row.cycle),
            }
        })
        .collect()
}
