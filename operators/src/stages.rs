//! The four per-vehicle stages — latest, health, degrade, alert — run as one
//! operator.
//!
//! Each stage is a per-vehicle state machine stepped once per epoch with the
//! vehicle's updates of that epoch ([`crate::per_vehicle`]). Chained as four
//! operators, every reading, window score and health row between them goes
//! through a timely channel, an exchange and a regrouping by vehicle before
//! the next stage sees it, and each stage looks the vehicle up again. Here a
//! vehicle's messages of an epoch go through the four state machines in turn,
//! inside one step: the same machines fed the same per-epoch updates, so the
//! results are exactly those of [`latest`](crate::latest::latest) →
//! [`health`](crate::health::health) → [`degrade`](crate::degrade::degrade) →
//! [`alerts`](crate::alert::alerts), with one exchange (of the messages) and
//! one lookup per vehicle. Two differences inside, with the same net
//! changes: health hands degrade each window's re-computed score, which
//! degrade compares with the point it holds, where the standalone health
//! keeps a copy of every score it emitted to retract it; and degrade and
//! alert run as one walk ([`walk`]), each window's alert steps right after
//! its row.

use std::sync::Arc;

use schemas::{Alert, HealthRow, Telemetry, Transition};

use crate::degrade::{DegradeSetup, WindowPoint, split_score};
use crate::finality::Finality;
use crate::health::{HealthConfig, VehicleWindows, WindowScore};
use crate::latest::Winners;
use crate::open_history::Components;
use crate::per_vehicle::{Side, VehicleState, per_vehicle_split3};
use crate::{Coll, Diff};
use walk::StagedWalk;

mod walk;

/// Health rows, band transitions and alerts of every vehicle's messages.
pub fn vehicle_stages<'s>(
    messages: Coll<'s, Telemetry>,
    health: HealthConfig,
    degrade: DegradeSetup,
    finality: Finality,
) -> (Coll<'s, HealthRow>, Coll<'s, Transition>, Coll<'s, Alert>) {
    // One setup shared by every vehicle's walks: a copy each cost ~100 bytes per vehicle.
    let degrade = Arc::new(degrade);
    per_vehicle_split3(
        messages,
        "Stages",
        |m| (&m.fleet_id, &m.vehicle_id),
        move || Stages {
            latest: Winners::keeping(finality, crate::health::reads),
            health: VehicleWindows::new(health, finality),
            walks: Components::new(finality, Arc::clone(&degrade), split_score),
        },
    )
}

/// One vehicle's state in each stage.
struct Stages {
    latest: Winners,
    health: VehicleWindows,
    /// Degrade and alert, one walk ([`walk`]).
    walks: Components<WindowScore, StagedWalk>,
}

/// What the stages emit: health rows, band transitions and alerts.
type Staged = Side<HealthRow, Transition, Alert>;

impl VehicleState<Telemetry, Staged> for Stages {
    /// Each stage's output is fed to the next as the parts it reads: a
    /// reading as (event time, signal, value), a window's score as its
    /// point. The vehicle's ids are given to the walks once rather than
    /// carried (and reference-counted) on every intermediate record.
    fn step(&mut self, updates: Vec<(Telemetry, Diff)>, emit: &mut impl FnMut(Staged, Diff)) {
        let Some((first, _)) = updates.first() else {
            return;
        };
        let (fleet, vehicle) = (&first.fleet_id, &first.vehicle_id);
        self.walks.identify(fleet, vehicle);
        let health = &mut self.health;
        for (message, diff) in &updates {
            self.latest
                .offer(message, *diff, |signal, _, value, diff| health.update(message.ts_ms, signal, value, diff));
        }
        // Only a model's features read a window's signal means. The model is
        // read once: the same one decides the means and walks the windows.
        let model = self.walks.model();
        let means = |component| model.as_deref().is_some_and(|m| m.component(component).is_some());
        let walks = &mut self.walks;
        // The walks keep every open window's point, so they are handed each
        // re-computed score to compare with what they hold. A window's
        // readings are read back from latest's.
        self.health.flush(&self.latest, &means, &mut |component, end, scored| {
            walks.set(component, end, scored.map(|s| WindowPoint::scored(end, s)))
        });
        self.latest.forget_final(self.health.oldest_start());
        self.walks.settle(&model, emit);
    }
}

#[cfg(test)]
mod tests;
