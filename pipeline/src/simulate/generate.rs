//! The message generator: the fleet's turns, each outgoing snapshot put
//! into a seeded choice of format, until the message or time limit.
//! Pure and deterministic: the same options give byte-identical messages.

use std::collections::VecDeque;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::degrade::Mode;
use super::error::SimulateError;
use super::fleet::Fleet;
use super::format::{Encoder, Format};
use super::options::SimulateOptions;
use super::truth::TruthRow;

/// One generated Kafka record and what it carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// Record key: the vehicle id.
    pub key: String,
    /// Record value: the telemetry JSON.
    pub payload: Vec<u8>,
    /// The format it was encoded in.
    pub format: Format,
    /// Signal values carried.
    pub readings: u64,
    /// Event time of the readings, ms.
    pub ts_ms: i64,
    /// Simulated send time, ms: the record timestamp (later than `ts_ms` after an offline period).
    pub sent_ms: i64,
    /// True when the message was held back by an offline period and sent in a burst.
    pub buffered: bool,
}

/// A running simulation: an iterator of [`Message`]s plus the ground truth so far.
#[derive(Clone, Debug)]
pub struct Simulation {
    fleet: Fleet,
    encoder: Encoder,
    formats: Vec<Format>,
    choice: StdRng,
    pending: VecDeque<Message>,
    produced: u64,
    limit: Option<u64>,
    rounds: Option<u64>,
}

impl Simulation {
    /// Plans the fleet of `options` (which must validate).
    pub fn new(options: &SimulateOptions) -> Result<Simulation, SimulateError> {
        options.validate()?;
        let mut rng = StdRng::seed_from_u64(options.seed);
        let fleet = Fleet::new(options, &mut rng, options.start_ms());
        Ok(Simulation {
            fleet,
            encoder: Encoder::new(&options.formats)?,
            formats: options.formats.clone(),
            choice: StdRng::seed_from_u64(rng.random()),
            pending: VecDeque::new(),
            produced: 0,
            limit: options.message_limit(),
            rounds: options.round_limit(),
        })
    }

    /// The ground truth so far: every fault that has started, and its failure if it came.
    pub fn truth(&self) -> Vec<TruthRow> {
        self.fleet.truth()
    }

    /// A counter that moves exactly when [`Simulation::truth`] changes.
    pub fn truth_version(&self) -> usize {
        self.fleet.truth_events()
    }

    /// Every planted fault, started or not: `(vehicle_id, fleet_id, mode)`.
    pub fn planned(&self) -> Vec<(String, String, Mode)> {
        self.fleet.planned()
    }

    /// Vehicles planned to degrade.
    pub fn degrading(&self) -> usize {
        self.fleet.degrading()
    }

    /// Runs one vehicle turn and queues what it sends.
    fn turn(&mut self) {
        for out in self.fleet.next_turn() {
            let format = self.formats[self.choice.random_range(0..self.formats.len())];
            let extras_as_can = self.choice.random_bool(0.5);
            let traits = self.fleet.traits(out.vehicle);
            let encoded = self.encoder.encode(traits, &out.snapshot, format, extras_as_can);
            self.pending.push_back(Message {
                key: traits.id.clone(),
                payload: encoded.payload,
                format,
                readings: encoded.readings,
                ts_ms: out.snapshot.ts_ms,
                sent_ms: out.sent_ms,
                buffered: out.buffered,
            });
        }
    }
}

impl Iterator for Simulation {
    type Item = Message;

    fn next(&mut self) -> Option<Message> {
        loop {
            if self.limit.is_some_and(|limit| self.produced >= limit) {
                return None;
            }
            if let Some(message) = self.pending.pop_front() {
                self.produced += 1;
                return Some(message);
            }
            if self.rounds.is_some_and(|rounds| self.fleet.round() >= rounds) {
                return None;
            }
            self.turn();
        }
    }
}
