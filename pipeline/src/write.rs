//! The sink operator: per worker, hands each epoch's results to an
//! [`EpochWriter`] once the input frontier has passed it, marks commit
//! points, and holds its capability until the writer reports the epoch
//! durable.
//!
//! Holding a capability at the first epoch not yet durable means the probe
//! placed after the operator only passes epoch `e` once every worker has
//! written `e`; the source commits Kafka offsets only after that
//! (DESIGN.md §3, commit points).

use std::collections::BTreeMap;

use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::probe::{Handle as ProbeHandle, Probe};
use timely::scheduling::SyncActivator;

use operators::{Coll, Diff, Epoch};
use sinks::ResultBatch;

use crate::output::{Output, into_batch};

/// What the sink operator writes to: every sink of one worker.
pub trait EpochWriter: 'static {
    /// Writes one epoch's consolidated results durably (retrying what is retriable).
    fn write(&mut self, epoch: Epoch, batch: ResultBatch);
    /// Makes everything written so far durable in every sink (rolls files):
    /// offsets of epochs up to `epoch` may be committed once it is durable.
    fn commit_point(&mut self, epoch: Epoch);
    /// The first epoch not yet durable, given that every epoch before
    /// `handed` has been handed to [`write`](Self::write) and
    /// [`commit_point`](Self::commit_point) (`Epoch::MAX`: the input has
    /// ended). A writer that writes within those calls has made all of it
    /// durable, which is the default.
    fn durable_before(&mut self, handed: Epoch) -> Epoch {
        handed
    }
    /// Gives a writer that writes behind, on another thread, the way to
    /// wake the operator when more has become durable. The default ignores it.
    fn wake_with(&mut self, _activator: SyncActivator) {}
}

/// True when `epoch` is a commit point for a pipeline that commits every `every` epochs.
pub fn is_commit_point(epoch: Epoch, every: u64) -> bool {
    epoch.is_multiple_of(every.max(1))
}

/// Attaches the sink operator to `outputs` and returns the probe that passes
/// an epoch only after it is written everywhere.
pub fn write_outputs<W: EpochWriter>(
    outputs: Coll<'_, Output>,
    mut writer: W,
    commit_every: u64,
) -> ProbeHandle<Epoch> {
    let mut stash: BTreeMap<Epoch, Vec<(Output, Diff)>> = BTreeMap::new();
    let route = Exchange::new(|update: &(Output, Epoch, Diff)| update.0.route());
    let worker = outputs.inner.scope().worker();
    let (probe, _) = outputs
        .inner
        .unary_frontier::<CapacityContainerBuilder<Vec<()>>, _, _, _>(route, "WriteOutputs", |cap, info| {
            writer.wake_with(worker.sync_activator_for(info.address.to_vec()));
            // Every epoch before `handed` has been handed to the writer.
            let mut handed = *cap.time();
            let mut held = Some(cap);
            move |(input, frontier), _output| {
                input.for_each(|_cap, data| {
                    for (output, epoch, diff) in data.drain(..) {
                        stash.entry(epoch).or_default().push((output, diff));
                    }
                });
                let frontier = frontier.frontier();
                while let Some(entry) = stash.first_entry() {
                    if frontier.less_equal(entry.key()) {
                        break;
                    }
                    let epoch = *entry.key();
                    writer.write(epoch, into_batch(entry.remove()));
                }
                match frontier.first().copied() {
                    Some(next) if next > handed => {
                        for epoch in handed..next {
                            if is_commit_point(epoch, commit_every) {
                                writer.commit_point(epoch);
                            }
                        }
                        handed = next;
                    }
                    Some(_) => {}
                    None if handed != Epoch::MAX => {
                        writer.commit_point(handed);
                        handed = Epoch::MAX;
                    }
                    None => {}
                }
                let durable = writer.durable_before(handed);
                if durable == Epoch::MAX {
                    held = None;
                } else if let Some(cap) = held.as_mut()
                    && durable > *cap.time()
                {
                    cap.downgrade(&durable);
                }
            }
        })
        .probe();
    probe
}
