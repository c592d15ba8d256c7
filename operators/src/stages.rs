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
use crate::degrade::{DegradeSetup, Degraded, VehicleWalks, WindowPoint, vehicle_walks};
use crate::finality::Finality;
use crate::health::{HealthConfig, VehicleWindows};
use crate::latest::Winners;
use crate::per_vehicle::{VehicleState, per_vehicle};
use crate::split::{Side, split3};
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
    split3(staged, |s| match s {
        Staged::Degraded(Degraded::Row(row)) => Side::First(row),
        Staged::Degraded(Degraded::Change(change)) => Side::Second(change),
        Staged::Alert(alert) => Side::Third(alert),
    })
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
    fn step(&mut self, updates: Vec<(Telemetry, Diff)>, emit: &mut impl FnMut(Staged, Diff)) {
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
        let degrade = &mut self.degrade;
        self.health.flush(&mut |score, diff| degrade.update(score.component, WindowPoint::from(score), diff));
        let alert = &mut self.alert;
        self.degrade.settle(&mut |d, diff| {
            if let Degraded::Row(row) = &d {
                alert.update(row.component, BandPoint::of(row), diff);
            }
            emit(Staged::Degraded(d), diff);
        });
        self.alert.settle(&mut |alert, diff| emit(Staged::Alert(alert), diff));
    }
}

#[cfg(test)]
mod tests;
