//! Warranty claims (the seed's warranty-service): what is covered, and how
//! a claim is decided from the coverage and the vehicle's own telemetry.

pub mod assess;
pub mod policy;

pub use assess::{Evidence, GRACE_MS, LOOKBACK_MS, assess};
pub use policy::{Coverage, WarrantyPolicy};
