//! The shape shared by the stateful per-vehicle operators (latest, health,
//! degrade, alert): a timely operator that routes every update to the worker
//! owning its vehicle, waits until an epoch is complete, and then hands each
//! vehicle's updates of that epoch, epochs in order, to a state machine that
//! emits `(data, diff)` changes at the same epoch.
//!
//! Why not differential's `reduce`: a `reduce` keeps every input it has ever
//! seen and re-reads a key's whole history on each change, so a vehicle's
//! cost and memory grow with its age. The lateness gate guarantees that
//! nothing older than the correction horizon behind a vehicle's newest event
//! time can still change ([`crate::finality`]), so these state machines keep
//! only the open part of each vehicle's history and emit exactly the changes
//! a `reduce` over the full history would have emitted.

use std::collections::BTreeMap;

use differential_dataflow::{AsCollection, ExchangeData, Hashable};
use foldhash::HashMap;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::Capability;
use timely::dataflow::operators::generic::Operator;

use schemas::Id;

use crate::{Coll, Diff, Epoch};

/// Identifies the vehicle an update belongs to: `(fleet, vehicle)`.
pub type VehicleOf<I> = fn(&I) -> (&Id, &Id);

/// Updates waiting for the frontier to pass their epoch, with the capability to emit at it.
type Stash<I> = BTreeMap<Epoch, (Capability<Epoch>, Vec<(I, Diff)>)>;

/// A vehicle's state machine: consumes one epoch's updates, emits changes.
pub trait VehicleState<I, O>: 'static {
    /// Applies the vehicle's updates of one epoch (in no particular order)
    /// and hands each resulting output change to `emit`.
    fn step(&mut self, updates: Vec<(I, Diff)>, emit: &mut impl FnMut(O, Diff));
}

/// One vehicle on this worker: its state machine and its updates of the epoch being stepped.
struct Vehicle<I, S> {
    state: S,
    pending: Vec<(I, Diff)>,
}

/// A vehicle's key: `(fleet, vehicle)`.
type Key = (Id, Id);

/// Every vehicle this worker owns, by key.
type Vehicles<I, S> = HashMap<Key, Vehicle<I, S>>;

/// Runs one `S` per (fleet, vehicle) over `input`, epoch by epoch in order.
///
/// `fresh` makes the state of a vehicle seen for the first time.
pub fn per_vehicle<'s, I, O, S>(
    input: Coll<'s, I>,
    name: &str,
    vehicle: VehicleOf<I>,
    fresh: impl Fn() -> S + 'static,
) -> Coll<'s, O>
where
    I: ExchangeData,
    O: ExchangeData,
    S: VehicleState<I, O>,
{
    let route = Exchange::new(move |(data, _, _): &(I, Epoch, Diff)| vehicle(data).1.hashed());
    input
        .inner
        .unary_frontier::<CapacityContainerBuilder<Vec<(O, Epoch, Diff)>>, _, _, _>(route, name, move |_, _| {
            let mut vehicles: Vehicles<I, S> = HashMap::default();
            let mut stash: Stash<I> = BTreeMap::new();
            // The emptied buffer of the last stepped epoch, kept with its
            // capacity for the next one: a fresh buffer per epoch regrew by
            // doubling into newly faulted-in pages every time.
            let mut spare: Vec<(I, Diff)> = Vec::new();
            move |(input, frontier), output| {
                let port = output.output_index();
                input.for_each_stamp(|capability, containers| {
                    for container in containers {
                        for (data, epoch, diff) in container.drain(..) {
                            stash
                                .entry(epoch)
                                .or_insert_with(|| (capability.delayed(&epoch, port), std::mem::take(&mut spare)))
                                .1
                                .push((data, diff));
                        }
                    }
                });
                while let Some(entry) = stash.first_entry() {
                    if frontier.less_equal(entry.key()) {
                        break;
                    }
                    let (epoch, (capability, mut batch)) = entry.remove_entry();
                    // Changes go straight into the output: a record moved once less.
                    let mut session = output.session(&capability);
                    step_vehicles(&mut vehicles, &mut batch, vehicle, &fresh, &mut |data, diff| {
                        session.give((data, epoch, diff))
                    });
                    spare = batch;
                }
            }
        })
        .as_collection()
}

/// Hands each vehicle its share of one epoch's updates (draining `batch`),
/// then steps every vehicle that received some (each once).
///
/// A vehicle's updates mostly arrive together (a message's readings, a
/// window's rows), so the vehicle is looked up once per run of consecutive
/// updates, not once per update.
fn step_vehicles<I, O, S: VehicleState<I, O>>(
    vehicles: &mut Vehicles<I, S>,
    batch: &mut Vec<(I, Diff)>,
    vehicle: VehicleOf<I>,
    fresh: &impl Fn() -> S,
    emit: &mut impl FnMut(O, Diff),
) {
    let mut touched: Vec<Key> = Vec::new();
    // The vehicle of the current run of updates, and its entry.
    let mut run: Option<(Key, &mut Vehicle<I, S>)> = None;
    for (data, diff) in batch.drain(..) {
        let (fleet, id) = vehicle(&data);
        let same = run.as_ref().is_some_and(|((f, v), _)| f == fleet && v == id);
        if !same {
            let key = (fleet.clone(), id.clone());
            let entry = vehicles.entry(key.clone()).or_insert_with(|| Vehicle { state: fresh(), pending: Vec::new() });
            if entry.pending.is_empty() {
                touched.push(key.clone());
            }
            run = Some((key, entry));
        }
        if let Some((_, v)) = run.as_mut() {
            v.pending.push((data, diff));
        }
    }
    for key in touched {
        if let Some(v) = vehicles.get_mut(&key) {
            let pending = std::mem::take(&mut v.pending);
            v.state.step(pending, emit);
        }
    }
}
