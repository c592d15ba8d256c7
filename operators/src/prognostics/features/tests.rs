use std::sync::Arc;

use schemas::{Signal, Value};

use super::*;

fn point(end_ms: i64, km: f64, score: f64, exceedances: u32, dtcs: u32, t50: f64) -> WindowPoint {
    WindowPoint {
        end_ms,
        score: Value(score),
        odometer_km: Some(Value(km)),
        mean: Value(100.0 - score),
        worst: Value(105.0 - score),
        count: 5,
        exceedances,
        dtcs,
        signals: vec![(Signal::Sensor(4), Value(t50))].into(),
    }
}

fn spec(windows: usize) -> FeatureSpec {
    FeatureSpec {
        windows,
        inputs: vec![Input::Score, Input::Signal(Signal::Sensor(4))],
        stats: vec![Stat::Level, Stat::Slope, Stat::Std, Stat::Last],
        recent: Vec::new(),
        exceedance_rate: true,
        dtc_presence: true,
        usage: true,
    }
}

fn trail() -> Vec<WindowPoint> {
    vec![
        point(600_000, 1000.0, 90.0, 0, 0, 1400.0),
        point(1_200_000, 1010.0, 80.0, 1, 0, 1410.0),
        point(1_800_000, 1020.0, 70.0, 2, 1, 1420.0),
    ]
}

#[test]
fn features_of_the_newest_windows_are_exact() {
    let got = extract(&spec(2), &trail());
    let expected = vec![75.0, -1.0, 5.0, 70.0, 1415.0, 1.0, 5.0, 1420.0, 0.3, 1.0, 1020.0];
    assert_eq!(got, Some(expected));
}

#[test]
fn the_whole_trail_counts_when_it_is_shorter_than_the_spec() {
    let got = extract(&spec(10), &trail()).expect("features");
    assert_eq!(got[..4], [80.0, -1.0, (200.0f64 / 3.0).sqrt(), 70.0]);
    assert_eq!(got[8..], [0.2, 1.0, 1020.0]);
}

/// A spec over the score of the three-window trail only: `stats` over the whole trail, then `recent`.
fn score_spec(stats: Vec<Stat>, recent: Vec<Recent>) -> FeatureSpec {
    FeatureSpec {
        windows: 3,
        inputs: vec![Input::Score],
        stats,
        recent,
        exceedance_rate: false,
        dtc_presence: false,
        usage: false,
    }
}

#[test]
fn recent_statistics_read_only_the_newest_windows_after_the_whole_trail() {
    let spec = score_spec(
        vec![Stat::Slope],
        vec![Recent { stat: Stat::Level, windows: 1 }, Recent { stat: Stat::Level, windows: 2 }],
    );
    assert_eq!(extract(&spec, &trail()), Some(vec![-1.0, 70.0, 75.0]));
    assert_eq!(spec.names(), ["score.slope", "score.level1", "score.level2"]);
}

#[test]
fn the_ewma_gap_is_the_fast_minus_the_slow_smoothed_value() {
    let spec = score_spec(vec![Stat::EwmaGap], Vec::new());
    // Scores 90, 80, 70: fast 90 → 88 → 84.4, slow 90 → 89.8 → 89.404.
    let got = extract(&spec, &trail()).expect("features");
    assert!((got[0] - (84.4 - 89.404)).abs() < 1e-9, "{got:?}");
    assert_eq!(spec.names(), ["score.ewma_gap"]);
}

#[test]
fn names_follow_the_feature_order() {
    let names = spec(2).names();
    assert_eq!(names.len(), 11);
    assert_eq!(names[0], "score.level");
    assert_eq!(names[5], "Asset.Turbofan.Sensor4.slope");
    assert_eq!(names[8..], ["exceedance_rate", "dtc_presence", "usage"]);
}

#[test]
fn missing_inputs_or_usage_give_no_features() {
    let mut no_sensor = trail();
    for p in &mut no_sensor {
        p.signals = Arc::from([]);
    }
    assert_eq!(extract(&spec(3), &no_sensor), None);
    let mut no_usage = trail();
    no_usage[2].odometer_km = None;
    assert_eq!(extract(&spec(3), &no_usage), None);
    assert_eq!(extract(&spec(3), &[]), None);
}

#[test]
fn a_slope_needs_usage_that_moves() {
    let mut parked = trail();
    for p in &mut parked {
        p.odometer_km = Some(Value(1000.0));
    }
    let got = extract(&spec(3), &parked).expect("features");
    assert_eq!(got[1], 0.0);
}
