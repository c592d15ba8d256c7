//! Normalized signals, named as COVESA VSS names them and measured in the
//! units VSS declares for each.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::component::Component;

/// A wheel position, by VSS axle row and side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Wheel {
    /// `Axle.Row1.Wheel.Left`
    FrontLeft,
    /// `Axle.Row1.Wheel.Right`
    FrontRight,
    /// `Axle.Row2.Wheel.Left`
    RearLeft,
    /// `Axle.Row2.Wheel.Right`
    RearRight,
}

impl Wheel {
    /// Every wheel, front to rear, left to right.
    pub const ALL: [Wheel; 4] = [Wheel::FrontLeft, Wheel::FrontRight, Wheel::RearLeft, Wheel::RearRight];

    fn vss_path(self) -> &'static str {
        match self {
            Wheel::FrontLeft => "Vehicle.Chassis.Axle.Row1.Wheel.Left",
            Wheel::FrontRight => "Vehicle.Chassis.Axle.Row1.Wheel.Right",
            Wheel::RearLeft => "Vehicle.Chassis.Axle.Row2.Wheel.Left",
            Wheel::RearRight => "Vehicle.Chassis.Axle.Row2.Wheel.Right",
        }
    }
}

/// A diagnostic trouble code, in its two-byte J1979 encoding
/// (letter in the top two bits, then four hex digits' worth of bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Dtc(pub u16);

impl Dtc {
    /// The system letter: P (powertrain), C (chassis), B (body), U (network).
    pub fn letter(self) -> char {
        ['P', 'C', 'B', 'U'][usize::from(self.0 >> 14)]
    }

    /// Parses the printed form, e.g. `P0104`.
    pub fn parse(code: &str) -> Option<Dtc> {
        let bytes = code.as_bytes();
        if bytes.len() != 5 {
            return None;
        }
        let letter = match bytes[0].to_ascii_uppercase() {
            b'P' => 0u16,
            b'C' => 1,
            b'B' => 2,
            b'U' => 3,
            _ => return None,
        };
        let first = (bytes[1] as char).to_digit(4)? as u16;
        let rest = u16::from_str_radix(&code[2..], 16).ok()?;
        Some(Dtc(letter << 14 | first << 12 | rest))
    }
}

impl fmt::Display for Dtc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{:03X}", self.letter(), (self.0 >> 12) & 0x3, self.0 & 0x0FFF)
    }
}

/// A normalized signal: one VSS leaf (plus the wheel or DTC it is about).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Signal {
    /// `Vehicle.Powertrain.CombustionEngine.ECT`, engine coolant temperature, °C.
    CoolantTemp,
    /// `Vehicle.Powertrain.CombustionEngine.EOT`, engine oil temperature, °C.
    OilTemp,
    /// `Vehicle.Powertrain.CombustionEngine.Speed`, engine speed, rpm.
    EngineSpeed,
    /// `Vehicle.Speed`, vehicle speed, km/h.
    VehicleSpeed,
    /// `Vehicle.TraveledDistance`, odometer, km.
    Odometer,
    /// `Vehicle.OBD.EngineLoad`, calculated engine load, %.
    EngineLoad,
    /// `Vehicle.OBD.MAP`, intake manifold absolute pressure, kPa.
    IntakePressure,
    /// `Vehicle.OBD.IntakeTemp`, intake air temperature, °C.
    IntakeTemp,
    /// `Vehicle.OBD.MAF`, mass air flow, g/s.
    AirFlow,
    /// `Vehicle.OBD.ThrottlePosition`, throttle position, %.
    ThrottlePosition,
    /// `Vehicle.OBD.RunTime`, run time since engine start, s.
    RunTime,
    /// `Vehicle.OBD.DistanceWithMIL`, distance travelled with the MIL on, km.
    DistanceWithMil,
    /// `Vehicle.OBD.FuelLevel`, fuel tank level, %.
    FuelLevel,
    /// `Vehicle.OBD.DistanceSinceDTCClear`, km.
    DistanceSinceDtcClear,
    /// `Vehicle.OBD.ControlModuleVoltage`, V.
    ControlModuleVoltage,
    /// `Vehicle.OBD.AmbientAirTemperature`, °C.
    AmbientTemp,
    /// `Vehicle.OBD.TimeSinceDTCCleared`, min.
    TimeSinceDtcClear,
    /// `Vehicle.Powertrain.Transmission.Temperature`, °C.
    TransmissionTemp,
    /// `Vehicle.LowVoltageBattery.CurrentVoltage`, 12 V battery voltage, V.
    BatteryVoltage,
    /// `Vehicle.Chassis.Axle.RowN.Wheel.Side.Brake.PadWear`, pad wear, % (0 new, 100 worn out).
    PadWear(Wheel),
    /// `Vehicle.Chassis.Axle.RowN.Wheel.Side.Tire.Pressure`, kPa.
    TirePressure(Wheel),
    /// `Vehicle.OBD.DTCList` entry: the code is stored (value 1 = present).
    Dtc(Dtc),
    /// `Asset.Usage.Cycles`: cycles run so far, the usage axis of assets that count cycles.
    Cycles,
    /// `Asset.Turbofan.SettingN`: operational setting N (1–3) of a turbofan (altitude, Mach, throttle).
    Setting(u8),
    /// `Asset.Turbofan.SensorN`: gas-path measurement N (1–21) of a turbofan, as C-MAPSS numbers them.
    Sensor(u8),
}

/// Operational settings a turbofan reports.
pub const TURBOFAN_SETTINGS: u8 = 3;
/// Gas-path sensors a turbofan reports.
pub const TURBOFAN_SENSORS: u8 = 21;

impl Signal {
    /// Every scalar signal (wheel signals for every wheel; DTCs excluded).
    pub fn scalars() -> Vec<Signal> {
        let mut all = vec![
            Signal::CoolantTemp,
            Signal::OilTemp,
            Signal::EngineSpeed,
            Signal::VehicleSpeed,
            Signal::Odometer,
            Signal::EngineLoad,
            Signal::IntakePressure,
            Signal::IntakeTemp,
            Signal::AirFlow,
            Signal::ThrottlePosition,
            Signal::RunTime,
            Signal::DistanceWithMil,
            Signal::FuelLevel,
            Signal::DistanceSinceDtcClear,
            Signal::ControlModuleVoltage,
            Signal::AmbientTemp,
            Signal::TimeSinceDtcClear,
            Signal::TransmissionTemp,
            Signal::BatteryVoltage,
        ];
        for wheel in Wheel::ALL {
            all.push(Signal::PadWear(wheel));
            all.push(Signal::TirePressure(wheel));
        }
        all.push(Signal::Cycles);
        all.extend((1..=TURBOFAN_SETTINGS).map(Signal::Setting));
        all.extend((1..=TURBOFAN_SENSORS).map(Signal::Sensor));
        all
    }

    /// The VSS name (for a DTC: `Vehicle.OBD.DTCList`).
    pub fn vss_name(self) -> String {
        let fixed = match self {
            Signal::CoolantTemp => "Vehicle.Powertrain.CombustionEngine.ECT",
            Signal::OilTemp => "Vehicle.Powertrain.CombustionEngine.EOT",
            Signal::EngineSpeed => "Vehicle.Powertrain.CombustionEngine.Speed",
            Signal::VehicleSpeed => "Vehicle.Speed",
            Signal::Odometer => "Vehicle.TraveledDistance",
            Signal::EngineLoad => "Vehicle.OBD.EngineLoad",
            Signal::IntakePressure => "Vehicle.OBD.MAP",
            Signal::IntakeTemp => "Vehicle.OBD.IntakeTemp",
            Signal::AirFlow => "Vehicle.OBD.MAF",
            Signal::ThrottlePosition => "Vehicle.OBD.ThrottlePosition",
            Signal::RunTime => "Vehicle.OBD.RunTime",
            Signal::DistanceWithMil => "Vehicle.OBD.DistanceWithMIL",
            Signal::FuelLevel => "Vehicle.OBD.FuelLevel",
            Signal::DistanceSinceDtcClear => "Vehicle.OBD.DistanceSinceDTCClear",
            Signal::ControlModuleVoltage => "Vehicle.OBD.ControlModuleVoltage",
            Signal::AmbientTemp => "Vehicle.OBD.AmbientAirTemperature",
            Signal::TimeSinceDtcClear => "Vehicle.OBD.TimeSinceDTCCleared",
            Signal::TransmissionTemp => "Vehicle.Powertrain.Transmission.Temperature",
            Signal::BatteryVoltage => "Vehicle.LowVoltageBattery.CurrentVoltage",
            Signal::PadWear(w) => return format!("{}.Brake.PadWear", w.vss_path()),
            Signal::TirePressure(w) => return format!("{}.Tire.Pressure", w.vss_path()),
            Signal::Dtc(_) => "Vehicle.OBD.DTCList",
            Signal::Cycles => "Asset.Usage.Cycles",
            Signal::Setting(n) => return format!("Asset.Turbofan.Setting{n}"),
            Signal::Sensor(n) => return format!("Asset.Turbofan.Sensor{n}"),
        };
        fixed.to_string()
    }

    /// Looks a scalar signal up by its VSS name.
    pub fn from_vss(name: &str) -> Option<Signal> {
        Signal::scalars().into_iter().find(|s| s.vss_name() == name)
    }

    /// The VSS unit of the signal's values.
    pub fn unit(self) -> &'static str {
        match self {
            Signal::CoolantTemp
            | Signal::OilTemp
            | Signal::IntakeTemp
            | Signal::AmbientTemp
            | Signal::TransmissionTemp => "celsius",
            Signal::EngineSpeed => "rpm",
            Signal::VehicleSpeed => "km/h",
            Signal::Odometer | Signal::DistanceWithMil | Signal::DistanceSinceDtcClear => "km",
            Signal::EngineLoad | Signal::ThrottlePosition | Signal::FuelLevel | Signal::PadWear(_) => "percent",
            Signal::IntakePressure | Signal::TirePressure(_) => "kPa",
            Signal::AirFlow => "g/s",
            Signal::RunTime => "s",
            Signal::TimeSinceDtcClear => "min",
            Signal::ControlModuleVoltage | Signal::BatteryVoltage => "V",
            Signal::Dtc(_) => "code",
            Signal::Cycles => "cycles",
            Signal::Setting(_) | Signal::Sensor(_) => "raw",
        }
    }

    /// The component whose health this signal informs, if any.
    ///
    /// DTCs go by their letter: P codes to the engine, C codes to the brakes
    /// (chassis); B and U codes inform no component score.
    pub fn component(self) -> Option<Component> {
        match self {
            Signal::OilTemp | Signal::EngineSpeed | Signal::EngineLoad => Some(Component::Engine),
            Signal::CoolantTemp => Some(Component::Cooling),
            Signal::PadWear(_) => Some(Component::Brakes),
            Signal::TransmissionTemp => Some(Component::Transmission),
            Signal::BatteryVoltage | Signal::ControlModuleVoltage => Some(Component::Battery),
            Signal::TirePressure(_) => Some(Component::Tires),
            Signal::Setting(_) | Signal::Sensor(_) => Some(Component::Turbofan),
            Signal::Dtc(d) => match d.letter() {
                'P' => Some(Component::Engine),
                'C' => Some(Component::Brakes),
                _ => None,
            },
            _ => None,
        }
    }
}

impl Signal {
    /// True for the usage-axis signals (odometer, cycles) RUL is measured along.
    pub fn is_usage(self) -> bool {
        matches!(self, Signal::Odometer | Signal::Cycles)
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Signal::Dtc(d) => write!(f, "{}[{}]", self.vss_name(), d),
            _ => f.write_str(&self.vss_name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtc_round_trips_through_its_printed_form() {
        for (raw, text) in [(0x0104, "P0104"), (0x8003, "B0003"), (0x4123, "C0123"), (0xC100, "U0100")] {
            assert_eq!(Dtc(raw).to_string(), text);
            assert_eq!(Dtc::parse(text), Some(Dtc(raw)));
        }
        assert_eq!(Dtc::parse("X0104"), None);
    }

    #[test]
    fn every_scalar_signal_round_trips_through_its_vss_name() {
        for s in Signal::scalars() {
            assert_eq!(Signal::from_vss(&s.vss_name()), Some(s));
        }
        assert_eq!(Signal::PadWear(Wheel::RearRight).vss_name(), "Vehicle.Chassis.Axle.Row2.Wheel.Right.Brake.PadWear");
        assert_eq!(Signal::from_vss("Vehicle.Nope"), None);
    }
}
