//! Degradation modes: the physical quantity each fault drives, how fast it
//! moves given the vehicle's use, and the limit at which the component
//! counts as failed in the ground truth.
//!
//! Each planted fault draws its own onset (5 %–60 % of the fault horizon),
//! its time to failure at typical use (log-normal, median 35 % of the
//! horizon, σ 0.45: a 60-day horizon gives a median of three weeks), a
//! tick-to-tick wobble of its rate and a sensor noise multiplier. The
//! vehicle's use then sets the actual pace:
//!
//! - **Pad wear** (sticking caliper): one wheel's pad wears a multiple of its
//!   normal rate, and normal wear is proportional to braking energy (urban
//!   stop-and-go wears several times faster per km than highway).
//!   Failure: the pad 100 % worn.
//! - **Cooling fault** (radiator fouling, weak fan or pump): the radiator's
//!   thermal resistance grows by a fouling factor `f` per day; the wax
//!   thermostat (86–98 °C) opens further to reject the engine's heat (∝ load)
//!   through it, so the coolant runs warmer inside the band, and above it
//!   once fully open. Failure: the coolant reaches 120 °C (hot days and
//!   heavy loads first).
//! - **Weak battery**: state of health (capacity) fades at an Arrhenius
//!   rate (doubling every 10 °C of ambient) plus a share per engine start;
//!   a worn battery rests at a lower voltage and sags further while parked.
//!   Failure: resting voltage at or below 11.5 V (no reliable crank).
//! - **Tire leak**: gauge pressure decays exponentially (flow through a
//!   small hole ∝ pressure), with time constant `τ`; the reading also
//!   follows tire temperature. Failure: pressure at or below 150 kPa.
//! - **Transmission overheating** (clutch or converter slip): slip grows
//!   with the energy sent through the gearbox (load × driving time) and
//!   adds heat ∝ slip × load to the fluid. Failure: fluid at 130 °C.
//!
//! Every limit is judged on the noise-free physical value; sensors report
//! it with noise.

use rand::Rng;
use rand::rngs::StdRng;
use schemas::{Component, Dtc};

use super::random::{normal, uniform};

/// A way a component degrades.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// Accelerated wear of one wheel's brake pads until 100 % worn.
    PadWear,
    /// Radiator thermal resistance rising until the coolant reaches 120 °C.
    CoolingFault,
    /// 12 V battery capacity fading until it rests at 11.5 V or below.
    WeakBattery,
    /// One tire losing pressure exponentially toward 150 kPa and below.
    TireLeak,
    /// Transmission slip heating the fluid to 130 °C.
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

    /// The physical value at which the component counts as failed
    /// (pad wear %, coolant °C, resting battery V, tire kPa, transmission °C).
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
}

/// Radiator fouling at which a typical vehicle (load 50 %, 15 °C) overheats:
/// 15 + 0.45 · 60 · (1 + f) = 120 °C.
pub(super) const COOLING_FOULING_AT_FAILURE: f64 = 2.9;
/// Battery state of health lost when a typical battery fails (from 1.0 to 0.55).
pub(super) const BATTERY_FADE_AT_FAILURE: f64 = 0.45;
/// Transmission slip at which the fluid reaches 130 °C at 50 % load.
pub(super) const SLIP_AT_FAILURE: f64 = 1.15;
/// Cold tire pressure at failure over nominal: the exponential leak loses
/// `ln(240 / 150)` time constants before failing.
pub(super) const LEAK_CONSTANTS_TO_FAILURE: f64 = 0.47;

/// One planned fault of one vehicle and what happened to it.
#[derive(Clone, Debug)]
pub(super) struct Fault {
    /// What degrades.
    pub mode: Mode,
    /// The wheel (0 FL, 1 FR, 2 RL, 3 RR) for pad wear and tire leaks.
    pub wheel: usize,
    /// Planned onset, event time ms.
    onset_ms: i64,
    /// Planned time from onset to failure at typical use, s.
    pub ttf_s: f64,
    /// Relative tick-to-tick variation of the rate.
    wobble: f64,
    /// Sensor noise multiplier of the degrading signal once the fault is active.
    pub noise: f64,
    /// The physical state: pad wear multiplier, radiator fouling, battery
    /// capacity lost, tire pressure lost (fraction), transmission slip.
    pub amount: f64,
    /// Event time and odometer the fault became active.
    pub started: Option<(i64, f64)>,
    /// Event time and odometer when the failure threshold was first crossed.
    pub failed: Option<(i64, f64)>,
}

impl Fault {
    /// Plans a fault: onset between 5 % and 60 % of the horizon, time to
    /// failure log-normal around 35 % of the horizon (some outlast the run).
    pub(super) fn plan(rng: &mut StdRng, mode: Mode, start_ms: i64, horizon_s: f64) -> Fault {
        let onset_s = uniform(rng, 0.05, 0.6) * horizon_s;
        let ttf_s = 0.35 * horizon_s * normal(rng, 0.0, 0.45).exp();
        Fault {
            mode,
            wheel: rng.random_range(0..4),
            onset_ms: start_ms + (onset_s * 1000.0) as i64,
            ttf_s: ttf_s.max(60.0),
            wobble: uniform(rng, 0.1, 0.6),
            noise: uniform(rng, 1.0, 2.5),
            amount: 0.0,
            started: None,
            failed: None,
        }
    }

    /// True once the fault has started.
    pub(super) fn active(&self) -> bool {
        self.started.is_some()
    }

    /// Starts the fault at its onset. Returns true on the tick it starts.
    pub(super) fn start(&mut self, ts_ms: i64, odometer_km: f64) -> bool {
        let starting = self.started.is_none() && ts_ms >= self.onset_ms;
        if starting {
            self.started = Some((ts_ms, odometer_km));
        }
        starting
    }

    /// This tick's rate multiplier (around 1, by the wobble, never negative).
    pub(super) fn jitter(&self, rng: &mut StdRng) -> f64 {
        normal(rng, 1.0, self.wobble).max(0.0)
    }

    /// Grows the fault's state by `rate · jitter` (once active).
    pub(super) fn grow(&mut self, rng: &mut StdRng, rate: f64) {
        if self.active() {
            self.amount += rate * self.jitter(rng);
        }
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
        // The failure constants are the physics of the typical vehicle.
        assert!((15.0 + 0.45 * 60.0 * (1.0 + COOLING_FOULING_AT_FAILURE) - 120.0).abs() < 0.5);
        assert!((LEAK_CONSTANTS_TO_FAILURE - (240.0f64 / 150.0).ln()).abs() < 0.005);
        assert!((78.0 + 0.12 * 50.0 + 40.0 * SLIP_AT_FAILURE - 130.0).abs() < 0.5);
    }

    #[test]
    fn faults_start_at_onset_with_varied_plans() {
        let mut rng = StdRng::seed_from_u64(5);
        let horizon_s = 60.0 * 86_400.0;
        let plans: Vec<Fault> = (0..400).map(|_| Fault::plan(&mut rng, Mode::CoolingFault, 0, horizon_s)).collect();
        assert!(plans.iter().all(|f| (0.05 * horizon_s * 1e3..=0.6 * horizon_s * 1e3).contains(&(f.onset_ms as f64))));
        let mut ttf: Vec<f64> = plans.iter().map(|f| f.ttf_s / 86_400.0).collect();
        ttf.sort_by(f64::total_cmp);
        let median = ttf[200];
        assert!((18.0..24.0).contains(&median), "{median}");
        assert!(ttf[20] < 12.0 && ttf[380] > 35.0, "{} {}", ttf[20], ttf[380]);
        let mut fault = plans[0].clone();
        assert!(!fault.start(fault.onset_ms - 1, 10.0));
        fault.grow(&mut rng, 1.0);
        assert_eq!(fault.amount, 0.0);
        assert!(fault.start(fault.onset_ms, 12.5));
        assert!(!fault.start(fault.onset_ms + 1, 13.0));
        assert_eq!(fault.started, Some((fault.onset_ms, 12.5)));
        fault.check_failure(119.0, 1, 2.0);
        assert_eq!(fault.failed, None);
        fault.check_failure(121.0, 3, 4.0);
        fault.check_failure(125.0, 5, 6.0);
        assert_eq!(fault.failed, Some((3, 4.0)));
    }
}
