//! A trained prognostics model: its metadata, and per component the
//! features, scaling, regressor and uncertainty band it predicts with.

use linfa::prelude::Predict;
use linfa_svm::Svm;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

use schemas::Component;
use schemas::Id;

use super::features::{FeatureSpec, extract};
use super::point::WindowPoint;

/// Version of the model file layout.
pub const FORMAT: u32 = 1;

/// A model file: what was trained, on what, how well, and the fitted parts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// File layout version ([`FORMAT`]).
    pub format: u32,
    /// The version recorded on every health row it produces, e.g. `cmapss-svr-1a2b3c4d`.
    pub version: Id,
    /// When it was trained, RFC 3339.
    pub trained_at: String,
    /// Unit of the usage axis RUL is predicted on (`km`, `cycles`).
    pub usage_axis: String,
    /// The data set it was trained on.
    pub training: TrainingData,
    /// One fitted model per component it covers.
    pub components: Vec<ComponentModel>,
}

/// Where a model's training data came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingData {
    /// What the data is (`cmapss`, `simulated-fleet`) and how it was made.
    pub source: String,
    /// SHA-256 of the training data, hex.
    pub sha256: String,
    /// Training samples (windows) used.
    pub samples: usize,
    /// Assets (engines, vehicle components) they came from.
    pub assets: usize,
}

/// Cross-validated quality of a component model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    /// Folds (whole assets held out together).
    pub folds: usize,
    /// Held-out predictions scored.
    pub predictions: usize,
    /// Root mean squared error of the P50, usage units.
    pub rmse: f64,
    /// Mean absolute error of the P50, usage units.
    pub mae: f64,
    /// NASA asymmetric score per 100 predictions (C-MAPSS protocol; late is
    /// costlier); only for usage axes in cycles, where it is defined.
    pub nasa_per_100: Option<f64>,
    /// Share of held-out true RULs inside [P10, P90].
    pub band_coverage: f64,
}

/// One learner tried during training: its cross-validated scores, or why it could not be fitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tried {
    /// The learner and its settings.
    pub learner: String,
    /// Its cross-validated scores.
    pub scores: Option<Scores>,
    /// Why it failed (e.g. collinear features for least squares).
    pub error: Option<String>,
}

/// The fitted model of one component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentModel {
    /// The component.
    pub component: Component,
    /// The features read, in order (names in `feature_names`).
    pub spec: FeatureSpec,
    /// The feature names, for people reading the file.
    pub feature_names: Vec<String>,
    /// Per feature `(mean, std)` of the training data; features are standardised before the regressor.
    pub scale: Vec<(f64, f64)>,
    /// The regressor that maps scaled features to RUL.
    pub regressor: Regressor,
    /// Labels were capped at this RUL (usage units); predictions are clamped to `[0, cap]`.
    pub cap: f64,
    /// `(P10, P90)` of held-out residuals (true − predicted): the uncertainty band around the P50.
    pub band: (f64, f64),
    /// The chosen learner's cross-validated scores.
    pub scores: Scores,
    /// Every learner tried, with its scores.
    pub tried: Vec<Tried>,
}

/// A fitted regressor on standardised features.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regressor {
    /// `intercept + weights · x` (least squares, ridge, elastic net or PLS).
    Linear {
        /// One weight per feature.
        weights: Vec<f64>,
        /// The intercept.
        intercept: f64,
    },
    /// Support vector regression (linfa-svm, Gaussian kernel).
    Svr(Svm<f64, f64>),
    /// Mean of the `k` nearest training samples.
    Neighbours {
        /// Scaled training features.
        points: Vec<Vec<f64>>,
        /// Their labels.
        targets: Vec<f64>,
        /// Neighbours averaged.
        k: usize,
    },
}

impl Regressor {
    /// The prediction for one scaled feature vector.
    pub fn predict(&self, x: &[f64]) -> f64 {
        match self {
            Regressor::Linear { weights, intercept } => {
                intercept + weights.iter().zip(x).map(|(w, v)| w * v).sum::<f64>()
            }
            Regressor::Svr(svm) => match Array2::from_shape_vec((1, x.len()), x.to_vec()) {
                Ok(row) => svm.predict(&row).first().copied().unwrap_or(f64::NAN),
                Err(_) => f64::NAN,
            },
            Regressor::Neighbours { points, targets, k } => {
                let mut near: Vec<(f64, f64)> = points
                    .iter()
                    .zip(targets)
                    .map(|(p, t)| (p.iter().zip(x).map(|(a, b)| (a - b).powi(2)).sum::<f64>(), *t))
                    .collect();
                let k = (*k).clamp(1, near.len().max(1));
                near.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
                near[..k].iter().map(|(_, t)| t).sum::<f64>() / k as f64
            }
        }
    }
}

/// What a model says about a component at one window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prognosis {
    /// Pessimistic RUL (10th percentile), usage units.
    pub p10: f64,
    /// Median RUL, usage units.
    pub p50: f64,
    /// Optimistic RUL (90th percentile), usage units.
    pub p90: f64,
    /// Health indicator 0–100: the P50 as a share of the cap.
    pub indicator: f64,
}

impl ComponentModel {
    /// Standardises a feature vector with the training scale.
    pub fn scaled(&self, features: &[f64]) -> Vec<f64> {
        features.iter().zip(&self.scale).map(|(v, (mean, std))| (v - mean) / std).collect()
    }

    /// The prognosis from raw features, rounded to 0.1 usage units and 0.01 points.
    pub fn prognose_features(&self, features: &[f64]) -> Option<Prognosis> {
        let p50 = self.regressor.predict(&self.scaled(features));
        if !p50.is_finite() {
            return None;
        }
        let clamp = |v: f64| (v.clamp(0.0, self.cap) * 10.0).round() / 10.0;
        let p50 = clamp(p50);
        Some(Prognosis {
            p10: clamp(p50 + self.band.0),
            p50,
            p90: clamp(p50 + self.band.1),
            indicator: (p50 / self.cap * 10_000.0).round() / 100.0,
        })
    }

    /// The prognosis after `trail` (oldest first), `None` when its features are incomplete.
    pub fn prognose(&self, trail: &[WindowPoint]) -> Option<Prognosis> {
        self.prognose_features(&extract(&self.spec, trail)?)
    }
}

impl Model {
    /// The model of `component`, if this model covers it.
    pub fn component(&self, component: Component) -> Option<&ComponentModel> {
        self.components.iter().find(|c| c.component == component)
    }

    /// Most windows any component's features read.
    pub fn trail_windows(&self) -> usize {
        self.components.iter().map(|c| c.spec.windows).max().unwrap_or(0)
    }
}
