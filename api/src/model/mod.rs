//! The request and response bodies of the API, with OpenAPI schemas.
//!
//! `schemas` carries no OpenAPI derives, so each type the API shows is
//! mirrored here and converted from (or into) its `schemas` / `sinks`
//! counterpart.

pub mod alert;
pub mod dead_letter;
pub mod enums;
pub mod health;
pub mod ingestion;
pub mod listing;
pub mod registry;
pub mod schedule;
pub mod telemetry;
pub mod warranty;

pub use alert::{AcknowledgeRequest, AlertView, DecisionView};
pub use dead_letter::{DeadLetterCounts, DeadLetterView};
pub use enums::{AlertState, Band, CheckOutcome, ClaimStatus, Component, DeadLetterReason, Named, Severity};
pub use health::{HealthView, VehicleHealth};
pub use ingestion::{IngestionProgress, PartitionProgress};
pub use listing::{Listing, PageParams};
pub use registry::{FleetSummaryView, FleetView, ImportReport, VehicleView};
pub use schedule::{AppointmentView, BayView, ConfirmRequest, PartStockView, TechnicianView};
pub use telemetry::Accepted;
pub use warranty::{ClaimCheckView, ClaimRequest, ClaimView, CoverageView};
