//! One simulated vehicle: its profile, duty cycle (daily shift, trips and
//! parked periods) and physics, stepped one tick of event time at a time
//! into a [`Snapshot`] of noisy sensor readings.
//!
//! Temperatures follow first-order lags toward a target (warm under load,
//! ambient when parked); battery voltage is the alternator's when running
//! and the resting voltage when parked; tire pressure follows tire
//! temperature; pad wear grows with braking (kilometres, profile and
//! decelerations). Faults change the physics behind these noise-free values
//! (see [`super::degrade`]), and their failure is judged on them.

use std::collections::BTreeSet;
use std::f64::consts::TAU;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use schemas::Dtc;

use super::degrade::{
    BATTERY_FADE_AT_FAILURE, COOLING_FOULING_AT_FAILURE, Fault, LEAK_CONSTANTS_TO_FAILURE, Mode, SLIP_AT_FAILURE,
};
use super::profile::{Profile, engine_rpm};
use super::random::{exponential, normal, uniform};

/// The readings of one vehicle at one tick, as its sensors report them.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Snapshot {
    /// Event time, ms.
    pub ts_ms: i64,
    /// Odometer, km (0.1 km steps).
    pub odometer_km: f64,
    /// Vehicle speed, km/h.
    pub speed_kmh: f64,
    /// Engine speed, rpm (0 with the engine off).
    pub engine_rpm: f64,
    /// Calculated engine load, %.
    pub engine_load: f64,
    /// Engine coolant temperature, °C.
    pub coolant_c: f64,
    /// Engine oil temperature, °C.
    pub oil_c: f64,
    /// Ambient air temperature, °C.
    pub ambient_c: f64,
    /// Transmission fluid temperature, °C.
    pub transmission_c: f64,
    /// 12 V battery voltage, V.
    pub battery_v: f64,
    /// Brake pad wear FL, FR, RL, RR, % (0.5 % steps).
    pub pad_wear: [f64; 4],
    /// Tire pressure FL, FR, RL, RR, kPa.
    pub tire_kpa: [f64; 4],
    /// Stored trouble codes.
    pub dtcs: Vec<Dtc>,
}

/// Whether the vehicle is on a trip or parked, and for how many more ticks.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Duty {
    Driving(u32),
    Parked(u32),
}

/// Normal pad wear per braked km, % (front axle, rear axle).
const PAD_WEAR_PER_KM: [f64; 2] = [0.0018, 0.0011];

/// Fixed traits of a vehicle, drawn once.
#[derive(Clone, Debug)]
pub(super) struct Traits {
    /// The vehicle id (record key).
    pub id: String,
    /// The fleet (tenant).
    pub fleet: String,
    /// Second of the tick at which this vehicle reports (vehicles are not in step).
    pub phase_s: i64,
    /// True when the vehicle answers Mode 03 in the ISO 15765 (count byte) form.
    pub iso_tp: bool,
}

/// One vehicle's state between ticks.
#[derive(Clone, Debug)]
pub(super) struct Vehicle {
    pub traits: Traits,
    rng: StdRng,
    profile: Profile,
    tick_s: f64,
    km_per_day: f64,
    shift_start_h: f64,
    shift_hours: f64,
    /// Mean parked gap between trips inside the shift, ticks.
    gap_ticks: f64,
    /// Planned hours of driving per day.
    driving_hours: f64,
    climate_c: f64,
    sensor_noise: f64,
    duty: Duty,
    parked_s: f64,
    odometer_km: f64,
    speed_kmh: f64,
    coolant_c: f64,
    oil_c: f64,
    transmission_c: f64,
    tire_temp_c: f64,
    /// Tire pressure at 20 °C before any leak, kPa.
    tire_cold_kpa: [f64; 4],
    pad_wear: [f64; 4],
    dtcs: BTreeSet<Dtc>,
    /// The vehicle's faults (empty for a healthy vehicle).
    pub faults: Vec<Fault>,
}

fn hour_of_day(ts_ms: i64) -> f64 {
    ts_ms.div_euclid(1000).rem_euclid(86_400) as f64 / 3_600.0
}

/// Coolant temperature at which the wax thermostat starts to open, °C.
const THERMOSTAT_OPENS_C: f64 = 86.0;
/// Coolant temperature at which the thermostat is fully open, °C.
const THERMOSTAT_FULL_OPEN_C: f64 = 98.0;

/// Steady coolant temperature behind a wax thermostat, °C.
///
/// `rise` is the radiator's temperature rise over ambient when fully open:
/// the engine's heat times the radiator's (fouled) thermal resistance. The
/// thermostat opens in proportion to how far the coolant is past its opening
/// temperature, and an opening `u` rejects `u · (T − ambient) / R`; the
/// balance `(T − open) · (T − ambient) = band · rise` puts the coolant inside
/// the band while the radiator keeps up, higher the more it must open (so a
/// fouled radiator runs warmer), and at `ambient + rise` once fully open.
fn thermostat_coolant(ambient: f64, rise: f64) -> f64 {
    let band = THERMOSTAT_FULL_OPEN_C - THERMOSTAT_OPENS_C;
    let gap = THERMOSTAT_OPENS_C - ambient;
    let past_opening = (-gap + (gap * gap + 4.0 * band * rise).sqrt()) / 2.0;
    (THERMOSTAT_OPENS_C + past_opening).min(THERMOSTAT_FULL_OPEN_C).max(ambient + rise)
}

/// Moves `value` toward `target` by one tick of a first-order lag with time constant `tau_s`.
fn relax(value: f64, target: f64, tick_s: f64, tau_s: f64) -> f64 {
    value + (target - value) * (1.0 - (-tick_s / tau_s).exp())
}

/// Rounds to `1 / per_unit` steps (`per_unit` 10 → 0.1), giving the double nearest the decimal.
fn round_to(value: f64, per_unit: f64) -> f64 {
    (value * per_unit).round() / per_unit
}

/// Rounds down to `1 / per_unit` steps.
fn floor_to(value: f64, per_unit: f64) -> f64 {
    (value * per_unit).floor() / per_unit
}

fn ticks(seconds: f64, tick_s: f64) -> u32 {
    (seconds / tick_s).round().clamp(1.0, f64::from(u32::MAX)) as u32
}

impl Vehicle {
    /// Draws a vehicle from `seed`: profile, mileage, shift, climate and wear.
    pub(super) fn new(
        traits: Traits,
        seed: u64,
        climate_c: f64,
        tick_s: f64,
        start_ms: i64,
        faults: Vec<Fault>,
    ) -> Vehicle {
        let mut rng = StdRng::seed_from_u64(seed);
        let profile = Profile::ALL[rng.random_range(0..Profile::ALL.len())];
        let (lo, hi) = profile.km_per_day();
        let km_per_day = uniform(&mut rng, lo, hi);
        let shift_start_h = f64::from(rng.random_range(4..11u8));
        let shift_hours = f64::from(rng.random_range(10..17u8));
        let driving_hours = (km_per_day / profile.mean_speed()).min(0.9 * shift_hours);
        let trip_ticks = profile.trip_minutes() * 60.0 / tick_s;
        let gap_ticks = trip_ticks * (shift_hours - driving_hours) / driving_hours;
        let tire_cold_kpa = [0; 4].map(|_| normal(&mut rng, 240.0, 3.0).clamp(230.0, 250.0));
        let pad_wear =
            [0, 1, 2, 3].map(|w| if w < 2 { uniform(&mut rng, 5.0, 45.0) } else { uniform(&mut rng, 3.0, 35.0) });
        let mut vehicle = Vehicle {
            traits,
            profile,
            tick_s,
            km_per_day,
            shift_start_h,
            shift_hours,
            gap_ticks,
            driving_hours,
            climate_c,
            sensor_noise: uniform(&mut rng, 0.6, 1.5),
            duty: Duty::Parked(1),
            parked_s: 0.0,
            odometer_km: uniform(&mut rng, 5_000.0, 180_000.0),
            speed_kmh: 0.0,
            coolant_c: 0.0,
            oil_c: 0.0,
            transmission_c: 0.0,
            tire_temp_c: 0.0,
            tire_cold_kpa,
            pad_wear,
            dtcs: BTreeSet::new(),
            faults,
            rng,
        };
        let first_ms = start_ms + vehicle.traits.phase_s * 1000;
        let hour = hour_of_day(first_ms);
        let ambient = vehicle.ambient(hour);
        let warm = vehicle.in_shift(hour) && vehicle.rng.random_bool(driving_hours / shift_hours);
        vehicle.duty = if warm { Duty::Driving(vehicle.trip_ticks()) } else { vehicle.park(hour) };
        let engine = if warm { 90.0 } else { ambient };
        (vehicle.coolant_c, vehicle.oil_c, vehicle.transmission_c, vehicle.tire_temp_c) =
            (engine, engine + 8.0, engine - 5.0, ambient);
        vehicle
    }

    /// Ambient temperature at an hour of the day: the fleet's climate plus a daily swing peaking at 15:00.
    fn ambient(&self, hour: f64) -> f64 {
        self.climate_c + 7.0 * (TAU * (hour - 9.0) / 24.0).sin()
    }

    fn in_shift(&self, hour: f64) -> bool {
        (hour - self.shift_start_h).rem_euclid(24.0) < self.shift_hours
    }

    fn trip_ticks(&mut self) -> u32 {
        let minutes = exponential(&mut self.rng, self.profile.trip_minutes());
        ticks(minutes * 60.0, self.tick_s)
    }

    /// A parked period: a gap between trips inside the shift, else until the next shift starts.
    fn park(&mut self, hour: f64) -> Duty {
        if self.in_shift(hour) {
            let gap = exponential(&mut self.rng, self.gap_ticks.max(1.0));
            Duty::Parked(ticks(gap * self.tick_s, self.tick_s))
        } else {
            let until_shift_s = (self.shift_start_h - hour).rem_euclid(24.0) * 3_600.0;
            Duty::Parked(ticks(until_shift_s + uniform(&mut self.rng, 0.0, 1_800.0), self.tick_s))
        }
    }

    fn advance_duty(&mut self, hour: f64) {
        self.duty = match self.duty {
            Duty::Driving(left) if left > 1 => Duty::Driving(left - 1),
            Duty::Parked(left) if left > 1 => Duty::Parked(left - 1),
            Duty::Driving(_) => self.park(hour),
            Duty::Parked(_) if self.in_shift(hour) => Duty::Driving(self.trip_ticks()),
            Duty::Parked(_) => self.park(hour),
        };
    }

    /// The summed state of the active faults of one mode.
    fn fault_amount(&self, mode: Mode) -> f64 {
        self.faults.iter().filter(|f| f.mode == mode && f.active()).map(|f| f.amount).sum()
    }

    /// Normal pad wear of `wheel` per km for this vehicle's driving, % (before decelerations).
    fn pad_rate_per_km(&self, wheel: usize) -> f64 {
        PAD_WEAR_PER_KM[wheel / 2] * self.profile.braking()
    }

    /// Sets a sticking caliper's extra wear (a multiple of normal wear) at
    /// onset: enough to wear the pad out in the planned time at this
    /// vehicle's km per day, and at least half as much again as normal.
    fn start_pad_fault(&mut self, i: usize) {
        let fault = &self.faults[i];
        let normal_per_day = 1.2 * self.pad_rate_per_km(fault.wheel) * self.km_per_day;
        let left = (100.0 - self.pad_wear[fault.wheel]).max(0.0);
        let multiple = left / (normal_per_day * fault.ttf_s / 86_400.0).max(f64::MIN_POSITIVE);
        self.faults[i].amount = (multiple - 1.0).max(0.5);
    }

    /// Grows the time- and use-driven faults by one tick of `dt` seconds.
    fn grow_faults(&mut self, dt: f64, driving: bool, starting: bool, load: f64, ambient: f64) {
        let driving_share = (self.driving_hours / 24.0).max(0.01);
        let trips_per_day = (self.driving_hours * 60.0 / self.profile.trip_minutes()).max(1.0);
        for i in 0..self.faults.len() {
            let fault = &self.faults[i];
            let per_s = 1.0 / fault.ttf_s;
            let rate = match fault.mode {
                Mode::PadWear => continue,
                Mode::CoolingFault => COOLING_FOULING_AT_FAILURE * per_s * dt,
                Mode::WeakBattery => {
                    let arrhenius = 2f64.powf((ambient - 15.0) / 10.0);
                    let calendar = 0.8 * BATTERY_FADE_AT_FAILURE * per_s * dt * arrhenius;
                    let cycle =
                        if starting { 0.2 * BATTERY_FADE_AT_FAILURE * per_s * 86_400.0 / trips_per_day } else { 0.0 };
                    calendar + cycle
                }
                Mode::TireLeak => (1.0 - fault.amount) * LEAK_CONSTANTS_TO_FAILURE * per_s * dt,
                Mode::TransmissionOverheat if driving => SLIP_AT_FAILURE * per_s * dt * (load / 50.0) / driving_share,
                Mode::TransmissionOverheat => continue,
            };
            self.faults[i].grow(&mut self.rng, rate);
        }
    }

    /// The sensor noise multiplier of a mode's signal (larger while its fault is active).
    fn fault_noise(&self, mode: Mode) -> f64 {
        self.faults.iter().filter(|f| f.mode == mode && f.active()).map(|f| f.noise).fold(1.0, f64::max)
    }

    /// Advances one tick to event time `ts_ms` and reports the sensors.
    pub(super) fn step(&mut self, ts_ms: i64) -> Snapshot {
        let dt = self.tick_s;
        let hour = hour_of_day(ts_ms);
        let was_driving = matches!(self.duty, Duty::Driving(_));
        self.advance_duty(hour);
        let odometer = floor_to(self.odometer_km, 10.0);
        for i in 0..self.faults.len() {
            if self.faults[i].start(ts_ms, odometer) && self.faults[i].mode == Mode::PadWear {
                self.start_pad_fault(i);
            }
        }

        let driving = matches!(self.duty, Duty::Driving(_));
        let previous_kmh = self.speed_kmh;
        let target_kmh = if driving { self.profile.target_speed(&mut self.rng) } else { 0.0 };
        self.speed_kmh = if target_kmh > 0.0 { previous_kmh + 0.6 * (target_kmh - previous_kmh) } else { 0.0 };
        self.parked_s = if driving { 0.0 } else { self.parked_s + dt };
        let km = self.speed_kmh * dt / 3_600.0;
        self.odometer_km += km;
        self.wear_pads(km, previous_kmh);

        let load = if driving {
            (18.0
                + 0.32 * self.speed_kmh
                + 0.8 * (self.speed_kmh - previous_kmh).max(0.0)
                + normal(&mut self.rng, 0.0, 2.0))
            .clamp(5.0, 100.0)
        } else {
            0.0
        };
        let rpm = if driving { engine_rpm(self.speed_kmh) } else { 0.0 };
        let ambient = self.ambient(hour);
        self.grow_faults(dt, driving, driving && !was_driving, load, ambient);

        let fouling = self.fault_amount(Mode::CoolingFault);
        let slip_heat = 40.0 * self.fault_amount(Mode::TransmissionOverheat) * load / 50.0;
        let (coolant_target, oil_target, transmission_target) = if driving {
            let coolant = thermostat_coolant(ambient, 0.45 * (load + 10.0) * (1.0 + fouling));
            let above = (coolant - THERMOSTAT_FULL_OPEN_C).max(0.0);
            (coolant, 92.0 + 0.15 * load + 0.4 * above, 78.0 + 0.12 * load + slip_heat)
        } else {
            (ambient, ambient, ambient)
        };
        let (fast, slow) = if driving { (300.0, 600.0) } else { (2_700.0, 3_600.0) };
        self.coolant_c =
            relax(self.coolant_c, coolant_target, dt, if coolant_target > self.coolant_c { fast } else { slow });
        self.oil_c = relax(self.oil_c, oil_target, dt, slow);
        self.transmission_c =
            relax(self.transmission_c, transmission_target, dt, if driving { 720.0 } else { 3_600.0 });
        self.tire_temp_c = relax(self.tire_temp_c, ambient + 0.18 * self.speed_kmh, dt, 1_200.0);

        // A worn battery (state of health 1 - fade) rests lower and sags further while parked.
        let fade = self.fault_amount(Mode::WeakBattery).min(0.9);
        let health = 1.0 - fade;
        let battery = if driving {
            14.15 - 0.5 * fade
        } else {
            12.68 - (0.01 * self.parked_s / 3_600.0).min(0.15) / health - 2.0 * fade
        };
        let mut tires = [0.0; 4];
        for (w, tire) in tires.iter_mut().enumerate() {
            let lost: f64 = self
                .faults
                .iter()
                .filter(|f| f.mode == Mode::TireLeak && f.active() && f.wheel == w)
                .map(|f| f.amount)
                .sum();
            let cold = self.tire_cold_kpa[w] * (1.0 - lost.min(1.0));
            *tire = cold * (273.15 + self.tire_temp_c) / 293.15;
        }

        self.judge_faults(ts_ms, battery, &tires);
        self.report(ts_ms, load, rpm, ambient, battery, tires)
    }

    /// Wears the pads with the braking energy of this tick: the km driven
    /// times the profile's brake use, more when slowing down; a sticking
    /// caliper adds its multiple of the normal wear on its wheel.
    fn wear_pads(&mut self, km: f64, previous_kmh: f64) {
        if km <= 0.0 {
            return;
        }
        let decelerating = 1.0 + (previous_kmh - self.speed_kmh).max(0.0) / 30.0;
        let mut worn = [0.0; 4];
        for (w, slot) in worn.iter_mut().enumerate() {
            let jitter = uniform(&mut self.rng, 0.6, 1.4);
            *slot = km * self.pad_rate_per_km(w) * decelerating * jitter;
        }
        for i in 0..self.faults.len() {
            let fault = &self.faults[i];
            if fault.mode == Mode::PadWear && fault.active() {
                let extra = worn[fault.wheel] * fault.amount * fault.jitter(&mut self.rng);
                self.pad_wear[fault.wheel] += extra;
            }
        }
        for (wear, normal) in self.pad_wear.iter_mut().zip(worn) {
            *wear = (*wear + normal).min(100.0);
        }
    }

    /// Records failures and sets trouble codes from the noise-free values.
    fn judge_faults(&mut self, ts_ms: i64, battery: f64, tires: &[f64; 4]) {
        let odometer = floor_to(self.odometer_km, 10.0);
        for fault in &mut self.faults {
            let value = match fault.mode {
                Mode::PadWear => self.pad_wear[fault.wheel],
                Mode::CoolingFault => self.coolant_c,
                Mode::WeakBattery => battery,
                Mode::TireLeak => tires[fault.wheel],
                Mode::TransmissionOverheat => self.transmission_c,
            };
            fault.check_failure(value, ts_ms, odometer);
            if let Some((dtc, level)) = fault.mode.dtc()
                && fault.active()
                && fault.mode.beyond(value, level)
            {
                self.dtcs.insert(dtc);
            }
        }
    }

    /// The sensors' view: noise-free values plus sensor noise, at sensor resolution.
    fn report(&mut self, ts_ms: i64, load: f64, rpm: f64, ambient: f64, battery: f64, tires: [f64; 4]) -> Snapshot {
        let n = self.sensor_noise;
        let (n_cool, n_bat, n_tire, n_trans) = (
            n * self.fault_noise(Mode::CoolingFault),
            n * self.fault_noise(Mode::WeakBattery),
            n * self.fault_noise(Mode::TireLeak),
            n * self.fault_noise(Mode::TransmissionOverheat),
        );
        let rng = &mut self.rng;
        let speed = if self.speed_kmh > 0.0 { (self.speed_kmh + normal(rng, 0.0, 0.6 * n)).max(0.0) } else { 0.0 };
        let rpm = if rpm > 0.0 { (rpm + normal(rng, 0.0, 20.0 * n)).max(600.0) } else { 0.0 };
        let load = if load > 0.0 { (load + normal(rng, 0.0, n)).clamp(0.0, 100.0) } else { 0.0 };
        Snapshot {
            ts_ms,
            odometer_km: floor_to(self.odometer_km, 10.0),
            speed_kmh: round_to(speed, 10.0),
            engine_rpm: round_to(rpm, 1.0),
            engine_load: round_to(load, 10.0),
            coolant_c: round_to(self.coolant_c + normal(rng, 0.0, 0.4 * n_cool), 10.0),
            oil_c: round_to(self.oil_c + normal(rng, 0.0, 0.6 * n), 10.0),
            ambient_c: round_to(ambient + normal(rng, 0.0, 0.3 * n), 10.0),
            transmission_c: round_to(self.transmission_c + normal(rng, 0.0, 0.6 * n_trans), 10.0),
            battery_v: round_to(battery + normal(rng, 0.0, 0.03 * n_bat), 100.0),
            pad_wear: self.pad_wear.map(|w| floor_to(w, 2.0)),
            tire_kpa: tires.map(|p| round_to(p + normal(rng, 0.0, 0.7 * n_tire), 10.0)),
            dtcs: self.dtcs.iter().copied().collect(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_thermostat_runs_a_fouled_radiator_warmer_inside_its_band_then_past_it() {
        let at = |ambient: f64, rise: f64| (thermostat_coolant(ambient, rise) * 100.0).round() / 100.0;
        // A clean radiator at 50 % load (rise 27 °C) on a mild and on a hot day, and in winter at 20 % load.
        assert_eq!(at(15.0, 27.0), 90.3);
        assert_eq!(at(31.0, 31.5), 92.18);
        assert_eq!(at(2.0, 13.5), 87.89);
        // Fouled to twice the resistance: warmer, still inside the band.
        assert_eq!(at(15.0, 54.0), 94.18);
        assert_eq!(at(31.0, 63.0), 97.39);
        // Past the band the thermostat is fully open and the radiator sets the temperature.
        assert_eq!(at(15.0, 105.3), 120.3);
        assert_eq!(at(31.0, 67.0), 98.0);
    }

    fn vehicle(seed: u64, faults: Vec<Fault>) -> Vehicle {
        let traits = Traits { id: "veh-0001".into(), fleet: "fleet-1".into(), phase_s: 0, iso_tp: false };
        Vehicle::new(traits, seed, 15.0, 60.0, 1_795_500_000_000, faults)
    }

    #[test]
    fn a_healthy_vehicle_stays_in_its_normal_ranges_over_a_week() {
        for seed in 0..8 {
            let mut v = vehicle(seed, vec![]);
            let mut driven = 0;
            let odometer0 = v.odometer_km;
            let mut last_odometer = 0.0;
            for k in 0..7 * 1_440 {
                let s = v.step(1_795_500_000_000 + k * 60_000);
                assert!(s.odometer_km >= last_odometer);
                last_odometer = s.odometer_km;
                if s.engine_rpm > 0.0 {
                    driven += 1;
                    assert!((12.5..15.0).contains(&s.battery_v), "{s:?}");
                } else {
                    assert!((12.3..12.9).contains(&s.battery_v), "{s:?}");
                }
                if driven > 30 && s.engine_rpm > 0.0 && s.speed_kmh > 30.0 {
                    assert!(s.coolant_c < 105.0 && s.transmission_c < 105.0, "{s:?}");
                }
                assert!(s.tire_kpa.iter().all(|p| (200.0..280.0).contains(p)), "{s:?}");
                assert!(s.dtcs.is_empty());
            }
            let km_per_day = (last_odometer - odometer0) / 7.0;
            assert!((40.0..800.0).contains(&km_per_day), "seed {seed}: {km_per_day} km/day");
            assert!(driven > 7 * 60 && driven < 7 * 1_200, "seed {seed}: {driven} driving ticks");
        }
    }

    #[test]
    fn a_cooling_fault_heats_the_engine_past_failure_and_sets_its_code() {
        let mut rng = StdRng::seed_from_u64(1);
        let fault = Fault::plan(&mut rng, Mode::CoolingFault, 1_795_500_000_000, 2.0 * 86_400.0);
        let mut v = vehicle(3, vec![fault]);
        let mut hottest: f64 = 0.0;
        let mut last = None;
        for k in 0..6 * 1_440 {
            let s = v.step(1_795_500_000_000 + k * 60_000);
            hottest = hottest.max(s.coolant_c);
            last = Some(s);
        }
        assert!(hottest > 120.0, "{hottest}");
        let (failed_ms, _) = v.faults[0].failed.unwrap();
        assert!(failed_ms > v.faults[0].started.unwrap().0);
        assert_eq!(last.unwrap().dtcs, vec![Dtc(0x0217)]);
    }

    #[test]
    fn pads_wear_with_braking_energy_so_urban_wears_faster_per_km() {
        let mut per_km: Vec<(Profile, f64)> = Vec::new();
        for seed in 0..12 {
            let mut v = vehicle(seed, vec![]);
            let (km0, wear0) = (v.odometer_km, v.pad_wear[0]);
            for k in 0..3 * 1_440 {
                v.step(1_795_500_000_000 + k * 60_000);
            }
            per_km.push((v.profile, (v.pad_wear[0] - wear0) / (v.odometer_km - km0)));
        }
        let mean = |p: Profile| {
            let rates: Vec<f64> = per_km.iter().filter(|(q, _)| *q == p).map(|(_, r)| *r).collect();
            rates.iter().sum::<f64>() / rates.len() as f64
        };
        let (urban, mixed, highway) = (mean(Profile::Urban), mean(Profile::Mixed), mean(Profile::Highway));
        assert!(urban > 1.3 * mixed && mixed > 1.5 * highway, "{urban} {mixed} {highway}");
        assert!((0.0015..0.01).contains(&urban), "{urban} %/km");
    }

    #[test]
    fn a_weak_battery_fades_faster_in_the_heat() {
        let fade_after_a_week = |climate_c: f64| {
            let mut rng = StdRng::seed_from_u64(2);
            let mut fault = Fault::plan(&mut rng, Mode::WeakBattery, 1_795_500_000_000, 60.0 * 86_400.0);
            fault.ttf_s = 20.0 * 86_400.0;
            let traits = Traits { id: "veh-0001".into(), fleet: "fleet-1".into(), phase_s: 0, iso_tp: false };
            let mut v = Vehicle::new(traits, 4, climate_c, 60.0, 1_795_500_000_000, vec![fault]);
            let mut k = 0;
            while !v.faults[0].active() {
                v.step(1_795_500_000_000 + k * 60_000);
                k += 1;
            }
            let start = v.fault_amount(Mode::WeakBattery);
            for k in k..k + 7 * 1_440 {
                v.step(1_795_500_000_000 + k * 60_000);
            }
            v.fault_amount(Mode::WeakBattery) - start
        };
        let (cold, hot) = (fade_after_a_week(5.0), fade_after_a_week(25.0));
        assert!(hot > 1.6 * cold && cold > 0.05, "{cold} {hot}");
    }
}
