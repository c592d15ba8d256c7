//! `carvrooom evaluate`: simulate a fleet, run it through the dataflow
//! offline, score the output against the ground truth, and write the
//! table, the JSON report and the plot.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use operators::prognostics::ModelSlot;

use crate::offline::{OfflineOptions, OfflineRecord, default_settings, run_into};
use crate::simulate::{SimSpan, SimulateOptions, Simulation};

use super::error::EvaluateError;
use super::metrics::{FaultTruth, Inputs, rul_points, scores};
use super::observe::Observer;
use super::plot::{DEFAULT_FONT, draw};
use super::report::{Report, RunInfo};

/// Most points drawn in the plot.
const PLOT_POINTS: usize = 20_000;

/// The simulated fleet an evaluation or a training run uses.
#[derive(Clone, Debug, clap::Args)]
pub struct FleetArgs {
    /// Simulated vehicles.
    #[arg(long, default_value_t = 200)]
    pub vehicles: usize,
    /// Fleets the vehicles are spread over.
    #[arg(long, default_value_t = 2)]
    pub fleets: usize,
    /// Simulated days (faults are planned over the same span).
    #[arg(long, default_value_t = 60)]
    pub days: u64,
    /// Simulator seed: the same seed and options give the same fleet.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Share of vehicles with a planted fault.
    #[arg(long, default_value_t = 0.5)]
    pub degrade_share: f64,
    /// Share of vehicles that go offline and upload their buffer on reconnect.
    #[arg(long, default_value_t = 0.2)]
    pub offline_share: f64,
    /// Physics tick of the simulator.
    #[arg(long, default_value = "60s")]
    pub tick: SimSpan,
    /// Time between two messages of one vehicle (a multiple of the tick).
    #[arg(long, default_value = "10m")]
    pub report_every: SimSpan,
    /// Event time of the first reading, RFC 3339.
    #[arg(long, default_value = "2026-01-05T00:00:00Z")]
    pub start: DateTime<Utc>,
}

impl FleetArgs {
    /// The simulator options of this fleet.
    pub fn simulate_options(&self) -> SimulateOptions {
        let span = SimSpan::seconds(self.days.saturating_mul(86_400));
        SimulateOptions {
            vehicles: self.vehicles,
            fleets: self.fleets,
            messages: None,
            duration: Some(span),
            horizon: Some(span),
            seed: self.seed,
            degrade_share: self.degrade_share,
            offline_share: self.offline_share,
            start: Some(self.start),
            tick: self.tick,
            report_every: Some(self.report_every),
            progress: false,
            ..SimulateOptions::default()
        }
    }
}

/// The options of `carvrooom evaluate`.
#[derive(Clone, Debug, clap::Args)]
pub struct EvaluateArgs {
    /// The simulated fleet.
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// Records per dataflow epoch.
    #[arg(long, default_value_t = 10_000)]
    pub records_per_epoch: usize,
    /// Write the report as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Draw predicted versus true RUL to this PNG file.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// TrueType font for the plot's labels.
    #[arg(long, default_value = DEFAULT_FONT)]
    pub plot_font: PathBuf,
    /// Write the ground truth CSV to this file.
    #[arg(long)]
    pub truth: Option<PathBuf>,
    /// Trained model file to evaluate (default: rules-v3 only).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Simulates, runs the dataflow and scores: the report (nothing written).
pub fn evaluate(args: &EvaluateArgs) -> Result<(Report, Inputs), EvaluateError> {
    let options = args.fleet.simulate_options();
    let mut simulation = Simulation::new(&options)?;
    let planned = simulation.planned();
    let keep: BTreeSet<_> = planned.iter().map(|(vehicle, _, mode)| (vehicle.clone(), mode.component())).collect();
    let decoders = crate::app::load_decoders(None, None).map_err(|e| EvaluateError::Decoders(format!("{e:#}")))?;
    let model = match &args.model {
        Some(path) => Some(crate::model_file::load(path)?),
        None => None,
    };
    let records = simulation.by_ref().enumerate().map(|(i, m)| {
        if i > 0 && i % 200_000 == 0 {
            tracing::info!(messages = i, "evaluating");
        }
        OfflineRecord { key: m.key, payload: m.payload, append_ms: m.sent_ms }
    });
    let offline = OfflineOptions { records_per_epoch: args.records_per_epoch, keep_changes: false };
    let (observer, counts) =
        run_into(records, default_settings(decoders, ModelSlot::new(model)), offline, Observer::new(keep));
    tracing::info!(messages = counts.records, seconds = counts.elapsed_ms / 1000, "dataflow done");
    let truth = simulation.truth();
    if let Some(path) = &args.truth {
        crate::simulate::write_file(path, &truth)?;
    }
    let start_ms = options.start_ms();
    let end_ms = start_ms.saturating_add(i64::try_from(args.fleet.days.saturating_mul(86_400_000)).unwrap_or(i64::MAX));
    let faults: Vec<FaultTruth> = truth
        .iter()
        .map(|t| FaultTruth {
            vehicle_id: t.vehicle_id.clone(),
            component: t.component(),
            mode: t.mode.as_str().to_string(),
            onset: (t.onset_ms, t.onset_odometer_km),
            failure: t.failure_ms.zip(t.failure_odometer_km),
        })
        .collect();
    let (readings, dead_letters) = observer.counts();
    let run = RunInfo {
        seed: args.fleet.seed,
        vehicles: args.fleet.vehicles,
        days: args.fleet.days as f64,
        tick_s: args.fleet.tick.secs,
        report_every_s: args.fleet.report_every.secs,
        degrade_share: args.fleet.degrade_share,
        offline_share: args.fleet.offline_share,
        messages: counts.records,
        readings,
        dead_letters,
        scored_rows: observer.kept_rows(),
        models: observer.models(),
        faults: (planned.len(), faults.len(), faults.iter().filter(|f| f.failure.is_some()).count()),
    };
    let inputs = Inputs {
        vehicles: observer.vehicles(),
        span_ms: (start_ms, end_ms),
        faults,
        rows: observer.rows(),
        alerts: observer.alerts(),
    };
    Ok((Report::new(run, scores(&inputs)), inputs))
}

/// `carvrooom evaluate`: prints the table and writes the JSON and the plot asked for.
pub fn run(args: &EvaluateArgs) -> Result<Report, EvaluateError> {
    let (report, inputs) = evaluate(args)?;
    println!("{report}");
    if let Some(path) = &args.json {
        let fail = |source| EvaluateError::Json { path: path.clone(), source };
        let text = serde_json::to_string_pretty(&report).map_err(|e| fail(e.into()))?;
        std::fs::write(path, text + "\n").map_err(fail)?;
    }
    if let Some(path) = &args.plot {
        let with_prediction = report.scores.rul.iter().map(|b| (b.coverage * b.rows as f64).round() as usize).sum();
        let step = usize::max(1, usize::div_ceil(with_prediction, PLOT_POINTS));
        let points = rul_points(&inputs, step);
        let title = format!(
            "predicted vs true RUL, {} ({} vehicles × {} d, seed {})",
            report.run.models.join(","),
            args.fleet.vehicles,
            args.fleet.days,
            args.fleet.seed
        );
        draw(path, &points, &title, &args.plot_font)?;
    }
    Ok(report)
}
