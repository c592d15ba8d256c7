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

use differential_dataflow::{AsCollection, Data, ExchangeData, Hashable};
use foldhash::HashMap;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::Capability;
use timely::dataflow::operators::generic::builder_rc::OperatorBuilder;
use timely::dataflow::operators::generic::{Operator, OutputBuilder};
use timely::progress::frontier::MutableAntichain;

use schemas::Id;

use crate::{Coll, Diff, Epoch};

/// Identifies the vehicle an update belongs to: `(fleet, vehicle)`.
pub type VehicleOf<I> = fn(&I) -> (&Id, &Id);

/// A vehicle's state machine: consumes one epoch's updates, emits changes.
pub trait VehicleState<I, O>: 'static {
    /// Applies the vehicle's updates of one epoch (in no particular order)
    /// and hands each resulting output change to `emit`.
    fn step(&mut self, updates: Vec<(I, Diff)>, emit: &mut impl FnMut(O, Diff));
}

/// One vehicle on this worker: its state machine and its updates of the epoch being stepped.
struct Vehicle<I, S> {
    state: S,
    pending: Batch<I>,
}

/// An update as it travels: data, epoch, diff.
type Update<I> = (I, Epoch, Diff);

/// One epoch's updates, without their (common) epoch.
type Batch<I> = Vec<(I, Diff)>;

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
    input
        .inner
        .unary_frontier::<CapacityContainerBuilder<Vec<(O, Epoch, Diff)>>, _, _, _>(
            by_vehicle(vehicle),
            name,
            move |_, _| {
                let mut vehicles: Vehicles<I, S> = HashMap::default();
                let mut held: Held<I, Capability<Epoch>> = Held::default();
                move |(input, frontier), output| {
                    let port = output.output_index();
                    input.for_each_stamp(|capability, containers| {
                        held.take(containers, |epoch| capability.delayed(epoch, port));
                    });
                    while let Some((epoch, capability, mut batch)) = held.complete(frontier) {
                        // Changes go straight into the output: a record moved once less.
                        let mut session = output.session(&capability);
                        step_vehicles(&mut vehicles, &mut batch, vehicle, &fresh, &mut |data, diff| {
                            session.give((data, epoch, diff))
                        });
                        held.recycle(batch);
                    }
                }
            },
        )
        .as_collection()
}

/// A change of [`per_vehicle_split3`], by the output it goes to.
pub enum Side<A, B, C> {
    /// The first output.
    First(A),
    /// The second output.
    Second(B),
    /// The third output.
    Third(C),
}

/// [`per_vehicle`] whose state machines emit to three outputs: each change
/// goes to its output as it is emitted, where a split after the operator
/// would move every change a second time.
pub fn per_vehicle_split3<'s, I, S, A, B, C>(
    input: Coll<'s, I>,
    name: &str,
    vehicle: VehicleOf<I>,
    fresh: impl Fn() -> S + 'static,
) -> (Coll<'s, A>, Coll<'s, B>, Coll<'s, C>)
where
    I: ExchangeData,
    S: VehicleState<I, Side<A, B, C>>,
    A: Data,
    B: Data,
    C: Data,
{
    let mut builder = OperatorBuilder::new(name.to_owned(), input.inner.scope());
    let mut updates = builder.new_input(input.inner, by_vehicle(vehicle));
    let (first, first_stream) = builder.new_output::<Vec<(A, Epoch, Diff)>>();
    let (second, second_stream) = builder.new_output::<Vec<(B, Epoch, Diff)>>();
    let (third, third_stream) = builder.new_output::<Vec<(C, Epoch, Diff)>>();
    let (mut first, mut second, mut third) =
        (OutputBuilder::from(first), OutputBuilder::from(second), OutputBuilder::from(third));
    builder.build(move |_initial_capabilities| {
        let mut vehicles: Vehicles<I, S> = HashMap::default();
        let mut held: Held<I, [Capability<Epoch>; 3]> = Held::default();
        move |frontiers| {
            updates.for_each_stamp(|capability, containers| {
                held.take(containers, |epoch| [0, 1, 2].map(|port| capability.delayed(epoch, port)));
            });
            let (mut first, mut second, mut third) = (first.activate(), second.activate(), third.activate());
            while let Some((epoch, [at_first, at_second, at_third], mut batch)) = held.complete(&frontiers[0]) {
                let (mut a, mut b, mut c) =
                    (first.session(&at_first), second.session(&at_second), third.session(&at_third));
                step_vehicles(&mut vehicles, &mut batch, vehicle, &fresh, &mut |data, diff| match data {
                    Side::First(x) => a.give((x, epoch, diff)),
                    Side::Second(x) => b.give((x, epoch, diff)),
                    Side::Third(x) => c.give((x, epoch, diff)),
                });
                held.recycle(batch);
            }
        }
    });
    (first_stream.as_collection(), second_stream.as_collection(), third_stream.as_collection())
}

/// Routes every update to the worker that owns its vehicle.
fn by_vehicle<I: ExchangeData>(vehicle: VehicleOf<I>) -> Exchange<Update<I>, impl FnMut(&Update<I>) -> u64> {
    Exchange::new(move |(data, _, _): &Update<I>| vehicle(data).1.hashed())
}

/// Each epoch's updates, held with the capabilities `K` to emit at the epoch
/// until the input frontier has passed it.
struct Held<I, K> {
    epochs: BTreeMap<Epoch, (K, Batch<I>)>,
    /// The emptied buffer of the last stepped epoch, kept with its capacity
    /// for the next one: a fresh buffer per epoch regrew by doubling into
    /// newly faulted-in pages every time.
    spare: Batch<I>,
}

impl<I, K> Default for Held<I, K> {
    fn default() -> Self {
        Self { epochs: BTreeMap::new(), spare: Vec::new() }
    }
}

impl<I, K> Held<I, K> {
    /// Holds every update of `containers`; `capabilities` makes the
    /// capabilities for an epoch seen for the first time.
    fn take<'c>(&mut self, containers: impl Iterator<Item = &'c mut Vec<Update<I>>>, capabilities: impl Fn(&Epoch) -> K)
    where
        I: 'c,
    {
        for container in containers {
            for (data, epoch, diff) in container.drain(..) {
                self.epochs
                    .entry(epoch)
                    .or_insert_with(|| (capabilities(&epoch), std::mem::take(&mut self.spare)))
                    .1
                    .push((data, diff));
            }
        }
    }

    /// The oldest held epoch if the frontier has passed it, released.
    fn complete(&mut self, frontier: &MutableAntichain<Epoch>) -> Option<(Epoch, K, Batch<I>)> {
        let entry = self.epochs.first_entry()?;
        if frontier.less_equal(entry.key()) {
            return None;
        }
        let (epoch, (capabilities, batch)) = entry.remove_entry();
        Some((epoch, capabilities, batch))
    }

    /// Keeps a stepped epoch's emptied buffer for the next epoch.
    fn recycle(&mut self, batch: Batch<I>) {
        self.spare = batch;
    }
}

/// Hands each vehicle its share of one epoch's updates (draining `batch`),
/// then steps every vehicle that received some (each once).
///
/// A vehicle's updates mostly arrive together (a message's readings, a
/// window's rows), so the vehicle is looked up once per run of consecutive
/// updates, not once per update.
fn step_vehicles<I, O, S: VehicleState<I, O>>(
    vehicles: &mut Vehicles<I, S>,
    batch: &mut Batch<I>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run_epochs;

    /// A value of `(fleet, vehicle)`.
    type Value = (Id, Id, i64);

    /// A vehicle's running total: the total on the first output (the old one
    /// retracted), the vehicle once per step on the second, each negative
    /// value on the third.
    #[derive(Default)]
    struct Total(i64);

    impl VehicleState<Value, Side<i64, String, i64>> for Total {
        fn step(&mut self, updates: Vec<(Value, Diff)>, emit: &mut impl FnMut(Side<i64, String, i64>, Diff)) {
            let before = self.0;
            self.0 += updates.iter().map(|((_, _, v), d)| v * *d as i64).sum::<i64>();
            if before != 0 {
                emit(Side::First(before), -1);
            }
            emit(Side::First(self.0), 1);
            emit(Side::Second(updates[0].0.1.to_string()), 1);
            for ((_, _, v), d) in updates {
                if v < 0 {
                    emit(Side::Third(v), d);
                }
            }
        }
    }

    fn totals<'s>(values: Coll<'s, Value>) -> (Coll<'s, i64>, Coll<'s, String>, Coll<'s, i64>) {
        per_vehicle_split3(values, "Totals", |(f, v, _)| (f, v), Total::default)
    }

    #[test]
    fn split3_sends_each_change_to_its_output_at_its_epoch() {
        let value = |vehicle: &str, v: i64| -> Value { ("f".into(), vehicle.into(), v) };
        let epochs =
            || vec![vec![(value("a", 3), 1), (value("b", 4), 1), (value("a", -2), 1)], vec![(value("a", 3), -1)]];
        assert_eq!(run_epochs(epochs(), |c| totals(c).0), vec![(1, 0, 1), (4, 0, 1), (-2, 1, 1), (1, 1, -1)]);
        assert_eq!(
            run_epochs(epochs(), |c| totals(c).1),
            vec![("a".to_string(), 0, 1), ("b".to_string(), 0, 1), ("a".to_string(), 1, 1)]
        );
        assert_eq!(run_epochs(epochs(), |c| totals(c).2), vec![(-2, 0, 1)]);
    }
}
