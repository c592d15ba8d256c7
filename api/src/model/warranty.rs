//! Warranty claims as the API takes and shows them.

use schemas::{Claim, ClaimCheck, ClaimRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::enums::{CheckOutcome, ClaimStatus, Component};

/// A claim that a component failed.
#[derive(Clone, Debug, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    /// The vehicle.
    pub vehicle_id: String,
    /// The component that failed.
    pub component: Component,
    /// When it failed, ms since the Unix epoch.
    pub failed_ms: i64,
    /// The odometer at the failure, km.
    pub odometer_km: f64,
    /// What happened (1–4000 characters).
    pub description: String,
    /// Who submits it (the owner, or a person of the fleet).
    pub submitted_by: String,
    /// The alert the claim refers to, if any (it must be this vehicle's, on this component).
    #[serde(default)]
    pub alert_id: Option<String>,
}

/// One check of a claim and what it found.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ClaimCheckView {
    /// `coverage_period`, `mileage_limit`, `odometer`, `telemetry` or `duplicate`.
    pub name: String,
    /// How it came out.
    pub outcome: CheckOutcome,
    /// What it found, with the numbers.
    pub detail: String,
}

impl From<ClaimCheck> for ClaimCheckView {
    fn from(c: ClaimCheck) -> Self {
        ClaimCheckView { name: c.name, outcome: c.outcome.into(), detail: c.detail }
    }
}

/// A claim with its decision and evidence.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ClaimView {
    /// Deterministic id from (vehicle, component, failure time).
    pub claim_id: String,
    /// The vehicle's fleet.
    pub fleet_id: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// The component claimed as failed.
    pub component: Component,
    /// When it failed, ms.
    pub failed_ms: i64,
    /// The claimed odometer at the failure, km.
    pub odometer_km: f64,
    /// What happened.
    pub description: String,
    /// The alert the claim refers to.
    pub alert_id: Option<String>,
    /// Who submitted it.
    pub submitted_by: String,
    /// When it was submitted, ms.
    pub submitted_ms: i64,
    /// Where it stands.
    pub status: ClaimStatus,
    /// The decision in one sentence.
    pub reason: String,
    /// Every check made, in order: the evidence.
    pub checks: Vec<ClaimCheckView>,
    /// When it was validated or rejected, ms (`null` while it awaits review).
    pub decided_ms: Option<i64>,
}

impl From<ClaimRecord> for ClaimView {
    fn from(r: ClaimRecord) -> Self {
        let Claim {
            claim_id,
            fleet_id,
            vehicle_id,
            component,
            failed_ms,
            odometer_km,
            description,
            alert_id,
            submitted_by,
            submitted_ms,
        } = r.claim;
        ClaimView {
            claim_id,
            fleet_id,
            vehicle_id,
            component: component.into(),
            failed_ms,
            odometer_km,
            description,
            alert_id,
            submitted_by,
            submitted_ms,
            status: r.status.into(),
            reason: r.reason,
            checks: r.checks.into_iter().map(Into::into).collect(),
            decided_ms: r.decided_ms,
        }
    }
}

/// What the warranty covers for one component: months from the warranty start and km, whichever ends first.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct CoverageView {
    /// The component.
    pub component: Component,
    /// Months from the vehicle's warranty start.
    pub months: u32,
    /// Odometer limit, km.
    pub km: f64,
}
