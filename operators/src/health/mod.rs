//! health: per-vehicle, event-time window scores of every component.
//!
//! **Windows.** Readings are grouped into tumbling event-time windows of
//! [`HealthConfig::window_ms`] (default 10 minutes), aligned to the Unix
//! epoch: a reading at `ts_ms` falls in `[start, start + window_ms)` with
//! `start = floor(ts_ms / window_ms) · window_ms`. Windows are kept per
//! (fleet, vehicle, component), so each vehicle advances on its own event
//! time and nothing waits for a global watermark. The dataflow timestamp
//! (the ingestion epoch) only says *when* a window's content changed: a
//! late or corrected reading (already admitted by the upstream gate)
//! retracts its window's previous score and inserts the new one.
//!
//! **Features and score.** Each component has a rules-v3 [`rule::Rule`] (one
//! file per component, with its physical limits documented): the window's
//! count, mean, worst value and exceedances of the primary signal (the worst
//! wheel for per-wheel signals), its distinct DTCs, and a 0–100 score. A
//! window is scored only when it holds a primary-signal reading. The
//! vehicle's highest odometer reading in the same window is joined in as
//! the usage-axis position (`None` when the window has none).
//!
//! Every other (non-DTC) signal of the component is kept as a window mean
//! in [`WindowScore::signals`], for the trained models of `prognostics`.
//! The usage axis is the odometer (km) or, for assets that count them,
//! cycles.
//!
//! **State.** Each vehicle keeps the aggregates of its newest window's
//! readings (counts, exact fixed-point sums, the extremes of every series,
//! active DTCs, the highest odometer), so a reading or its correction there
//! costs a small update, not a re-read of the window. Each of those maps
//! holds a handful of entries, so they are flat sorted vectors
//! ([`LiteMap`]). An older window that is still open (the gate still lets
//! a late or corrected reading reach it, [`Finality`]) keeps no aggregates:
//! when one of its readings changes, it is aggregated again from the
//! vehicle's readings, which are kept anyway ([`WindowReadings`]) (a step
//! that carries a vehicle across windows keeps each until it is scored).
//! Readings mostly arrive in event-time order, so that is rare, and the aggregates
//! of the six or seven open windows behind the newest were a fifth of all
//! the dataflow's state.

pub mod battery;
pub mod brakes;
pub mod cooling;
pub mod engine;
pub mod extremes;
pub mod features;
mod kept;
pub mod rule;
pub mod tires;
pub mod transmission;
pub mod turbofan;

#[cfg(test)]
mod random_tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use litemap::LiteMap;
use smallvec::SmallVec;

use serde::{Deserialize, Serialize};

use schemas::{Component, Id, Reading, Signal, TsMs, Value, WindowFeatures};

use crate::finality::Finality;
use crate::per_vehicle::{VehicleState, per_vehicle};
use crate::{Coll, Diff};
use extremes::{Extremes, WindowReadings};
use features::WindowGroup;
use kept::KeptReadings;
use rule::Rule;

/// Name of the scoring model, recorded on every health row.
pub const MODEL_VERSION: &str = "rules-v3";

/// This thread's shared copy of the model version `version`, which every
/// health row it scores carries. Per thread, so that worker threads never
/// contend on one reference count; a thread keeps one copy per version seen
/// (rules-v3 and each hot-swapped model).
pub fn local_version(version: &str) -> Id {
    thread_local! {
        static VERSIONS: std::cell::RefCell<Vec<Id>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    VERSIONS.with_borrow_mut(|versions| match versions.iter().find(|v| &***v == version) {
        Some(found) => found.clone(),
        None => {
            let id = Id::from(version);
            versions.push(id.clone());
            id
        }
    })
}

/// Settings of the health operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthConfig {
    /// Width of the tumbling event-time windows, ms (a non-positive width is treated as 1 ms).
    pub window_ms: i64,
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig { window_ms: 10 * 60 * 1000 }
    }
}

/// One component's features and score over one event-time window of one vehicle.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WindowScore {
    /// The fleet.
    pub fleet_id: Id,
    /// The vehicle.
    pub vehicle_id: Id,
    /// The component.
    pub component: Component,
    /// What the window's readings say about the component (window start included).
    pub features: WindowFeatures,
    /// End of the window (exclusive), ms: the event time of the score.
    pub window_end_ms: TsMs,
    /// Health score, 0 (failed) to 100 (as new).
    pub score: Value,
    /// Window mean of every (non-DTC) signal of the component present, by
    /// signal: what trained models read beyond the rules' primary signal.
    pub signals: Arc<[(Signal, Value)]>,
}

/// The rules-v3 scorer of a component.
pub fn rule_for(component: Component) -> &'static Rule {
    match component {
        Component::Engine => &engine::RULE,
        Component::Cooling => &cooling::RULE,
        Component::Brakes => &brakes::RULE,
        Component::Transmission => &transmission::RULE,
        Component::Battery => &battery::RULE,
        Component::Tires => &tires::RULE,
        Component::Turbofan => &turbofan::RULE,
    }
}

/// True for the signals a health window reads: a component's, and the usage
/// axis. The fused stages keep no other reading.
pub(crate) fn reads(signal: Signal) -> bool {
    signal.is_usage() || signal.component().is_some()
}

/// Start of the epoch-aligned window of `width_ms` holding `ts_ms`.
pub fn window_start(ts_ms: TsMs, width_ms: i64) -> TsMs {
    let width = width_ms.max(1);
    ts_ms.div_euclid(width) * width
}

/// Scores every (fleet, vehicle, component, window) that holds a reading of
/// the component's primary signal.
pub fn health<'s>(readings: Coll<'s, Reading>, config: HealthConfig, finality: Finality) -> Coll<'s, WindowScore> {
    per_vehicle(readings, "Health", |r| (&r.fleet_id, &r.vehicle_id), move || ScoredWindows::new(config, finality))
}

/// One vehicle's open windows. Only the newest keeps the aggregates of its
/// readings, updated reading by reading; an older open window is re-read
/// from the vehicle's readings when a late or corrected reading changes it.
pub(crate) struct VehicleWindows {
    width: i64,
    finality: Finality,
    newest: Option<TsMs>,
    /// The newest window's start and aggregates.
    current: Option<(TsMs, OpenWindow)>,
    /// The windows that were the newest earlier in this step, with their
    /// aggregates, until the flush scores them: a step that carries a vehicle
    /// across windows (a backlog, the replay after a restart) does not re-read
    /// them. Empty between steps.
    passed: Vec<(TsMs, OpenWindow)>,
    /// The (window start, component) pairs changed since the last flush
    /// (`None`: every component the window holds, after a change of its
    /// usage axis); a message touches a few. Empty (no allocation) between
    /// steps: this state is kept for every vehicle.
    dirty: Vec<(TsMs, Option<Component>)>,
}

/// A window that can still change: its readings' aggregates, per component,
/// and its odometer readings. A component's group, once made, stays (empty
/// when its readings are retracted), so the groups name every component the
/// window has scored.
struct OpenWindow {
    groups: LiteMap<Component, WindowGroup>,
    odometer: Extremes,
}

/// No signal means: one allocation per thread, shared. The fused stages
/// compute a window's means only for the components a model covers (only a
/// model's features read them), and a fresh empty allocation per scored
/// window cost as much as the means.
fn no_means() -> Arc<[(Signal, Value)]> {
    thread_local! {
        static NONE: Arc<[(Signal, Value)]> = Arc::from([]);
    }
    NONE.with(Arc::clone)
}

/// One (window, component)'s score as just computed, without the vehicle
/// and window end its consumer already knows.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scored {
    pub features: WindowFeatures,
    pub score: Value,
    pub signals: Arc<[(Signal, Value)]>,
}

impl OpenWindow {
    /// No reading yet; room for `groups` component groups.
    fn with_room(groups: usize) -> Self {
        OpenWindow { groups: LiteMap::with_capacity(groups), odometer: Extremes::default() }
    }

    /// Applies `diff` copies of a reading, returning the component whose
    /// group it changed (`None` for a usage-axis reading, which changes
    /// every group's odometer, or a signal of no component).
    fn update(&mut self, signal: Signal, value: Value, diff: Diff) -> Option<Component> {
        if signal.is_usage() {
            self.odometer.add(value, features::weight(diff));
        }
        let component = signal.component()?;
        self.groups.entry(component).or_default().update(rule_for(component), signal, value, diff);
        Some(component)
    }

    /// The window `[start, end)` aggregated from scratch from `readings`.
    fn read(readings: &impl WindowReadings, start: TsMs, end: TsMs, groups: usize) -> Self {
        let mut window = OpenWindow::with_room(groups);
        readings.for_each_reading(start, end, &mut |signal, value, diff| {
            window.update(signal, value, diff);
        });
        window
    }

    /// The highest odometer reading present.
    fn odometer_km(&self) -> Option<Value> {
        self.odometer.get().map(|(_, highest)| highest)
    }

    /// Re-scores the `components` of this window, which starts at `start`,
    /// handing each score (`None`: the window holds no primary reading of
    /// the component) to `emit` with the component. Only the components
    /// `means` names get their signal means; the others get none. Stale
    /// extremes are first recomputed from `readings`.
    fn rescore(
        &mut self,
        readings: &impl WindowReadings,
        means: &dyn Fn(Component) -> bool,
        (start, end): (TsMs, TsMs),
        components: &[Component],
        emit: &mut impl FnMut(Component, Option<Scored>),
    ) {
        self.odometer.refresh(readings, start, end, &|s| s.is_usage());
        let odometer_km = self.odometer_km();
        for &component in components {
            let group = self.groups.get_mut(&component).map(|g| {
                g.refresh(readings, start, end);
                &*g
            });
            let scored =
                group.and_then(|g| Some((g, g.score(rule_for(component), start)?))).map(|(g, (features, score))| {
                    Scored {
                        features: WindowFeatures { odometer_km, ..features },
                        score,
                        signals: if means(component) { g.signal_means().into() } else { no_means() },
                    }
                });
            emit(component, scored);
        }
    }
}

impl VehicleWindows {
    /// No window yet.
    pub(crate) fn new(config: HealthConfig, finality: Finality) -> Self {
        VehicleWindows {
            width: config.window_ms.max(1),
            finality,
            newest: None,
            current: None,
            passed: Vec::new(),
            dirty: Vec::new(),
        }
    }

    /// The aggregates of the window at `start`, when it has them: the
    /// newest, or one this step passed.
    fn aggregated(&mut self, start: TsMs) -> Option<&mut OpenWindow> {
        match &mut self.current {
            Some((current, window)) if *current == start => Some(window),
            _ => self.passed.iter_mut().find(|(passed, _)| *passed == start).map(|(_, window)| window),
        }
    }

    /// The start of the oldest window still open: its readings must be
    /// kept, since a change to it re-reads them. `None` before any reading.
    pub(crate) fn oldest_start(&self) -> Option<TsMs> {
        self.newest.map(|newest| window_start(self.finality.final_through(newest), self.width))
    }

    /// Applies `diff` copies of a reading of `signal` at `ts_ms` to its
    /// window, marking what it changes for the next [`flush`](Self::flush).
    /// A reading is retracted only after it was inserted. A reading of a
    /// window newer than the newest starts that window's aggregates (the
    /// previous window's are dropped: it is re-read if it changes again);
    /// one of an older window only marks it.
    pub(crate) fn update(&mut self, ts_ms: TsMs, signal: Signal, value: Value, diff: Diff) {
        self.newest = self.newest.max(Some(ts_ms));
        let start = window_start(ts_ms, self.width);
        if self.current.as_ref().is_none_or(|(current, _)| *current < start) {
            // A new window gets room for as many groups as the newest one
            // had: a vehicle's messages name the same components window
            // after window, and a map grown by pushing reserves room for
            // eight for six.
            let groups = self.current.as_ref().map_or(0, |(_, w)| w.groups.len());
            let passed = self.current.replace((start, OpenWindow::with_room(groups)));
            self.passed.extend(passed.filter(|(start, _)| self.dirty.iter().any(|(s, _)| s == start)));
        }
        let changed = match self.aggregated(start) {
            Some(window) => window.update(signal, value, diff),
            None => signal.component(),
        };
        if signal.is_usage() {
            self.dirty.push((start, None));
        } else if let Some(component) = changed {
            self.dirty.push((start, Some(component)));
        }
    }

    /// Re-scores every (window, component) changed since the last flush,
    /// handing each score (`None`: the window holds no primary reading of
    /// the component) to `emit` with the component and the window's end,
    /// whether or not it changed: what was emitted before is the
    /// consumer's to keep. An older window than the newest, unless this step
    /// passed it, is aggregated again from `readings` (the vehicle's current
    /// readings) to be scored.
    pub(crate) fn flush(
        &mut self,
        readings: &impl WindowReadings,
        means: &dyn Fn(Component) -> bool,
        emit: &mut impl FnMut(Component, TsMs, Option<Scored>),
    ) {
        let mut dirty = std::mem::take(&mut self.dirty);
        dirty.sort_unstable();
        dirty.dedup();
        let groups = self.current.as_ref().map_or(0, |(_, w)| w.groups.len());
        for changed in dirty.chunk_by(|a, b| a.0 == b.0) {
            let start = changed[0].0;
            let end = start.saturating_add(self.width);
            let mut read;
            let window = match self.aggregated(start) {
                Some(window) => window,
                None => {
                    read = OpenWindow::read(readings, start, end, groups);
                    &mut read
                }
            };
            // `None` sorts first: the whole window changed.
            let named = changed.iter().filter_map(|(_, c)| *c);
            let mut components: SmallVec<[Component; 8]> = match changed[0].1 {
                None => window.groups.keys().copied().chain(named).collect(),
                Some(_) => named.collect(),
            };
            components.sort_unstable();
            components.dedup();
            window.rescore(readings, means, (start, end), &components, &mut |component, scored| {
                emit(component, end, scored)
            });
        }
        self.passed.clear();
    }
}

/// One vehicle's state in the standalone [`health`] operator: its windows,
/// and the score each (window end, component) last emitted, to retract it
/// when the score changes. (The fused stages keep no such copy: the degrade
/// walk already holds every open window's point.)
struct ScoredWindows {
    windows: VehicleWindows,
    kept: KeptReadings,
    ids: Option<(Id, Id)>,
    emitted: BTreeMap<(TsMs, Component), WindowScore>,
}

impl ScoredWindows {
    fn new(config: HealthConfig, finality: Finality) -> Self {
        ScoredWindows {
            windows: VehicleWindows::new(config, finality),
            kept: KeptReadings::default(),
            ids: None,
            emitted: BTreeMap::new(),
        }
    }
}

impl VehicleState<Reading, WindowScore> for ScoredWindows {
    /// Insertions are applied before retractions: an epoch's updates come in
    /// no particular order, and a window keeps the extremes of its values, not
    /// the values, so a reading retracted in the epoch that inserted it must
    /// be there first.
    fn step(&mut self, mut updates: Vec<(Reading, Diff)>, emit: &mut impl FnMut(WindowScore, Diff)) {
        updates.sort_by_key(|(_, diff)| std::cmp::Reverse(*diff));
        for (r, diff) in updates {
            if self.ids.is_none() {
                self.ids = Some((r.fleet_id.clone(), r.vehicle_id.clone()));
            }
            self.windows.update(r.ts_ms, r.signal, r.value, diff);
            self.kept.update(r.ts_ms, r.signal, r.value, diff);
        }
        let (Some((fleet, vehicle)), emitted) = (self.ids.as_ref(), &mut self.emitted) else {
            return;
        };
        self.windows.flush(&self.kept, &|_| true, &mut |component, end, scored| {
            let now = scored.map(|s| WindowScore {
                fleet_id: fleet.clone(),
                vehicle_id: vehicle.clone(),
                component,
                features: s.features,
                window_end_ms: end,
                score: s.score,
                signals: s.signals,
            });
            if emitted.get(&(end, component)) == now.as_ref() {
                return;
            }
            let before = match now {
                Some(now) => {
                    emit(now.clone(), 1);
                    emitted.insert((end, component), now)
                }
                None => emitted.remove(&(end, component)),
            };
            if let Some(before) = before {
                emit(before, -1);
            }
        });
        // The windows that became final are never scored again.
        let oldest_open = self.windows.oldest_start();
        while let Some(entry) = self.emitted.first_entry()
            && oldest_open.is_none_or(|oldest| entry.key().0 <= oldest)
        {
            entry.remove();
        }
        self.kept.forget_before(self.windows.oldest_start().unwrap_or(TsMs::MAX));
    }
}

#[cfg(test)]
mod tests;
