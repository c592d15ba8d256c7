//! prognostics: trained health indicators and remaining-useful-life (RUL)
//! models, evaluated inside the `degrade` walk.
//!
//! A [`Model`] holds, per component, a [`FeatureSpec`] (which windowed
//! features it reads), the feature scaling, a fitted [`Regressor`] and the
//! residual quantiles measured by cross-validation. At every window the walk
//! keeps the component's most recent windows (its [`WindowPoint`] trail),
//! [`extract`]s the features, and the model gives a [`Prognosis`]: RUL on
//! the asset's usage axis as P10 / P50 / P90, and the health indicator
//! (the P50 as a share of the model's RUL cap, 0–100).
//!
//! Training ([`fit`]) uses linfa and the very same [`extract`], so a model
//! sees the same features offline and live. The [`ModelSlot`] is how a
//! running pipeline hot-swaps a model: the walk reads the slot at each step
//! and every health row names the model version that produced it.

pub mod features;
pub mod fit;
pub mod model;
pub mod pls;
pub mod point;
pub mod slot;

pub use features::{FeatureSpec, Input, Recent, Stat, extract};
pub use model::{ComponentModel, Model, Prognosis, Regressor};
pub use point::WindowPoint;
pub use slot::ModelSlot;

#[cfg(test)]
mod tests;
