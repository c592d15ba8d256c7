//! diagnose: the seed's agent, as rule-based per-component workers.
//!
//! Every alert goes to the worker of its component ([`worker_for`]), which
//! turns it into a [`Decision`]: an action code, a one-sentence
//! recommendation (with the remaining life in km and days when known), the
//! evidence it used, a priority and whether a person must be told now.
//! The operator is a `map`, so a retracted alert retracts its decision and a
//! changed alert replaces it; the decision id hashes the alert id, the
//! action and the priority, so it changes only when the advice does.

pub mod battery;
pub mod brakes;
pub mod cooling;
pub mod decision;
pub mod engine;
pub mod tires;
pub mod transmission;
pub mod turbofan;

use schemas::{Alert, Component, Decision};

use crate::Coll;

/// The worker responsible for a component's alerts.
pub fn worker_for(component: Component) -> fn(&Alert) -> Decision {
    match component {
        Component::Engine => engine::engine_worker,
        Component::Cooling => cooling::cooling_worker,
        Component::Brakes => brakes::brake_worker,
        Component::Transmission => transmission::transmission_worker,
        Component::Battery => battery::battery_worker,
        Component::Tires => tires::tire_worker,
        Component::Turbofan => turbofan::turbofan_worker,
    }
}

/// The master: dispatches an alert to its component's worker.
pub fn decide(alert: &Alert) -> Decision {
    worker_for(alert.component)(alert)
}

/// One decision per alert, maintained as alerts change or are retracted.
pub fn diagnose<'s>(alerts: Coll<'s, Alert>) -> Coll<'s, Decision> {
    alerts.map(|alert| decide(&alert))
}

#[cfg(test)]
mod tests;
