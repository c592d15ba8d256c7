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
//! one lookup per vehicle.

use serde::{Deserialize, Serialize};

use schemas::{Alert, HealthRow, Telemetry, Transition};

use crate::alert::{BandPoint, VehicleEpisodes, vehicle_episodes};
use crate::degrade::{DegradeSetup, Degraded, VehicleWalks, WindowPoint, row_or_change, vehicle_walks};
use crate::finality::Finality;
use crate::health::{HealthConfig, VehicleWindows};
use crate::latest::Winners;
use crate::per_vehicle::{VehicleState, per_vehicle};
use crate::split::split;
use crate::{Coll, Diff};

/// What the stages emit: the degrade stage's rows and transitions, and the alerts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
enum Staged {
    /// A health row or a band change.
    Degraded(Degraded),
    /// An alert.
    Alert(Alert),
}

/// Health rows, band transitions and alerts of every vehicle's messages.
// `split` routes each update by a `Result`; an alert on its `Err` side is a
// value moved to the right output, not an error carried up a call stack.
#[allow(clippy::result_large_err)]
pub fn vehicle_stages<'s>(
    messages: Coll<'s, Telemetry>,
    health: HealthConfig,
    degrade: DegradeSetup,
    finality: Finality,
) -> (Coll<'s, HealthRow>, Coll<'s, Transition>, Coll<'s, Alert>) {
    let staged = per_vehicle(
        messages,
        "Stages",
        |m| (&m.fleet_id, &m.vehicle_id),
        move || Stages {
            latest: Winners::new(finality),
            health: VehicleWindows::new(health, finality),
            degrade: vehicle_walks(degrade.clone(), finality),
            alert: vehicle_episodes(finality),
        },
    );
    let (degraded, alerts) = split(staged, |s| match s {
        Staged::Degraded(d) => Ok(d),
        Staged::Alert(alert) => Err(alert),
    });
    let (rows, transitions) = split(degraded, row_or_change);
    (rows, transitions, alerts)
}

/// One vehicle's state in each stage.
struct Stages {
    latest: Winners,
    health: VehicleWindows,
    degrade: VehicleWalks,
    alert: VehicleEpisodes,
}

impl VehicleState<Telemetry, Staged> for Stages {
    /// Each stage's output is fed to the next as the parts it reads: a
    /// reading as (event time, signal, value), a health row as its
    /// [`BandPoint`]. The vehicle's ids are given to each stage once rather
    /// than carried (and reference-counted) on every intermediate record.
    fn step(&mut self, updates: Vec<(Telemetry, Diff)>, out: &mut Vec<(Staged, Diff)>) {
        let Some((first, _)) = updates.first() else {
            return;
        };
        let (fleet, vehicle) = (&first.fleet_id, &first.vehicle_id);
        self.health.identify(fleet, vehicle);
        self.degrade.identify(fleet, vehicle);
        self.alert.identify(fleet, vehicle);
        let health = &mut self.health;
        for (message, diff) in &updates {
            self.latest
                .offer(message, *diff, |signal, _, value, diff| health.update(message.ts_ms, signal, value, diff));
        }
        self.latest.forget_final();
        let mut scores = Vec::new();
        self.health.flush(&mut scores);
        if scores.is_empty() {
            return;
        }
        for (score, diff) in scores {
            self.degrade.update(score.component, WindowPoint::from(score), diff);
        }
        let alert = &mut self.alert;
        self.degrade.settle(&mut |d, diff| {
            if let Degraded::Row(row) = &d {
                alert.update(row.component, BandPoint::of(row), diff);
            }
            out.push((Staged::Degraded(d), diff));
        });
        self.alert.settle(&mut |alert, diff| out.push((Staged::Alert(alert), diff)));
    }
}

#[cfg(test)]
mod tests;
