//! The telemetry input contract (one JSON object per Kafka record on
//! `vehicle.telemetry.raw`, or per element of `POST /api/v1/telemetry`) and
//! the normalized [`Reading`] every decoder produces.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::{Id, LogPos, RawRecord, Signal, TsMs, Value};

/// An event time as sent: RFC 3339 text or integer epoch milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Timestamp {
    /// Milliseconds since the Unix epoch.
    EpochMs(i64),
    /// RFC 3339 text, e.g. `2026-11-24T10:00:00Z`.
    Rfc3339(String),
}

impl Timestamp {
    /// The time in epoch milliseconds, or a message saying why it is not one.
    pub fn to_ms(&self) -> Result<TsMs, String> {
        match self {
            Timestamp::EpochMs(ms) => Ok(*ms),
            Timestamp::Rfc3339(text) => chrono::DateTime::parse_from_rfc3339(text)
                .map(|t| t.timestamp_millis())
                .map_err(|e| format!("ts '{text}' is not RFC 3339: {e}")),
        }
    }
}

/// A CAN identifier as sent: a number or a `0x…` hex string.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CanId {
    /// The identifier as a number.
    Number(u32),
    /// The identifier as hex text, with or without `0x`.
    Hex(String),
}

impl CanId {
    /// The numeric identifier, or a message saying why the text is not one.
    pub fn value(&self) -> Result<u32, String> {
        match self {
            CanId::Number(n) => Ok(*n),
            CanId::Hex(text) => {
                let digits = text.trim_start_matches("0x").trim_start_matches("0X");
                u32::from_str_radix(digits, 16).map_err(|e| format!("can id '{text}' is not hex: {e}"))
            }
        }
    }
}

/// One raw CAN frame inside a telemetry message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanFrame {
    /// 11-bit (standard) or 29-bit (extended) identifier.
    pub id: CanId,
    /// True for a 29-bit extended identifier.
    #[serde(default)]
    pub ext: bool,
    /// Payload bytes as hex (0–8 bytes), spaces allowed.
    pub data: String,
}

/// The JSON body of one telemetry message: the public input contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetryBody {
    /// The vehicle that sent it; must equal the Kafka record key.
    pub vehicle_id: String,
    /// When the readings were taken (event time).
    pub ts: Timestamp,
    /// The fleet (tenant); `default` when absent.
    #[serde(default)]
    pub fleet_id: Option<String>,
    /// Odometer at `ts`, km.
    #[serde(default)]
    pub odometer_km: Option<f64>,
    /// Already-named readings: VSS signal name → value in the VSS unit.
    #[serde(default)]
    pub signals: BTreeMap<String, f64>,
    /// OBD-II responses as hex strings (Mode 01 PIDs, Mode 03 DTC lists).
    #[serde(default)]
    pub obd: Vec<String>,
    /// Raw CAN frames, decoded through the configured DBC file.
    #[serde(default)]
    pub can: Vec<CanFrame>,
}

/// One normalized signal value: the unit every operator after `normalize` sees.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Reading {
    /// The fleet (tenant) the vehicle belongs to.
    pub fleet_id: Id,
    /// The vehicle.
    pub vehicle_id: Id,
    /// Event time, ms.
    pub ts_ms: TsMs,
    /// What was measured.
    pub signal: Signal,
    /// The value, in the signal's VSS unit.
    pub value: Value,
    /// Where the message sat in the log (later wins for a re-sent reading).
    pub pos: LogPos,
}

/// A decoded telemetry message: what `normalize` hands to the lateness gate.
///
/// It keeps its raw record, so a message the gate rejects becomes a dead
/// letter with its original bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Telemetry {
    /// The fleet (`default` when the message named none).
    pub fleet_id: Id,
    /// The vehicle.
    pub vehicle_id: Id,
    /// Event time, ms.
    pub ts_ms: TsMs,
    /// Every decoded signal value (odometer included when sent).
    pub values: Vec<(Signal, Value)>,
    /// The record it came from.
    pub record: RawRecord,
}

impl Telemetry {
    /// The readings of this message, one per signal value.
    pub fn readings(&self) -> impl Iterator<Item = Reading> + '_ {
        self.values.iter().map(move |(signal, value)| Reading {
            fleet_id: self.fleet_id.clone(),
            vehicle_id: self.vehicle_id.clone(),
            ts_ms: self.ts_ms,
            signal: *signal,
            value: *value,
            pos: self.record.pos,
        })
    }
}
