//! Message formats: one vehicle snapshot as a telemetry JSON body carrying
//! named VSS `signals`, OBD-II responses or CAN frames.
//!
//! - `json`: `odometer_km` plus every signal by VSS name, `ts` in RFC 3339.
//! - `obd`: Mode 01 responses for the signals that have a PID (04 05 0C 0D
//!   42 46 5C A6, by the SAE J1979 formulas); the rest (pad wear, tire
//!   pressure, transmission temperature, battery voltage) ride along as
//!   named `signals` or as CAN frames; `ts` in epoch ms.
//! - `can`: every DBC-mapped signal as frames of `dbc/carvrooom.dbc`
//!   (extended ids written as `0x…` text); `ts` in epoch ms.
//!
//! Stored trouble codes go as a Mode 03 response in every format, in the
//! vehicle's legacy (padded) or ISO 15765 (count byte) form. Each signal
//! appears once per message, so no form overrides another.

use chrono::{DateTime, SecondsFormat};
use operators::decode::CanDecoder;
use schemas::{Dtc, Signal, Wheel};
use serde_json::{Map, Value, json};

use super::error::SimulateError;
use super::vehicle::{Snapshot, Traits};

/// A message format the simulator can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Format {
    /// Named VSS signals.
    Json,
    /// OBD-II Mode 01 / Mode 03 responses.
    Obd,
    /// CAN frames through the project DBC.
    Can,
}

impl Format {
    /// The lowercase name, as on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Obd => "obd",
            Format::Can => "can",
        }
    }
}

/// One encoded message: the JSON bytes and how many signal values it carries.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Encoded {
    /// The record value.
    pub payload: Vec<u8>,
    /// Signal values carried (odometer and trouble codes included).
    pub readings: u64,
}

/// RFC 3339 text (seconds, `Z`) of an epoch-ms time, or the number when out of range.
pub(super) fn rfc3339(ts_ms: i64) -> String {
    DateTime::from_timestamp_millis(ts_ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(|| ts_ms.to_string())
}

/// The signals without an OBD-II PID, sent beside the PIDs of an `obd` message.
fn extras(s: &Snapshot) -> Vec<(Signal, f64)> {
    let mut out = vec![(Signal::TransmissionTemp, s.transmission_c), (Signal::BatteryVoltage, s.battery_v)];
    for (w, wheel) in Wheel::ALL.into_iter().enumerate() {
        out.push((Signal::PadWear(wheel), s.pad_wear[w]));
        out.push((Signal::TirePressure(wheel), s.tire_kpa[w]));
    }
    out
}

/// Every signal of a `json` message (the odometer goes as `odometer_km`).
fn named(s: &Snapshot) -> Vec<(Signal, f64)> {
    let mut out = vec![
        (Signal::VehicleSpeed, s.speed_kmh),
        (Signal::EngineSpeed, s.engine_rpm),
        (Signal::EngineLoad, s.engine_load),
        (Signal::CoolantTemp, s.coolant_c),
        (Signal::OilTemp, s.oil_c),
        (Signal::AmbientTemp, s.ambient_c),
    ];
    out.extend(extras(s));
    out
}

/// The DBC-mapped signals of a `can` message.
fn framed(s: &Snapshot) -> Vec<(Signal, f64)> {
    let mut out = vec![
        (Signal::VehicleSpeed, s.speed_kmh),
        (Signal::EngineSpeed, s.engine_rpm),
        (Signal::CoolantTemp, s.coolant_c),
        (Signal::OilTemp, s.oil_c),
        (Signal::Odometer, s.odometer_km),
    ];
    out.extend(extras(s));
    out
}

fn hex_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(" ")
}

/// A byte of a J1979 `A - 40` temperature.
fn temp_byte(celsius: f64) -> u8 {
    (celsius.round() + 40.0).clamp(0.0, 255.0) as u8
}

/// The Mode 01 responses of the signals that have a PID.
fn mode01(s: &Snapshot) -> Vec<String> {
    let word = |v: f64| ((v.round().clamp(0.0, 65_535.0)) as u16).to_be_bytes();
    let rpm = word(s.engine_rpm * 4.0);
    let volts = word((s.battery_v - 0.1) * 1000.0);
    let odometer = ((s.odometer_km * 10.0).round().clamp(0.0, f64::from(u32::MAX)) as u32).to_be_bytes();
    let responses: [(u8, Vec<u8>); 8] = [
        (0x04, vec![(s.engine_load * 255.0 / 100.0).round().clamp(0.0, 255.0) as u8]),
        (0x05, vec![temp_byte(s.coolant_c)]),
        (0x0C, rpm.to_vec()),
        (0x0D, vec![s.speed_kmh.round().clamp(0.0, 255.0) as u8]),
        (0x42, volts.to_vec()),
        (0x46, vec![temp_byte(s.ambient_c)]),
        (0x5C, vec![temp_byte(s.oil_c)]),
        (0xA6, odometer.to_vec()),
    ];
    responses
        .into_iter()
        .map(|(pid, data)| {
            let mut bytes = vec![0x41, pid];
            bytes.extend(data);
            hex_bytes(&bytes)
        })
        .collect()
}

/// The Mode 03 response listing `dtcs`: ISO 15765 with a count byte, or the
/// legacy form padded with `00 00` to whole 3-code frames.
fn mode03(dtcs: &[Dtc], iso_tp: bool) -> String {
    let mut bytes = vec![0x43];
    if iso_tp {
        bytes.push(u8::try_from(dtcs.len()).unwrap_or(u8::MAX));
    }
    let listed = if iso_tp { dtcs.len().min(255) } else { dtcs.len() };
    for dtc in &dtcs[..listed] {
        bytes.extend(dtc.0.to_be_bytes());
    }
    if !iso_tp {
        bytes.resize(1 + 6 * dtcs.len().div_ceil(3), 0);
    }
    hex_bytes(&bytes)
}

/// Clamps a value into the physical range its DBC signal can carry.
fn dbc_range(signal: Signal, value: f64) -> f64 {
    let (lo, hi) = match signal {
        Signal::CoolantTemp | Signal::OilTemp | Signal::TransmissionTemp => (-40.0, 215.0),
        Signal::EngineSpeed => (0.0, 16_383.75),
        Signal::VehicleSpeed => (0.0, 655.35),
        Signal::BatteryVoltage => (0.0, 65.535),
        Signal::PadWear(_) => (0.0, 100.0),
        Signal::TirePressure(_) => (0.0, 6_553.5),
        _ => (0.0, 429_496_729.5),
    };
    value.clamp(lo, hi)
}

/// Turns snapshots into message bytes in the chosen format.
#[derive(Clone, Debug)]
pub(super) struct Encoder {
    can: Option<CanDecoder>,
}

impl Encoder {
    /// An encoder for `formats`; loads the project DBC when `can` is among them.
    pub(super) fn new(formats: &[Format]) -> Result<Encoder, SimulateError> {
        let can = match formats.contains(&Format::Can) {
            true => Some(CanDecoder::carvrooom().map_err(SimulateError::Dbc)?),
            false => None,
        };
        Ok(Encoder { can })
    }

    /// CAN frames for `values` as JSON, or `None` when there is no DBC or a value does not fit.
    fn frames(&self, values: &[(Signal, f64)]) -> Option<Value> {
        let clamped: Vec<(Signal, f64)> = values.iter().map(|(s, v)| (*s, dbc_range(*s, *v))).collect();
        let frames = self.can.as_ref()?.encode(&clamped).ok()?;
        let frames = frames
            .into_iter()
            .map(|frame| {
                let id = match (frame.ext, frame.id.value()) {
                    (true, Ok(id)) => json!(format!("0x{id:08X}")),
                    (false, Ok(id)) => json!(id),
                    (_, Err(text)) => json!(text),
                };
                json!({ "id": id, "ext": frame.ext, "data": frame.data })
            })
            .collect();
        Some(Value::Array(frames))
    }

    /// Encodes one snapshot of `vehicle` as a message of `format`; in an
    /// `obd` message the signals without a PID go as CAN frames when
    /// `extras_as_can` (and a DBC is loaded), else as named signals.
    pub(super) fn encode(&self, vehicle: &Traits, s: &Snapshot, format: Format, extras_as_can: bool) -> Encoded {
        let mut body = Map::new();
        body.insert("vehicle_id".into(), json!(vehicle.id));
        let ts = match format {
            Format::Json => json!(rfc3339(s.ts_ms)),
            Format::Obd | Format::Can => json!(s.ts_ms),
        };
        body.insert("ts".into(), ts);
        body.insert("fleet_id".into(), json!(vehicle.fleet));
        let mut readings = s.dtcs.len() as u64;
        let mut obd = Vec::new();
        let named_signals = |values: Vec<(Signal, f64)>| -> Value {
            Value::Object(values.into_iter().map(|(signal, value)| (signal.vss_name(), json!(value))).collect())
        };
        match format {
            Format::Json => {
                body.insert("odometer_km".into(), json!(s.odometer_km));
                let values = named(s);
                readings += 1 + values.len() as u64;
                body.insert("signals".into(), named_signals(values));
            }
            Format::Obd => {
                obd = mode01(s);
                let values = extras(s);
                readings += (obd.len() + values.len()) as u64;
                match extras_as_can.then(|| self.frames(&values)).flatten() {
                    Some(frames) => body.insert("can".into(), frames),
                    None => body.insert("signals".into(), named_signals(values)),
                };
            }
            Format::Can => {
                let values = framed(s);
                readings += values.len() as u64;
                match self.frames(&values) {
                    Some(frames) => body.insert("can".into(), frames),
                    None => body.insert("signals".into(), named_signals(values)),
                };
            }
        }
        if !s.dtcs.is_empty() {
            obd.push(mode03(&s.dtcs, vehicle.iso_tp));
        }
        if !obd.is_empty() {
            body.insert("obd".into(), json!(obd));
        }
        Encoded { payload: Value::Object(body).to_string().into_bytes(), readings }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use operators::decode::{Decoders, decode_obd};
    use schemas::{LogPos, RawRecord, TelemetryBody, Value as Reading};

    fn snapshot(dtcs: Vec<Dtc>) -> Snapshot {
        Snapshot {
            ts_ms: 1_795_500_000_000,
            odometer_km: 12_345.6,
            speed_kmh: 80.4,
            engine_rpm: 2_171.0,
            engine_load: 44.3,
            coolant_c: 91.2,
            oil_c: 99.6,
            ambient_c: 12.3,
            transmission_c: 84.1,
            battery_v: 14.12,
            pad_wear: [31.5, 30.0, 20.5, 19.0],
            tire_kpa: [241.3, 239.8, 240.2, 238.7],
            dtcs,
        }
    }

    fn traits(iso_tp: bool) -> Traits {
        Traits { id: "veh-0007".into(), fleet: "fleet-2".into(), phase_s: 0, iso_tp }
    }

    fn decode(payload: &[u8]) -> Vec<(Signal, f64)> {
        let record = RawRecord {
            pos: LogPos::default(),
            append_ms: 0,
            key: Some(b"veh-0007".to_vec()),
            payload: payload.to_vec(),
        };
        let decoders = Decoders { can: Some(CanDecoder::carvrooom().unwrap()) };
        let (telemetry, letters) = operators::decode::decode_record(&record, &decoders);
        assert_eq!(letters, vec![]);
        telemetry.unwrap().values.into_iter().map(|(s, v): (Signal, Reading)| (s, v.get())).collect()
    }

    #[test]
    fn mode01_responses_follow_the_j1979_formulas() {
        let decoded: Vec<(Signal, f64)> =
            mode01(&snapshot(vec![])).iter().flat_map(|r| decode_obd(r).unwrap()).map(|(s, v)| (s, v.get())).collect();
        assert_eq!(
            decoded,
            vec![
                (Signal::EngineLoad, 113.0 * 100.0 / 255.0),
                (Signal::CoolantTemp, 91.0),
                (Signal::EngineSpeed, 2_171.0),
                (Signal::VehicleSpeed, 80.0),
                (Signal::ControlModuleVoltage, 14.02),
                (Signal::AmbientTemp, 12.0),
                (Signal::OilTemp, 100.0),
                (Signal::Odometer, 12_345.6),
            ]
        );
        assert_eq!(mode01(&snapshot(vec![]))[2], "41 0C 21 EC");
    }

    #[test]
    fn mode03_has_both_forms() {
        let codes = [Dtc(0x0217), Dtc(0x0562)];
        assert_eq!(mode03(&codes, true), "43 02 02 17 05 62");
        assert_eq!(mode03(&codes, false), "43 02 17 05 62 00 00");
        assert_eq!(mode03(&codes[..1], false), "43 02 17 00 00 00 00");
        for iso in [true, false] {
            let decoded: Vec<Signal> = decode_obd(&mode03(&codes, iso)).unwrap().into_iter().map(|(s, _)| s).collect();
            assert_eq!(decoded, vec![Signal::Dtc(Dtc(0x0217)), Signal::Dtc(Dtc(0x0562))]);
        }
    }

    #[test]
    fn a_json_message_is_the_contract_with_named_signals() {
        let encoder = Encoder::new(&[Format::Json]).unwrap();
        let out = encoder.encode(&traits(false), &snapshot(vec![Dtc(0x0217)]), Format::Json, true);
        let body: TelemetryBody = serde_json::from_slice(&out.payload).unwrap();
        assert_eq!(body.ts, schemas::Timestamp::Rfc3339("2026-11-24T06:00:00Z".into()));
        assert_eq!((body.fleet_id.as_deref(), body.odometer_km), (Some("fleet-2"), Some(12_345.6)));
        assert_eq!(body.signals.len(), 16);
        assert_eq!(body.obd, vec!["43 02 17 00 00 00 00".to_string()]);
        assert_eq!(out.readings, 18);
        let decoded = decode(&out.payload);
        assert_eq!(decoded.len(), 18);
        assert!(decoded.contains(&(Signal::TirePressure(Wheel::RearRight), 238.7)));
    }

    #[test]
    fn obd_and_can_messages_decode_to_the_snapshot_values() {
        let encoder = Encoder::new(&[Format::Obd, Format::Can]).unwrap();
        let s = snapshot(vec![Dtc(0x0562)]);
        for (format, extras_as_can) in [(Format::Obd, false), (Format::Obd, true), (Format::Can, false)] {
            let out = encoder.encode(&traits(true), &s, format, extras_as_can);
            let body: TelemetryBody = serde_json::from_slice(&out.payload).unwrap();
            assert_eq!(body.ts, schemas::Timestamp::EpochMs(1_795_500_000_000));
            assert_eq!(body.can.is_empty(), format == Format::Obd && !extras_as_can, "{format:?}");
            let decoded = decode(&out.payload);
            assert_eq!(decoded.len() as u64, out.readings, "{format:?}");
            let find = |signal| decoded.iter().find(|(s, _)| *s == signal).map(|(_, v)| *v);
            assert_eq!(find(Signal::Dtc(Dtc(0x0562))), Some(1.0));
            assert_eq!(find(Signal::PadWear(Wheel::FrontLeft)), Some(31.5));
            assert!((find(Signal::TirePressure(Wheel::FrontRight)).unwrap() - 239.8).abs() < 0.051);
            assert!((find(Signal::BatteryVoltage).unwrap() - 14.12).abs() < 0.001);
            assert!((find(Signal::Odometer).unwrap() - 12_345.6).abs() < 0.051);
        }
        let can = encoder.encode(&traits(true), &s, Format::Can, false);
        let text = String::from_utf8(can.payload).unwrap();
        assert!(text.contains(r#""id":"0x18FF0100""#) && text.contains(r#""id":1312"#), "{text}");
    }
}
