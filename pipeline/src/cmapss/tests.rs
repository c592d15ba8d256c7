//! The C-MAPSS reader, the messages, and train → predict through the dataflow.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use operators::prognostics::fit::Learner;
use schemas::{Component, Signal, Timestamp};

use super::messages::{body, cycle_ts_ms};
use super::predict::{csv_text, predict, score_against};
use super::train::{TrainArgs, engine_trails, learners, run as train};
use super::{CmapssError, CmapssRow, parse};

const TWO_ROWS: &str = "1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190  \n\n1 2 0.0019 -0.0003 100.0 518.67 642.15 1591.82 1403.14 14.62 21.61 553.75 2388.04 9044.07 1.30 47.49 522.28 2388.07 8131.49 8.4318 0.03 392 2388 100.00 39.00 23.4236\n";

#[test]
fn rows_parse_to_exact_values_and_blank_lines_are_skipped() {
    let rows = parse(TWO_ROWS).expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].unit, rows[0].cycle, rows[1].cycle), (1, 1, 2));
    assert_eq!(rows[0].settings, [-0.0007, -0.0004, 100.0]);
    assert_eq!((rows[0].sensors[0], rows[0].sensors[3], rows[0].sensors[20]), (518.67, 1400.60, 23.4190));
}

#[test]
fn malformed_rows_name_their_line() {
    let short = "1 1 0 0 100\n";
    assert!(matches!(parse(short), Err(CmapssError::Row { line: 1, .. })));
    let text = TWO_ROWS.replace("1 2 0.0019", "1 x 0.0019");
    let err = parse(&text).expect_err("bad cycle");
    assert_eq!(err.to_string(), "line 3: cycle 'x' is not a positive integer");
    let nan = TWO_ROWS.replace("641.82", "hot");
    assert_eq!(parse(&nan).expect_err("bad number").to_string(), "line 1: column 7 'hot' is not a number");
    assert!(matches!(parse("\n \n"), Err(CmapssError::Empty)));
}

#[test]
fn a_row_becomes_one_message_with_its_cycle_settings_and_sensors() {
    let rows = parse(TWO_ROWS).expect("rows");
    let b = body(&rows[1]);
    assert_eq!((b.vehicle_id.as_str(), b.fleet_id.as_deref()), ("unit-001", Some("cmapss")));
    assert_eq!(b.ts, Timestamp::EpochMs(cycle_ts_ms(2)));
    assert_eq!(cycle_ts_ms(2) - cycle_ts_ms(1), 600_000);
    assert_eq!(b.signals.len(), 25);
    assert_eq!(b.signals[&Signal::Cycles.vss_name()], 2.0);
    assert_eq!(b.signals["Asset.Turbofan.Setting1"], 0.0019);
    assert_eq!(b.signals["Asset.Turbofan.Sensor4"], 1403.14);
}

/// A small synthetic run-to-failure fleet: sensors drift with wear (some up,
/// some down) plus seeded noise; unit `u` lives `40 + 7u` cycles.
fn fleet(units: u32) -> Vec<CmapssRow> {
    let mut rng = StdRng::seed_from_u64(9);
    let mut rows = Vec::new();
    for unit in 1..=units {
        let life = 40 + 7 * unit;
        for cycle in 1..=life {
            let wear = (f64::from(cycle) / f64::from(life)).powi(2);
            let mut sensors = [0.0; 21];
            for (i, s) in sensors.iter_mut().enumerate() {
                let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
                *s = 100.0 + i as f64 + sign * 10.0 * wear + rng.random_range(-0.5..0.5);
                *s = (*s * 100.0).round() / 100.0;
            }
            rows.push(CmapssRow { unit, cycle, settings: [0.0, 0.0, 100.0], sensors });
        }
    }
    rows
}

fn write_rows(path: &std::path::Path, rows: &[CmapssRow]) {
    let text: String = rows
        .iter()
        .map(|r| {
            let numbers: Vec<String> = r.settings.iter().chain(&r.sensors).map(|v| v.to_string()).collect();
            format!("{} {} {}\n", r.unit, r.cycle, numbers.join(" "))
        })
        .collect();
    std::fs::write(path, text).expect("write");
}

#[test]
fn predictions_through_the_dataflow_equal_the_model_on_the_same_windows_and_training_is_deterministic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (train_file, test_file, model_file) =
        (dir.path().join("train.txt"), dir.path().join("test.txt"), dir.path().join("model.json"));
    write_rows(&train_file, &fleet(8));
    let args = TrainArgs {
        input: train_file,
        model: model_file.clone(),
        windows: 10,
        cap: 60.0,
        folds: 4,
        cuts: 3,
        seed: 1,
        quick: true,
    };
    let model = train(&args).expect("train");
    let again = train(&args).expect("train again");
    assert_eq!(model.version, again.version, "same data and seed, same model");
    assert_eq!(crate::model_file::load(&model_file).expect("load"), again, "the file round-trips");
    let turbofan = model.component(Component::Turbofan).expect("turbofan model");
    let tried: Vec<&str> = turbofan.tried.iter().map(|t| t.learner.as_str()).collect();
    assert_eq!(
        tried,
        [
            "linear",
            "elastic-net(penalty=0.1, l1=0.5)",
            "pls(components=2)",
            "pls(components=4)",
            "pls(components=8)",
            "pls(components=12)"
        ]
    );
    assert!(turbofan.scores.rmse.is_finite() && turbofan.scores.predictions == 8 * 3);

    // Engines cut short: the dataflow's RUL at each last cycle is the model applied to those windows.
    let cut: Vec<CmapssRow> = fleet(3).into_iter().filter(|r| r.cycle <= 20 + 5 * r.unit).collect();
    write_rows(&test_file, &cut);
    let predicted = predict(&model_file, &test_file).expect("predict");
    let direct: BTreeMap<u32, f64> = engine_trails(&cut)
        .into_iter()
        .map(|((_, vehicle, _), points)| {
            let unit = super::messages::unit_of(&vehicle).expect("unit");
            (unit, turbofan.prognose(&points).expect("prognosis").p50)
        })
        .collect();
    assert_eq!(predicted, direct);
    assert_eq!(csv_text(&predicted).lines().next(), Some("unit,rul"));
    assert_eq!(csv_text(&predicted).lines().count(), 4);

    let truth = dir.path().join("rul.txt");
    let true_ruls: Vec<String> = (1..=3u32).map(|u| (40 + 7 * u - (20 + 5 * u)).to_string()).collect();
    std::fs::write(&truth, true_ruls.join("\n")).expect("write");
    let scores = score_against(&predicted, &truth).expect("scores");
    let errors: Vec<f64> = predicted.values().zip([22.0, 24.0, 26.0]).map(|(p, t)| p - t).collect();
    let rmse = (errors.iter().map(|e| e * e).sum::<f64>() / 3.0).sqrt();
    assert!((scores.rmse - rmse).abs() < 1e-9);
}

#[test]
fn the_learners_tried_include_pls_at_each_component_count() {
    let pls = [2, 4, 8, 12].map(|components| Learner::Pls { components });
    let fast = [Learner::Linear, Learner::ElasticNet { penalty: 0.1, l1_ratio: 0.5 }];
    assert_eq!(learners(43, true), [&fast[..], &pls[..]].concat());
    let all = learners(43, false);
    assert_eq!(all[..6], [&fast[..], &pls[..]].concat());
    assert_eq!(all.len(), 8, "then nearest neighbours and SVR");
}
