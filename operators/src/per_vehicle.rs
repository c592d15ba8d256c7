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

use std::collections::{BTreeMap, HashMap};

use differential_dataflow::{AsCollection, ExchangeData, Hashable};
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::Capability;
use timely::dataflow::operators::generic::Operator;

use crate::{Coll, Diff, Epoch};

/// Identifies the vehicle an update belongs to: `(fleet, vehicle)`.
pub type VehicleOf<I> = fn(&I) -> (&str, &str);

/// Updates waiting for the frontier to pass their epoch, with the capability to emit at it.
type Stash<I> = BTreeMap<Epoch, (Capability<Epoch>, Vec<(I, Diff)>)>;

/// A vehicle's state machine: consumes one epoch's updates, emits changes.
pub trait VehicleState<I, O>: 'static {
    /// Applies the vehicle's updates of one epoch (in no particular order)
    /// and pushes the resulting output changes.
    fn step(&mut self, updates: Vec<(I, Diff)>, out: &mut Vec<(O, Diff)>);
}

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
            let mut states: HashMap<String, HashMap<String, S>> = HashMap::new();
            let mut stash: Stash<I> = BTreeMap::new();
            let mut emitted: Vec<(O, Diff)> = Vec::new();
            move |(input, frontier), output| {
                let port = output.output_index();
                input.for_each_stamp(|capability, containers| {
                    for container in containers {
                        for (data, epoch, diff) in container.drain(..) {
                            stash
                                .entry(epoch)
                                .or_insert_with(|| (capability.delayed(&epoch, port), Vec::new()))
                                .1
                                .push((data, diff));
                        }
                    }
                });
                while let Some(entry) = stash.first_entry() {
                    if frontier.less_equal(entry.key()) {
                        break;
                    }
                    let (epoch, (capability, batch)) = entry.remove_entry();
                    step_vehicles(&mut states, batch, vehicle, &fresh, &mut emitted);
                    let mut session = output.session(&capability);
                    for (data, diff) in emitted.drain(..) {
                        session.give((data, epoch, diff));
                    }
                }
            }
        })
        .as_collection()
}

/// Hands each vehicle's share of one epoch's updates to its state machine.
fn step_vehicles<I, O, S: VehicleState<I, O>>(
    states: &mut HashMap<String, HashMap<String, S>>,
    mut batch: Vec<(I, Diff)>,
    vehicle: VehicleOf<I>,
    fresh: &impl Fn() -> S,
    out: &mut Vec<(O, Diff)>,
) {
    batch.sort_by(|(a, _), (b, _)| vehicle(a).cmp(&vehicle(b)));
    let mut run: Vec<(I, Diff)> = Vec::new();
    for (data, diff) in batch {
        if run.last().is_some_and(|(last, _)| vehicle(last) != vehicle(&data)) {
            step_one(states, std::mem::take(&mut run), vehicle, fresh, out);
        }
        run.push((data, diff));
    }
    if !run.is_empty() {
        step_one(states, run, vehicle, fresh, out);
    }
}

/// Steps the state machine of the one vehicle all of `run` belongs to.
fn step_one<I, O, S: VehicleState<I, O>>(
    states: &mut HashMap<String, HashMap<String, S>>,
    run: Vec<(I, Diff)>,
    vehicle: VehicleOf<I>,
    fresh: &impl Fn() -> S,
    out: &mut Vec<(O, Diff)>,
) {
    let Some((first, _)) = run.first() else {
        return;
    };
    let (fleet, id) = vehicle(first);
    if !states.contains_key(fleet) {
        states.insert(fleet.to_string(), HashMap::new());
    }
    let Some(vehicles) = states.get_mut(fleet) else {
        return;
    };
    if !vehicles.contains_key(id) {
        vehicles.insert(id.to_string(), fresh());
    }
    if let Some(state) = vehicles.get_mut(id) {
        state.step(run, out);
    }
}
