//! The fleet model: N vehicles across M fleets, with their faults and
//! offline periods planned from one seed, stepped round by round.
//!
//! In each round every vehicle takes one tick of event time, in the order
//! of its phase within the tick, and reports every `report_ticks`-th tick
//! (the physics steps every tick), so messages go out in event-time order —
//! except for offline bursts: a vehicle that is offline keeps its readings
//! and, when it reconnects, sends them all (with their original event
//! times) just before its current reading.

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::degrade::{Fault, Mode};
use super::options::SimulateOptions;
use super::random::uniform;
use super::truth::TruthRow;
use super::vehicle::{Snapshot, Traits, Vehicle};

/// A snapshot on its way out: whose, and when (simulated time) it is sent.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Outgoing {
    /// Index of the vehicle in the fleet.
    pub vehicle: usize,
    /// The readings.
    pub snapshot: Snapshot,
    /// Simulated send time, ms (later than the event time for buffered readings).
    pub sent_ms: i64,
    /// True when the snapshot was held back by an offline period.
    pub buffered: bool,
}

/// One vehicle with its offline windows and its buffer.
#[derive(Clone, Debug)]
struct Slot {
    vehicle: Vehicle,
    /// Offline rounds, `[from, to)`.
    offline: Vec<(u64, u64)>,
    buffer: Vec<Snapshot>,
}

/// Every simulated vehicle and the position of the round-robin.
#[derive(Clone, Debug)]
pub(super) struct Fleet {
    slots: Vec<Slot>,
    /// Vehicle indices by phase: the order of turns within a round.
    order: Vec<usize>,
    start_ms: i64,
    tick_ms: i64,
    report_ticks: u64,
    round: u64,
    cursor: usize,
}

/// Picks `share` of `n` indices, seeded.
fn pick(rng: &mut StdRng, n: usize, share: f64) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    all.shuffle(rng);
    all.truncate(((n as f64) * share).round() as usize);
    all
}

/// One or two offline windows within the horizon, each one to eight hours
/// (at most 30 % of the horizon), in rounds.
fn offline_windows(rng: &mut StdRng, tick_s: f64, horizon_rounds: f64) -> Vec<(u64, u64)> {
    let count = if rng.random_bool(0.5) { 2 } else { 1 };
    (0..count)
        .map(|_| {
            let from = (uniform(rng, 0.1, 0.8) * horizon_rounds) as u64;
            let rounds = (uniform(rng, 3_600.0, 8.0 * 3_600.0) / tick_s).min(0.3 * horizon_rounds).max(2.0);
            (from, from + rounds as u64)
        })
        .collect()
}

impl Fleet {
    /// Plans the fleet of `options` from `rng`, starting at event time `start_ms`.
    pub(super) fn new(options: &SimulateOptions, rng: &mut StdRng, start_ms: i64) -> Fleet {
        let n = options.vehicles;
        let tick_s = options.tick.secs as f64;
        let horizon_s = options.horizon_secs() as f64;
        let climates: Vec<f64> = (0..options.fleets).map(|_| uniform(rng, 2.0, 24.0)).collect();

        let mut faults: Vec<Vec<Fault>> = vec![Vec::new(); n];
        let first_mode = rng.random_range(0..Mode::ALL.len());
        for (j, v) in pick(rng, n, options.degrade_share).into_iter().enumerate() {
            let mode = Mode::ALL[(first_mode + j) % Mode::ALL.len()];
            faults[v].push(Fault::plan(rng, mode, start_ms, horizon_s));
        }
        let mut offline: Vec<Vec<(u64, u64)>> = vec![Vec::new(); n];
        for v in pick(rng, n, options.offline_share) {
            offline[v] = offline_windows(rng, tick_s, horizon_s / tick_s);
        }

        let tick_secs = i64::try_from(options.tick.secs).unwrap_or(i64::MAX);
        let slots: Vec<Slot> = faults
            .into_iter()
            .zip(offline)
            .enumerate()
            .map(|(i, (faults, offline))| {
                let fleet = i % options.fleets;
                let traits = Traits {
                    id: format!("veh-{:04}", i + 1),
                    fleet: format!("fleet-{}", fleet + 1),
                    phase_s: rng.random_range(0..tick_secs),
                    iso_tp: rng.random_bool(0.5),
                };
                let vehicle = Vehicle::new(traits, rng.random(), climates[fleet], tick_s, start_ms, faults);
                Slot { vehicle, offline, buffer: Vec::new() }
            })
            .collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|i| (slots[*i].vehicle.traits.phase_s, *i));
        Fleet {
            slots,
            order,
            start_ms,
            tick_ms: tick_secs.saturating_mul(1000),
            report_ticks: options.report_ticks(),
            round: 0,
            cursor: 0,
        }
    }

    /// The round the next turn belongs to (rounds done so far).
    pub(super) fn round(&self) -> u64 {
        self.round
    }

    /// The fixed traits of vehicle `index`.
    pub(super) fn traits(&self, index: usize) -> &Traits {
        &self.slots[index].vehicle.traits
    }

    /// The next vehicle's turn: it advances one tick and returns what it
    /// sends now — nothing between reports or while offline, its whole
    /// buffer on reconnect.
    pub(super) fn next_turn(&mut self) -> Vec<Outgoing> {
        let index = self.order[self.cursor];
        let round = self.round;
        self.cursor += 1;
        if self.cursor == self.order.len() {
            self.cursor = 0;
            self.round += 1;
        }
        let slot = &mut self.slots[index];
        let round_ms = i64::try_from(round).unwrap_or(i64::MAX).saturating_mul(self.tick_ms);
        let ts_ms = self.start_ms.saturating_add(slot.vehicle.traits.phase_s * 1000).saturating_add(round_ms);
        let snapshot = slot.vehicle.step(ts_ms);
        if !round.is_multiple_of(self.report_ticks) {
            return Vec::new();
        }
        if slot.offline.iter().any(|(from, to)| (*from..*to).contains(&round)) {
            slot.buffer.push(snapshot);
            return Vec::new();
        }
        let buffered = std::mem::take(&mut slot.buffer);
        let mut out: Vec<Outgoing> = buffered
            .into_iter()
            .map(|snapshot| Outgoing { vehicle: index, snapshot, sent_ms: ts_ms, buffered: true })
            .collect();
        out.push(Outgoing { vehicle: index, snapshot, sent_ms: ts_ms, buffered: false });
        out
    }

    /// The faults that have started so far and whether they failed, by vehicle.
    pub(super) fn truth(&self) -> Vec<TruthRow> {
        self.slots
            .iter()
            .flat_map(|slot| {
                let traits = &slot.vehicle.traits;
                slot.vehicle.faults.iter().filter_map(move |fault| {
                    Some(TruthRow {
                        vehicle_id: traits.id.clone(),
                        fleet_id: traits.fleet.clone(),
                        mode: fault.mode,
                        onset_ms: fault.started?.0,
                        onset_odometer_km: fault.started?.1,
                        failure_ms: fault.failed.map(|(ts, _)| ts),
                        failure_odometer_km: fault.failed.map(|(_, km)| km),
                    })
                })
            })
            .collect()
    }

    /// How many fault onsets and failures have happened: changes exactly when the truth does.
    pub(super) fn truth_events(&self) -> usize {
        self.slots
            .iter()
            .flat_map(|slot| &slot.vehicle.faults)
            .map(|f| usize::from(f.started.is_some()) + usize::from(f.failed.is_some()))
            .sum()
    }

    /// Every planted fault, started or not: `(vehicle_id, fleet_id, mode)`.
    pub(super) fn planned(&self) -> Vec<(String, String, Mode)> {
        self.slots
            .iter()
            .flat_map(|slot| {
                let traits = &slot.vehicle.traits;
                slot.vehicle.faults.iter().map(|f| (traits.id.clone(), traits.fleet.clone(), f.mode))
            })
            .collect()
    }

    /// Vehicles planned to degrade.
    pub(super) fn degrading(&self) -> usize {
        self.slots.iter().filter(|slot| !slot.vehicle.faults.is_empty()).count()
    }
}
