//! The per-component state machine behind `degrade` and `alert`: a
//! component's history split into a sealed past, summarised by the state of
//! a sequential walk, and the open points that can still change.
//!
//! Each open point remembers the walk's state before it, not what it
//! emitted: a step is a function of that state, the points before it and
//! the model it was walked with, so what it emitted is re-derived when it
//! must be retracted (the outputs of every open window of every component
//! were a sixth of all state). What a walk reads from further back than its state (the RUL
//! trend's recent windows) it reads from the open points before it and the
//! sealed past ([`Before`]) rather than copying it into every point's state:
//! a copy per open window of every component was a tenth of all state.
//!
//! On a change the walk resumes at the first point that differs
//! (usually the newest window): it steps once over the points from there
//! on as they were (kept aside as they change) with the model they were
//! walked with, and once over the points as they are now; the two outputs
//! are compared, so exactly the changed outputs are retracted and inserted,
//! as a `reduce` over the whole history would do.
//! Points that became final ([`Finality`]) are then folded into the sealed
//! state and their outputs forgotten: they can never change again.
//!
//! A history holds the few windows of one component within the correction
//! horizon, and a vehicle a handful of components, so their maps are flat
//! sorted vectors ([`LiteMap`], and for the open points a sorted `Vec`
//! searched from its newest end): a B-tree node reserves room for eleven
//! entries whatever it holds, and this state is kept for every vehicle.

use litemap::LiteMap;
use smallvec::SmallVec;

use schemas::{Component, Id, TsMs};

use crate::Diff;
use crate::finality::Finality;
use crate::per_vehicle::VehicleState;

/// The (fleet, vehicle, component) a history belongs to.
pub type HistoryId<'a> = (&'a Id, &'a Id, Component);

/// What a step sees of the history before its point: the sealed past, and
/// the open points between the past and this one, oldest first.
pub struct Before<'a, W: Walker + ?Sized> {
    /// What the sealed points left behind.
    pub past: &'a W::Past,
    /// The open points before this one, oldest first.
    pub earlier: &'a [&'a W::Point],
}

/// A sequential walk over one component's points in event-time order.
pub trait Walker: 'static {
    /// A point of the history, ordered by event time first.
    type Point: Ord + Clone;
    /// What a step yields, as the history keeps it for the point until it
    /// is re-walked: without the ids the history already names, since it is
    /// kept for every open point of every component.
    type Out: Ord;
    /// What the walk emits: an [`Out`](Self::Out) with its history's ids.
    type Emitted;
    /// The walk's state between two points.
    type State: Clone + Default;
    /// What sealed points leave behind that a step reads besides the state
    /// (e.g. the latest windows of a trend), kept once per history.
    type Past: Default;
    /// Settings of the walk.
    type Config: 'static;
    /// What a step reads besides its settings that can change while the
    /// dataflow runs (a hot-swapped model), as one walk reads it throughout.
    type Model: Clone + Default;

    /// Event time of a point.
    fn at(point: &Self::Point) -> TsMs;
    /// The model a walk starting now reads.
    fn model(config: &Self::Config) -> Self::Model;
    /// Steps over the next point, pushing the outputs it settles.
    fn step(
        state: &mut Self::State,
        before: Before<'_, Self>,
        id: HistoryId<'_>,
        point: &Self::Point,
        settings: (&Self::Config, &Self::Model),
        out: &mut Vec<Self::Out>,
    );
    /// Folds a point that became final into the past.
    fn seal(past: &mut Self::Past, id: HistoryId<'_>, point: &Self::Point, settings: (&Self::Config, &Self::Model));
    /// The outputs still owed by the state after the last point (an episode in progress).
    fn tail(state: &Self::State, out: &mut Vec<Self::Out>);
    /// What `out` of the history `id` emits.
    fn expand(id: HistoryId<'_>, out: &Self::Out) -> Self::Emitted;
}

/// An open point as last walked: its event time, the state before it and
/// the model it was walked with (the point itself is in `History::open`).
struct Walked<W: Walker> {
    at: TsMs,
    before: W::State,
    model: W::Model,
}

/// One component's history: the sealed past, the open points, and the walk
/// over them as last emitted.
struct History<W: Walker> {
    past: W::Past,
    /// The open points with their counts, sorted (so by event time).
    open: Vec<(W::Point, Diff)>,
    /// The changes to `open` since the last walk, in order: what the points
    /// were then is `open` without them. Empty between steps.
    changes: Vec<(W::Point, Diff)>,
    /// The event time of the earliest point changed since the last walk: the walk resumes there.
    dirty: Option<TsMs>,
    /// The newest event time ever counted in: what finality is judged from.
    newest: TsMs,
    walked: Vec<Walked<W>>,
    end: W::State,
}

impl<W: Walker> Default for History<W> {
    fn default() -> Self {
        History {
            past: W::Past::default(),
            open: Vec::new(),
            changes: Vec::new(),
            dirty: None,
            newest: TsMs::MIN,
            walked: Vec::new(),
            end: W::State::default(),
        }
    }
}

impl<W: Walker> History<W> {
    /// Counts `diff` more of `point` and remembers the earliest point changed.
    fn update(&mut self, point: W::Point, diff: Diff) {
        if diff == 0 {
            return;
        }
        let at = W::at(&point);
        self.dirty = Some(self.dirty.map_or(at, |d| d.min(at)));
        self.newest = self.newest.max(at);
        self.changes.push((point.clone(), diff));
        match locate(&self.open, &point) {
            Ok(i) => {
                self.open[i].1 += diff;
                if self.open[i].1 == 0 {
                    self.open.remove(i);
                }
            }
            Err(i) => self.open.insert(i, (point, diff)),
        }
    }

    /// Makes `point` the one point at event time `at` (`None`: no point
    /// there), for inputs that hold at most one point per event time, each
    /// once. A point equal to the one present changes nothing.
    fn set(&mut self, at: TsMs, point: Option<W::Point>) {
        match (locate_by(&self.open, |p| W::at(p).cmp(&at)), point) {
            (Ok(i), Some(point)) if self.open[i].1 == 1 && self.open[i].0 == point => return,
            (Ok(i), Some(point)) => {
                self.changes.push((point.clone(), 1));
                let (replaced, n) = std::mem::replace(&mut self.open[i], (point, 1));
                self.changes.push((replaced, -n));
            }
            (Ok(i), None) => {
                let (removed, n) = self.open.remove(i);
                self.changes.push((removed, -n));
            }
            (Err(i), Some(point)) => {
                self.changes.push((point.clone(), 1));
                self.open.insert(i, (point, 1));
            }
            (Err(_), None) => return,
        }
        self.dirty = Some(self.dirty.map_or(at, |d| d.min(at)));
        self.newest = self.newest.max(at);
    }

    /// Re-walks from the first point that changed and emits the differences:
    /// what the points from there on emitted when last walked (re-derived
    /// from the points as they were then, with the model read then) against
    /// what they emit now. Every walked point before it is unchanged, so
    /// both walks resume there.
    fn rewalk(
        &mut self,
        id: HistoryId<'_>,
        (config, model): (&W::Config, &W::Model),
        emit: &mut impl FnMut(W::Emitted, Diff),
    ) {
        let Some(dirty) = self.dirty.take() else {
            return;
        };
        let changes = std::mem::take(&mut self.changes);
        // Scanned from the newest: the change is almost always in the newest
        // window or two, and a binary search would touch (and miss in cache)
        // points far apart in the list.
        let same = self.walked.iter().rposition(|w| w.at < dirty).map_or(0, |i| i + 1);
        // Every open point, for the steps to read those before them; the
        // first `same` of them are the walked points before the change.
        let present: SmallVec<[&W::Point; 16]> = present(&self.open).collect();
        debug_assert_eq!(present.iter().take_while(|p| W::at(p) < dirty).count(), same);
        let then = as_walked(&self.open, &changes, self.open.partition_point(|(p, _)| W::at(p) < dirty));
        debug_assert_eq!(then.len(), self.walked.len() - same);
        // The state before the first point re-walked, taken rather than cloned.
        let start = match self.walked.get_mut(same) {
            Some(w) => std::mem::take(&mut w.before),
            None => self.end.clone(),
        };

        let mut before = Vec::new();
        let mut state = start.clone();
        let mut earlier: SmallVec<[&W::Point; 16]> = present[..same].iter().copied().collect();
        for (point, walked) in then.into_iter().zip(&self.walked[same..]) {
            let settings = (config, &walked.model);
            W::step(&mut state, Before { past: &self.past, earlier: &earlier }, id, point, settings, &mut before);
            earlier.push(point);
        }
        W::tail(&self.end, &mut before);
        self.walked.truncate(same);

        let mut now = Vec::new();
        let mut state = start;
        for (i, point) in present.iter().enumerate().skip(same) {
            let entry = state.clone();
            W::step(
                &mut state,
                Before { past: &self.past, earlier: &present[..i] },
                id,
                point,
                (config, model),
                &mut now,
            );
            self.walked.push(Walked { at: W::at(point), before: entry, model: model.clone() });
        }
        W::tail(&state, &mut now);
        self.end = state;
        emit_changes(before.iter(), now.iter(), &mut |out, diff| emit(W::expand(id, out), diff));
    }

    /// Forgets every point at or before `final_through`, folding it into the
    /// past.
    fn seal(&mut self, id: HistoryId<'_>, settings: (&W::Config, &W::Model), final_through: TsMs) {
        let sealed = self.walked.iter().take_while(|w| w.at <= final_through).count();
        if sealed > 0 {
            for point in present(&self.open).take_while(|p| W::at(p) <= final_through) {
                W::seal(&mut self.past, id, point, settings);
            }
            self.walked.drain(..sealed);
        }
        self.open.retain(|(p, _)| W::at(p) > final_through);
    }
}

/// The points present in `open[from..]` as they were before `changes` were
/// counted into `open`, in order.
fn as_walked<'a, P: Ord>(open: &'a [(P, Diff)], changes: &'a [(P, Diff)], from: usize) -> SmallVec<[&'a P; 16]> {
    let mut counted: SmallVec<[(&P, Diff); 16]> = open[from..].iter().map(|(p, n)| (p, *n)).collect();
    for (p, diff) in changes {
        match counted.binary_search_by(|(q, _)| (*q).cmp(p)) {
            Ok(i) => counted[i].1 -= diff,
            Err(i) => counted.insert(i, (p, -diff)),
        }
    }
    counted.into_iter().filter(|(_, n)| *n > 0).map(|(p, _)| p).collect()
}

/// The points of a history that are present (counted more than zero times), in order.
fn present<P>(open: &[(P, Diff)]) -> impl Iterator<Item = &P> {
    open.iter().filter(|(_, n)| *n > 0).map(|(p, _)| p)
}

/// Where `point` is in the sorted `open` (`Ok`), or where it would go
/// (`Err`). Scanned from the newest: a change is almost always to the newest
/// window, whose old and new versions sit at the end, and a binary search
/// would compare (and miss in cache) points far apart in the list first.
fn locate<P: Ord>(open: &[(P, Diff)], point: &P) -> Result<usize, usize> {
    locate_by(open, |p| p.cmp(point))
}

/// [`locate`] by an ordering of the sorted `open`'s points against the one
/// sought (`Equal` where it is): the newest match, or where it would go.
fn locate_by<P>(open: &[(P, Diff)], sought: impl Fn(&P) -> std::cmp::Ordering) -> Result<usize, usize> {
    for (i, (p, _)) in open.iter().enumerate().rev() {
        match sought(p) {
            std::cmp::Ordering::Greater => {}
            std::cmp::Ordering::Equal => return Ok(i),
            std::cmp::Ordering::Less => return Err(i + 1),
        }
    }
    Err(0)
}

/// The histories of one vehicle's components, fed by inputs of type `I`.
pub struct Components<I, W: Walker> {
    finality: Finality,
    config: W::Config,
    ids: Option<(Id, Id)>,
    /// Splits an input into its vehicle, component and point.
    split: fn(I) -> (Id, Id, Component, W::Point),
    histories: LiteMap<Component, History<W>>,
}

impl<I, W: Walker> Components<I, W> {
    /// No history yet.
    pub fn new(finality: Finality, config: W::Config, split: fn(I) -> (Id, Id, Component, W::Point)) -> Self {
        Components { finality, config, ids: None, split, histories: LiteMap::new() }
    }
}

impl<I, W: Walker> Components<I, W> {
    /// Names the vehicle these histories belong to (the first name given sticks).
    pub(crate) fn identify(&mut self, fleet: &Id, vehicle: &Id) {
        if self.ids.is_none() {
            self.ids = Some((fleet.clone(), vehicle.clone()));
        }
    }

    /// The model a walk starting now reads: what [`settle`](Self::settle) is given.
    pub(crate) fn model(&self) -> W::Model {
        W::model(&self.config)
    }

    /// Counts `diff` more of `point` in `component`'s history.
    pub(crate) fn update(&mut self, component: Component, point: W::Point, diff: Diff) {
        self.histories.entry(component).or_default().update(point, diff);
    }

    /// Makes `point` the one point of `component`'s history at event time
    /// `at` (see [`History::set`]): for an input that is one value per
    /// event time rather than a collection of changes.
    pub(crate) fn set(&mut self, component: Component, at: TsMs, point: Option<W::Point>) {
        match (self.histories.get_mut(&component), point) {
            (Some(history), point) => history.set(at, point),
            (None, Some(point)) => self.histories.entry(component).or_default().set(at, Some(point)),
            (None, None) => {}
        }
    }

    /// Re-walks every history changed since the last settle with `model`
    /// (read once per step by [`model`](Self::model)), handing each change
    /// to `emit`, and seals what became final.
    pub(crate) fn settle(&mut self, model: &W::Model, emit: &mut impl FnMut(W::Emitted, Diff)) {
        let Some((fleet, vehicle)) = self.ids.as_ref() else {
            return;
        };
        // In component order; only the histories `update` marked dirty re-walk and seal.
        for (component, history) in self.histories.iter_mut().filter(|(_, h)| h.dirty.is_some()) {
            let id = (fleet, vehicle, *component);
            history.rewalk(id, (&self.config, model), emit);
            history.seal(id, (&self.config, model), self.finality.final_windows_through(history.newest));
        }
    }
}

impl<I: 'static, W: Walker> VehicleState<I, W::Emitted> for Components<I, W> {
    fn step(&mut self, updates: Vec<(I, Diff)>, emit: &mut impl FnMut(W::Emitted, Diff)) {
        for (input, diff) in updates {
            let (fleet, vehicle, component, point) = (self.split)(input);
            self.identify(&fleet, &vehicle);
            self.update(component, point, diff);
        }
        self.settle(&self.model(), emit);
    }
}

/// Emits the multiset difference `now − before`. Walks emit in the same
/// order each time, so equal outputs at equal positions are dropped first
/// and only what is left is sorted and merged. Both sides are compared as
/// the walk yields them; only what is emitted is made into an output (a
/// whole health row or alert, with its ids).
fn emit_changes<'a, O: Ord + 'a>(
    before: impl Iterator<Item = &'a O>,
    now: impl Iterator<Item = &'a O>,
    emit: &mut impl FnMut(&'a O, Diff),
) {
    let (mut before_rest, mut now_rest): (SmallVec<[&O; 4]>, SmallVec<[&O; 4]>) = (SmallVec::new(), SmallVec::new());
    let mut now = now.into_iter();
    for b in before {
        match now.next() {
            Some(n) if n == b => {}
            Some(n) => {
                before_rest.push(b);
                now_rest.push(n);
            }
            None => before_rest.push(b),
        }
    }
    now_rest.extend(now);
    before_rest.sort_unstable();
    now_rest.sort_unstable();
    let mut before = before_rest.into_iter().peekable();
    let mut now = now_rest.into_iter().peekable();
    loop {
        match (before.peek(), now.peek()) {
            (Some(b), Some(n)) if b == n => {
                before.next();
                now.next();
            }
            (Some(b), Some(n)) if b < n => before.next().into_iter().for_each(|b| emit(b, -1)),
            (Some(_), Some(_)) | (None, Some(_)) => now.next().into_iter().for_each(|n| emit(n, 1)),
            (Some(_), None) => before.next().into_iter().for_each(|b| emit(b, -1)),
            (None, None) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_located_from_the_newest_end() {
        let open = [(10, 1), (20, 2), (30, 1)];
        assert_eq!(locate(&open, &30), Ok(2));
        assert_eq!(locate(&open, &10), Ok(0));
        assert_eq!(locate(&open, &35), Err(3));
        assert_eq!(locate(&open, &25), Err(2));
        assert_eq!(locate(&open, &5), Err(0));
        assert_eq!(locate::<i32>(&[], &5), Err(0));
    }

    #[test]
    fn only_the_multiset_difference_is_emitted() {
        let mut out = Vec::new();
        emit_changes([3, 1, 2, 2].iter(), [2, 4, 1].iter(), &mut |o, d| out.push((*o, d)));
        assert_eq!(out, vec![(2, -1), (3, -1), (4, 1)]);
        let mut shifted = Vec::new();
        emit_changes([1, 2, 3].iter(), [2, 3, 4].iter(), &mut |o, d| shifted.push((*o, d)));
        assert_eq!(shifted, vec![(1, -1), (4, 1)]);
    }
}
