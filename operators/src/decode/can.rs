//! CAN frames to VSS signal values through a DBC file, and back.
//!
//! A [`CanDecoder`] is built from DBC text plus a mapping of
//! `MESSAGE.SIGNAL` names to VSS names. Decoding applies each mapped
//! signal's bit layout (Intel or Motorola byte order, signed or unsigned,
//! IEEE floats declared by `SIG_VALTYPE_`), factor and offset, and honours
//! simple multiplexing (`M` / `mN`). Signals the mapping does not name are
//! skipped. Encoding is the inverse, for the simulator: it turns
//! `(Signal, value)` pairs into the frames a vehicle would send.
//!
//! DBC ids carry the extended-frame flag in bit 31 (`0x8000_0000`); a frame
//! is looked up by its 11- or 29-bit id and whether it is extended.

use std::collections::{BTreeMap, HashMap};

use can_dbc::{ByteOrder, Dbc, MessageId, MultiplexIndicator, SignalExtendedValueType, ValueType};
use schemas::{CanFrame, CanId, Signal, Value};

use super::DecodeError;

/// The project's own DBC: what the CarVrooom simulator sends over CAN.
pub const CARVROOOM_DBC: &str = include_str!("../../../dbc/carvrooom.dbc");

/// The VSS mapping of [`CARVROOOM_DBC`] (TOML, table `[signals]`).
pub const CARVROOOM_VSS: &str = include_str!("../../../dbc/carvrooom-vss.toml");

/// The DBC flag bit of an extended (29-bit) identifier.
const EXTENDED_FLAG: u32 = 0x8000_0000;

/// A frame's identity: `(extended, 11- or 29-bit id)`.
type FrameKey = (bool, u32);

/// Largest payload of a CAN FD frame, bytes.
const MAX_FRAME_BYTES: usize = 64;

/// Decodes DBC file bytes to text: UTF-8 when the bytes are valid UTF-8,
/// otherwise Windows-1252 (the superset of ISO-8859-1 DBC editors write).
pub fn dbc_text_from_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => can_dbc::encodings::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// Reads a VSS mapping file: a TOML table `[signals]` of `"MESSAGE.SIGNAL" = "VSS name"`.
pub fn mapping_from_toml(text: &str) -> Result<Vec<(String, String)>, DecodeError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct MappingFile {
        signals: BTreeMap<String, String>,
    }
    let file: MappingFile = toml::from_str(text).map_err(|e| DecodeError::MappingFile(e.message().to_string()))?;
    Ok(file.signals.into_iter().collect())
}

/// How a field's raw bits become a number.
#[derive(Clone, Copy, Debug, PartialEq)]
enum RawKind {
    Unsigned,
    Signed,
    Float32,
    Float64,
}

/// The bit layout and scaling of one DBC signal.
#[derive(Clone, Debug)]
struct Field {
    /// `MESSAGE.SIGNAL`, for error messages.
    name: String,
    /// Frame bit positions (byte·8 + bit), least significant bit first.
    bits: Vec<usize>,
    kind: RawKind,
    factor: f64,
    offset: f64,
}

impl Field {
    fn new(message: &str, signal: &can_dbc::Signal, dbc: &Dbc, id: MessageId) -> Result<Field, DecodeError> {
        let name = format!("{message}.{}", signal.name);
        let size = usize::try_from(signal.size).unwrap_or(usize::MAX);
        let start = usize::try_from(signal.start_bit).unwrap_or(usize::MAX);
        if size == 0 || size > 64 || start >= MAX_FRAME_BYTES * 8 {
            return Err(DecodeError::Mapping { key: name, reason: format!("unsupported bit layout {start}|{size}") });
        }
        let mut bits = Vec::with_capacity(size);
        match signal.byte_order {
            ByteOrder::LittleEndian => bits.extend(start..start + size),
            ByteOrder::BigEndian => {
                // Motorola: `start` is the most significant bit; walk down
                // within a byte, then on to bit 7 of the next byte.
                let mut pos = start;
                for _ in 0..size {
                    bits.push(pos);
                    pos = if pos % 8 == 0 { pos + 15 } else { pos - 1 };
                }
                bits.reverse();
            }
        }
        if bits.iter().any(|b| *b >= MAX_FRAME_BYTES * 8) {
            return Err(DecodeError::Mapping { key: name, reason: "signal extends past 64 bytes".to_string() });
        }
        let kind = match (dbc.extended_value_type_for_signal(id, &signal.name), signal.value_type) {
            (Some(SignalExtendedValueType::IEEEfloat32Bit), _) if size == 32 => RawKind::Float32,
            (Some(SignalExtendedValueType::IEEEdouble64bit), _) if size == 64 => RawKind::Float64,
            (Some(SignalExtendedValueType::IEEEfloat32Bit | SignalExtendedValueType::IEEEdouble64bit), _) => {
                return Err(DecodeError::Mapping { key: name, reason: format!("float signal of {size} bits") });
            }
            (_, ValueType::Signed) => RawKind::Signed,
            (_, ValueType::Unsigned) => RawKind::Unsigned,
        };
        Ok(Field { name, bits, kind, factor: signal.factor, offset: signal.offset })
    }

    /// Bytes a frame needs to carry this field.
    fn needed_bytes(&self) -> usize {
        self.bits.iter().max().map_or(0, |b| b / 8 + 1)
    }

    fn raw(&self, data: &[u8]) -> u64 {
        self.bits.iter().enumerate().fold(0u64, |acc, (i, pos)| acc | (u64::from(data[pos / 8] >> (pos % 8) & 1) << i))
    }

    fn write_raw(&self, data: &mut [u8], raw: u64) {
        for (i, pos) in self.bits.iter().enumerate() {
            let mask = 1u8 << (pos % 8);
            if raw >> i & 1 == 1 {
                data[pos / 8] |= mask;
            } else {
                data[pos / 8] &= !mask;
            }
        }
    }

    /// The raw number, before factor and offset.
    fn number(&self, data: &[u8]) -> f64 {
        let raw = self.raw(data);
        let size = self.bits.len();
        match self.kind {
            RawKind::Unsigned => raw as f64,
            RawKind::Signed if size == 64 => raw as i64 as f64,
            RawKind::Signed if raw >> (size - 1) & 1 == 1 => (raw as i64 - (1i64 << size)) as f64,
            RawKind::Signed => raw as f64,
            RawKind::Float32 => f64::from(f32::from_bits(raw as u32)),
            RawKind::Float64 => f64::from_bits(raw),
        }
    }

    /// The physical value in `data`; the frame must be long enough.
    fn decode(&self, data: &[u8]) -> f64 {
        self.number(data) * self.factor + self.offset
    }

    /// The raw bits that represent `value` (rounded to the signal's resolution).
    fn encode(&self, value: f64) -> Result<u64, DecodeError> {
        let out_of_range = |reason: String| DecodeError::OutOfRange { signal: self.name.clone(), value, reason };
        let number = (value - self.offset) / self.factor;
        if !number.is_finite() {
            return Err(out_of_range("not a finite number".to_string()));
        }
        let size = self.bits.len() as u32;
        match self.kind {
            RawKind::Float32 => Ok(u64::from((number as f32).to_bits())),
            RawKind::Float64 => Ok(number.to_bits()),
            RawKind::Unsigned => {
                let max = if size == 64 { u64::MAX as f64 } else { ((1u64 << size) - 1) as f64 };
                let rounded = number.round();
                if rounded < 0.0 || rounded > max {
                    return Err(out_of_range(format!("raw {rounded} outside 0..={max}")));
                }
                Ok(rounded as u64)
            }
            RawKind::Signed => {
                let half = 2f64.powi(size as i32 - 1);
                let rounded = number.round();
                if rounded < -half || rounded > half - 1.0 {
                    return Err(out_of_range(format!("raw {rounded} outside {}..={}", -half, half - 1.0)));
                }
                let raw = rounded as i64 as u64;
                Ok(if size == 64 { raw } else { raw & ((1u64 << size) - 1) })
            }
        }
    }
}

/// One mapped DBC signal: its layout, its VSS signal and the multiplexor
/// value it is sent under, if it is multiplexed.
#[derive(Clone, Debug)]
struct Mapped {
    field: Field,
    signal: Signal,
    mux: Option<u64>,
}

/// One DBC message with the signals the mapping uses.
#[derive(Clone, Debug)]
struct Layout {
    name: String,
    size: usize,
    /// The multiplexor switch, when a mapped signal is multiplexed.
    switch: Option<Field>,
    mapped: Vec<Mapped>,
}

/// Decodes CAN frames into VSS signal values (and encodes them) through a DBC file.
#[derive(Clone, Debug)]
pub struct CanDecoder {
    /// Messages by `(extended, 11- or 29-bit id)`.
    messages: HashMap<FrameKey, Layout>,
    /// Where each mapped VSS signal lives: message key and index into `mapped`.
    by_signal: HashMap<Signal, (FrameKey, usize)>,
}

/// Splits a DBC id into `(extended, 11- or 29-bit id)`.
fn frame_key(id: MessageId) -> FrameKey {
    match id {
        MessageId::Standard(id) => (false, u32::from(id)),
        MessageId::Extended(id) => (true, id),
    }
}

impl CanDecoder {
    /// Builds a decoder from DBC text and a `MESSAGE.SIGNAL` → VSS name mapping.
    ///
    /// Every mapping entry must name a signal of the DBC and a known VSS
    /// signal, and each VSS signal may be mapped once.
    pub fn from_dbc(dbc_text: &str, mapping: &[(String, String)]) -> Result<CanDecoder, DecodeError> {
        let dbc = Dbc::try_from(dbc_text).map_err(|e| DecodeError::Dbc(e.to_string()))?;
        let mut messages: HashMap<FrameKey, Layout> = HashMap::new();
        for message in &dbc.messages {
            messages.entry(frame_key(message.id)).or_insert_with(|| Layout {
                name: message.name.clone(),
                size: usize::try_from(message.size).unwrap_or(MAX_FRAME_BYTES).min(MAX_FRAME_BYTES),
                switch: None,
                mapped: Vec::new(),
            });
        }
        let mut by_signal: HashMap<Signal, (FrameKey, usize)> = HashMap::new();
        for (key, vss) in mapping {
            let bad = |reason: String| DecodeError::Mapping { key: key.clone(), reason };
            let (message_name, signal_name) =
                key.split_once('.').ok_or_else(|| bad("expected MESSAGE.SIGNAL".to_string()))?;
            let signal = Signal::from_vss(vss).ok_or_else(|| bad(format!("'{vss}' is not a known vss signal")))?;
            let message = dbc
                .messages
                .iter()
                .find(|m| m.name == message_name)
                .ok_or_else(|| bad(format!("no message {message_name} in the dbc")))?;
            let dbc_signal = message
                .signals
                .iter()
                .find(|s| s.name == signal_name)
                .ok_or_else(|| bad(format!("no signal {signal_name} in message {message_name}")))?;
            let frame = frame_key(message.id);
            if let Some((other, index)) = by_signal.get(&signal) {
                let previous = messages.get(other).and_then(|l| l.mapped.get(*index)).map(|m| m.field.name.clone());
                return Err(bad(format!("{vss} is already mapped from {}", previous.unwrap_or_default())));
            }
            let field = Field::new(message_name, dbc_signal, &dbc, message.id)?;
            let mux = match dbc_signal.multiplexer_indicator {
                MultiplexIndicator::Plain | MultiplexIndicator::Multiplexor => None,
                MultiplexIndicator::MultiplexedSignal(value) => Some(value),
                MultiplexIndicator::MultiplexorAndMultiplexedSignal(_) => {
                    return Err(bad("extended multiplexing is not supported".to_string()));
                }
            };
            let layout = messages.get_mut(&frame).ok_or_else(|| bad("message id is not unique".to_string()))?;
            if mux.is_some() && layout.switch.is_none() {
                let switch = dbc
                    .message_multiplexor_switch(message.id)
                    .map_err(|_| bad("extended multiplexing is not supported".to_string()))?
                    .ok_or_else(|| bad("multiplexed signal without a multiplexor".to_string()))?;
                layout.switch = Some(Field::new(message_name, switch, &dbc, message.id)?);
            }
            by_signal.insert(signal, (frame, layout.mapped.len()));
            layout.mapped.push(Mapped { field, signal, mux });
        }
        Ok(CanDecoder { messages, by_signal })
    }

    /// The decoder for the project's own DBC ([`CARVROOOM_DBC`] with [`CARVROOOM_VSS`]).
    pub fn carvrooom() -> Result<CanDecoder, DecodeError> {
        CanDecoder::from_dbc(CARVROOOM_DBC, &mapping_from_toml(CARVROOOM_VSS)?)
    }

    /// Decodes one frame into the values of its mapped signals.
    ///
    /// `id` is the 11- or 29-bit identifier; an id with bit 31 set (the DBC
    /// convention) is taken as extended whatever `extended` says. A frame
    /// the DBC does not define is an error; a defined frame whose signals
    /// are all unmapped yields no values.
    pub fn decode(&self, id: u32, extended: bool, data: &[u8]) -> Result<Vec<(Signal, Value)>, DecodeError> {
        let key = if id & EXTENDED_FLAG != 0 { (true, id & !EXTENDED_FLAG) } else { (extended, id) };
        let layout = self
            .messages
            .get(&key)
            .ok_or(DecodeError::UnknownFrame { id: key.1, kind: if key.0 { "extended" } else { "standard" } })?;
        let too_short = |field: &Field| DecodeError::FrameLength {
            message: layout.name.clone(),
            got: data.len(),
            reason: format!("{} needs {} bytes", field.name, field.needed_bytes()),
        };
        if data.len() > MAX_FRAME_BYTES {
            return Err(DecodeError::FrameLength {
                message: layout.name.clone(),
                got: data.len(),
                reason: format!("a can frame carries at most {MAX_FRAME_BYTES}"),
            });
        }
        let switch = match &layout.switch {
            Some(field) if field.needed_bytes() > data.len() => return Err(too_short(field)),
            Some(field) => Some(field.raw(data)),
            None => None,
        };
        let mut values = Vec::new();
        for mapped in &layout.mapped {
            if mapped.mux.is_some() && mapped.mux != switch {
                continue;
            }
            if mapped.field.needed_bytes() > data.len() {
                return Err(too_short(&mapped.field));
            }
            let value = mapped.field.decode(data);
            if !value.is_finite() {
                return Err(DecodeError::NonFinite(mapped.field.name.clone()));
            }
            values.push((mapped.signal, Value(value)));
        }
        Ok(values)
    }

    /// Encodes signal values into the frames that carry them, one frame per
    /// message (and multiplexor value), ordered by id.
    ///
    /// Each frame has its DBC length; signals of a message that are not
    /// given are sent as raw zero. A signal the mapping does not carry, or
    /// a value its raw bits cannot hold, is an error.
    pub fn encode(&self, values: &[(Signal, f64)]) -> Result<Vec<CanFrame>, DecodeError> {
        let mut frames: BTreeMap<(FrameKey, Option<u64>), Vec<u8>> = BTreeMap::new();
        for (signal, value) in values {
            let (key, index) = self.by_signal.get(signal).ok_or_else(|| DecodeError::Unmapped(signal.to_string()))?;
            let layout = &self.messages[key];
            let mapped = &layout.mapped[*index];
            let raw = mapped.field.encode(*value)?;
            let size = layout.size.max(mapped.field.needed_bytes());
            let data = frames.entry((*key, mapped.mux)).or_insert_with(|| vec![0; size]);
            if data.len() < size {
                data.resize(size, 0);
            }
            if let (Some(mux), Some(switch)) = (mapped.mux, &layout.switch) {
                if data.len() < switch.needed_bytes() {
                    data.resize(switch.needed_bytes(), 0);
                }
                switch.write_raw(data, mux);
            }
            mapped.field.write_raw(data, raw);
        }
        Ok(frames
            .into_iter()
            .map(|(((extended, id), _), data)| CanFrame {
                id: CanId::Number(id),
                ext: extended,
                data: hex::encode_upper(data),
            })
            .collect())
    }

    /// Every VSS signal this decoder can decode and encode.
    pub fn signals(&self) -> Vec<Signal> {
        let mut all: Vec<Signal> = self.by_signal.keys().copied().collect();
        all.sort();
        all
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use schemas::Wheel;

    /// A DBC of the shared data set: `$CARVROOOM_SHARED_DATA/dbc`, else `../shared/data/dbc` beside the checkout.
    fn shared_dbc(name: &str) -> String {
        let data = std::env::var("CARVROOOM_SHARED_DATA")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data").to_string());
        let path = format!("{data}/dbc/{name}");
        dbc_text_from_bytes(&std::fs::read(path).unwrap())
    }

    fn map(entries: &[(&str, &str)]) -> Vec<(String, String)> {
        entries.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn bytes(text: &str) -> Vec<u8> {
        crate::decode::parse_hex(text).unwrap()
    }

    fn close(actual: &[(Signal, Value)], expected: &[(Signal, f64)]) {
        assert_eq!(actual.len(), expected.len(), "{actual:?}");
        for ((s, v), (es, ev)) in actual.iter().zip(expected) {
            assert_eq!(s, es);
            assert!((v.get() - ev).abs() < 1e-9, "{s}: {} != {ev}", v.get());
        }
    }

    #[test]
    fn standard_frame_of_abs_dbc_decodes_intel_unsigned_signals() {
        let can = CanDecoder::from_dbc(
            &shared_dbc("abs.dbc"),
            &map(&[("BREMSE_33.whlspeed_FL", "Vehicle.Speed"), ("BREMSE_33.whlspeed_RR", "Vehicle.OBD.MAF")]),
        )
        .unwrap();
        // FL raw 0x1000 = 4096 · 0.015625 = 64; RR raw 0xFFFF · 0.015625 = 1023.984375.
        let out = can.decode(835, false, &bytes("00 10 80 0C 00 00 FF FF")).unwrap();
        assert_eq!(out, vec![(Signal::VehicleSpeed, Value(64.0)), (Signal::AirFlow, Value(1023.984375))]);
    }

    #[test]
    fn signed_and_multiplexed_signals_of_abs_dbc() {
        let can = CanDecoder::from_dbc(
            &shared_dbc("abs.dbc"),
            &map(&[("BREMSE_53.P_FA", "Vehicle.OBD.MAP"), ("BREMSE_52.SW_CAN_ident", "Vehicle.OBD.RunTime")]),
        )
        .unwrap();
        // P_FA 8|16@1- raw 0xFF9C = −100 · 0.01526 = −1.526 (cantools agrees).
        close(
            &can.decode(1472, false, &bytes("05 9C FF 80 00 00 00 00")).unwrap(),
            &[(Signal::IntakePressure, -1.526)],
        );
        // SW_CAN_ident is m6: present when the multiplexor is 6, skipped otherwise.
        assert_eq!(
            can.decode(1346, false, &bytes("06 03 00 00 00 00 00 00")).unwrap(),
            vec![(Signal::RunTime, Value(3.0))]
        );
        assert_eq!(can.decode(1346, false, &bytes("01 03 00 00 00 00 00 00")).unwrap(), vec![]);
    }

    #[test]
    fn extended_frames_of_vehicle_dbc_decode_intel_signed_and_motorola() {
        let can = CanDecoder::from_dbc(
            &shared_dbc("vehicle.dbc"),
            &map(&[
                ("RT_DL1MK3_Speed.Speed", "Vehicle.Speed"),
                ("RT_DL1MK3_Analog_32.Analog_32", "Vehicle.OBD.ControlModuleVoltage"),
            ]),
        )
        .unwrap();
        // BO_ 2303360036 = 0x8000_0000 | 0x094A7C24; Speed 16|32@1- raw −1234567 · 1e-5.
        let speed = bytes("01 FF 79 29 ED FF 00 00");
        close(&can.decode(0x094A_7C24, true, &speed).unwrap(), &[(Signal::VehicleSpeed, -12.34567)]);
        close(&can.decode(2_303_360_036, false, &speed).unwrap(), &[(Signal::VehicleSpeed, -12.34567)]);
        // Analog_32 7|16@0+: big-endian 0x3039 = 12345 · 0.001.
        close(&can.decode(0x094C_8B24, true, &bytes("30 39")).unwrap(), &[(Signal::ControlModuleVoltage, 12.345)]);
        // The same id as a standard frame is another frame.
        assert_eq!(
            can.decode(0x094A_7C24, false, &speed),
            Err(DecodeError::UnknownFrame { id: 0x094A_7C24, kind: "standard" })
        );
    }

    #[test]
    fn unknown_ids_short_frames_and_bad_mappings_are_errors() {
        let dbc = shared_dbc("abs.dbc");
        let can = CanDecoder::from_dbc(&dbc, &map(&[("BREMSE_33.whlspeed_RR", "Vehicle.Speed")])).unwrap();
        assert_eq!(can.decode(0x7FF, false, &[0; 8]), Err(DecodeError::UnknownFrame { id: 0x7FF, kind: "standard" }));
        assert_eq!(
            can.decode(835, false, &[0; 7]).unwrap_err().to_string(),
            "frame BREMSE_33 has 7 data bytes: BREMSE_33.whlspeed_RR needs 8 bytes"
        );
        // A frame of the DBC without mapped signals decodes to nothing.
        assert_eq!(can.decode(588, false, &[0; 8]), Ok(vec![]));
        for (entry, reason) in [
            (("BREMSE_33", "Vehicle.Speed"), "expected MESSAGE.SIGNAL"),
            (("BREMSE_99.x", "Vehicle.Speed"), "no message BREMSE_99 in the dbc"),
            (("BREMSE_33.nope", "Vehicle.Speed"), "no signal nope in message BREMSE_33"),
            (("BREMSE_33.whlspeed_FL", "Vehicle.Nope"), "'Vehicle.Nope' is not a known vss signal"),
        ] {
            let err = CanDecoder::from_dbc(&dbc, &map(&[entry])).unwrap_err();
            assert_eq!(err, DecodeError::Mapping { key: entry.0.to_string(), reason: reason.to_string() });
        }
        let twice = map(&[("BREMSE_33.whlspeed_FL", "Vehicle.Speed"), ("BREMSE_33.whlspeed_FR", "Vehicle.Speed")]);
        assert!(CanDecoder::from_dbc(&dbc, &twice).unwrap_err().to_string().contains("already mapped"));
        assert!(matches!(CanDecoder::from_dbc("BO_ nonsense", &[]), Err(DecodeError::Dbc(_))));
    }

    #[test]
    fn dbc_bytes_are_read_as_cp1252_unless_utf8() {
        assert_eq!(dbc_text_from_bytes(b"\"\xB0/s\""), "\"°/s\"");
        assert_eq!(dbc_text_from_bytes("\"°C\"".as_bytes()), "\"°C\"");
        let abs = shared_dbc("abs.dbc");
        assert!(abs.contains("\"°/s\""));
    }

    #[test]
    fn carvrooom_dbc_maps_every_simulated_signal() {
        let can = CanDecoder::carvrooom().unwrap();
        let mut expected = vec![
            Signal::CoolantTemp,
            Signal::OilTemp,
            Signal::EngineSpeed,
            Signal::VehicleSpeed,
            Signal::Odometer,
            Signal::TransmissionTemp,
            Signal::BatteryVoltage,
        ];
        for wheel in Wheel::ALL {
            expected.push(Signal::PadWear(wheel));
            expected.push(Signal::TirePressure(wheel));
        }
        expected.sort();
        assert_eq!(can.signals(), expected);
    }

    #[test]
    fn carvrooom_frames_have_exact_bytes() {
        let can = CanDecoder::carvrooom().unwrap();
        let frames = can
            .encode(&[
                (Signal::CoolantTemp, 90.0),
                (Signal::PadWear(Wheel::RearRight), 42.5),
                (Signal::Odometer, 123_456.7),
            ])
            .unwrap();
        let frame = |id, ext, data: &str| CanFrame { id: CanId::Number(id), ext, data: data.to_string() };
        assert_eq!(
            frames,
            vec![
                // (90 + 40) / 0.1 = 1300 = 0x0514, oil temp left at raw 0.
                frame(0x500, false, "14050000"),
                // 123456.7 / 0.1 = 1234567 = 0x0012D687.
                frame(0x18FE_E000, true, "87D61200"),
                // 42.5 / 0.5 = 85 = 0x55 in the fourth byte.
                frame(0x18FF_0100, true, "00000055"),
            ]
        );
    }

    #[test]
    fn decode_of_encode_is_identity_within_resolution() {
        use rand::{Rng, SeedableRng};
        let can = CanDecoder::carvrooom().unwrap();
        let resolution = |s: Signal| match s {
            Signal::EngineSpeed => 0.25,
            Signal::VehicleSpeed => 0.01,
            Signal::BatteryVoltage => 0.001,
            Signal::PadWear(_) => 0.5,
            _ => 0.1,
        };
        let range = |s: Signal| match s {
            Signal::EngineSpeed => (0.0, 8000.0),
            Signal::VehicleSpeed => (0.0, 250.0),
            Signal::BatteryVoltage => (9.0, 15.0),
            Signal::PadWear(_) => (0.0, 100.0),
            Signal::TirePressure(_) => (150.0, 350.0),
            Signal::Odometer => (0.0, 2_000_000.0),
            _ => (-40.0, 215.0),
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let values: Vec<(Signal, f64)> = can
                .signals()
                .into_iter()
                .map(|s| {
                    let (lo, hi) = range(s);
                    (s, rng.random_range(lo..hi))
                })
                .collect();
            let mut decoded = Vec::new();
            for frame in can.encode(&values).unwrap() {
                let id = frame.id.value().unwrap();
                decoded.extend(can.decode(id, frame.ext, &bytes(&frame.data)).unwrap());
            }
            decoded.sort_by_key(|(s, _)| *s);
            assert_eq!(decoded.len(), values.len());
            for ((signal, value), (ds, dv)) in values.iter().zip(&decoded) {
                assert_eq!(signal, ds);
                assert!((value - dv.get()).abs() <= resolution(*signal) / 2.0 + 1e-9, "{signal}: {value} vs {dv:?}");
            }
        }
    }

    #[test]
    fn encoding_rejects_unmapped_signals_and_values_out_of_range() {
        let can = CanDecoder::carvrooom().unwrap();
        assert_eq!(
            can.encode(&[(Signal::FuelLevel, 50.0)]),
            Err(DecodeError::Unmapped("Vehicle.OBD.FuelLevel".to_string()))
        );
        assert!(matches!(can.encode(&[(Signal::CoolantTemp, -41.0)]), Err(DecodeError::OutOfRange { .. })));
        assert!(matches!(
            can.encode(&[(Signal::PadWear(Wheel::FrontLeft), 128.0)]),
            Err(DecodeError::OutOfRange { .. })
        ));
        assert!(matches!(can.encode(&[(Signal::Odometer, f64::NAN)]), Err(DecodeError::OutOfRange { .. })));
    }

    #[test]
    fn multiplexed_and_signed_values_round_trip_through_abs_dbc() {
        let can = CanDecoder::from_dbc(
            &shared_dbc("abs.dbc"),
            &map(&[("BREMSE_53.P_FA", "Vehicle.OBD.MAP"), ("BREMSE_52.SW_CAN_ident", "Vehicle.OBD.RunTime")]),
        )
        .unwrap();
        let frames = can.encode(&[(Signal::IntakePressure, -1.526), (Signal::RunTime, 3.0)]).unwrap();
        let frame = |id, data: &str| CanFrame { id: CanId::Number(id), ext: false, data: data.to_string() };
        assert_eq!(frames, vec![frame(1346, "0603000000000000"), frame(1472, "009CFF0000000000")]);
    }

    #[test]
    fn mapping_file_reads_the_signals_table() {
        let mapping = mapping_from_toml("[signals]\n\"A.b\" = \"Vehicle.Speed\"\n").unwrap();
        assert_eq!(mapping, map(&[("A.b", "Vehicle.Speed")]));
        assert!(matches!(mapping_from_toml("[signal]\n"), Err(DecodeError::MappingFile(_))));
        assert_eq!(mapping_from_toml(CARVROOOM_VSS).unwrap().len(), 15);
    }
}
