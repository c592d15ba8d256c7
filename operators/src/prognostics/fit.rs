//! Fitting component models with linfa, and cross-validating them with
//! whole assets held out.
//!
//! Labels are capped at the model's RUL cap before fitting (the usual
//! piecewise-linear RUL target: early in life the remaining life is not
//! observable, only "at least the cap"). Held-out predictions are scored
//! against the uncapped truth the caller provides.

use std::fmt;

use linfa::prelude::*;
use linfa_elasticnet::ElasticNet;
use linfa_linear::LinearRegression;
use linfa_svm::Svm;
use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use schemas::Component;

use super::features::FeatureSpec;
use super::model::{ComponentModel, Regressor, Scores, Tried};
use super::pls;

/// One training sample: an asset's features at one window and its true RUL.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The asset (engine, or vehicle × component) it belongs to; folds hold out whole assets.
    pub asset: u64,
    /// Its features ([`super::extract`]).
    pub x: Vec<f64>,
    /// Its true remaining useful life, usage units.
    pub y: f64,
}

/// A learner and its settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Learner {
    /// Ordinary least squares (linfa-linear).
    Linear,
    /// Elastic net (linfa-elasticnet): `penalty`, `l1_ratio` (0 = ridge, 1 = lasso).
    ElasticNet {
        /// Overall penalty.
        penalty: f64,
        /// Share of the L1 term.
        l1_ratio: f64,
    },
    /// ε-support vector regression with a Gaussian kernel (linfa-svm),
    /// fitted on every `stride`-th sample.
    Svr {
        /// Cost of errors past ε.
        c: f64,
        /// The ε-insensitive margin, usage units.
        epsilon: f64,
        /// Kernel width: `exp(−‖a − b‖² / width)`.
        width: f64,
        /// Fit on every this-many-th sample (the kernel matrix is quadratic in samples).
        stride: usize,
    },
    /// Mean of the `k` nearest neighbours, keeping every `stride`-th sample.
    Neighbours {
        /// Neighbours averaged.
        k: usize,
        /// Keep every this-many-th sample.
        stride: usize,
    },
    /// Partial least squares regression (linfa-pls) on `components` latent directions ([`super::pls`]).
    Pls {
        /// Latent directions the features are projected onto.
        components: usize,
    },
}

impl fmt::Display for Learner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Learner::Linear => write!(f, "linear"),
            Learner::ElasticNet { penalty, l1_ratio } => write!(f, "elastic-net(penalty={penalty}, l1={l1_ratio})"),
            Learner::Svr { c, epsilon, width, stride } => {
                write!(f, "svr(c={c}, epsilon={epsilon}, width={width}, stride={stride})")
            }
            Learner::Neighbours { k, stride } => write!(f, "knn(k={k}, stride={stride})"),
            Learner::Pls { components } => write!(f, "pls(components={components})"),
        }
    }
}

/// Why a model could not be fitted.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// No samples to fit on.
    #[error("no training samples")]
    Empty,
    /// Fewer assets than folds.
    #[error("{assets} assets cannot make {folds} folds")]
    TooFewAssets {
        /// Assets present.
        assets: usize,
        /// Folds asked for.
        folds: usize,
    },
    /// The learner failed.
    #[error("{learner}: {message}")]
    Learner {
        /// The learner.
        learner: String,
        /// What it said.
        message: String,
    },
}

/// Per feature `(mean, std)` of `samples` (a constant feature gets std 1).
pub fn scale_of(samples: &[&Sample]) -> Vec<(f64, f64)> {
    let Some(first) = samples.first() else {
        return Vec::new();
    };
    let n = samples.len() as f64;
    (0..first.x.len())
        .map(|j| {
            let mean = samples.iter().map(|s| s.x[j]).sum::<f64>() / n;
            let var = samples.iter().map(|s| (s.x[j] - mean).powi(2)).sum::<f64>() / n;
            (mean, if var > 1e-12 { var.sqrt() } else { 1.0 })
        })
        .collect()
}

/// Fits `learner` on `samples` with labels capped at `cap`: the scale and the regressor.
pub fn fit(learner: Learner, samples: &[&Sample], cap: f64) -> Result<(Vec<(f64, f64)>, Regressor), FitError> {
    if samples.is_empty() {
        return Err(FitError::Empty);
    }
    let scale = scale_of(samples);
    let stride = match learner {
        Learner::Svr { stride, .. } | Learner::Neighbours { stride, .. } => stride.max(1),
        _ => 1,
    };
    let kept: Vec<&Sample> = samples.iter().step_by(stride).copied().collect();
    let scaled: Vec<Vec<f64>> =
        kept.iter().map(|s| s.x.iter().zip(&scale).map(|(v, (m, sd))| (v - m) / sd).collect()).collect();
    let targets: Vec<f64> = kept.iter().map(|s| s.y.min(cap)).collect();
    let fail = |message: String| FitError::Learner { learner: learner.to_string(), message };
    let width = scale.len();
    let records = Array2::from_shape_vec((scaled.len(), width), scaled.concat()).map_err(|e| fail(e.to_string()))?;
    let dataset = Dataset::new(records, Array1::from(targets.clone()));
    let regressor = match learner {
        Learner::Linear => {
            let fitted = LinearRegression::new().fit(&dataset).map_err(|e| fail(e.to_string()))?;
            Regressor::Linear { weights: fitted.params().to_vec(), intercept: fitted.intercept() }
        }
        Learner::ElasticNet { penalty, l1_ratio } => {
            let fitted = ElasticNet::params()
                .penalty(penalty)
                .l1_ratio(l1_ratio)
                .max_iterations(10_000)
                .fit(&dataset)
                .map_err(|e| fail(e.to_string()))?;
            Regressor::Linear { weights: fitted.hyperplane().to_vec(), intercept: fitted.intercept() }
        }
        Learner::Svr { c, epsilon, width, .. } => {
            let fitted = Svm::<f64, f64>::params()
                .c_svr(c, Some(epsilon))
                .gaussian_kernel(width)
                .fit(&dataset)
                .map_err(|e| fail(e.to_string()))?;
            Regressor::Svr(fitted)
        }
        Learner::Neighbours { k, .. } => Regressor::Neighbours { points: scaled, targets, k },
        Learner::Pls { components } => {
            pls::fit(components, dataset.records().view(), dataset.targets().view()).map_err(fail)?
        }
    };
    Ok((scale, regressor))
}

/// Held-out predictions of one learner: `(predicted P50, true RUL)` pairs.
pub type Predictions = Vec<(f64, f64)>;

/// Cross-validates `learner`: assets are shuffled with `seed` and split into
/// `folds`; each fold is predicted by a model fitted on the others, at the
/// samples `pick` chooses from each held-out asset (its samples in time order).
pub fn cross_validate(
    learner: Learner,
    samples: &[Sample],
    folds: usize,
    seed: u64,
    cap: f64,
    pick: &dyn Fn(&[&Sample], &mut StdRng) -> Vec<usize>,
) -> Result<Predictions, FitError> {
    let mut assets: Vec<u64> = samples.iter().map(|s| s.asset).collect();
    assets.sort_unstable();
    assets.dedup();
    if assets.len() < folds.max(2) {
        return Err(FitError::TooFewAssets { assets: assets.len(), folds });
    }
    let mut rng = StdRng::seed_from_u64(seed);
    assets.shuffle(&mut rng);
    let mut predictions = Vec::new();
    for fold in assets.chunks(assets.len().div_ceil(folds)) {
        let train: Vec<&Sample> = samples.iter().filter(|s| !fold.contains(&s.asset)).collect();
        let (scale, regressor) = fit(learner, &train, cap)?;
        for asset in fold {
            let held: Vec<&Sample> = samples.iter().filter(|s| s.asset == *asset).collect();
            for i in pick(&held, &mut rng) {
                let Some(sample) = held.get(i) else { continue };
                let x: Vec<f64> = sample.x.iter().zip(&scale).map(|(v, (m, sd))| (v - m) / sd).collect();
                predictions.push((regressor.predict(&x).clamp(0.0, cap), sample.y));
            }
        }
    }
    Ok(predictions)
}

/// The NASA C-MAPSS score of one prediction: late predictions cost more.
pub fn nasa_score(predicted: f64, truth: f64) -> f64 {
    let d = predicted - truth;
    if d < 0.0 { (-d / 13.0).exp() - 1.0 } else { (d / 10.0).exp() - 1.0 }
}

/// The `q`-quantile (0–1) of `values`, by linear interpolation; 0 when empty.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return 0.0;
    }
    let at = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
}

/// Scores held-out predictions with the residual band `(P10, P90)` applied,
/// the band's labels capped at `cap`; the NASA score only when `nasa`.
pub fn score(predictions: &Predictions, folds: usize, band: (f64, f64), cap: f64, nasa: bool) -> Scores {
    let n = predictions.len().max(1) as f64;
    let inside = predictions
        .iter()
        .filter(|(p, t)| {
            let t = t.min(cap);
            (p + band.0).clamp(0.0, cap) <= t && t <= (p + band.1).clamp(0.0, cap)
        })
        .count();
    Scores {
        folds,
        predictions: predictions.len(),
        rmse: (predictions.iter().map(|(p, t)| (p - t).powi(2)).sum::<f64>() / n).sqrt(),
        mae: predictions.iter().map(|(p, t)| (p - t).abs()).sum::<f64>() / n,
        nasa_per_100: nasa.then(|| predictions.iter().map(|(p, t)| nasa_score(*p, *t)).sum::<f64>() / n * 100.0),
        band_coverage: inside as f64 / n,
    }
}

/// The residual band `(P10, P90)` of true (capped at `cap`) minus predicted.
pub fn band_of(predictions: &Predictions, cap: f64) -> (f64, f64) {
    let residuals: Vec<f64> = predictions.iter().map(|(p, t)| t.min(cap) - p).collect();
    (quantile(&residuals, 0.1), quantile(&residuals, 0.9))
}

/// How a component model is trained: the candidates and the protocol.
pub struct Training<'a> {
    /// The component.
    pub component: Component,
    /// Features of every sample.
    pub spec: FeatureSpec,
    /// Label cap, usage units.
    pub cap: f64,
    /// Learners tried; the lowest cross-validated RMSE wins.
    pub learners: &'a [Learner],
    /// Cross-validation folds.
    pub folds: usize,
    /// Seed of the fold split and of `pick`.
    pub seed: u64,
    /// Report the NASA score (usage axis in cycles, as C-MAPSS).
    pub nasa: bool,
    /// Which samples of a held-out asset are predicted (indices into its samples).
    pub pick: &'a dyn Fn(&[&Sample], &mut StdRng) -> Vec<usize>,
}

/// Cross-validates every learner (one that cannot be fitted is recorded
/// with its error and skipped), then fits the best on all samples.
pub fn train(training: &Training<'_>, samples: &[Sample]) -> Result<ComponentModel, FitError> {
    let mut tried = Vec::new();
    let mut best: Option<(Learner, (f64, f64), Scores)> = None;
    let mut last_error = None;
    for learner in training.learners {
        let folds = training.folds;
        let predictions = match cross_validate(*learner, samples, folds, training.seed, training.cap, training.pick) {
            Ok(predictions) => predictions,
            Err(e @ FitError::Learner { .. }) => {
                tried.push(Tried { learner: learner.to_string(), scores: None, error: Some(e.to_string()) });
                last_error = Some(e);
                continue;
            }
            Err(e) => return Err(e),
        };
        let band = band_of(&predictions, training.cap);
        let scores = score(&predictions, folds, band, training.cap, training.nasa);
        if best.as_ref().is_none_or(|(_, _, b)| scores.rmse < b.rmse) {
            best = Some((*learner, band, scores.clone()));
        }
        tried.push(Tried { learner: learner.to_string(), scores: Some(scores), error: None });
    }
    let Some((learner, band, scores)) = best else {
        return Err(last_error.unwrap_or(FitError::Empty));
    };
    let all: Vec<&Sample> = samples.iter().collect();
    let (scale, regressor) = fit(learner, &all, training.cap)?;
    Ok(ComponentModel {
        component: training.component,
        feature_names: training.spec.names(),
        spec: training.spec.clone(),
        scale,
        regressor,
        cap: training.cap,
        band,
        scores,
        tried,
    })
}
