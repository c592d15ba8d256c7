//! Warranty claims (the seed's warranty-service): a claim that a component
//! failed, and the decision reached on it from the vehicle's coverage and
//! its own telemetry.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::event::stable_id;
use crate::{Component, TsMs};

/// Where a claim stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Not decided automatically: the evidence is inconclusive and a person reviews it.
    Submitted,
    /// Covered, and the telemetry supports the failure.
    Validated,
    /// Not covered, contradicted by the telemetry, or already paid.
    Rejected,
}

impl ClaimStatus {
    /// Every status, in a fixed order.
    pub const ALL: [ClaimStatus; 3] = [ClaimStatus::Submitted, ClaimStatus::Validated, ClaimStatus::Rejected];

    /// The lowercase name used in tables and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::Validated => "validated",
            ClaimStatus::Rejected => "rejected",
        }
    }
}

impl fmt::Display for ClaimStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ClaimStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ClaimStatus::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| format!("unknown claim status '{s}'"))
    }
}

/// A claim as submitted: which component of which vehicle failed, when and at what odometer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Deterministic id from (vehicle, component, failure time): one failure is one claim.
    pub claim_id: String,
    /// The vehicle's fleet.
    pub fleet_id: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// The component claimed as failed.
    pub component: Component,
    /// When it failed, per the claimant, ms.
    pub failed_ms: TsMs,
    /// The odometer at the failure, per the claimant, km.
    pub odometer_km: f64,
    /// What happened, in the claimant's words.
    pub description: String,
    /// The alert the claim refers to, if any.
    pub alert_id: Option<String>,
    /// Who submitted it.
    pub submitted_by: String,
    /// When it was submitted, ms.
    pub submitted_ms: TsMs,
}

impl Claim {
    /// The id of the claim for `component` of `vehicle_id` failing at
    /// `failed_ms`: one failure is one claim, so a resubmission (a retried
    /// request, or the same failure claimed twice) finds the first.
    pub fn id_for(vehicle_id: &str, component: Component, failed_ms: TsMs) -> String {
        format!("clm-{}", &stable_id(&[vehicle_id, component.as_str(), &failed_ms.to_string()])[..16])
    }
}

/// How one check of a claim came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// The check supports the claim.
    Pass,
    /// The check contradicts the claim.
    Fail,
    /// The check could not decide (no data).
    Unknown,
}

/// One check of a claim, with what it found (the claim's evidence).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimCheck {
    /// Stable name: `coverage_period`, `mileage_limit`, `odometer`, `telemetry`, `duplicate`.
    pub name: String,
    /// Its outcome.
    pub outcome: CheckOutcome,
    /// What it found, in words with the numbers.
    pub detail: String,
}

/// A claim with its decision and evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimRecord {
    /// The claim.
    pub claim: Claim,
    /// Its status.
    pub status: ClaimStatus,
    /// The decision in one sentence.
    pub reason: String,
    /// Every check made, in order.
    pub checks: Vec<ClaimCheck>,
    /// When it was validated or rejected, ms (`None` while it awaits review).
    pub decided_ms: Option<TsMs>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_failure_is_one_claim_id() {
        let id = Claim::id_for("v1", Component::Battery, 1_000);
        assert_eq!(id.len(), 20);
        assert!(id.starts_with("clm-"));
        assert_eq!(id, Claim::id_for("v1", Component::Battery, 1_000));
        assert_ne!(id, Claim::id_for("v1", Component::Battery, 1_001));
        assert_ne!(id, Claim::id_for("v1", Component::Tires, 1_000));
        assert_ne!(id, Claim::id_for("v2", Component::Battery, 1_000));
    }

    #[test]
    fn statuses_round_trip_their_names() {
        for status in ClaimStatus::ALL {
            assert_eq!(status.as_str().parse::<ClaimStatus>(), Ok(status));
        }
        assert!("approved".parse::<ClaimStatus>().is_err());
    }
}
