//! The scores of an evaluation, computed from the ground truth and what the
//! pipeline emitted — pure functions, no IO.
//!
//! - **Caught ahead** (per failure inside the run): the *warning* is the
//!   first health row of the failing (vehicle, component) at or after the
//!   fault's onset and before the failure whose band is degraded or
//!   critical — the moment an alert is open. Lead = failure time (km) minus
//!   the warning's time (odometer). A failure is caught ≥ 1 000 km ahead,
//!   ≥ 7 days ahead, and *both* when each lead reaches its bar; no warning
//!   is a miss. *Eligible* failures are those a detector could catch at
//!   all: onset at least 7 days and 1 000 km before the failure.
//! - **False alerts** (per alert in the final output): an alert is *true*
//!   when its (vehicle, component) has a planted fault that had started
//!   when the alert opened; *secondary* when the vehicle has another
//!   fault that had started (a symptom elsewhere, e.g. engine oil heat
//!   from a cooling fault); otherwise *false* (no fault, or before
//!   onset). The rate is per 1 000 healthy vehicle-days: each vehicle's
//!   time in the run before its first fault onset.
//! - **RUL error** (per health row of a failing component, from onset to
//!   failure): true remaining km = failure odometer − row odometer, true
//!   days = failure time − row time. Rows are grouped by true km into the
//!   [`HORIZONS_KM`] buckets; per bucket the share of rows with a
//!   prediction, the mean absolute error (km, days) and the relative error
//!   (MAE over the mean true value).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use schemas::{Band, Component};

/// Lead distance a warning must reach, km.
pub const LEAD_KM: f64 = 1_000.0;
/// Lead time a warning must reach, days.
pub const LEAD_DAYS: f64 = 7.0;
/// Bucket edges of true remaining km for the RUL error (the last is open).
pub const HORIZONS_KM: [f64; 4] = [0.0, 1_000.0, 3_000.0, 10_000.0];

const DAY_MS: f64 = 86_400_000.0;

/// A planted fault that started in the run.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultTruth {
    /// The vehicle.
    pub vehicle_id: String,
    /// The component it wears out.
    pub component: Component,
    /// The degradation mode's name.
    pub mode: String,
    /// Onset, ms and km.
    pub onset: (i64, f64),
    /// Failure inside the run, ms and km (`None`: not within the run).
    pub failure: Option<(i64, f64)>,
}

/// One health row of a faulty component as the metrics need it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowPoint {
    /// Window end, ms.
    pub ts_ms: i64,
    /// Band.
    pub band: Band,
    /// Odometer, km.
    pub odometer_km: Option<f64>,
    /// Predicted RUL, km.
    pub rul_km: Option<f64>,
    /// Predicted RUL, days.
    pub rul_days: Option<f64>,
}

/// One alert as the metrics need it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertPoint {
    /// The vehicle.
    pub vehicle_id: String,
    /// The component.
    pub component: Component,
    /// When it opened, ms.
    pub opened_ms: i64,
}

/// Everything the scores are computed from.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Every vehicle of the run.
    pub vehicles: Vec<String>,
    /// The run's event-time span, ms `[start, end)`.
    pub span_ms: (i64, i64),
    /// The planted faults that started.
    pub faults: Vec<FaultTruth>,
    /// Health rows per faulty (vehicle, component), any order.
    pub rows: BTreeMap<(String, Component), Vec<RowPoint>>,
    /// Every alert of the final output.
    pub alerts: Vec<AlertPoint>,
}

/// One failure's warning.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Detection {
    /// The vehicle.
    pub vehicle_id: String,
    /// The component.
    pub component: Component,
    /// The mode.
    pub mode: String,
    /// Days and km from onset to failure.
    pub onset_to_failure: (f64, f64),
    /// Lead of the first warning, days and km (`None`: missed).
    pub lead: Option<(f64, f64)>,
}

/// Share of failures caught ahead, over one set of failures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CaughtAhead {
    /// Failures counted.
    pub failures: usize,
    /// Failures with any warning before the failure.
    pub warned: usize,
    /// Caught at least [`LEAD_KM`] ahead.
    pub km: usize,
    /// Caught at least [`LEAD_DAYS`] ahead.
    pub days: usize,
    /// Caught both ahead.
    pub both: usize,
    /// `km / failures`.
    pub share_km: f64,
    /// `days / failures`.
    pub share_days: f64,
    /// `both / failures`.
    pub share_both: f64,
    /// Median lead of the warned failures, days.
    pub median_lead_days: Option<f64>,
    /// Median lead of the warned failures, km.
    pub median_lead_km: Option<f64>,
}

/// Alerts judged against the truth.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FalseAlerts {
    /// Alerts in the final output.
    pub alerts: usize,
    /// On a component whose fault had started.
    pub true_alerts: usize,
    /// On another component of a vehicle whose fault had started.
    pub secondary: usize,
    /// Neither.
    pub false_alerts: usize,
    /// False alerts per component.
    pub false_by_component: BTreeMap<String, usize>,
    /// The false alerts.
    pub false_list: Vec<AlertPoint>,
    /// Vehicle-days before any fault onset.
    pub healthy_vehicle_days: f64,
    /// `false_alerts` per 1 000 healthy vehicle-days.
    pub per_1000_healthy_vehicle_days: f64,
}

/// RUL error over one bucket of true remaining km.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RulBucket {
    /// Lower edge, km.
    pub from_km: f64,
    /// Upper edge, km (`None`: open).
    pub to_km: Option<f64>,
    /// Rows whose true RUL falls in the bucket.
    pub rows: usize,
    /// Share of them with a predicted `rul_km`.
    pub coverage: f64,
    /// Mean absolute error of `rul_km`, km.
    pub mae_km: Option<f64>,
    /// `mae_km` over the mean true km.
    pub relative_km: Option<f64>,
    /// Rows with a predicted `rul_days`.
    pub rows_days: usize,
    /// Mean absolute error of `rul_days`, days.
    pub mae_days: Option<f64>,
    /// `mae_days` over the mean true days.
    pub relative_days: Option<f64>,
}

/// One point of the predicted-versus-true RUL plot, km.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RulPoint {
    /// True remaining km.
    pub true_km: f64,
    /// Predicted remaining km.
    pub predicted_km: f64,
}

/// Every score of an evaluation.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Over every failure inside the run.
    pub caught: CaughtAhead,
    /// Over the eligible failures.
    pub caught_eligible: CaughtAhead,
    /// Per mode, over every failure.
    pub caught_by_mode: BTreeMap<String, CaughtAhead>,
    /// Alerts judged.
    pub false_alerts: FalseAlerts,
    /// RUL error per bucket of true km.
    pub rul: Vec<RulBucket>,
    /// Every failure and its warning.
    pub detections: Vec<Detection>,
}

/// The median of `values` (mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

/// The first degraded or critical row in `[onset, failure)` and its odometer
/// (the row's own, else the latest earlier one).
fn warning(rows: &[RowPoint], onset_ms: i64, failure_ms: i64) -> Option<(i64, f64)> {
    let mut odometer = None;
    for row in rows {
        odometer = row.odometer_km.or(odometer);
        if row.ts_ms >= onset_ms && row.ts_ms < failure_ms && row.band >= Band::Degraded {
            return odometer.map(|km| (row.ts_ms, km));
        }
    }
    None
}

/// Each failure inside the run with the lead of its warning.
pub fn detections(inputs: &Inputs) -> Vec<Detection> {
    let empty = Vec::new();
    inputs
        .faults
        .iter()
        .filter_map(|f| {
            let (failure_ms, failure_km) = f.failure?;
            let mut rows = inputs.rows.get(&(f.vehicle_id.clone(), f.component)).unwrap_or(&empty).clone();
            rows.sort_by_key(|r| r.ts_ms);
            let lead = warning(&rows, f.onset.0, failure_ms)
                .map(|(ts, km)| ((failure_ms - ts) as f64 / DAY_MS, failure_km - km));
            Some(Detection {
                vehicle_id: f.vehicle_id.clone(),
                component: f.component,
                mode: f.mode.clone(),
                onset_to_failure: ((failure_ms - f.onset.0) as f64 / DAY_MS, failure_km - f.onset.1),
                lead,
            })
        })
        .collect()
}

/// The caught-ahead shares over `detections`.
pub fn caught_ahead<'a>(detections: impl IntoIterator<Item = &'a Detection>) -> CaughtAhead {
    let mut c = CaughtAhead::default();
    let (mut days, mut km) = (Vec::new(), Vec::new());
    for d in detections {
        c.failures += 1;
        if let Some((lead_days, lead_km)) = d.lead {
            c.warned += 1;
            days.push(lead_days);
            km.push(lead_km);
            let (by_km, by_days) = (lead_km >= LEAD_KM, lead_days >= LEAD_DAYS);
            c.km += usize::from(by_km);
            c.days += usize::from(by_days);
            c.both += usize::from(by_km && by_days);
        }
    }
    c.share_km = share(c.km, c.failures);
    c.share_days = share(c.days, c.failures);
    c.share_both = share(c.both, c.failures);
    c.median_lead_days = median(&mut days);
    c.median_lead_km = median(&mut km);
    c
}

/// Alerts judged against the faults, and the healthy vehicle-days.
pub fn false_alerts(inputs: &Inputs) -> FalseAlerts {
    let onset: BTreeMap<(&str, Component), i64> =
        inputs.faults.iter().map(|f| ((f.vehicle_id.as_str(), f.component), f.onset.0)).collect();
    let mut first_onset: BTreeMap<&str, i64> = BTreeMap::new();
    for f in &inputs.faults {
        let first = first_onset.entry(&f.vehicle_id).or_insert(f.onset.0);
        *first = (*first).min(f.onset.0);
    }
    let mut out = FalseAlerts { alerts: inputs.alerts.len(), ..FalseAlerts::default() };
    for a in &inputs.alerts {
        if onset.get(&(a.vehicle_id.as_str(), a.component)).is_some_and(|t| a.opened_ms >= *t) {
            out.true_alerts += 1;
        } else if first_onset.get(a.vehicle_id.as_str()).is_some_and(|t| a.opened_ms >= *t) {
            out.secondary += 1;
        } else {
            out.false_alerts += 1;
            *out.false_by_component.entry(a.component.to_string()).or_default() += 1;
            out.false_list.push(a.clone());
        }
    }
    let (start, end) = inputs.span_ms;
    let vehicles: BTreeSet<&str> = inputs.vehicles.iter().map(String::as_str).collect();
    out.healthy_vehicle_days = vehicles
        .iter()
        .map(|v| {
            let until = first_onset.get(v).map_or(end, |t| (*t).clamp(start, end));
            (until - start) as f64 / DAY_MS
        })
        .sum();
    out.per_1000_healthy_vehicle_days =
        if out.healthy_vehicle_days > 0.0 { 1_000.0 * out.false_alerts as f64 / out.healthy_vehicle_days } else { 0.0 };
    out
}

/// `(true, predicted)` RUL pairs, km and days, of the rows of failing
/// components between onset and failure, as `(true_km, true_days, row)`.
fn rul_rows(inputs: &Inputs) -> Vec<(f64, f64, RowPoint)> {
    let mut out = Vec::new();
    for f in &inputs.faults {
        let Some((failure_ms, failure_km)) = f.failure else { continue };
        let Some(rows) = inputs.rows.get(&(f.vehicle_id.clone(), f.component)) else { continue };
        for row in rows {
            if row.ts_ms < f.onset.0 || row.ts_ms >= failure_ms {
                continue;
            }
            if let Some(km) = row.odometer_km {
                out.push(((failure_km - km).max(0.0), (failure_ms - row.ts_ms) as f64 / DAY_MS, *row));
            }
        }
    }
    out
}

/// RUL error per bucket of true remaining km.
pub fn rul_error(inputs: &Inputs) -> Vec<RulBucket> {
    let rows = rul_rows(inputs);
    (0..HORIZONS_KM.len())
        .map(|i| {
            let (from, to) = (HORIZONS_KM[i], HORIZONS_KM.get(i + 1).copied());
            let inside: Vec<&(f64, f64, RowPoint)> =
                rows.iter().filter(|(km, _, _)| *km >= from && to.is_none_or(|t| *km < t)).collect();
            let km: Vec<(f64, f64)> = inside.iter().filter_map(|(t, _, r)| r.rul_km.map(|p| (*t, p))).collect();
            let days: Vec<(f64, f64)> = inside.iter().filter_map(|(_, t, r)| r.rul_days.map(|p| (*t, p))).collect();
            let (mae_km, relative_km) = errors(&km);
            let (mae_days, relative_days) = errors(&days);
            RulBucket {
                from_km: from,
                to_km: to,
                rows: inside.len(),
                coverage: share(km.len(), inside.len()),
                mae_km,
                relative_km,
                rows_days: days.len(),
                mae_days,
                relative_days,
            }
        })
        .collect()
}

/// Mean absolute error of `(true, predicted)` pairs, and it over the mean true value.
fn errors(pairs: &[(f64, f64)]) -> (Option<f64>, Option<f64>) {
    if pairs.is_empty() {
        return (None, None);
    }
    let n = pairs.len() as f64;
    let mae = pairs.iter().map(|(t, p)| (p - t).abs()).sum::<f64>() / n;
    let mean_true = pairs.iter().map(|(t, _)| t).sum::<f64>() / n;
    (Some(mae), (mean_true > 0.0).then(|| mae / mean_true))
}

/// Predicted-versus-true RUL points, km, every `step`-th row with a prediction.
pub fn rul_points(inputs: &Inputs, step: usize) -> Vec<RulPoint> {
    rul_rows(inputs)
        .into_iter()
        .filter_map(|(true_km, _, row)| row.rul_km.map(|predicted_km| RulPoint { true_km, predicted_km }))
        .step_by(step.max(1))
        .collect()
}

/// Every score.
pub fn scores(inputs: &Inputs) -> Scores {
    let detections = detections(inputs);
    let eligible = detections.iter().filter(|d| d.onset_to_failure.0 >= LEAD_DAYS && d.onset_to_failure.1 >= LEAD_KM);
    let mut by_mode: BTreeMap<String, Vec<&Detection>> = BTreeMap::new();
    for d in &detections {
        by_mode.entry(d.mode.clone()).or_default().push(d);
    }
    Scores {
        caught: caught_ahead(&detections),
        caught_eligible: caught_ahead(eligible),
        caught_by_mode: by_mode.into_iter().map(|(mode, ds)| (mode, caught_ahead(ds))).collect(),
        false_alerts: false_alerts(inputs),
        rul: rul_error(inputs),
        detections,
    }
}
