//! `carvrooom train fleet`: simulate a fleet with ground truth, take every
//! component's windows from the live operators, label them with the true
//! RUL, and fit one model per component (linfa, whole vehicles held out).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use rand::rngs::StdRng;
use sha2::{Digest, Sha256};

use operators::gate::GateConfig;
use operators::health::HealthConfig;
use operators::prognostics::fit::{Learner, Sample, Training, train};
use operators::prognostics::model::TrainingData;
use operators::prognostics::pls;
use operators::prognostics::{FeatureSpec, Input, Model, Stat, extract};
use schemas::Component;

use super::assemble::assemble;
use super::label::rul_label;
use crate::cmapss::train::report;
use crate::evaluate::FleetArgs;
use crate::offline::OfflineRecord;
use crate::simulate::Simulation;
use crate::windows::{Trails, window_points};

/// Most samples a kernel or neighbours learner is fitted on (its prediction cost grows with them).
const KERNEL_SAMPLES: usize = 2_000;

/// Options of `carvrooom train fleet`.
#[derive(Clone, Debug, clap::Args)]
pub struct FleetTrainArgs {
    /// The simulated training fleet (use another seed than the evaluation's).
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// Where to write the model file.
    #[arg(long)]
    pub model: PathBuf,
    /// Windows the features look back over (10-minute windows: 36 = 6 h).
    #[arg(long, default_value_t = 36)]
    pub windows: usize,
    /// RUL labels are capped here, km; the health indicator is the P50 as a share of it.
    #[arg(long, default_value_t = 5_000.0)]
    pub cap_km: f64,
    /// Keep every this-many-th window of a component as a sample.
    #[arg(long, default_value_t = 12)]
    pub every: usize,
    /// Cross-validation folds (whole vehicle components held out).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Try only the linear learners.
    #[arg(long)]
    pub quick: bool,
}

/// The feature spec of a fleet model: level, slope, spread and latest value
/// of the rules score and the primary signal's mean and worst value, the
/// exceedance rate and DTC presence.
pub fn spec(windows: usize) -> FeatureSpec {
    FeatureSpec {
        windows,
        inputs: vec![Input::Score, Input::Mean, Input::Worst],
        stats: vec![Stat::Level, Stat::Slope, Stat::Std, Stat::Last],
        recent: Vec::new(),
        exceedance_rate: true,
        dtc_presence: true,
        usage: false,
    }
}

/// Samples of `component` from every vehicle's trail: one per `every`
/// windows with a known label (see [`rul_label`]); the asset is the vehicle.
pub fn samples(
    trails: &Trails,
    component: Component,
    failures: &BTreeMap<(String, Component), f64>,
    spec: &FeatureSpec,
    cap_km: f64,
    every: usize,
) -> Vec<Sample> {
    let mut out = Vec::new();
    for (asset, ((_, vehicle, c), points)) in trails.iter().enumerate() {
        if *c != component {
            continue;
        }
        let failure = failures.get(&(vehicle.to_string(), component)).copied();
        let last_km = points.iter().filter_map(|p| p.odometer_km).map(|v| v.get()).fold(f64::MIN, f64::max);
        for t in (0..points.len()).step_by(every.max(1)) {
            let Some(y) = rul_label(points[t].odometer_km.map(|v| v.get()), failure, last_km, cap_km) else { continue };
            if let Some(x) = extract(spec, &points[..=t]) {
                out.push(Sample { asset: asset as u64, x, y });
            }
        }
    }
    out
}

/// The learners tried for `n` samples of `features` features.
pub fn learners(n: usize, features: usize, cap_km: f64, quick: bool) -> Vec<Learner> {
    let mut all = vec![Learner::Linear, Learner::ElasticNet { penalty: 1.0, l1_ratio: 0.5 }];
    all.extend(pls::grid(features));
    if !quick {
        let stride = n.div_ceil(KERNEL_SAMPLES).max(1);
        all.push(Learner::Neighbours { k: 25, stride });
        all.push(Learner::Svr { c: cap_km * 2.0, epsilon: cap_km / 50.0, width: features as f64, stride });
    }
    all
}

/// Every held-out sample is predicted.
fn every_sample(held: &[&Sample], _: &mut StdRng) -> Vec<usize> {
    (0..held.len()).collect()
}

/// Simulates, fits, reports and saves the model.
pub fn run(args: &FleetTrainArgs) -> anyhow::Result<Model> {
    let options = args.fleet.simulate_options();
    let mut simulation = Simulation::new(&options)?;
    let records: Vec<OfflineRecord> =
        simulation.by_ref().map(|m| OfflineRecord { key: m.key, payload: m.payload, append_ms: m.sent_ms }).collect();
    let mut digest = Sha256::new();
    for r in &records {
        digest.update(&r.payload);
    }
    let decoders = crate::app::load_decoders(None, None)?;
    tracing::info!(messages = records.len(), "simulated; scoring windows");
    let trails = window_points(records, decoders, GateConfig::default(), HealthConfig::default());
    let failures: BTreeMap<(String, Component), f64> = simulation
        .truth()
        .into_iter()
        .filter_map(|t| Some(((t.vehicle_id.clone(), t.component()), t.failure_odometer_km?)))
        .collect();
    let spec = spec(args.windows);
    let mut components = Vec::new();
    let mut total = 0;
    for component in Component::ALL.into_iter().filter(|c| *c != Component::Turbofan) {
        let samples = samples(&trails, component, &failures, &spec, args.cap_km, args.every);
        if !samples.iter().any(|s| s.y < args.cap_km) {
            tracing::info!(%component, "no failure to learn from; the component keeps rules-v3");
            continue;
        }
        total += samples.len();
        tracing::info!(%component, samples = samples.len(), "fitting");
        let learners = learners(samples.len(), spec.names().len(), args.cap_km, args.quick);
        let training = Training {
            component,
            spec: spec.clone(),
            cap: args.cap_km,
            learners: &learners,
            folds: args.folds,
            seed: args.fleet.seed,
            nasa: false,
            pick: &every_sample,
        };
        components.push(train(&training, &samples).with_context(|| format!("fitting {component}"))?);
    }
    let training = TrainingData {
        source: format!(
            "simulated fleet: {} vehicles × {} days, seed {}, degrade share {}",
            args.fleet.vehicles, args.fleet.days, args.fleet.seed, args.fleet.degrade_share
        ),
        sha256: hex::encode(digest.finalize()),
        samples: total,
        assets: trails.len(),
    };
    let model = assemble("fleet", "km", training, components);
    crate::model_file::save(&args.model, &model)?;
    println!("{}", report(&model));
    Ok(model)
}
