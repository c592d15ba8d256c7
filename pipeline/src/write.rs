//! The sink operator: per worker, writes each epoch's results durably once
//! the input frontier has passed it, and marks commit points.
//!
//! It holds one capability at its input frontier, so the probe placed after
//! it only passes epoch `e` once every worker has written `e`; the source
//! commits Kafka offsets only after that (DESIGN.md §3, commit points).

use std::collections::BTreeMap;

use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::probe::{Handle as ProbeHandle, Probe};

use operators::{Coll, Diff, Epoch};
use sinks::ResultBatch;

use crate::output::{Output, into_batch};

/// What the sink operator writes to: every sink of one worker.
pub trait EpochWriter: 'static {
    /// Writes one epoch's consolidated results durably (retrying what is retriable).
    fn write(&mut self, epoch: Epoch, batch: ResultBatch);
    /// Makes everything written so far durable in every sink (rolls files):
    /// offsets of epochs up to `epoch` may be committed after this returns.
    fn commit_point(&mut self, epoch: Epoch);
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
    let (probe, _) = outputs
        .inner
        .unary_frontier::<CapacityContainerBuilder<Vec<()>>, _, _, _>(route, "WriteOutputs", |cap, _info| {
            let mut held = Some(cap);
            move |(input, frontier), _output| {
                input.for_each(|_cap, data| {
                    for (output, epoch, diff) in data.drain(..) {
                        stash.entry(epoch).or_default().push((output, diff));
                    }
                });
                let Some(cap) = held.as_mut() else { return };
                let frontier = frontier.frontier();
                while let Some(entry) = stash.first_entry() {
                    if frontier.less_equal(entry.key()) {
                        break;
                    }
                    let epoch = *entry.key();
                    writer.write(epoch, into_batch(entry.remove()));
                }
                match frontier.first().copied() {
                    Some(next) if next > *cap.time() => {
                        for epoch in *cap.time()..next {
                            if is_commit_point(epoch, commit_every) {
                                writer.commit_point(epoch);
                            }
                        }
                        cap.downgrade(&next);
                    }
                    Some(_) => {}
                    None => {
                        writer.commit_point(*cap.time());
                        held = None;
                    }
                }
            }
        })
        .probe();
    probe
}
