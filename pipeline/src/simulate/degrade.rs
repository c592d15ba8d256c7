//! Degradation modes: how a fault starts, how fast it grows and what signal
//! value counts as the failure the ground truth records.
//!
//! Each fault is planned per vehicle with its own onset time, rate and
//! noise, all scaled to the run's fault horizon so that a run of any length
//! shows faults developing. Time-driven faults (cooling, battery, tire,
//! transmission) grow an `amount` (°C of extra heat, V of sag, kPa lost)
//! every tick after onset; brake pad wear grows per km driven.

use rand::Rng;
use rand::rngs::StdRng;
use schemas::{Component, Dtc};

use super::random::{normal, uniform};

/// A way a component degrades.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// Accelerated wear of one wheel's brake pads until 100 % worn.
    PadWear,
    /// Coolant temperature creeping up under load past 120 °C.
    CoolingFault,
    /// 12 V battery voltage sagging below 11.5 V.
    WeakBattery,
    /// One tire losing pressure toward 150 kPa and below.
    TireLeak,
    /// Transmission fluid temperature rising toward 140 °C.
    TransmissionOverheat,
}

impl Mode {
    /// Every mode, in a fixed order.
    pub const ALL: [Mode; 5] =
        [Mode::PadWear, Mode::CoolingFault, Mode::WeakBattery, Mode::TireLeak, Mode::TransmissionOverheat];

    /// The component the mode wears out.
    pub fn component(self) -> Component {
        match self {
            Mode::PadWear => Component::Brakes,
            Mode::CoolingFault => Component::Cooling,
            Mode::WeakBattery => Component::Battery,
            Mode::TireLeak => Component::Tires,
            Mode::TransmissionOverheat => Component::Transmission,
        }
    }

    /// The snake_case name written to the ground truth.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::PadWear => "pad_wear",
            Mode::CoolingFault => "cooling_fault",
            Mode::WeakBattery => "weak_battery",
            Mode::TireLeak => "tire_leak",
            Mode::TransmissionOverheat => "transmission_overheat",
        }
    }

    /// The signal value at which the component counts as failed
    /// (pad wear %, coolant °C, battery V, tire kPa, transmission °C).
    pub fn failure_threshold(self) -> f64 {
        match self {
            Mode::PadWear => 100.0,
            Mode::CoolingFault => 120.0,
            Mode::WeakBattery => 11.5,
            Mode::TireLeak => 150.0,
            Mode::TransmissionOverheat => 130.0,
        }
    }

    /// True when `value` is at or past the failure threshold.
    pub fn failed(self, value: f64) -> bool {
        self.beyond(value, self.failure_threshold())
    }

    /// True when `value` is at or past `level` in the mode's bad direction
    /// (lower for battery voltage and tire pressure, higher otherwise).
    pub(super) fn beyond(self, value: f64, level: f64) -> bool {
        match self {
            Mode::WeakBattery | Mode::TireLeak => value <= level,
            _ => value >= level,
        }
    }

    /// The stored trouble code the vehicle sets when the fault is near failure,
    /// with the signal level that sets it.
    pub(super) fn dtc(self) -> Option<(Dtc, f64)> {
        match self {
            // P0217 engine coolant over temperature condition.
            Mode::CoolingFault => Some((Dtc(0x0217), 112.0)),
            // P0562 system voltage low.
            Mode::WeakBattery => Some((Dtc(0x0562), 11.9)),
            // P0218 transmission fluid over temperature condition.
            Mode::TransmissionOverheat => Some((Dtc(0x0218), 122.0)),
            Mode::PadWear | Mode::TireLeak => None,
        }
    }

    /// How much the fault's amount must grow to reach failure on a typical
    /// vehicle (°C, V or kPa), and the most it grows to.
    fn reach_and_cap(self) -> (f64, f64) {
        match self {
            Mode::PadWear => (0.0, f64::INFINITY),
            Mode::CoolingFault => (31.0, 50.0),
            Mode::WeakBattery => (1.2, 2.2),
            Mode::TireLeak => (92.0, 130.0),
            Mode::TransmissionOverheat => (48.0, 62.0),
        }
    }
}

/// One planned fault of one vehicle and what happened to it.
#[derive(Clone, Debug)]
pub(super) struct Fault {
    /// What degrades.
    pub mode: Mode,
    /// The wheel (0 FL, 1 FR, 2 RL, 3 RR) for pad wear and tire leaks.
    pub wheel: usize,
    /// Planned onset, event time ms.
    onset_ms: i64,
    /// Planned time from onset to failure, s.
    ttf_s: f64,
    /// Relative tick-to-tick variation of the growth rate.
    wobble: f64,
    /// Sensor noise multiplier of the degrading signal once the fault is active.
    pub noise: f64,
    /// How far the fault has grown (°C, V, kPa); for pad wear the extra wear per km, %.
    pub amount: f64,
    /// Event time the fault became active, ms.
    pub started_ms: Option<i64>,
    /// Event time and odometer when the failure threshold was first crossed.
    pub failed: Option<(i64, f64)>,
}

impl Fault {
    /// Plans a fault: onset between 5 % and 50 % of the horizon, failure
    /// planned 30 %–110 % of the horizon after onset (some outlast the run).
    pub(super) fn plan(rng: &mut StdRng, mode: Mode, start_ms: i64, horizon_s: f64) -> Fault {
        let onset_s = uniform(rng, 0.05, 0.5) * horizon_s;
        Fault {
            mode,
            wheel: rng.random_range(0..4),
            onset_ms: start_ms + (onset_s * 1000.0) as i64,
            ttf_s: (uniform(rng, 0.3, 1.1) * horizon_s).max(1.0),
            wobble: uniform(rng, 0.1, 0.6),
            noise: uniform(rng, 1.0, 2.5),
            amount: 0.0,
            started_ms: None,
            failed: None,
        }
    }

    /// True once the fault has started.
    pub(super) fn active(&self) -> bool {
        self.started_ms.is_some()
    }

    /// Advances the fault to the tick at `ts_ms`: starts it at its onset and
    /// grows a time-driven fault by one tick's worth. Returns true on the tick it starts.
    pub(super) fn advance(&mut self, rng: &mut StdRng, ts_ms: i64, tick_s: f64) -> bool {
        let starting = self.started_ms.is_none() && ts_ms >= self.onset_ms;
        if starting {
            self.started_ms = Some(ts_ms);
        }
        if self.active() && self.mode != Mode::PadWear {
            let (reach, cap) = self.mode.reach_and_cap();
            let step = reach / self.ttf_s * tick_s * normal(rng, 1.0, self.wobble).max(0.0);
            self.amount = (self.amount + step).min(cap);
        }
        starting
    }

    /// Sets the accelerated pad wear at onset: the extra %/km that wears the
    /// pad from `wear` to 100 % in the planned time at `km_per_day`.
    pub(super) fn start_pad_wear(&mut self, wear: f64, km_per_day: f64) {
        let km = km_per_day * self.ttf_s / 86_400.0;
        self.amount = (100.0 - wear).max(0.0) / km.max(1.0);
    }

    /// The per-km pad wear multiplier of this tick (around 1, by the wobble).
    pub(super) fn pad_jitter(&self, rng: &mut StdRng) -> f64 {
        normal(rng, 1.0, self.wobble).max(0.0)
    }

    /// Records the first crossing of the failure threshold.
    pub(super) fn check_failure(&mut self, value: f64, ts_ms: i64, odometer_km: f64) {
        if self.active() && self.failed.is_none() && self.mode.failed(value) {
            self.failed = Some((ts_ms, odometer_km));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn thresholds_point_the_right_way() {
        assert!(Mode::PadWear.failed(100.0) && !Mode::PadWear.failed(99.9));
        assert!(Mode::WeakBattery.failed(11.5) && !Mode::WeakBattery.failed(11.6));
        assert!(Mode::TireLeak.failed(149.0) && !Mode::TireLeak.failed(151.0));
        assert!(Mode::CoolingFault.failed(120.0) && Mode::TransmissionOverheat.failed(130.5));
        assert_eq!(
            Mode::ALL.map(|m| m.component().as_str()),
            ["brakes", "cooling", "battery", "tires", "transmission"]
        );
    }

    #[test]
    fn a_fault_starts_at_onset_and_grows_to_its_reach_in_the_planned_time() {
        let mut rng = StdRng::seed_from_u64(5);
        let mut fault = Fault::plan(&mut rng, Mode::CoolingFault, 0, 100_000.0);
        assert!((5_000_000..=50_000_000).contains(&fault.onset_ms));
        let ttf_s = fault.ttf_s;
        let mut ts = 0;
        let mut started = 0;
        while fault.amount < 31.0 && ts < 1_000_000_000 {
            started += u32::from(fault.advance(&mut rng, ts, 60.0));
            ts += 60_000;
        }
        assert_eq!(started, 1);
        let took_s = (ts - fault.started_ms.unwrap()) as f64 / 1000.0;
        assert!((took_s - ttf_s).abs() < 0.15 * ttf_s, "{took_s} vs {ttf_s}");
        fault.check_failure(119.0, 1, 2.0);
        assert_eq!(fault.failed, None);
        fault.check_failure(121.0, 3, 4.0);
        fault.check_failure(125.0, 5, 6.0);
        assert_eq!(fault.failed, Some((3, 4.0)));
    }
}
