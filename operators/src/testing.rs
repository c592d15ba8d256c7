//! Test harness shared by the operator tests: feeds a one-input dataflow one
//! epoch at a time and returns exactly what it emitted, as consolidated
//! `(data, epoch, diff)` updates sorted by epoch, then data.

use std::collections::BTreeMap;
use std::sync::{Arc, mpsc};

use differential_dataflow::input::Input;
use timely::dataflow::operators::Probe;
use timely::dataflow::operators::capture::{Capture, Event};

use crate::{Coll, Diff, Epoch};

/// Runs `build` over a collection that receives `epochs[i]` at epoch `i`.
pub fn run_epochs<I, O, F>(epochs: Vec<Vec<(I, Diff)>>, build: F) -> Vec<(O, Epoch, Diff)>
where
    I: differential_dataflow::ExchangeData + std::hash::Hash + Sync,
    O: differential_dataflow::ExchangeData + std::hash::Hash,
    F: for<'s> FnOnce(Coll<'s, I>) -> Coll<'s, O> + Send + Sync + 'static,
{
    run_epochs_with(epochs, build, || {})
}

/// [`run_epochs`], running each epoch to completion and then calling
/// `between` before the next one is fed (e.g. to swap a model).
pub fn run_epochs_with<I, O, F, B>(epochs: Vec<Vec<(I, Diff)>>, build: F, mut between: B) -> Vec<(O, Epoch, Diff)>
where
    I: differential_dataflow::ExchangeData + std::hash::Hash + Sync,
    O: differential_dataflow::ExchangeData + std::hash::Hash,
    F: for<'s> FnOnce(Coll<'s, I>) -> Coll<'s, O> + Send + Sync + 'static,
    B: FnMut() + Send + Sync + 'static,
{
    let (send, recv) = mpsc::channel();
    timely::execute_directly(move |worker| {
        let probe = timely::dataflow::operators::probe::Handle::new();
        let mut input = worker.dataflow::<Epoch, _, _>(|scope| {
            let (input, collection) = scope.new_collection::<I, Diff>();
            let out = build(collection);
            out.inner.probe_with(&probe).capture_into(send);
            input
        });
        for (epoch, updates) in epochs.into_iter().enumerate() {
            input.advance_to(epoch as Epoch);
            for (data, diff) in updates {
                input.update(data, diff);
            }
            input.advance_to(epoch as Epoch + 1);
            input.flush();
            while probe.less_than(input.time()) {
                worker.step();
            }
            between();
        }
    });
    consolidate(recv.into_iter().flat_map(|event| match event {
        Event::Messages(_, data) => data,
        Event::Progress(_) => Vec::new(),
    }))
}

/// Sums diffs per `(data, epoch)`, drops zeros, sorts by epoch then data.
pub fn consolidate<O: Ord>(updates: impl IntoIterator<Item = (O, Epoch, Diff)>) -> Vec<(O, Epoch, Diff)> {
    let mut sums: BTreeMap<(Epoch, O), Diff> = BTreeMap::new();
    for (data, epoch, diff) in updates {
        *sums.entry((epoch, data)).or_insert(0) += diff;
    }
    sums.into_iter().filter(|(_, d)| *d != 0).map(|((t, d), r)| (d, t, r)).collect()
}

/// The collection's content after every epoch `≤ epoch`: the sequential view
/// a reference implementation is compared against.
pub fn content_at<O: Ord + Clone>(updates: &[(O, Epoch, Diff)], epoch: Epoch) -> Vec<(O, Diff)> {
    let mut sums: BTreeMap<O, Diff> = BTreeMap::new();
    for (data, t, diff) in updates {
        if *t <= epoch {
            *sums.entry(data.clone()).or_insert(0) += diff;
        }
    }
    sums.into_iter().filter(|(_, d)| *d != 0).collect()
}

/// A 10-minute brake window of vehicle `f1/v1` ending at `end`, scored
/// `score` (pad wear `100 − score`), with the odometer given.
pub fn brake_window(end: i64, score: f64, odometer: Option<f64>) -> crate::health::WindowScore {
    use schemas::{Component, Value, WindowFeatures};
    crate::health::WindowScore {
        fleet_id: "f1".into(),
        vehicle_id: "v1".into(),
        component: Component::Brakes,
        features: WindowFeatures {
            window_start_ms: end - 600_000,
            count: 1,
            mean: Value(100.0 - score),
            worst: Value(100.0 - score),
            exceedances: 0,
            dtcs: 0,
            odometer_km: odometer.map(Value),
        },
        window_end_ms: end,
        score: Value(score),
        signals: Arc::from([]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harness_reports_inserts_and_retractions_per_epoch() {
        let out = run_epochs(vec![vec![(1u32, 1), (2, 1)], vec![(1, -1)], vec![]], |c| c.map(|x| x * 10));
        assert_eq!(out, vec![(10, 0, 1), (20, 0, 1), (10, 1, -1)]);
        assert_eq!(content_at(&out, 1), vec![(20, 1)]);
    }
}
