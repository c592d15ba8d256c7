//! The evaluation report: what was run, the scores and whether they meet
//! the targets, as a terminal table and as JSON.

use std::fmt;

use serde::Serialize;

use super::metrics::{CaughtAhead, LEAD_DAYS, LEAD_KM, Scores};

/// Share of failures that must be caught at least [`LEAD_KM`] ahead.
pub const TARGET_CAUGHT_KM: f64 = 0.95;
/// Most false alerts per 1 000 healthy vehicle-days.
pub const TARGET_FALSE_PER_1000: f64 = 10.0;

/// What was simulated and run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RunInfo {
    /// Simulator seed.
    pub seed: u64,
    /// Vehicles.
    pub vehicles: usize,
    /// Simulated days.
    pub days: f64,
    /// Physics tick, s.
    pub tick_s: u64,
    /// Time between two messages of one vehicle, s.
    pub report_every_s: u64,
    /// Share of vehicles with a planted fault.
    pub degrade_share: f64,
    /// Share of vehicles that go offline and upload in bursts.
    pub offline_share: f64,
    /// Messages fed to the dataflow.
    pub messages: u64,
    /// Readings accepted.
    pub readings: u64,
    /// Dead letters.
    pub dead_letters: u64,
    /// Health rows kept for scoring (the faulty components').
    pub scored_rows: usize,
    /// Scoring models seen on those rows.
    pub models: Vec<String>,
    /// Faults planted, started within the run, and failed within the run.
    pub faults: (usize, usize, usize),
}

/// Whether the scores meet the targets.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Targets {
    /// Share caught ≥ 1 000 km ahead reaches [`TARGET_CAUGHT_KM`].
    pub caught_km: bool,
    /// False alerts per 1 000 healthy vehicle-days at most [`TARGET_FALSE_PER_1000`].
    pub false_alerts: bool,
}

/// The whole report.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    /// The run.
    pub run: RunInfo,
    /// The scores.
    pub scores: Scores,
    /// Targets met.
    pub targets: Targets,
}

impl Report {
    /// A report with its targets judged.
    pub fn new(run: RunInfo, scores: Scores) -> Report {
        let targets = Targets {
            caught_km: scores.caught.failures > 0 && scores.caught.share_km >= TARGET_CAUGHT_KM,
            false_alerts: scores.false_alerts.per_1000_healthy_vehicle_days <= TARGET_FALSE_PER_1000,
        };
        Report { run, scores, targets }
    }
}

fn opt(value: Option<f64>, decimals: usize) -> String {
    value.map_or("-".to_string(), |v| format!("{v:.decimals$}"))
}

fn caught_line(f: &mut fmt::Formatter<'_>, name: &str, c: &CaughtAhead) -> fmt::Result {
    writeln!(
        f,
        "  {name:<22} {:>5} {:>6} {:>7.1}% {:>7.1}% {:>7.1}% {:>9} {:>9}",
        c.failures,
        c.warned,
        100.0 * c.share_km,
        100.0 * c.share_days,
        100.0 * c.share_both,
        opt(c.median_lead_days, 1),
        opt(c.median_lead_km, 0),
    )
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.run;
        let s = &self.scores;
        writeln!(
            f,
            "evaluation: seed {}, {} vehicles × {} days, {} messages, {} readings, {} dead letters, models {}",
            r.seed,
            r.vehicles,
            r.days,
            r.messages,
            r.readings,
            r.dead_letters,
            r.models.join(",")
        )?;
        writeln!(f, "faults: {} planted, {} started, {} failed within the run", r.faults.0, r.faults.1, r.faults.2)?;
        writeln!(f)?;
        writeln!(f, "(a) failures caught ahead (first degraded/critical row after onset)")?;
        writeln!(
            f,
            "  {:<22} {:>5} {:>6} {:>8} {:>8} {:>8} {:>9} {:>9}",
            "",
            "fails",
            "warned",
            format!("≥{LEAD_KM:.0}km"),
            format!("≥{LEAD_DAYS:.0}d"),
            "both",
            "med.lead d",
            "med.km"
        )?;
        caught_line(f, "all failures", &s.caught)?;
        caught_line(f, "eligible (≥7 d, ≥1000 km)", &s.caught_eligible)?;
        for (mode, c) in &s.caught_by_mode {
            caught_line(f, mode, c)?;
        }
        let fa = &s.false_alerts;
        writeln!(f)?;
        writeln!(
            f,
            "(b) alerts: {} total, {} true, {} secondary, {} false over {:.0} healthy vehicle-days = {:.2} per 1 000",
            fa.alerts,
            fa.true_alerts,
            fa.secondary,
            fa.false_alerts,
            fa.healthy_vehicle_days,
            fa.per_1000_healthy_vehicle_days
        )?;
        if !fa.false_by_component.is_empty() {
            let parts: Vec<String> = fa.false_by_component.iter().map(|(c, n)| format!("{c} {n}")).collect();
            writeln!(f, "    false by component: {}", parts.join(", "))?;
        }
        writeln!(f)?;
        writeln!(f, "(c) RUL error by true remaining km (rows from onset to failure)")?;
        writeln!(
            f,
            "  {:<14} {:>8} {:>8} {:>10} {:>8} {:>9} {:>8}",
            "true km", "rows", "covered", "MAE km", "rel km", "MAE days", "rel days"
        )?;
        for b in &s.rul {
            let range = match b.to_km {
                Some(to) => format!("{:.0}–{to:.0}", b.from_km),
                None => format!("≥{:.0}", b.from_km),
            };
            writeln!(
                f,
                "  {range:<14} {:>8} {:>7.1}% {:>10} {:>8} {:>9} {:>8}",
                b.rows,
                100.0 * b.coverage,
                opt(b.mae_km, 0),
                opt(b.relative_km, 2),
                opt(b.mae_days, 1),
                opt(b.relative_days, 2)
            )?;
        }
        writeln!(f)?;
        let mark = |ok: bool| if ok { "met" } else { "MISSED" };
        writeln!(
            f,
            "targets: caught ≥1000 km ahead {:.1}% (≥ {:.0}%: {}), false alerts {:.2} per 1 000 healthy vehicle-days (≤ {:.0}: {})",
            100.0 * s.caught.share_km,
            100.0 * TARGET_CAUGHT_KM,
            mark(self.targets.caught_km),
            fa.per_1000_healthy_vehicle_days,
            TARGET_FALSE_PER_1000,
            mark(self.targets.false_alerts)
        )
    }
}
