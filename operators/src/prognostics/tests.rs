//! The model inside the `degrade` walk: its rows, and a hot swap.

use schemas::{Band, Component, HealthRow, Value};

use super::fit::{Learner, Sample, band_of, fit, nasa_score, quantile, score};
use super::model::{ComponentModel, FORMAT, Model, Regressor, Scores, TrainingData};
use super::pls;
use super::{FeatureSpec, Input, ModelSlot, Stat};
use crate::degrade::{DegradeSetup, degrade};
use crate::finality::Finality;
use crate::health::WindowScore;
use crate::testing::{consolidate, run_epochs};
use crate::{Diff, Epoch};

const W: i64 = 600_000;

/// A model whose RUL P50 is `score + shift`, with a ±5 band and a cap of 100.
fn model(version: &str, shift: f64) -> Model {
    let scores = Scores { folds: 2, predictions: 0, rmse: 0.0, mae: 0.0, nasa_per_100: None, band_coverage: 0.0 };
    let spec = FeatureSpec {
        windows: 1,
        inputs: vec![Input::Score],
        stats: vec![Stat::Last],
        recent: Vec::new(),
        exceedance_rate: false,
        dtc_presence: false,
        usage: false,
    };
    Model {
        format: FORMAT,
        version: version.into(),
        trained_at: "2026-11-25T00:00:00Z".into(),
        usage_axis: "km".into(),
        training: TrainingData { source: "test".into(), sha256: String::new(), samples: 0, assets: 0 },
        components: vec![ComponentModel {
            component: Component::Brakes,
            feature_names: spec.names(),
            spec,
            scale: vec![(0.0, 1.0)],
            regressor: Regressor::Linear { weights: vec![1.0], intercept: shift },
            cap: 100.0,
            band: (-5.0, 5.0),
            scores,
            tried: Vec::new(),
        }],
    }
}

fn window(end: i64, score: f64) -> WindowScore {
    crate::testing::brake_window(end, score, None)
}

fn row(end: i64, rul: f64, band: Band, version: &str) -> HealthRow {
    HealthRow {
        fleet_id: "f1".into(),
        vehicle_id: "v1".into(),
        component: Component::Brakes,
        ts_ms: end,
        score: Value(rul),
        band,
        rul_km: Some(Value(rul)),
        rul_km_p10: Some(Value(rul - 5.0)),
        rul_km_p90: Some(Value(rul + 5.0)),
        rul_days: None,
        odometer_km: None,
        model_version: version.into(),
    }
}

#[test]
fn rows_name_the_model_that_scored_them_and_a_swap_applies_from_the_next_walk() {
    let slot = ModelSlot::new(Some(model("m-a", 0.0)));
    let swapper = slot.clone();
    let epochs: Vec<Vec<(WindowScore, Diff)>> = vec![
        vec![(window(W, 90.0), 1)],
        vec![(window(2 * W, 80.0), 1)],
        // The first window is corrected: it is re-walked, now under m-b.
        vec![(window(W, 90.0), -1), (window(W, 95.0), 1)],
    ];
    let mut step = 0;
    let out = crate::testing::run_epochs_with(
        epochs,
        move |scores| {
            degrade(scores, DegradeSetup { model: slot.clone(), ..DegradeSetup::default() }, Finality::default()).0
        },
        move || {
            step += 1;
            if step == 1 {
                swapper.swap(Some(model("m-b", -10.0)));
            }
        },
    );
    let expected: Vec<(HealthRow, Epoch, Diff)> = vec![
        (row(W, 90.0, Band::Healthy, "m-a"), 0, 1),
        (row(2 * W, 70.0, Band::Watch, "m-b"), 1, 1),
        (row(W, 90.0, Band::Healthy, "m-a"), 2, -1),
        (row(W, 85.0, Band::Healthy, "m-b"), 2, 1),
    ];
    assert_eq!(out, consolidate(expected));
}

#[test]
fn components_the_model_does_not_cover_keep_the_rules() {
    let slot = ModelSlot::new(Some(model("m-a", 0.0)));
    let mut cooling = window(W, 70.0);
    cooling.component = Component::Cooling;
    let out = run_epochs(vec![vec![(cooling, 1)]], move |scores| {
        degrade(scores, DegradeSetup { model: slot.clone(), ..DegradeSetup::default() }, Finality::default()).0
    });
    let rows: Vec<&HealthRow> = out.iter().map(|(r, _, _)| r).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((&*rows[0].model_version, rows[0].score, rows[0].rul_km_p10), ("rules-v3", Value(70.0), None));
}

#[test]
fn least_squares_recovers_a_linear_law_and_scores_exactly() {
    let samples: Vec<Sample> = (0..20)
        .map(|i| Sample { asset: i % 4, x: vec![f64::from(i as u32)], y: 3.0 + 2.0 * f64::from(i as u32) })
        .collect();
    let all: Vec<&Sample> = samples.iter().collect();
    let (scale, regressor) = fit(Learner::Linear, &all, 1_000.0).expect("fit");
    let at = |x: f64| regressor.predict(&[(x - scale[0].0) / scale[0].1]);
    assert!((at(7.0) - 17.0).abs() < 1e-9 && (at(0.0) - 3.0).abs() < 1e-9);
    // Labels past the cap are fitted as the cap.
    let (_, capped) = fit(Learner::Neighbours { k: 1, stride: 1 }, &all, 10.0).expect("fit");
    assert_eq!(capped.predict(&[(19.0 - scale[0].0) / scale[0].1]), 10.0);
}

#[test]
fn scores_quantiles_and_the_nasa_function_match_hand_computed_values() {
    assert_eq!(nasa_score(10.0, 20.0), (10.0f64 / 13.0).exp() - 1.0);
    assert_eq!(nasa_score(30.0, 20.0), 1.0f64.exp() - 1.0);
    assert_eq!(quantile(&[4.0, 1.0, 3.0, 2.0], 0.5), 2.5);
    assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.1), 1.4);
    let predictions = vec![(10.0, 20.0), (30.0, 20.0)];
    let band = band_of(&predictions, 100.0);
    assert_eq!(band, (-8.0, 8.0));
    let s = score(&predictions, 2, band, 100.0, true);
    assert_eq!((s.rmse, s.mae, s.predictions), (10.0, 10.0, 2));
    assert_eq!(s.nasa_per_100, Some((nasa_score(10.0, 20.0) + nasa_score(30.0, 20.0)) / 2.0 * 100.0));
    assert_eq!(score(&predictions, 2, band, 100.0, false).nasa_per_100, None);
    assert_eq!(s.band_coverage, 0.0);
}

#[test]
fn a_model_survives_json_round_trips_with_every_regressor() {
    let mut m = model("m-a", 0.0);
    let samples: Vec<Sample> =
        (0..12).map(|i| Sample { asset: i % 3, x: vec![f64::from(i as u32)], y: f64::from(i as u32) }).collect();
    let all: Vec<&Sample> = samples.iter().collect();
    for learner in [
        Learner::Svr { c: 10.0, epsilon: 0.1, width: 1.0, stride: 1 },
        Learner::Neighbours { k: 2, stride: 2 },
        Learner::Pls { components: 1 },
    ] {
        m.components[0].regressor = fit(learner, &all, 100.0).expect("fit").1;
        let text = serde_json::to_string(&m).expect("serialise");
        let back: Model = serde_json::from_str(&text).expect("parse");
        assert_eq!(back, m);
        assert_eq!(back.components[0].regressor.predict(&[0.3]), m.components[0].regressor.predict(&[0.3]));
    }
}

/// `3 + 2·x₀ − x₁ + 0.5·x₂` on three correlated, linearly independent features.
fn law(i: u32) -> Sample {
    let x = vec![f64::from(i), f64::from(i * 7 % 11), f64::from(i * i % 13) + 0.5 * f64::from(i)];
    Sample { asset: u64::from(i % 4), y: 3.0 + 2.0 * x[0] - x[1] + 0.5 * x[2], x }
}

#[test]
fn pls_with_as_many_components_as_features_recovers_a_linear_law() {
    let samples: Vec<Sample> = (0..24).map(law).collect();
    let all: Vec<&Sample> = samples.iter().collect();
    let (scale, regressor) = fit(Learner::Pls { components: 3 }, &all, 1_000.0).expect("fit");
    let Regressor::Linear { ref weights, .. } = regressor else { panic!("PLS is stored as its linear form") };
    assert_eq!(weights.len(), 3);
    // Three directions span the three features, so the fit is the least-squares
    // one, which on noiseless labels is the law itself. What is left is rounding
    // in the deflation, the pseudo-inverse and the probes, each a few ulps of the
    // largest label on this well-conditioned design: 64 ulps of it bound them all.
    let probes: Vec<Sample> = (24..30).map(law).collect();
    let largest = probes.iter().chain(&samples).map(|s| s.y.abs()).fold(0.0, f64::max);
    let tolerance = 64.0 * f64::EPSILON * largest;
    for probe in probes {
        let x: Vec<f64> = probe.x.iter().zip(&scale).map(|(v, (m, sd))| (v - m) / sd).collect();
        let error = (regressor.predict(&x) - probe.y).abs();
        assert!(error < tolerance, "at {:?}: error {error:e}", probe.x);
    }
    // Fewer directions than features do not reach the law on correlated features.
    let (_, two) = fit(Learner::Pls { components: 2 }, &all, 1_000.0).expect("fit");
    let x: Vec<f64> = law(27).x.iter().zip(&scale).map(|(v, (m, sd))| (v - m) / sd).collect();
    assert!((two.predict(&x) - law(27).y).abs() > 1e-3);
}

#[test]
fn pls_refuses_more_components_than_the_features_span() {
    // x₂ = x₀ + x₁: three features spanning two directions, and a label with a
    // wobble outside them, so a third component could only fit rounding noise.
    let sample = |i: u32, x: Vec<f64>| {
        let y = 3.0 + 2.0 * x[0] - x[1] + 0.1 * f64::from(i * 5 % 3);
        Sample { asset: u64::from(i % 4), x, y }
    };
    let pair = |i: u32| vec![f64::from(i), f64::from(i * 7 % 11)];
    let three: Vec<Sample> = (0..24).map(|i| sample(i, [pair(i), vec![pair(i).iter().sum()]].concat())).collect();
    let all: Vec<&Sample> = three.iter().collect();
    let err = fit(Learner::Pls { components: 3 }, &all, 1_000.0).expect_err("a third component is noise");
    assert_eq!(
        err.to_string(),
        "pls(components=3): the features span 2 directions; more components would fit rounding noise"
    );
    // Two components span both directions: least squares on the two independent features.
    let (scale, pls) = fit(Learner::Pls { components: 2 }, &all, 1_000.0).expect("fit");
    let two: Vec<Sample> = (0..24).map(|i| sample(i, pair(i))).collect();
    let (scale_two, least_squares) = fit(Learner::Linear, &two.iter().collect::<Vec<_>>(), 1_000.0).expect("fit");
    let scaled = |x: &[f64], scale: &[(f64, f64)]| -> Vec<f64> {
        x.iter().zip(scale).map(|(v, (m, sd))| (v - m) / sd).collect()
    };
    for x in [[30.0, 1.0], [-4.0, 9.0]] {
        let expected = least_squares.predict(&scaled(&x, &scale_two));
        let got = pls.predict(&scaled(&[x[0], x[1], x[0] + x[1]], &scale));
        assert!((got - expected).abs() < 64.0 * f64::EPSILON * expected.abs(), "{got} against {expected}");
    }
}

#[test]
fn the_stored_linear_form_of_pls_predicts_as_linfa_does() {
    use linfa::prelude::*;
    use linfa_pls::PlsRegression;
    use ndarray::{Array1, Array2, Axis};
    use rand::{Rng, SeedableRng};

    // Six raw (uncentred, unscaled) noisy features, a noisy label.
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let (n, width) = (200, 6);
    let records = Array2::from_shape_fn((n, width), |(_, j)| 100.0 * j as f64 + rng.random_range(-50.0..50.0));
    let targets = Array1::from_shape_fn(n, |i| {
        records.row(i).iter().enumerate().map(|(j, v)| v * (j as f64 - 2.5)).sum::<f64>()
            + rng.random_range(-20.0..20.0)
    });
    for components in [1, 2, 4] {
        let dataset = DatasetBase::new(records.view(), targets.view().insert_axis(Axis(1)));
        let fitted = PlsRegression::params(components).fit(&dataset).expect("fit");
        let theirs: Array2<f64> = fitted.predict(&records);
        let ours = pls::linear_form(&fitted, width).expect("linear form");
        for (row, expected) in records.rows().into_iter().zip(theirs.column(0)) {
            let got = ours.predict(row.as_slice().expect("contiguous row"));
            assert!((got - expected).abs() < 1e-9, "{components} components: {got} against {expected}");
        }
        assert_eq!(pls::fit(components, records.view(), targets.view()), Ok(ours));
    }
}

#[test]
fn the_pls_grid_keeps_the_component_counts_the_features_allow() {
    let counts = |features| -> Vec<usize> {
        pls::grid(features)
            .into_iter()
            .map(|l| match l {
                Learner::Pls { components } => components,
                other => panic!("{other} in the PLS grid"),
            })
            .collect()
    };
    assert_eq!(counts(43), vec![2, 4, 8, 12]);
    assert_eq!(counts(8), vec![2, 4, 8]);
    assert_eq!(counts(1), Vec::<usize>::new());
    assert_eq!(Learner::Pls { components: 4 }.to_string(), "pls(components=4)");
}

#[test]
fn a_models_trail_reaches_back_into_windows_already_sealed() {
    // P50 = the mean score of the newest four windows; with a horizon of one
    // window, the oldest of them is sealed when the fifth window is walked.
    let mut m = model("m-a", 0.0);
    m.components[0].spec.windows = 4;
    m.components[0].spec.stats = vec![Stat::Level];
    m.components[0].feature_names = m.components[0].spec.names();
    let slot = ModelSlot::new(Some(m));
    let scores = [90.0, 80.0, 70.0, 60.0, 50.0];
    let epochs: Vec<Vec<(WindowScore, Diff)>> =
        scores.iter().zip(1..).map(|(score, i)| vec![(window(i * W, *score), 1)]).collect();
    let finality = Finality { horizon_ms: W, window_ms: W };
    let out = run_epochs(epochs, move |scores| {
        degrade(scores, DegradeSetup { model: slot.clone(), ..DegradeSetup::default() }, finality).0
    });
    let expected = vec![
        (row(W, 90.0, Band::Healthy, "m-a"), 1),
        (row(2 * W, 85.0, Band::Healthy, "m-a"), 1),
        (row(3 * W, 80.0, Band::Healthy, "m-a"), 1),
        (row(4 * W, 75.0, Band::Watch, "m-a"), 1),
        (row(5 * W, 65.0, Band::Watch, "m-a"), 1),
    ];
    assert_eq!(crate::testing::content_at(&out, 4), expected);
}
