//! Data only: the types every CarVrooom crate shares.
//!
//! The input contract (raw Kafka records and the JSON telemetry body), the
//! normalized [`Reading`], dead letters, health rows, alerts, decisions,
//! scheduling resources and appointments, warranty claims, the registry, the published events
//! and the Arrow schemas of the Parquet archive. No IO and no async runtime
//! live here.

pub mod alert;
pub mod arrow_schema;
pub mod component;
pub mod dead_letter;
pub mod event;
pub mod health;
pub mod id;
pub mod raw;
pub mod registry;
pub mod schedule;
pub mod signal;
pub mod telemetry;
pub mod value;
pub mod warranty;

pub use alert::{Alert, AlertState, Decision, Severity};
pub use component::{Band, Component};
pub use dead_letter::{DeadLetter, DeadLetterReason};
pub use event::{Event, EventKind, Payload, SCHEMA_VERSION};
pub use health::{HealthRow, Transition, WindowFeatures};
pub use id::Id;
pub use raw::{LogPos, RawRecord};
pub use registry::{DEFAULT_FLEET, Fleet, Vehicle};
pub use schedule::{Appointment, Bay, PartStock, ServiceJob, Technician};
pub use signal::{Dtc, Signal, TURBOFAN_SENSORS, TURBOFAN_SETTINGS, Wheel};
pub use telemetry::{CanFrame, CanId, Reading, Telemetry, TelemetryBody, Timestamp};
pub use value::Value;
pub use warranty::{CheckOutcome, Claim, ClaimCheck, ClaimRecord, ClaimStatus};

/// Milliseconds since the Unix epoch (UTC); the unit of every event time.
pub type TsMs = i64;
