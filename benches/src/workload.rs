//! The deterministic fleet workload every benchmark and peer runs on.
//!
//! `vehicles` vehicles each send one message every `period_ms` of event
//! time, carrying the 15 signals the health rules read (engine and oil
//! temperature, engine speed, speed, odometer, four pad wears, transmission
//! temperature, battery voltage, four tire pressures). A `degrading` share
//! of the vehicles wears its front-left brake pad and heats its coolant
//! over the run, so bands change and alerts open. Messages are in event-time
//! order per vehicle and interleaved across vehicles by time; the same
//! options and seed give the same messages.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use schemas::{LogPos, RawRecord, Signal, Telemetry, TsMs, Value, Wheel};

/// The first event time of every workload: 2026-01-01T00:00:00Z.
pub const START_MS: TsMs = 1_767_225_600_000;

/// The shape of a workload.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Workload {
    /// Number of vehicles.
    pub vehicles: usize,
    /// Event time between two messages of one vehicle, ms.
    pub period_ms: i64,
    /// Messages per vehicle.
    pub messages_per_vehicle: usize,
    /// Share of vehicles that degrade (0–1).
    pub degrading: f64,
    /// Seed of the noise.
    pub seed: u64,
    /// Partitions the messages are spread over (by vehicle).
    pub partitions: i32,
}

/// Signal values per message.
pub const READINGS_PER_MESSAGE: usize = 15;

impl Workload {
    /// Total messages.
    pub fn messages(&self) -> usize {
        self.vehicles * self.messages_per_vehicle
    }

    /// Total readings (one signal value each).
    pub fn readings(&self) -> usize {
        self.messages() * READINGS_PER_MESSAGE
    }

    /// The vehicle id of vehicle `v`.
    pub fn vehicle_id(v: usize) -> String {
        format!("veh-{v:06}")
    }

    /// The messages of round `round` (one per vehicle, at the same event
    /// time), in vehicle order: the stream is every round in turn.
    pub fn round(&self, round: usize) -> Vec<Telemetry> {
        (0..self.vehicles).map(|v| self.message(v, round)).collect()
    }

    /// Every message, round by round.
    pub fn all(&self) -> impl Iterator<Item = Telemetry> + '_ {
        (0..self.messages_per_vehicle).flat_map(move |round| self.round(round))
    }

    /// Whether vehicle `v` degrades.
    pub fn degrades(&self, v: usize) -> bool {
        (v as f64 + 0.5) / self.vehicles as f64 <= self.degrading
    }

    /// Message `round` of vehicle `v`.
    pub fn message(&self, v: usize, round: usize) -> Telemetry {
        let mut rng = StdRng::seed_from_u64(self.seed ^ ((v as u64) << 32) ^ round as u64);
        let ts_ms = START_MS + round as i64 * self.period_ms;
        let progress = round as f64 / self.messages_per_vehicle.max(1) as f64;
        let wear = if self.degrades(v) { 20.0 + 75.0 * progress } else { 20.0 + 10.0 * progress };
        let coolant = if self.degrades(v) { 90.0 + 30.0 * progress } else { 90.0 };
        let mut noise = |scale: f64| (rng.random::<f64>() - 0.5) * scale;
        let round_to = |x: f64, step: f64| (x / step).round() * step;
        let mut values = vec![
            (Signal::CoolantTemp, round_to(coolant + noise(4.0), 1.0)),
            (Signal::OilTemp, round_to(95.0 + noise(6.0), 1.0)),
            (Signal::EngineSpeed, round_to(2200.0 + noise(800.0), 0.25)),
            (Signal::VehicleSpeed, round_to(60.0 + noise(40.0), 1.0)),
            (Signal::Odometer, round_to(10_000.0 + v as f64 + round as f64 * self.period_ms as f64 / 60_000.0, 0.1)),
            (Signal::TransmissionTemp, round_to(80.0 + noise(10.0), 1.0)),
            (Signal::BatteryVoltage, round_to(12.6 + noise(0.4), 0.01)),
        ];
        for wheel in Wheel::ALL {
            let extra = if wheel == Wheel::FrontLeft { wear } else { 20.0 + 10.0 * progress };
            values.push((Signal::PadWear(wheel), round_to(extra + noise(1.0), 0.5)));
            values.push((Signal::TirePressure(wheel), round_to(230.0 + noise(6.0), 1.0)));
        }
        values.sort_by_key(|(signal, _)| *signal);
        let vehicle_id = Self::vehicle_id(v);
        Telemetry {
            fleet_id: "bench".into(),
            record: RawRecord {
                pos: LogPos { partition: self.partition_of(v), offset: round as i64 },
                append_ms: ts_ms,
                key: Some(vehicle_id.clone().into_bytes()),
                payload: Vec::new(),
            },
            vehicle_id: vehicle_id.into(),
            ts_ms,
            values: values.into_iter().map(|(s, x)| (s, Value(x))).collect(),
        }
    }

    /// The partition vehicle `v` is produced to.
    pub fn partition_of(&self, v: usize) -> i32 {
        (v % self.partitions.max(1) as usize) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Workload {
        Workload { vehicles: 4, period_ms: 10_000, messages_per_vehicle: 3, degrading: 0.5, seed: 1, partitions: 2 }
    }

    #[test]
    fn the_same_seed_gives_the_same_messages() {
        let a: Vec<Telemetry> = small().all().collect();
        let b: Vec<Telemetry> = small().all().collect();
        assert_eq!(a, b);
        let other: Vec<Telemetry> = Workload { seed: 2, ..small() }.all().collect();
        assert_ne!(a, other);
        assert_eq!(a.len(), 12);
        assert!(a.iter().all(|m| m.values.len() == READINGS_PER_MESSAGE));
    }

    #[test]
    fn rounds_advance_event_time_and_half_the_fleet_degrades() {
        let w = small();
        assert_eq!(w.message(1, 2).ts_ms, START_MS + 20_000);
        assert_eq!((0..4).filter(|v| w.degrades(*v)).count(), 2);
        assert_eq!(w.message(3, 0).record.pos, LogPos { partition: 1, offset: 0 });
        assert_eq!(w.readings(), 12 * 15);
    }
}
