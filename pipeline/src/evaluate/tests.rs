//! The metrics on a hand-built case with hand-computed values, and the
//! whole evaluation's determinism on a small simulated fleet.

use std::collections::BTreeMap;

use clap::Parser;
use schemas::{Band, Component};

use super::metrics::*;
use super::*;

const DAY: i64 = 86_400_000;

fn day(d: f64) -> i64 {
    (d * DAY as f64).round() as i64
}

fn row(d: f64, band: Band, km: f64, rul_km: Option<f64>, rul_days: Option<f64>) -> RowPoint {
    RowPoint { ts_ms: day(d), band, odometer_km: Some(km), rul_km, rul_days }
}

fn fault(v: &str, component: Component, mode: &str, onset: (f64, f64), failure: Option<(f64, f64)>) -> FaultTruth {
    FaultTruth {
        vehicle_id: v.into(),
        component,
        mode: mode.into(),
        onset: (day(onset.0), onset.1),
        failure: failure.map(|(d, km)| (day(d), km)),
    }
}

fn alert(v: &str, component: Component, opened_day: f64) -> AlertPoint {
    AlertPoint { vehicle_id: v.into(), component, opened_ms: day(opened_day) }
}

/// Five vehicles over ten days: v1's pads fail on day 9 (warned on day 1.5,
/// 3 800 km ahead), v2's battery on day 4 (warned 0.1 day, 50 km ahead),
/// v4's cooling on day 6 (never warned); v3's tire leak starts on day 8 and
/// does not fail; v5 is healthy.
fn tiny() -> Inputs {
    use Band::*;
    let rows = BTreeMap::from([
        (
            ("v1".to_string(), Component::Brakes),
            vec![
                row(0.5, Degraded, 800.0, None, None),
                row(1.5, Degraded, 1_200.0, Some(4_000.0), Some(8.0)),
                row(8.5, Critical, 4_600.0, Some(300.0), Some(1.0)),
                row(9.5, Critical, 5_200.0, Some(0.0), Some(0.0)),
            ],
        ),
        (
            ("v2".to_string(), Component::Battery),
            vec![row(3.0, Healthy, 2_300.0, Some(1_000.0), None), row(3.9, Degraded, 2_550.0, None, None)],
        ),
    ]);
    Inputs {
        vehicles: ["v1", "v2", "v3", "v4", "v5"].map(String::from).to_vec(),
        span_ms: (0, 10 * DAY),
        faults: vec![
            fault("v1", Component::Brakes, "pad_wear", (1.0, 1_000.0), Some((9.0, 5_000.0))),
            fault("v2", Component::Battery, "weak_battery", (2.0, 2_000.0), Some((4.0, 2_600.0))),
            fault("v3", Component::Tires, "tire_leak", (8.0, 100.0), None),
            fault("v4", Component::Cooling, "cooling_fault", (5.0, 500.0), Some((6.0, 600.0))),
        ],
        rows,
        alerts: vec![
            alert("v1", Component::Brakes, 0.5),
            alert("v1", Component::Brakes, 1.5),
            alert("v2", Component::Battery, 3.9),
            alert("v2", Component::Engine, 3.0),
            alert("v5", Component::Tires, 4.0),
            alert("v3", Component::Tires, 7.0),
        ],
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn failures_are_caught_ahead_by_the_first_warning_after_onset() {
    let s = scores(&tiny());
    let leads: Vec<(&str, Option<(f64, f64)>)> = s.detections.iter().map(|d| (d.vehicle_id.as_str(), d.lead)).collect();
    assert_eq!(leads.len(), 3);
    assert_eq!(leads[0].0, "v1");
    let (d, km) = leads[0].1.unwrap();
    assert!(close(d, 7.5) && close(km, 3_800.0));
    let (d, km) = leads[1].1.unwrap();
    assert!(close(d, 0.1) && close(km, 50.0), "{d} {km}");
    assert_eq!(leads[2], ("v4", None));

    let c = &s.caught;
    assert_eq!((c.failures, c.warned, c.km, c.days, c.both), (3, 2, 1, 1, 1));
    assert!(close(c.share_km, 1.0 / 3.0) && close(c.share_days, 1.0 / 3.0) && close(c.share_both, 1.0 / 3.0));
    assert!(close(c.median_lead_days.unwrap(), 3.8) && close(c.median_lead_km.unwrap(), 1_925.0));
    let e = &s.caught_eligible;
    assert_eq!((e.failures, e.both, e.share_both), (1, 1, 1.0));
    let by_mode: Vec<(&str, usize, usize, usize)> =
        s.caught_by_mode.iter().map(|(m, c)| (m.as_str(), c.failures, c.warned, c.both)).collect();
    assert_eq!(by_mode, vec![("cooling_fault", 1, 0, 0), ("pad_wear", 1, 1, 1), ("weak_battery", 1, 1, 0)]);
}

#[test]
fn alerts_are_true_secondary_or_false_per_healthy_vehicle_day() {
    let f = false_alerts(&tiny());
    assert_eq!((f.alerts, f.true_alerts, f.secondary, f.false_alerts), (6, 2, 1, 3));
    assert_eq!(f.false_by_component, BTreeMap::from([("brakes".to_string(), 1), ("tires".to_string(), 2)]));
    // v1 1 day, v2 2, v3 8, v4 5, v5 10.
    assert!(close(f.healthy_vehicle_days, 26.0));
    assert!(close(f.per_1000_healthy_vehicle_days, 3_000.0 / 26.0));
}

#[test]
fn rul_error_is_bucketed_by_true_remaining_km() {
    let rul = rul_error(&tiny());
    assert_eq!(rul.len(), 4);
    // 0–1000 km: v1 at 8.5 d (true 400 km, 0.5 d; predicted 300 km, 1 d),
    // v2 at 3 d (true 300 km; predicted 1 000 km, no days), v2 at 3.9 d (no prediction).
    let b = &rul[0];
    assert_eq!((b.from_km, b.to_km, b.rows, b.rows_days), (0.0, Some(1_000.0), 3, 1));
    assert!(close(b.coverage, 2.0 / 3.0));
    assert!(close(b.mae_km.unwrap(), 400.0) && close(b.relative_km.unwrap(), 400.0 / 350.0));
    assert!(close(b.mae_days.unwrap(), 0.5) && close(b.relative_days.unwrap(), 1.0));
    assert_eq!((rul[1].rows, rul[1].mae_km, rul[1].coverage), (0, None, 0.0));
    // 3000–10000 km: v1 at 1.5 d (true 3 800 km, 7.5 d; predicted 4 000 km, 8 d).
    let b = &rul[2];
    assert_eq!((b.rows, b.coverage), (1, 1.0));
    assert!(close(b.mae_km.unwrap(), 200.0) && close(b.relative_km.unwrap(), 200.0 / 3_800.0));
    assert!(close(b.mae_days.unwrap(), 0.5) && close(b.relative_days.unwrap(), 0.5 / 7.5));
    assert_eq!((rul[3].from_km, rul[3].to_km, rul[3].rows), (10_000.0, None, 0));
    let points = rul_points(&tiny(), 1);
    assert_eq!(points.len(), 3);
    assert_eq!(
        (points[0].true_km, points[0].predicted_km, points[1].true_km, points[1].predicted_km),
        (3_800.0, 4_000.0, 400.0, 300.0)
    );
    assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
    assert_eq!(median(&mut []), None);
}

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: EvaluateArgs,
}

fn small(seed: u64) -> EvaluateArgs {
    let seed = seed.to_string();
    Cli::try_parse_from([
        "evaluate",
        "--vehicles=6",
        "--days=4",
        "--degrade-share=1",
        "--offline-share=0",
        "--records-per-epoch=500",
        "--seed",
        &seed,
    ])
    .unwrap()
    .args
}

#[test]
fn the_same_seed_gives_the_same_scores() {
    let (a, _) = evaluate(&small(3)).unwrap();
    let (b, _) = evaluate(&small(3)).unwrap();
    let (c, _) = evaluate(&small(4)).unwrap();
    assert_eq!(a, b);
    assert_ne!(a.scores, c.scores);
    assert_eq!((a.run.messages, a.run.dead_letters, a.run.faults.0), (6 * 4 * 144, 0, 6));
    assert_eq!(a.run.models, vec![operators::health::MODEL_VERSION.to_string()]);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap(),
        "the JSON report is byte-identical"
    );
}
