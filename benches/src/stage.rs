//! Running one operator on its own: the inputs of a stage are captured from
//! the stages before it (outside any timing), then fed to the stage alone.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use differential_dataflow::ExchangeData;
use differential_dataflow::input::Input;
use timely::dataflow::operators::Probe;
use timely::dataflow::operators::capture::{Capture, Event};
use timely::dataflow::operators::probe::Handle as ProbeHandle;

use operators::{Coll, Diff, Epoch};

/// Updates per epoch.
pub type Epochs<D> = Vec<Vec<(D, Diff)>>;

/// Runs `build` over `epochs` and returns what it emitted, per epoch.
pub fn capture<I, O, F>(epochs: Epochs<I>, build: F) -> Epochs<O>
where
    I: ExchangeData + std::hash::Hash + Sync,
    O: ExchangeData + std::hash::Hash,
    F: for<'s> FnOnce(Coll<'s, I>) -> Coll<'s, O> + Send + Sync + 'static,
{
    let count = epochs.len();
    let (send, recv) = mpsc::channel();
    timely::execute_directly(move |worker| {
        let mut input = worker.dataflow::<Epoch, _, _>(move |scope| {
            let (input, collection) = scope.new_collection::<I, Diff>();
            build(collection).inner.capture_into(send);
            input
        });
        for (epoch, updates) in epochs.into_iter().enumerate() {
            input.advance_to(epoch as Epoch);
            for (data, diff) in updates {
                input.update(data, diff);
            }
        }
    });
    let mut out: Epochs<O> = vec![Vec::new(); count];
    for event in recv {
        if let Event::Messages(_, data) = event {
            for (d, t, r) in data {
                if let Some(slot) = out.get_mut(t as usize) {
                    slot.push((d, r));
                }
            }
        }
    }
    out
}

/// Time to push `epochs` through `build` and see every epoch pass its
/// output, dataflow construction excluded.
pub fn time<I, O, F>(epochs: Epochs<I>, build: F) -> Duration
where
    I: ExchangeData + std::hash::Hash + Sync,
    O: ExchangeData + std::hash::Hash,
    F: for<'s> FnOnce(Coll<'s, I>) -> Coll<'s, O> + Send + Sync + 'static,
{
    timely::execute_directly(move |worker| {
        let probe = ProbeHandle::new();
        let mut input = worker.dataflow::<Epoch, _, _>(|scope| {
            let (input, collection) = scope.new_collection::<I, Diff>();
            build(collection).inner.probe_with(&probe);
            input
        });
        let started = Instant::now();
        for (epoch, updates) in epochs.into_iter().enumerate() {
            input.advance_to(epoch as Epoch);
            for (data, diff) in updates {
                input.update(data, diff);
            }
        }
        drop(input);
        while !probe.done() {
            worker.step();
        }
        started.elapsed()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_outputs_land_in_their_epochs() {
        let out = capture(vec![vec![(1u32, 1)], vec![(2, 1), (1, -1)]], |c| c.map(|x| x * 10));
        let mut second = out[1].clone();
        second.sort();
        assert_eq!(out[0], vec![(10, 1)]);
        assert_eq!(second, vec![(10, -1), (20, 1)]);
        assert!(time(vec![vec![(1u32, 1)]], |c| c.map(|x| x + 1)) > Duration::ZERO);
    }
}
