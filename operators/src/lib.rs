//! The incremental operators of the CarVrooom dataflow, one file per verb.
//!
//! Every operator is a plain function over [`Coll`], the one collection type
//! of the pipeline: a differential-dataflow collection whose timestamps are
//! ingestion epochs ([`Epoch`]) and whose event times live in the data.
//! Nothing here does IO.
//!
//! ```text
//! raw ─► normalize ─► gate ─► latest ─► health ─► degrade ─► alert ─► diagnose
//!            │          │                                      └──► schedule
//!            └── dead letters ◄┘
//! ```
//!
//! `latest` → `alert` are per-vehicle state machines; [`stages`] runs the
//! four fused, one step per vehicle and epoch, as the pipeline does.

pub mod alert;
pub mod decode;
pub mod degrade;
pub mod diagnose;
pub mod finality;
pub mod gate;
pub mod health;
pub mod latest;
pub mod normalize;
pub mod open_history;
pub mod per_vehicle;
pub mod prognostics;
pub mod schedule;
pub mod split;
pub mod stages;

#[cfg(test)]
pub mod testing;

/// Ingestion epoch: the timely timestamp. Each epoch is a potential commit point.
pub type Epoch = u64;

/// Multiplicity change of a record (`+1` insert, `−1` retraction).
pub type Diff = isize;

/// The collection type every operator takes and returns.
pub type Coll<'scope, D> = differential_dataflow::VecCollection<'scope, Epoch, D, Diff>;
