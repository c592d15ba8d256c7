//! OBD-II responses: SAE J1979 Mode 01 PIDs to VSS signal values, and the
//! dispatch of a hex response string to Mode 01 or Mode 03 ([`super::dtc`]).

use schemas::{Signal, Value};

use super::{DecodeError, dtc};

/// Parses hex bytes as sent by a scan tool: `41 0C 0E 70` or `410C0E70`.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, DecodeError> {
    let digits: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    hex::decode(&digits).map_err(|e| DecodeError::BadHex { text: text.to_string(), reason: e.to_string() })
}

/// Decodes one OBD-II response: a Mode 01 PID gives one value, a Mode 03
/// list gives one `Signal::Dtc` per stored code, each with value 1.
pub fn decode_obd(text: &str) -> Result<Vec<(Signal, Value)>, DecodeError> {
    let bytes = parse_hex(text)?;
    match bytes.first() {
        None => Err(DecodeError::EmptyResponse),
        Some(0x41) => decode_mode01(&bytes).map(|reading| vec![reading]),
        Some(0x43) => Ok(dtc::decode_mode03(&bytes)?.into_iter().map(|code| (Signal::Dtc(code), Value(1.0))).collect()),
        Some(other) => Err(DecodeError::UnknownService(*other)),
    }
}

/// A J1979 formula: data bytes A, B, … to the value.
type ValueFn = fn(&[f64]) -> f64;

/// The formula of one PID: its signal, data-byte count and value function.
struct Formula {
    signal: Signal,
    bytes: usize,
    value: ValueFn,
}

fn percent(d: &[f64]) -> f64 {
    d[0] * 100.0 / 255.0
}

fn celsius(d: &[f64]) -> f64 {
    d[0] - 40.0
}

fn single(d: &[f64]) -> f64 {
    d[0]
}

fn word(d: &[f64]) -> f64 {
    256.0 * d[0] + d[1]
}

fn formula(pid: u8) -> Option<Formula> {
    let (signal, bytes, value): (Signal, usize, ValueFn) = match pid {
        0x04 => (Signal::EngineLoad, 1, percent),
        0x05 => (Signal::CoolantTemp, 1, celsius),
        0x0B => (Signal::IntakePressure, 1, single),
        0x0C => (Signal::EngineSpeed, 2, |d| word(d) / 4.0),
        0x0D => (Signal::VehicleSpeed, 1, single),
        0x0F => (Signal::IntakeTemp, 1, celsius),
        0x10 => (Signal::AirFlow, 2, |d| word(d) / 100.0),
        0x11 => (Signal::ThrottlePosition, 1, percent),
        0x1F => (Signal::RunTime, 2, word),
        0x21 => (Signal::DistanceWithMil, 2, word),
        0x2F => (Signal::FuelLevel, 1, percent),
        0x31 => (Signal::DistanceSinceDtcClear, 2, word),
        0x42 => (Signal::ControlModuleVoltage, 2, |d| word(d) / 1000.0),
        0x46 => (Signal::AmbientTemp, 1, celsius),
        0x4E => (Signal::TimeSinceDtcClear, 2, word),
        0x5C => (Signal::OilTemp, 1, celsius),
        0xA6 => (Signal::Odometer, 4, |d| (d[0] * 16_777_216.0 + d[1] * 65_536.0 + d[2] * 256.0 + d[3]) / 10.0),
        _ => return None,
    };
    Some(Formula { signal, bytes, value })
}

/// Decodes a Mode 01 response `41 PID A B …` by the J1979 formula of its PID.
///
/// The number of data bytes must be exactly what the PID's formula reads.
pub fn decode_mode01(bytes: &[u8]) -> Result<(Signal, Value), DecodeError> {
    let (pid, data) = match bytes {
        [0x41, pid, data @ ..] => (*pid, data),
        [0x41] => {
            return Err(DecodeError::PidLength { pid: 0, expected: 1, got: 0 });
        }
        [] => return Err(DecodeError::EmptyResponse),
        [other, ..] => return Err(DecodeError::UnknownService(*other)),
    };
    let formula = formula(pid).ok_or(DecodeError::UnknownPid(pid))?;
    if data.len() != formula.bytes {
        return Err(DecodeError::PidLength { pid, expected: formula.bytes, got: data.len() });
    }
    let data: Vec<f64> = data.iter().map(|b| f64::from(*b)).collect();
    Ok((formula.signal, Value((formula.value)(&data))))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn one(text: &str) -> (Signal, f64) {
        let out = decode_obd(text).unwrap();
        assert_eq!(out.len(), 1, "{text}");
        (out[0].0, out[0].1.get())
    }

    #[test]
    fn every_worked_example_of_the_reference_decodes_exactly() {
        let exact = [
            ("41 04 FF", Signal::EngineLoad, 100.0),
            ("41 05 7B", Signal::CoolantTemp, 83.0),
            ("41 05 00", Signal::CoolantTemp, -40.0),
            ("41 05 FF", Signal::CoolantTemp, 215.0),
            ("41 0B 65", Signal::IntakePressure, 101.0),
            ("41 0C 0E 70", Signal::EngineSpeed, 924.0),
            ("41 0D 50", Signal::VehicleSpeed, 80.0),
            ("41 0F 46", Signal::IntakeTemp, 30.0),
            ("41 10 01 F4", Signal::AirFlow, 5.0),
            ("41 1F 01 2C", Signal::RunTime, 300.0),
            ("41 21 00 0A", Signal::DistanceWithMil, 10.0),
            ("41 31 03 E8", Signal::DistanceSinceDtcClear, 1000.0),
            ("41 42 36 B0", Signal::ControlModuleVoltage, 14.0),
            ("41 46 3C", Signal::AmbientTemp, 20.0),
            ("41 4E 00 3C", Signal::TimeSinceDtcClear, 60.0),
            ("41 5C 82", Signal::OilTemp, 90.0),
            ("41 A6 00 01 86 A0", Signal::Odometer, 10000.0),
        ];
        for (text, signal, value) in exact {
            assert_eq!(one(text), (signal, value), "{text}");
        }
        // The reference rounds 128·100/255 = 50.196… to one decimal.
        for (text, signal) in [("41 11 80", Signal::ThrottlePosition), ("41 2F 80", Signal::FuelLevel)] {
            let (s, v) = one(text);
            assert_eq!(s, signal);
            assert_eq!(v, 128.0 * 100.0 / 255.0);
            assert_eq!(format!("{v:.1}"), "50.2");
        }
    }

    #[test]
    fn spaces_are_optional_and_case_does_not_matter() {
        assert_eq!(one("410c0e70"), (Signal::EngineSpeed, 924.0));
        assert_eq!(one(" 41 0C\t0E70 "), (Signal::EngineSpeed, 924.0));
    }

    #[test]
    fn bad_responses_are_errors_that_say_why() {
        assert_eq!(decode_obd("41 07 80"), Err(DecodeError::UnknownPid(0x07)));
        assert_eq!(decode_obd("41 0C 0E"), Err(DecodeError::PidLength { pid: 0x0C, expected: 2, got: 1 }));
        assert_eq!(decode_obd("41 05 7B 00"), Err(DecodeError::PidLength { pid: 0x05, expected: 1, got: 2 }));
        assert_eq!(decode_obd(""), Err(DecodeError::EmptyResponse));
        assert_eq!(decode_obd("42 05 7B"), Err(DecodeError::UnknownService(0x42)));
        assert!(matches!(decode_obd("41 0G"), Err(DecodeError::BadHex { .. })));
        assert!(matches!(decode_obd("41 0"), Err(DecodeError::BadHex { .. })));
        assert_eq!(DecodeError::UnknownPid(7).to_string(), "unsupported mode 01 pid 0x07");
    }

    #[test]
    fn mode_03_lists_become_dtc_signals_with_value_one() {
        let out = decode_obd("43 01 04 41 23").unwrap();
        assert_eq!(
            out,
            vec![(Signal::Dtc(schemas::Dtc(0x0104)), Value(1.0)), (Signal::Dtc(schemas::Dtc(0x4123)), Value(1.0))]
        );
    }
}
