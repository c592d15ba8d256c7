//! `carvrooom cmapss train`: features from the live operators, linfa
//! learners cross-validated with whole engines held out and truncated at
//! random cycles (as the official test set is), the best one saved.

use std::fmt::Write as _;
use std::path::PathBuf;

use rand::Rng;
use rand::rngs::StdRng;

use operators::decode::Decoders;
use operators::gate::GateConfig;
use operators::health::HealthConfig;
use operators::prognostics::fit::{Learner, Sample, Training, train};
use operators::prognostics::model::TrainingData;
use operators::prognostics::pls;
use operators::prognostics::{FeatureSpec, Input, Model, Recent, Stat, extract};
use schemas::{Component, Signal};

use super::error::CmapssError;
use super::messages::{records, unit_of};
use super::read::{CmapssRow, read};
use crate::train::assemble::assemble;
use crate::windows::{Trails, window_points};

/// The sensors that move in FD001 (the other seven are constant or nearly so).
pub const INFORMATIVE_SENSORS: [u8; 14] = [2, 3, 4, 7, 8, 9, 11, 12, 13, 14, 15, 17, 20, 21];

/// Options of `carvrooom cmapss train`.
#[derive(Clone, Debug, clap::Args)]
pub struct TrainArgs {
    /// C-MAPSS training file (run to failure), e.g. train_FD001.txt.
    #[arg(long)]
    pub input: PathBuf,
    /// Where to write the model file.
    #[arg(long)]
    pub model: PathBuf,
    /// Cycles the windowed features look back over (the long time scale).
    #[arg(long, default_value_t = 150)]
    pub windows: usize,
    /// RUL labels are capped here (the usual piecewise-linear target), cycles.
    #[arg(long, default_value_t = 125.0)]
    pub cap: f64,
    /// Cross-validation folds (whole engines held out).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Random truncation points scored per held-out engine.
    #[arg(long, default_value_t = 5)]
    pub cuts: usize,
    /// Seed of the fold split and the truncation points.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Try only the fast linear learners (no SVR, no nearest neighbours).
    #[arg(long)]
    pub quick: bool,
}

/// The feature spec of a C-MAPSS model, for every informative sensor: the
/// level of the newest 10 cycles, the slope over the whole trail, and the gap
/// between a fast and a slow exponentially weighted mean; plus the cycle count.
pub fn spec(windows: usize) -> FeatureSpec {
    FeatureSpec {
        windows,
        inputs: INFORMATIVE_SENSORS.iter().map(|n| Input::Signal(Signal::Sensor(*n))).collect(),
        stats: vec![Stat::Slope, Stat::EwmaGap],
        recent: vec![Recent { stat: Stat::Level, windows: 10 }],
        exceedance_rate: false,
        dtc_presence: false,
        usage: true,
    }
}

/// The learners tried, in order.
pub fn learners(features: usize, quick: bool) -> Vec<Learner> {
    let mut all = vec![Learner::Linear, Learner::ElasticNet { penalty: 0.1, l1_ratio: 0.5 }];
    all.extend(pls::grid(features));
    if !quick {
        all.push(Learner::Neighbours { k: 50, stride: 1 });
        all.push(Learner::Svr { c: 300.0, epsilon: 3.0, width: features as f64 / 3.0, stride: 3 });
    }
    all
}

/// The windows of every engine, through the live operators.
pub fn engine_trails(rows: &[CmapssRow]) -> Trails {
    window_points(records(rows), Decoders::default(), GateConfig::default(), HealthConfig::default())
}

/// One sample per engine cycle: the features after it and its true RUL
/// (cycles left to the engine's last cycle).
pub fn samples(trails: &Trails, spec: &FeatureSpec) -> Vec<Sample> {
    let mut out = Vec::new();
    for ((_, vehicle, component), points) in trails {
        let (Some(unit), Component::Turbofan) = (unit_of(vehicle), component) else { continue };
        let last = points.len();
        for t in 0..last {
            if let Some(x) = extract(spec, &points[..=t]) {
                out.push(Sample { asset: u64::from(unit), x, y: (last - 1 - t) as f64 });
            }
        }
    }
    out
}

/// The C-MAPSS test protocol for a held-out engine: `cuts` random
/// truncation points whose true RUL lies in 5..=145 cycles, at least 31
/// cycles into the run (as in the official test set).
pub fn truncations(cuts: usize) -> impl Fn(&[&Sample], &mut StdRng) -> Vec<usize> {
    move |held: &[&Sample], rng: &mut StdRng| {
        let n = held.len();
        let Some(longest) = n.checked_sub(31).map(|m| m.min(145)).filter(|m| *m >= 5) else {
            return Vec::new();
        };
        (0..cuts).map(|_| n - 1 - rng.random_range(5..=longest)).collect()
    }
}

/// Fits, reports and saves the model.
pub fn run(args: &TrainArgs) -> Result<Model, CmapssError> {
    let (rows, sha256) = read(&args.input)?;
    let trails = engine_trails(&rows);
    let spec = spec(args.windows);
    let samples = samples(&trails, &spec);
    let features = spec.names().len();
    let learners = learners(features, args.quick);
    let pick = truncations(args.cuts);
    let training = Training {
        component: Component::Turbofan,
        spec,
        cap: args.cap,
        learners: &learners,
        folds: args.folds,
        seed: args.seed,
        nasa: true,
        pick: &pick,
    };
    let fitted = train(&training, &samples)?;
    let engines = trails.keys().filter(|(_, _, c)| *c == Component::Turbofan).count();
    let training = TrainingData {
        source: format!("NASA C-MAPSS {}", args.input.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()),
        sha256,
        samples: samples.len(),
        assets: engines,
    };
    let model = assemble("cmapss", "cycles", training, vec![fitted]);
    crate::model_file::save(&args.model, &model)?;
    println!("{}", report(&model));
    Ok(model)
}

/// The table of learners tried and the chosen model's scores.
pub fn report(model: &Model) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "model {} ({} samples from {} assets)",
        model.version, model.training.samples, model.training.assets
    );
    for c in &model.components {
        let _ = writeln!(
            out,
            "{}: {} features over {} windows, RUL cap {}",
            c.component,
            c.scale.len(),
            c.spec.windows,
            c.cap
        );
        let _ = writeln!(
            out,
            "  {:<52} {:>8} {:>8} {:>12} {:>9}",
            "learner (cross-validated)", "RMSE", "MAE", "NASA/100", "P10-P90"
        );
        for t in &c.tried {
            let _ = match (&t.scores, &t.error) {
                (Some(s), _) => writeln!(
                    out,
                    "  {:<52} {:>8.2} {:>8.2} {:>12} {:>8.0}%",
                    t.learner,
                    s.rmse,
                    s.mae,
                    s.nasa_per_100.map_or("-".to_string(), |v| format!("{v:.1}")),
                    s.band_coverage * 100.0
                ),
                (None, error) => writeln!(out, "  {:<52} failed: {}", t.learner, error.as_deref().unwrap_or("?")),
            };
        }
        let _ = writeln!(out, "  band: P10 = P50 {:+.1}, P90 = P50 {:+.1}", c.band.0, c.band.1);
    }
    out
}
