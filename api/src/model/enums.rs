//! The closed vocabularies of the API (components, bands, severities, alert
//! states, dead-letter reasons), mirrored from `schemas` with OpenAPI enum schemas.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// A closed set of lowercase names.
pub trait Named: Copy + 'static {
    /// Every value, in a fixed order.
    const ALL: &'static [Self];
    /// The lowercase name.
    fn as_str(self) -> &'static str;

    /// Parses an optional query value; an unknown name is a 400 listing the allowed ones.
    fn parse_param(param: &str, value: Option<&str>) -> Result<Option<Self>, ApiError> {
        let Some(value) = value else { return Ok(None) };
        Self::ALL.iter().copied().find(|v| v.as_str() == value).map(Some).ok_or_else(|| {
            let allowed: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
            ApiError::bad_request(format!("{param}: unknown value '{value}'; allowed: {}", allowed.join(", ")))
        })
    }
}

macro_rules! mirror {
    ($(#[$doc:meta])* $name:ident <-> $schema:path { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl Named for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl From<$schema> for $name {
            fn from(value: $schema) -> Self {
                use $schema as S;
                match value {
                    $(S::$variant => $name::$variant),+
                }
            }
        }

        impl From<$name> for $schema {
            fn from(value: $name) -> Self {
                use $schema as S;
                match value {
                    $($name::$variant => S::$variant),+
                }
            }
        }
    };
}

mirror! {
    /// A maintained component.
    Component <-> schemas::Component {
        /// Engine.
        Engine = "engine",
        /// Cooling system.
        Cooling = "cooling",
        /// Brakes.
        Brakes = "brakes",
        /// Transmission.
        Transmission = "transmission",
        /// 12 V battery.
        Battery = "battery",
        /// Tires.
        Tires = "tires",
        /// Turbofan engine (C-MAPSS assets; usage axis: cycles).
        Turbofan = "turbofan",
    }
}

mirror! {
    /// A health band, best first.
    Band <-> schemas::Band {
        /// Nothing to do.
        Healthy = "healthy",
        /// Keep an eye on it.
        Watch = "watch",
        /// Needs service soon.
        Degraded = "degraded",
        /// Needs service now.
        Critical = "critical",
    }
}

mirror! {
    /// How urgent an alert is.
    Severity <-> schemas::Severity {
        /// Plan service.
        Warning = "warning",
        /// Service now.
        Critical = "critical",
    }
}

mirror! {
    /// An alert's lifecycle state.
    AlertState <-> schemas::AlertState {
        /// Ongoing.
        Open = "open",
        /// The component recovered.
        Resolved = "resolved",
        /// Corrected data retracted it: it never held.
        Withdrawn = "withdrawn",
    }
}

mirror! {
    /// Why input became a dead letter.
    DeadLetterReason <-> schemas::DeadLetterReason {
        /// Not a valid telemetry JSON object.
        Malformed = "malformed",
        /// The record key disagrees with the body's vehicle id.
        KeyMismatch = "key_mismatch",
        /// Not a known VSS signal.
        UnknownSignal = "unknown_signal",
        /// An OBD-II response that cannot be decoded.
        BadObd = "bad_obd",
        /// A CAN frame the DBC cannot decode.
        BadCan = "bad_can",
        /// Older than the vehicle's correction horizon.
        TooLate = "too_late",
        /// Stamped too far after its append time.
        Future = "future",
    }
}

mirror! {
    /// Where a warranty claim stands.
    ClaimStatus <-> schemas::ClaimStatus {
        /// Awaiting a person's review: the evidence did not decide it.
        Submitted = "submitted",
        /// Covered, and the telemetry supports the failure.
        Validated = "validated",
        /// Not covered, contradicted by the odometer, or already paid.
        Rejected = "rejected",
    }
}

mirror! {
    /// How one check of a warranty claim came out.
    CheckOutcome <-> schemas::CheckOutcome {
        /// Supports the claim.
        Pass = "pass",
        /// Contradicts the claim.
        Fail = "fail",
        /// Could not decide (no data).
        Unknown = "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_schemas_names() {
        for c in schemas::Component::ALL {
            assert_eq!(Component::from(c).as_str(), c.as_str());
            assert_eq!(schemas::Component::from(Component::from(c)), c);
        }
        for b in schemas::Band::ALL {
            assert_eq!(Band::from(b).as_str(), b.as_str());
        }
        for r in schemas::DeadLetterReason::ALL {
            assert_eq!(DeadLetterReason::from(r).as_str(), r.as_str());
        }
        for s in [schemas::Severity::Warning, schemas::Severity::Critical] {
            assert_eq!(Severity::from(s).as_str(), s.as_str());
        }
        for s in [schemas::AlertState::Open, schemas::AlertState::Resolved, schemas::AlertState::Withdrawn] {
            assert_eq!(AlertState::from(s).as_str(), s.as_str());
        }
        for s in schemas::ClaimStatus::ALL {
            assert_eq!(ClaimStatus::from(s).as_str(), s.as_str());
        }
        for o in [schemas::CheckOutcome::Pass, schemas::CheckOutcome::Fail, schemas::CheckOutcome::Unknown] {
            assert_eq!(serde_json::to_value(CheckOutcome::from(o)).ok(), serde_json::to_value(o).ok());
        }
    }

    #[test]
    fn params_parse_or_list_the_allowed_values() {
        assert_eq!(Severity::parse_param("severity", None), Ok(None));
        assert_eq!(Severity::parse_param("severity", Some("critical")), Ok(Some(Severity::Critical)));
        assert_eq!(
            Severity::parse_param("severity", Some("CRITICAL")).map_err(|e| e.message),
            Err("severity: unknown value 'CRITICAL'; allowed: warning, critical".to_string())
        );
    }
}
