//! The per-component state machine behind `degrade` and `alert`: a
//! component's history split into a sealed past, summarised by the state of
//! a sequential walk, and the open points that can still change.
//!
//! On every change the open points are replayed from the sealed state and
//! the outputs compared with what was emitted before, so exactly the changed
//! outputs are retracted and inserted, as a `reduce` over the whole history
//! would do. Points that became final ([`Finality`]) are then folded into the
//! sealed state and their outputs forgotten: they can never change again.

use std::collections::{BTreeMap, BTreeSet};

use schemas::{Component, TsMs};

use crate::Diff;
use crate::finality::Finality;
use crate::per_vehicle::VehicleState;

/// The (fleet, vehicle, component) a history belongs to.
pub type HistoryId<'a> = (&'a str, &'a str, Component);

/// One component's sequential history with a sealed past.
pub trait OpenHistory: Default + 'static {
    /// A point of the history, ordered by event time.
    type Point: Ord + Clone;
    /// What the walk emits.
    type Out: Ord + Clone;
    /// Settings of the walk.
    type Config: 'static;

    /// The open points with their multiplicities.
    fn open(&mut self) -> &mut BTreeMap<Self::Point, Diff>;
    /// The outputs of the open points, as last emitted.
    fn emitted(&mut self) -> &mut Vec<Self::Out>;
    /// Event time of a point.
    fn at(point: &Self::Point) -> TsMs;
    /// The outputs of the open points (multiplicity > 0), walked from the sealed state.
    fn replay(&self, id: HistoryId<'_>, config: &Self::Config) -> Vec<Self::Out>;
    /// Folds a final point into the sealed state.
    fn seal(&mut self, id: HistoryId<'_>, point: &Self::Point, config: &Self::Config);
}

/// The histories of one vehicle's components, fed by inputs of type `I`.
pub struct Components<I, H: OpenHistory> {
    finality: Finality,
    config: H::Config,
    ids: Option<(String, String)>,
    /// Splits an input into its vehicle, component and point.
    split: fn(I) -> (String, String, Component, H::Point),
    newest: BTreeMap<Component, TsMs>,
    histories: BTreeMap<Component, H>,
}

impl<I, H: OpenHistory> Components<I, H> {
    /// No history yet.
    pub fn new(finality: Finality, config: H::Config, split: fn(I) -> (String, String, Component, H::Point)) -> Self {
        Components { finality, config, ids: None, split, newest: BTreeMap::new(), histories: BTreeMap::new() }
    }
}

impl<I: 'static, H: OpenHistory> VehicleState<I, H::Out> for Components<I, H> {
    fn step(&mut self, updates: Vec<(I, Diff)>, out: &mut Vec<(H::Out, Diff)>) {
        let mut dirty = BTreeSet::new();
        for (input, diff) in updates {
            let (fleet, vehicle, component, point) = (self.split)(input);
            if self.ids.is_none() {
                self.ids = Some((fleet, vehicle));
            }
            let newest = self.newest.entry(component).or_insert(H::at(&point));
            *newest = (*newest).max(H::at(&point));
            let open = self.histories.entry(component).or_default().open();
            let n = open.entry(point.clone()).or_insert(0);
            *n += diff;
            if *n == 0 {
                open.remove(&point);
            }
            dirty.insert(component);
        }
        let Some((fleet, vehicle)) = self.ids.as_ref() else {
            return;
        };
        for component in dirty {
            let (Some(history), Some(newest)) = (self.histories.get_mut(&component), self.newest.get(&component)) else {
                continue;
            };
            let id = (fleet.as_str(), vehicle.as_str(), component);
            let now = history.replay(id, &self.config);
            let before = std::mem::replace(history.emitted(), now.clone());
            emit_changes(before, now, out);
            let final_through = self.finality.final_windows_through(*newest);
            let mut sealed = false;
            while let Some((point, n)) = history.open().first_key_value().map(|(p, n)| (p.clone(), *n)) {
                if H::at(&point) > final_through {
                    break;
                }
                history.open().pop_first();
                if n > 0 {
                    history.seal(id, &point, &self.config);
                }
                sealed = true;
            }
            if sealed {
                *history.emitted() = history.replay(id, &self.config);
            }
        }
    }
}

/// Emits the multiset difference `now − before`.
fn emit_changes<O: Ord>(mut before: Vec<O>, mut now: Vec<O>, out: &mut Vec<(O, Diff)>) {
    before.sort();
    now.sort();
    let mut before = before.into_iter().peekable();
    let mut now = now.into_iter().peekable();
    loop {
        match (before.peek(), now.peek()) {
            (Some(b), Some(n)) if b == n => {
                before.next();
                now.next();
            }
            (Some(b), Some(n)) if b < n => out.extend(before.next().map(|b| (b, -1))),
            (Some(_), Some(_)) | (None, Some(_)) => out.extend(now.next().map(|n| (n, 1))),
            (Some(_), None) => out.extend(before.next().map(|b| (b, -1))),
            (None, None) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_multiset_difference_is_emitted() {
        let mut out = Vec::new();
        emit_changes(vec![3, 1, 2, 2], vec![2, 4, 1], &mut out);
        assert_eq!(out, vec![(2, -1), (3, -1), (4, 1)]);
    }
}
