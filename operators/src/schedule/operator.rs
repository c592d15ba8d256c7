//! schedule: re-plans appointments from the current jobs and resources,
//! debounced, and emits the change of the plan.
//!
//! Everything is gathered on one worker. Updates are applied epoch by epoch
//! once both input frontiers have passed them. After applying an epoch, if
//! the inputs changed and `debounce` has passed since the last solve (the
//! first window starts when the operator is built), the plan is recomputed
//! with "now" = the newest job's `ready_ms` — so equal inputs give equal
//! plans — and the difference to the previous plan (retractions of
//! appointments no longer planned, insertions of new ones) is emitted at
//! that epoch. Changes that arrive inside the window are solved once it has
//! passed, at the input frontier of that moment, or at once when the inputs
//! close. The operator holds one capability, at the input frontier, and
//! drops it when the inputs close. A failed solve keeps the previous plan.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use differential_dataflow::AsCollection;
use schemas::{Appointment, ServiceJob};
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::Capability;
use timely::dataflow::operators::generic::Operator;
use timely::progress::frontier::MutableAntichain;

use super::config::ScheduleConfig;
use super::plan::plan;
use super::resource::{Resource, Resources};
use crate::{Coll, Diff, Epoch};

/// Appointments planned for `jobs` over `resources`, re-planned (debounced)
/// whenever either changes.
pub fn schedule<'s>(
    jobs: Coll<'s, ServiceJob>,
    resources: Coll<'s, Resource>,
    config: ScheduleConfig,
) -> Coll<'s, Appointment> {
    let scope = jobs.scope();
    jobs.inner
        .binary_frontier(
            resources.inner,
            Exchange::new(|_: &(ServiceJob, Epoch, Diff)| 0),
            Exchange::new(|_: &(Resource, Epoch, Diff)| 0),
            "Schedule",
            move |capability, info| {
                let activator = scope.activator_for(info.address);
                let mut cap = Some(capability);
                let mut state = Planner::new(config);
                move |(jobs_in, jobs_frontier), (resources_in, resources_frontier), output| {
                    jobs_in.for_each(|_, data| state.jobs.stash(data.drain(..)));
                    resources_in.for_each(|_, data| state.resources.stash(data.drain(..)));
                    let Some(held) = cap.as_mut() else { return };
                    let frontier = least(jobs_frontier).into_iter().chain(least(resources_frontier)).min();
                    for epoch in state.completed(frontier) {
                        advance(held, epoch);
                        state.apply(epoch);
                        if state.due() {
                            output.session(held).give_iterator(state.solve(epoch).into_iter());
                        }
                    }
                    match frontier {
                        None => {
                            if state.dirty {
                                let epoch = *held.time();
                                output.session(held).give_iterator(state.solve(epoch).into_iter());
                            }
                            cap = None;
                        }
                        Some(epoch) => {
                            advance(held, epoch);
                            if state.due() {
                                output.session(held).give_iterator(state.solve(epoch).into_iter());
                            } else if state.dirty {
                                activator.activate_after(state.wait());
                            }
                        }
                    }
                }
            },
        )
        .as_collection()
}

/// The least time of a frontier (`None` when the input is closed).
fn least(frontier: &MutableAntichain<Epoch>) -> Option<Epoch> {
    frontier.frontier().iter().min().copied()
}

/// Moves the capability forward to `epoch` (never backward).
fn advance(cap: &mut Capability<Epoch>, epoch: Epoch) {
    if *cap.time() < epoch {
        cap.downgrade(&epoch);
    }
}

/// One input: updates waiting for their epoch to complete, and the
/// accumulated collection.
struct Input<D> {
    pending: Vec<(D, Epoch, Diff)>,
    current: BTreeMap<D, Diff>,
}

impl<D: Ord> Input<D> {
    fn new() -> Self {
        Input { pending: Vec::new(), current: BTreeMap::new() }
    }

    fn stash(&mut self, updates: impl Iterator<Item = (D, Epoch, Diff)>) {
        self.pending.extend(updates);
    }

    /// Applies the updates of `epoch`; true when any changed the collection.
    fn apply(&mut self, epoch: Epoch) -> bool {
        let (now, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.pending).into_iter().partition(|(_, t, _)| *t == epoch);
        self.pending = later;
        let mut changed = false;
        for (data, _, diff) in now {
            if diff == 0 {
                continue;
            }
            changed = true;
            *self.current.entry(data).or_insert(0) += diff;
        }
        self.current.retain(|_, n| *n != 0);
        changed
    }

    /// The records present (positive count), in order.
    fn present(&self) -> impl Iterator<Item = &D> {
        self.current.iter().filter(|(_, n)| **n > 0).map(|(d, _)| d)
    }
}

/// The operator's state between activations.
struct Planner {
    config: ScheduleConfig,
    jobs: Input<ServiceJob>,
    resources: Input<Resource>,
    /// True when the inputs changed since the last solve.
    dirty: bool,
    last_solve: Instant,
    plan: BTreeSet<Appointment>,
}

impl Planner {
    fn new(config: ScheduleConfig) -> Self {
        Planner {
            config,
            jobs: Input::new(),
            resources: Input::new(),
            dirty: false,
            last_solve: Instant::now(),
            plan: BTreeSet::new(),
        }
    }

    /// The epochs with pending updates that `frontier` has passed, ascending.
    fn completed(&self, frontier: Option<Epoch>) -> Vec<Epoch> {
        let done = |t: &Epoch| frontier.is_none_or(|f| *t < f);
        let times: BTreeSet<Epoch> = self
            .jobs
            .pending
            .iter()
            .map(|(_, t, _)| *t)
            .chain(self.resources.pending.iter().map(|(_, t, _)| *t))
            .filter(done)
            .collect();
        times.into_iter().collect()
    }

    fn apply(&mut self, epoch: Epoch) {
        let jobs = self.jobs.apply(epoch);
        let resources = self.resources.apply(epoch);
        self.dirty |= jobs || resources;
    }

    /// True when the inputs changed and the debounce window has passed.
    fn due(&self) -> bool {
        self.dirty && self.last_solve.elapsed() >= self.config.debounce
    }

    /// How long until the debounce window has passed.
    fn wait(&self) -> Duration {
        self.config.debounce.saturating_sub(self.last_solve.elapsed())
    }

    /// Re-plans and returns the change of the plan, stamped `epoch`. A failed
    /// solve changes nothing.
    fn solve(&mut self, epoch: Epoch) -> Vec<(Appointment, Epoch, Diff)> {
        self.dirty = false;
        self.last_solve = Instant::now();
        let jobs: Vec<ServiceJob> = self.jobs.present().cloned().collect();
        let next: BTreeSet<Appointment> = match jobs.iter().map(|j| j.ready_ms).max() {
            None => BTreeSet::new(),
            Some(now_ms) => {
                let resources = Resources::from_resources(self.resources.present());
                match plan(&jobs, &resources, &self.config, now_ms) {
                    Ok(appointments) => appointments.into_iter().collect(),
                    Err(_) => return Vec::new(),
                }
            }
        };
        let retracted = self.plan.difference(&next).map(|a| (a.clone(), epoch, -1));
        let inserted = next.difference(&self.plan).map(|a| (a.clone(), epoch, 1));
        let changes = retracted.chain(inserted).collect();
        self.plan = next;
        changes
    }
}
