//! Decoding of telemetry messages into normalized signal values.
//!
//! One Kafka record carries a JSON body ([`schemas::TelemetryBody`]) whose
//! items come in three forms: already-named VSS readings, OBD-II responses
//! (Mode 01 PIDs by the SAE J1979 formulas, Mode 03 trouble codes) and raw
//! CAN frames decoded through a DBC file. [`decode_record`] turns one record
//! into a [`schemas::Telemetry`] plus a dead letter for every part that could
//! not be used; the submodules decode one item kind each.

pub mod can;
pub mod dtc;
pub mod json;
pub mod obd;

pub use can::{CanDecoder, dbc_text_from_bytes, mapping_from_toml};
pub use dtc::decode_mode03;
pub use json::decode_record;
pub use obd::{decode_mode01, decode_obd, parse_hex};

/// The configured decoders a record is decoded with.
#[derive(Clone, Debug, Default)]
pub struct Decoders {
    /// The CAN decoder (DBC file plus VSS mapping); `None` rejects every CAN frame.
    pub can: Option<CanDecoder>,
}

/// Why an item (or a decoder's configuration) could not be decoded.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DecodeError {
    /// The text is not an even number of hex digits.
    #[error("'{text}' is not hex bytes: {reason}")]
    BadHex {
        /// The offending text.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An OBD-II response without any bytes.
    #[error("empty obd response")]
    EmptyResponse,
    /// An OBD-II response whose service byte is neither `41` nor `43`.
    #[error("unsupported obd response service 0x{0:02X} (expected 41 or 43)")]
    UnknownService(u8),
    /// A Mode 01 response naming a PID this decoder has no formula for.
    #[error("unsupported mode 01 pid 0x{0:02X}")]
    UnknownPid(u8),
    /// A Mode 01 response with the wrong number of data bytes for its PID.
    #[error("mode 01 pid 0x{pid:02X} needs {expected} data bytes, got {got}")]
    PidLength {
        /// The PID.
        pid: u8,
        /// Data bytes the formula uses.
        expected: usize,
        /// Data bytes present.
        got: usize,
    },
    /// A Mode 03 response whose codes are not whole 2-byte pairs.
    #[error("mode 03 response has {0} bytes after 43, not whole 2-byte codes")]
    DtcLength(usize),
    /// The DBC text does not parse.
    #[error("dbc does not parse: {0}")]
    Dbc(String),
    /// The VSS mapping file does not parse.
    #[error("vss mapping does not parse: {0}")]
    MappingFile(String),
    /// A mapping entry that names no DBC signal or no VSS signal.
    #[error("mapping entry '{key}': {reason}")]
    Mapping {
        /// The `MESSAGE.SIGNAL` key.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A frame id the DBC does not define.
    #[error("can id 0x{id:X} ({kind}) is not in the dbc")]
    UnknownFrame {
        /// The identifier.
        id: u32,
        /// `standard` or `extended`.
        kind: &'static str,
    },
    /// A frame too short for a mapped signal, or longer than a CAN FD frame.
    #[error("frame {message} has {got} data bytes: {reason}")]
    FrameLength {
        /// The DBC message name.
        message: String,
        /// Data bytes present.
        got: usize,
        /// What the frame needed.
        reason: String,
    },
    /// A value that cannot be represented in a signal's raw bits (encoding).
    #[error("value {value} does not fit {signal}: {reason}")]
    OutOfRange {
        /// The `MESSAGE.SIGNAL` it was meant for.
        signal: String,
        /// The value.
        value: f64,
        /// The representable range.
        reason: String,
    },
    /// A signal the CAN mapping does not carry (encoding).
    #[error("signal {0} is not mapped to any dbc signal")]
    Unmapped(String),
    /// A decoded value that is NaN or infinite.
    #[error("{0} decoded to a non-finite value")]
    NonFinite(String),
}
