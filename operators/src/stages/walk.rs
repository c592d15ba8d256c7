//! The degrade and alert walks of one component, as one walk.
//!
//! The alert lifecycle walks a component's health rows in event-time order,
//! and the degrade walk makes those rows in that order, window by window:
//! stepping the episode right after each row gives the alerts the two
//! chained walks give. Kept apart, the alert walk held a second copy of
//! every open window's row, its own walked state per window, and re-walked
//! from each retracted and re-inserted row; as one walk, each window's
//! alerts are kept beside its row and re-walked with it.

use std::sync::Arc;

use schemas::{Alert, TsMs};

use crate::alert::{BandPoint, Episode};
use crate::degrade::kept::Kept;
use crate::degrade::{DegradeSetup, DegradeWalk, Degraded, Past, Walk, WindowPoint};
use crate::open_history::{Before, HistoryId, Walker};

use super::Staged;
use crate::per_vehicle::Side;

/// The degrade walk with the alert lifecycle stepped over each of its rows.
pub(crate) struct StagedWalk;

/// The band walk's and the alert episode's state before a window.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct StagedState {
    walk: Walk,
    episode: Episode,
}

/// What a window's step yields: the degrade walk's outputs, then the alert
/// an episode's recovery completed.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum StagedOut {
    /// A health row or band change.
    Degrade(Kept),
    /// An alert: boxed, since few windows have one and the rest would be
    /// sized for it.
    Alert(Box<Alert>),
}

impl Walker for StagedWalk {
    type Point = WindowPoint;
    type Out = StagedOut;
    type Emitted = Staged;
    type State = StagedState;
    type Past = Past;
    type Config = Arc<DegradeSetup>;
    type Model = <DegradeWalk as Walker>::Model;

    fn at(point: &WindowPoint) -> TsMs {
        DegradeWalk::at(point)
    }

    fn model(setup: &Arc<DegradeSetup>) -> Self::Model {
        DegradeWalk::model(setup)
    }

    fn step(
        state: &mut StagedState,
        before: Before<'_, Self>,
        id: HistoryId<'_>,
        w: &WindowPoint,
        (setup, model): (&Arc<DegradeSetup>, &Self::Model),
        out: &mut Vec<StagedOut>,
    ) {
        let before = Before { past: before.past, earlier: before.earlier };
        let mut row = None;
        state.walk.step(before, id.2, w, (&setup.config, model.as_deref()), &mut |kept| {
            if let Kept::Row(r) = &kept {
                row = Some(BandPoint::of_kept(r));
            }
            out.push(StagedOut::Degrade(kept));
        });
        if let Some(row) = row {
            state.episode.step(id, &row, &mut |alert| out.push(StagedOut::Alert(Box::new(alert))));
        }
    }

    fn seal(past: &mut Past, id: HistoryId<'_>, w: &WindowPoint, settings: (&Arc<DegradeSetup>, &Self::Model)) {
        DegradeWalk::seal(past, id, w, settings);
    }

    fn tail(state: &StagedState, out: &mut Vec<StagedOut>) {
        out.extend(state.episode.alert_in_progress().map(|alert| StagedOut::Alert(Box::new(alert))));
    }

    fn expand(id: HistoryId<'_>, out: &StagedOut) -> Staged {
        match out {
            StagedOut::Degrade(kept) => match kept.expand(id) {
                Degraded::Row(row) => Side::First(row),
                Degraded::Change(change) => Side::Second(change),
            },
            StagedOut::Alert(alert) => Side::Third(Alert::clone(alert)),
        }
    }
}
