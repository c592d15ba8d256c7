//! `carvrooom cmapss predict`: a C-MAPSS file streamed through the live
//! dataflow with a trained model; each unit's RUL (P50) at its last cycle.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use operators::decode::Decoders;
use operators::prognostics::ModelSlot;
use operators::prognostics::fit::nasa_score;
use schemas::Component;

use super::error::CmapssError;
use super::messages::{FLEET, records, unit_of};
use super::read::read;
use crate::offline::{OfflineOptions, default_settings};

/// Options of `carvrooom cmapss predict`.
#[derive(Clone, Debug, clap::Args)]
pub struct PredictArgs {
    /// Model file from `carvrooom cmapss train`.
    #[arg(long)]
    pub model: PathBuf,
    /// C-MAPSS file whose units are cut short (e.g. test_FD001.txt).
    #[arg(long)]
    pub input: PathBuf,
    /// Where to write `unit,rul` (CSV with a header, units ascending).
    #[arg(long)]
    pub out: PathBuf,
    /// The true RULs (RUL_FD001.txt: one line per unit, in unit order) to score against.
    #[arg(long)]
    pub truth: Option<PathBuf>,
}

/// RMSE and NASA score of predictions against the truth.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TruthScores {
    /// Root mean squared error, cycles.
    pub rmse: f64,
    /// NASA score, summed over units.
    pub nasa: f64,
}

/// Each unit's RUL (P50, cycles) at its last cycle, from the dataflow run with `model`.
pub fn predict(model_path: &Path, input: &Path) -> Result<BTreeMap<u32, f64>, CmapssError> {
    let model = crate::model_file::load(model_path)?;
    if model.component(Component::Turbofan).is_none() {
        return Err(CmapssError::NotTurbofan(model.version.to_string()));
    }
    let (rows, _) = read(input)?;
    let units: Vec<u32> = rows.iter().map(|r| r.unit).collect();
    let settings = default_settings(Decoders::default(), ModelSlot::new(Some(model)));
    let result = crate::offline::run(records(&rows), settings, OfflineOptions::default());
    let mut last: BTreeMap<u32, (i64, f64)> = BTreeMap::new();
    for row in result.health.iter().filter(|r| &*r.fleet_id == FLEET && r.component == Component::Turbofan) {
        let (Some(unit), Some(rul)) = (unit_of(&row.vehicle_id), row.rul_km) else { continue };
        let entry = last.entry(unit).or_insert((row.ts_ms, rul.get()));
        if row.ts_ms >= entry.0 {
            *entry = (row.ts_ms, rul.get());
        }
    }
    let missing: Vec<u32> = {
        let mut all = units;
        all.sort_unstable();
        all.dedup();
        all.into_iter().filter(|u| !last.contains_key(u)).collect()
    };
    if !missing.is_empty() {
        return Err(CmapssError::Unpredicted(missing));
    }
    Ok(last.into_iter().map(|(unit, (_, rul))| (unit, rul)).collect())
}

/// The `unit,rul` CSV text.
pub fn csv_text(predictions: &BTreeMap<u32, f64>) -> String {
    let mut out = String::from("unit,rul\n");
    for (unit, rul) in predictions {
        out.push_str(&format!("{unit},{rul}\n"));
    }
    out
}

/// Scores predictions against a truth file of one RUL per line, unit 1 first.
pub fn score_against(predictions: &BTreeMap<u32, f64>, truth: &Path) -> Result<TruthScores, CmapssError> {
    let text = std::fs::read_to_string(truth).map_err(|source| CmapssError::Io { path: truth.into(), source })?;
    let bad = |reason: String| CmapssError::Truth { path: truth.into(), reason };
    let values: Vec<f64> = text
        .split_whitespace()
        .map(|v| v.parse::<f64>().map_err(|_| bad(format!("'{v}' is not a number"))))
        .collect::<Result<_, _>>()?;
    if values.len() != predictions.len() {
        return Err(bad(format!("{} values for {} units", values.len(), predictions.len())));
    }
    let pairs: Vec<(f64, f64)> = predictions.values().copied().zip(values).collect();
    let n = pairs.len() as f64;
    Ok(TruthScores {
        rmse: (pairs.iter().map(|(p, t)| (p - t).powi(2)).sum::<f64>() / n).sqrt(),
        nasa: pairs.iter().map(|(p, t)| nasa_score(*p, *t)).sum(),
    })
}

/// Predicts, writes the CSV and, given the truth, prints the scores.
pub fn run(args: &PredictArgs) -> Result<BTreeMap<u32, f64>, CmapssError> {
    let predictions = predict(&args.model, &args.input)?;
    std::fs::write(&args.out, csv_text(&predictions))
        .map_err(|source| CmapssError::Io { path: args.out.clone(), source })?;
    println!("{} units predicted → {}", predictions.len(), args.out.display());
    if let Some(truth) = &args.truth {
        let scores = score_against(&predictions, truth)?;
        println!(
            "RMSE {:.2} cycles, NASA score {:.1} ({:.1} per 100 units)",
            scores.rmse,
            scores.nasa,
            scores.nasa / predictions.len() as f64 * 100.0
        );
    }
    Ok(predictions)
}
