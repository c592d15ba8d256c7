//! Partial least squares regression (linfa-pls), kept as the linear model it is.
//!
//! PLS regression projects the features onto a few latent directions chosen
//! for their covariance with the label, and regresses the label on those.
//! Its predictor is affine in the features, so the fitted model is stored as
//! a [`Regressor::Linear`]: the model file keeps its layout and the live
//! operator predicts with it exactly as with least squares.

use linfa::prelude::*;
use linfa_pls::PlsRegression;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

use super::fit::Learner;
use super::model::Regressor;

/// Latent directions tried, at most as many as there are features.
pub const COMPONENTS: [usize; 4] = [2, 4, 8, 12];

/// The PLS learners tried on `features` features: one per entry of [`COMPONENTS`] it allows.
pub fn grid(features: usize) -> Vec<Learner> {
    COMPONENTS.iter().filter(|c| **c <= features).map(|c| Learner::Pls { components: *c }).collect()
}

/// Fits PLS regression with `components` latent directions on `records`
/// (one row per sample) and `targets`, and returns its linear form; an error
/// when the features span fewer directions than that.
pub fn fit<'a>(
    components: usize,
    records: ArrayView2<'a, f64>,
    targets: ArrayView1<'a, f64>,
) -> Result<Regressor, String> {
    let dataset = DatasetBase::new(records, targets.insert_axis(Axis(1)));
    let fitted = PlsRegression::params(components).fit(&dataset).map_err(|e| e.to_string())?;
    let spanned = directions(&fitted, dataset);
    if spanned < components {
        return Err(format!("the features span {spanned} directions; more components would fit rounding noise"));
    }
    linear_form(&fitted, records.ncols())
}

/// The leading components of `fitted` whose scores on its training data are
/// more than rounding noise: a norm of at least √ε times the first's. Past the
/// features' rank, linfa-pls keeps going on the deflated remainder, which is
/// noise, and the label's loading on that noise is huge; such a component
/// predicts nonsense for any sample outside the training set.
fn directions<'a>(
    fitted: &PlsRegression<f64>,
    training: DatasetBase<ArrayView2<'a, f64>, ArrayView2<'a, f64>>,
) -> usize {
    let scores = fitted.transform(training);
    let norms: Vec<f64> = scores.records().columns().into_iter().map(|t| t.dot(&t).sqrt()).collect();
    let first = norms.first().copied().unwrap_or(0.0);
    norms.iter().take_while(|n| **n > f64::EPSILON.sqrt() * first).count()
}

/// The affine map `fitted` predicts with on `width` features: its intercept
/// is linfa's own prediction at the origin, and each weight the prediction at
/// that feature's unit vector less the intercept. linfa-pls keeps the
/// centring and scaling it applies private, so they are read off this way.
/// An error when any of them is not finite (a degenerate fit).
pub fn linear_form(fitted: &PlsRegression<f64>, width: usize) -> Result<Regressor, String> {
    let mut probes = Array2::zeros((width + 1, width));
    for j in 0..width {
        probes[[j + 1, j]] = 1.0;
    }
    let at: Array1<f64> = fitted.predict(&probes).column(0).to_owned();
    let intercept = at[0];
    let weights: Vec<f64> = at.iter().skip(1).map(|v| v - intercept).collect();
    if !intercept.is_finite() || weights.iter().any(|w| !w.is_finite()) {
        return Err("the fitted coefficients are not finite".into());
    }
    Ok(Regressor::Linear { weights, intercept })
}
