//! degrade: bands with hysteresis, band transitions and remaining useful
//! life, per (fleet, vehicle, component), from the window scores of `health`.
//!
//! Each (fleet, vehicle, component) is walked over its windows in event-time
//! order (never ingestion order), so the history depends only on the data: a
//! late or corrected window recomputes the component's open rows and only
//! the rows that changed are emitted. Windows that are final ([`Finality`])
//! are folded into the walk's state (band, trend points) and forgotten.
//!
//! * **Band.** Thresholds on the score: healthy ≥ 80, watch ≥ 60, degraded
//!   ≥ 40, else critical. Worsening is immediate; a band improves only when
//!   the score clears the better band's threshold by the hysteresis margin
//!   (default 5), so a score hovering at a threshold does not flap.
//! * **RUL.** Least squares of score against odometer over `trend_windows`
//!   points: the current window's, and before it windows that carry an
//!   odometer and lie at least `trend_spacing_km` apart (walking forward, a
//!   newest point within that distance of the one before it gives way to the
//!   next window), so the trend spans the distance slow wear shows over, not
//!   the last two hours. Extrapolated to `failure_score`: `rul_km` is the
//!   distance from the latest odometer to the crossing (0 when already
//!   crossed; `None` when the fit is not declining or there is no usage).
//!   `rul_days` divides it by the vehicle's km per day over those points
//!   (odometer against window end time), `None` when it moves less than
//!   `min_km_per_day`.
//! * **Fast wear.** With rules-v3 (no model), a healthy or watch-band
//!   component whose trend over the spaced points alone (the current window
//!   only once it is `trend_spacing_km` past the last) reaches the failure
//!   score within `fast_rul_km` is degraded: a sticking caliper or a
//!   fouling radiator wears too fast to wait for the score. The spaced
//!   points keep a battery's sag while parked (no distance) from counting.
//!   The newest `recent_points` of them are fitted too: a wear that just
//!   sped up shows in them before the full fit follows it, since that one
//!   still averages in the older, flatter points. Four points fit noise as
//!   readily as wear, so their decline counts only when its slope lies
//!   `recent_min_t` standard errors or more below zero.
//! * **Transitions.** One per band change between consecutive windows, and
//!   one with `from: None` for the component's first window.

pub(crate) mod kept;

use std::collections::VecDeque;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use schemas::{Band, Component, HealthRow, Id, Transition, TsMs, Value};

use crate::finality::Finality;
use crate::health::{MODEL_VERSION, WindowScore, local_version};
use crate::open_history::{Before, Components, HistoryId, Walker};
use crate::per_vehicle::per_vehicle;
pub use crate::prognostics::WindowPoint;
use crate::prognostics::{Model, ModelSlot, Prognosis};
use crate::split::split;

use crate::Coll;
use kept::{Figures, Kept, KeptChange, KeptRow};

/// Band thresholds, hysteresis and RUL settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DegradeConfig {
    /// Lowest score of the healthy band.
    pub healthy: f64,
    /// Lowest score of the watch band.
    pub watch: f64,
    /// Lowest score of the degraded band (below it: critical).
    pub degraded: f64,
    /// How far a score must clear a better band's threshold before the band improves.
    pub margin: f64,
    /// The score at which the component is considered failed (the RUL target).
    pub failure_score: f64,
    /// How many points the RUL trend is fitted over: the latest window's, and
    /// before it windows that lie at least `trend_spacing_km` apart.
    pub trend_windows: usize,
    /// Least distance between two points of the RUL trend, km (the newest
    /// point excepted), so the trend spans the distance a slow wear shows
    /// over rather than the last few windows.
    pub trend_spacing_km: f64,
    /// A healthy or watch-band component whose rules trend over points this
    /// far apart reaches the failure score within this distance, km, is
    /// degraded (an alert): it wears too fast to wait for its score.
    pub fast_rul_km: f64,
    /// How many of the newest spaced points a second fast-wear fit reads, so
    /// that a wear that just sped up is not averaged with the flat points
    /// before it (fewer than 3: no second fit).
    pub recent_points: usize,
    /// How many standard errors below zero the slope of that second fit must
    /// lie for its decline to count: noise, not wear, in so few points.
    pub recent_min_t: f64,
    /// Below this usage, km per day, `rul_days` is `None` (the vehicle barely moves).
    pub min_km_per_day: f64,
    /// A trend that reaches the failure score only further out than this, km,
    /// gives no RUL (`None`): a nearly flat score says "not soon", not a number.
    pub max_rul_km: f64,
}

impl Default for DegradeConfig {
    fn default() -> Self {
        DegradeConfig {
            healthy: 80.0,
            watch: 60.0,
            degraded: 40.0,
            margin: 5.0,
            failure_score: 20.0,
            trend_windows: 12,
            trend_spacing_km: 25.0,
            fast_rul_km: 3_000.0,
            recent_points: 4,
            recent_min_t: 2.5,
            min_km_per_day: 1.0,
            max_rul_km: 100_000.0,
        }
    }
}

impl DegradeConfig {
    /// The lowest score of `band`, `None` for critical (it has no floor).
    fn threshold(&self, band: Band) -> Option<f64> {
        match band {
            Band::Healthy => Some(self.healthy),
            Band::Watch => Some(self.watch),
            Band::Degraded => Some(self.degraded),
            Band::Critical => None,
        }
    }

    /// The band of a score without hysteresis.
    pub fn raw_band(&self, score: f64) -> Band {
        Band::ALL.into_iter().find(|b| self.threshold(*b).is_none_or(|t| score >= t)).unwrap_or(Band::Critical)
    }

    /// The band after `previous` given a new score: worsening is immediate,
    /// improving needs the better band's threshold plus the margin.
    pub fn next_band(&self, previous: Option<Band>, score: f64) -> Band {
        let raw = self.raw_band(score);
        match previous {
            Some(prev) if raw < prev => Band::ALL
                .into_iter()
                .filter(|b| *b < prev)
                .find(|b| self.threshold(*b).is_some_and(|t| score >= t + self.margin))
                .unwrap_or(prev),
            _ => raw,
        }
    }

    /// `band` after the rules trend (oldest first): a healthy or watch-band
    /// component whose trend over its spaced points alone (the newest only
    /// once it is `trend_spacing_km` past the one before it), or over the
    /// newest `recent_points` of them with a slope surely below zero,
    /// reaches the failure score within `fast_rul_km` is degraded. The fits
    /// run only for the bands they can change. `trend_rul_km` is the whole
    /// trend's [`rul`] km, which the row has already fitted: it is the spaced
    /// points' whenever the newest point is spaced.
    pub fn escalate(&self, band: Band, trend: &[TrendPoint], trend_rul_km: Option<f64>) -> Band {
        if !matches!(band, Band::Healthy | Band::Watch) {
            return band;
        }
        let newest_replaced = replaces_newest(trend.iter().rev(), self);
        let spaced = if newest_replaced { &trend[..trend.len() - 1] } else { trend };
        // A flat trend (most components, at 100) declines in no fit.
        if spaced.windows(2).all(|pair| pair[0].score == pair[1].score) {
            return band;
        }
        // As `rul` gives them: rounded to 0.1 km.
        let fast = |km: f64| round(km, 10.0) < self.fast_rul_km;
        let spaced_rul_km = if newest_replaced { rul(spaced, self).0 } else { trend_rul_km };
        let recent = &spaced[spaced.len().saturating_sub(self.recent_points)..];
        let recent_fast = || {
            recent.len() == self.recent_points
                && recent.len() > 2
                && Line::fit(recent).is_some_and(|line| {
                    line.slope < -self.recent_min_t * line.slope_error(recent)
                        && line.km_to_failure(recent[recent.len() - 1].km, self).is_some_and(fast)
                })
        };
        if spaced_rul_km.is_some_and(fast) || recent_fast() { Band::Degraded } else { band }
    }
}

/// A point of the RUL trend: odometer (km), score, window end (ms).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrendPoint {
    /// Odometer, km.
    pub km: f64,
    /// Score.
    pub score: f64,
    /// Window end, ms.
    pub end_ms: TsMs,
}

/// The least-squares line of score against odometer through trend points.
struct Line {
    mean_km: f64,
    mean_score: f64,
    /// Σ (km − mean km)².
    sxx: f64,
    /// Score per km.
    slope: f64,
}

impl Line {
    /// The line through `points`; `None` when they do not spread over the odometer.
    fn fit(points: &[TrendPoint]) -> Option<Line> {
        let n = points.len() as f64;
        let mean_km = points.iter().map(|p| p.km).sum::<f64>() / n;
        let mean_score = points.iter().map(|p| p.score).sum::<f64>() / n;
        let sxx: f64 = points.iter().map(|p| (p.km - mean_km).powi(2)).sum();
        let sxy: f64 = points.iter().map(|p| (p.km - mean_km) * (p.score - mean_score)).sum();
        (sxx > 0.0).then(|| Line { mean_km, mean_score, sxx, slope: sxy / sxx })
    }

    /// The fitted score at `km`.
    fn at(&self, km: f64) -> f64 {
        self.mean_score + self.slope * (km - self.mean_km)
    }

    /// The distance from odometer `km` to where the line reaches the failure
    /// score (0 when it already has); `None` when it does not decline, or
    /// reaches it only beyond `max_rul_km`.
    fn km_to_failure(&self, km: f64, config: &DegradeConfig) -> Option<f64> {
        if self.slope >= 0.0 {
            return None;
        }
        let left = ((config.failure_score - self.at(km)) / self.slope).max(0.0);
        (left <= config.max_rul_km).then_some(left)
    }

    /// The standard error of the slope, from the scatter of the `points` it
    /// was fitted to (more than two) about it.
    fn slope_error(&self, points: &[TrendPoint]) -> f64 {
        let residuals: f64 = points.iter().map(|p| (p.score - self.at(p.km)).powi(2)).sum();
        (residuals / (points.len() as f64 - 2.0) / self.sxx).sqrt()
    }
}

/// Remaining useful life `(km, days)` from the trend points (oldest first).
pub fn rul(points: &[TrendPoint], config: &DegradeConfig) -> (Option<f64>, Option<f64>) {
    let (Some(first), Some(last), Some(line)) = (points.first(), points.last(), Line::fit(points)) else {
        return (None, None);
    };
    let Some(km) = line.km_to_failure(last.km, config) else {
        return (None, None);
    };
    (Some(round(km, 10.0)), days_for(km, first, last, config))
}

/// `km` in days at the vehicle's usage per day between two trend points,
/// `None` when it barely moves.
fn days_for(km: f64, first: &TrendPoint, last: &TrendPoint, config: &DegradeConfig) -> Option<f64> {
    let elapsed_days = (last.end_ms - first.end_ms) as f64 / 86_400_000.0;
    let km_per_day = (last.km - first.km) / elapsed_days;
    (elapsed_days > 0.0 && km_per_day >= config.min_km_per_day).then(|| round(km / km_per_day, 100.0))
}

/// Rounds to `1 / per_unit` (e.g. `10.0` rounds to tenths).
fn round(x: f64, per_unit: f64) -> f64 {
    (x * per_unit).round() / per_unit
}

/// What the per-component reduce emits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Degraded {
    /// A health row (one per window).
    Row(HealthRow),
    /// A band change.
    Change(Transition),
}

/// The settings of the walk: the bands and RUL trend, and the model (if any).
#[derive(Clone, Debug, Default)]
pub struct DegradeSetup {
    /// Bands, hysteresis and trend RUL.
    pub config: DegradeConfig,
    /// The trained model scoring components it covers; rules-v3 elsewhere.
    pub model: ModelSlot,
}

/// The sequential state of one component's history before a window: its
/// band. The recent windows that its RUL trend and the model's features
/// read come from the history itself ([`Before`]): the open windows before
/// it, then the [`Past`] the sealed ones left.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Walk {
    band: Option<Band>,
}

/// What a component's sealed windows leave for the walk: the latest points
/// of its RUL trend, and the latest windows the model's features read (kept
/// only while a model covers the component).
#[derive(Debug, Default)]
pub struct Past {
    trend: VecDeque<TrendPoint>,
    trail: VecDeque<WindowPoint>,
}

impl Past {
    /// Folds a window that became final in, keeping what the walk reads
    /// with `model`.
    pub(crate) fn seal(
        &mut self,
        component: Component,
        w: &WindowPoint,
        config: &DegradeConfig,
        model: Option<&Model>,
    ) {
        if let Some(point) = trend_point(w) {
            let limit = config.trend_windows.max(1);
            if self.trend.capacity() < limit {
                // Room for the full trend at once: doubled, 12 points would hold room for 16.
                self.trend.reserve_exact(limit - self.trend.len());
            }
            let drop = TrendDrops::before_next(self.trend.iter().rev(), self.trend.len(), config);
            if drop.newest {
                self.trend.pop_back();
            }
            if drop.oldest {
                self.trend.pop_front();
            }
            self.trend.push_back(point);
        }
        let keep = model.and_then(|m| m.component(component)).map_or(0, |c| c.spec.windows);
        while self.trail.len() >= keep.max(1) {
            self.trail.pop_front();
        }
        if keep > 0 {
            self.trail.push_back(w.clone());
        }
    }
}

/// The RUL trend point of a window, when it carries an odometer.
fn trend_point(w: &WindowPoint) -> Option<TrendPoint> {
    w.odometer_km.map(|km| TrendPoint { km: km.get(), score: w.score.get(), end_ms: w.end_ms })
}

/// The windows up to and including `w` that are still open, newest first:
/// `w`, then the open ones before it.
fn open_through<'a>(before: &Before<'a, DegradeWalk>, w: &'a WindowPoint) -> impl Iterator<Item = &'a WindowPoint> {
    std::iter::once(w).chain(before.earlier.iter().rev().copied())
}

/// True when the newest point of a trend (given newest first) is to give
/// way to the next one: it lies within `trend_spacing_km` of the point
/// before it. Every point but the newest thus stays that far from its
/// predecessor, and the newest is always the latest window's.
fn replaces_newest<'a>(mut newest_first: impl Iterator<Item = &'a TrendPoint>, config: &DegradeConfig) -> bool {
    match (newest_first.next(), newest_first.next()) {
        (Some(newest), Some(before)) => newest.km - before.km < config.trend_spacing_km,
        _ => false,
    }
}

/// Which points a trend drops before the next point joins it: the newest
/// when it lies within `trend_spacing_km` of the one before it, and the
/// oldest when the trend would otherwise exceed `trend_windows` points. The
/// sealed trend ([`Past::seal`]) and the one read through the open windows
/// ([`trend_through`]) fold points in by this one rule, so they agree.
struct TrendDrops {
    newest: bool,
    oldest: bool,
}

impl TrendDrops {
    /// The drops of a trend of `len` points, given newest first.
    fn before_next<'a>(
        newest_first: impl Iterator<Item = &'a TrendPoint>,
        len: usize,
        config: &DegradeConfig,
    ) -> TrendDrops {
        let newest = replaces_newest(newest_first, config);
        TrendDrops { newest, oldest: len - usize::from(newest) >= config.trend_windows.max(1) }
    }
}

/// The RUL trend up to and including `w`'s point, oldest first: the sealed
/// windows' trend with the open windows' points folded in.
fn trend_through(
    before: &Before<'_, DegradeWalk>,
    w: &WindowPoint,
    config: &DegradeConfig,
) -> SmallVec<[TrendPoint; 16]> {
    let mut points: SmallVec<[TrendPoint; 16]> = before.past.trend.iter().copied().collect();
    let oldest_first = before.earlier.iter().copied().chain(std::iter::once(w));
    for point in oldest_first.filter_map(trend_point) {
        let drop = TrendDrops::before_next(points.iter().rev(), points.len(), config);
        if drop.newest {
            points.pop();
        }
        if drop.oldest {
            points.remove(0);
        }
        points.push(point);
    }
    points
}

/// The latest `n` windows up to and including `w`, oldest first: what the model's features read.
fn trail_through(before: &Before<'_, DegradeWalk>, w: &WindowPoint, n: usize) -> Vec<WindowPoint> {
    let mut trail: Vec<WindowPoint> = open_through(before, w).take(n).cloned().collect();
    let from_past = n - trail.len();
    trail.extend(before.past.trail.iter().rev().take(from_past).cloned());
    trail.reverse();
    trail
}

impl Walk {
    /// Steps over the next window (in event-time order) with `model` (or
    /// rules-v3), handing `out` its transition (if the band changes) and its
    /// health row.
    pub(crate) fn step(
        &mut self,
        before: Before<'_, DegradeWalk>,
        component: Component,
        w: &WindowPoint,
        (config, model): (&DegradeConfig, Option<&Model>),
        out: &mut impl FnMut(Kept),
    ) {
        let trend = trend_through(&before, w, config);
        let covering = model.and_then(|m| Some((&m.version, m.component(component)?)));
        let prognosis =
            covering.and_then(|(version, c)| Some((version, c.prognose(&trail_through(&before, w, c.spec.windows))?)));
        let (score, rul_km, band_km, rul_days, version) = match prognosis {
            Some((version, Prognosis { p10, p50, p90, indicator })) => {
                let days = match (trend.first(), trend.last()) {
                    (Some(first), Some(last)) => days_for(p50, first, last, config),
                    _ => None,
                };
                (Value(indicator), Some(p50), Some((p10, p90)), days, local_version(version))
            }
            None => {
                let (km, days) = rul(&trend, config);
                (w.score, km, None, days, local_version(MODEL_VERSION))
            }
        };
        let next = config.next_band(self.band, score.get());
        let next = if prognosis.is_none() { config.escalate(next, &trend, rul_km) } else { next };
        if self.band != Some(next) {
            out(Kept::Change(KeptChange { ts_ms: w.end_ms, from: self.band, to: next, score }));
        }
        self.band = Some(next);
        let figures = Figures {
            rul_km: rul_km.map(Value),
            rul_km_p10: band_km.map(|b| Value(b.0)),
            rul_km_p90: band_km.map(|b| Value(b.1)),
            rul_days: rul_days.map(Value),
            odometer_km: w.odometer_km,
        };
        out(Kept::Row(KeptRow::new(w.end_ms, score, next, figures, version)));
    }
}

/// The health rows and transitions of one component from its windows in
/// event-time order: the sequential definition the operator maintains.
pub fn history(
    fleet: &Id,
    vehicle: &Id,
    component: Component,
    windows: &[WindowPoint],
    setup: &DegradeSetup,
) -> Vec<Degraded> {
    let mut out = Vec::with_capacity(windows.len() + 1);
    let mut walk = Walk::default();
    let (past, points): (Past, Vec<&WindowPoint>) = (Past::default(), windows.iter().collect());
    let model = setup.model.current();
    for (i, w) in windows.iter().enumerate() {
        let settings = (&setup.config, model.as_deref());
        walk.step(Before { past: &past, earlier: &points[..i] }, component, w, settings, &mut |k| out.push(k));
    }
    out.iter().map(|kept| kept.expand((fleet, vehicle, component))).collect()
}

/// Health history rows and band transitions of every (fleet, vehicle, component).
pub fn degrade<'s>(
    scores: Coll<'s, WindowScore>,
    setup: DegradeSetup,
    finality: Finality,
) -> (Coll<'s, HealthRow>, Coll<'s, Transition>) {
    let setup = Arc::new(setup);
    let degraded = per_vehicle(
        scores,
        "Degrade",
        |s| (&s.fleet_id, &s.vehicle_id),
        move || vehicle_walks(Arc::clone(&setup), finality),
    );
    split(degraded, row_or_change)
}

/// A health row on the left, a band change on the right: how the walks'
/// output is split into its two collections.
fn row_or_change(d: Degraded) -> Result<HealthRow, Transition> {
    match d {
        Degraded::Row(row) => Ok(row),
        Degraded::Change(change) => Err(change),
    }
}

/// One vehicle's band and RUL walks, one per component.
pub(crate) type VehicleWalks = Components<WindowScore, DegradeWalk>;

/// One vehicle's band and RUL walks, fed window scores.
pub(crate) fn vehicle_walks(setup: Arc<DegradeSetup>, finality: Finality) -> VehicleWalks {
    Components::new(finality, setup, split_score)
}

/// A window score as a walk's input: its vehicle, component and point.
pub(crate) fn split_score(s: WindowScore) -> (Id, Id, Component, WindowPoint) {
    let (fleet, vehicle, component) = (s.fleet_id.clone(), s.vehicle_id.clone(), s.component);
    (fleet, vehicle, component, WindowPoint::from(s))
}

/// The band and RUL walk, as the per-component state machine runs it.
pub(crate) struct DegradeWalk;

impl Walker for DegradeWalk {
    type Point = WindowPoint;
    type Out = Kept;
    type Emitted = Degraded;
    type State = Walk;
    type Past = Past;
    type Config = Arc<DegradeSetup>;
    type Model = Option<Arc<Model>>;

    fn at(point: &WindowPoint) -> TsMs {
        point.end_ms
    }

    fn model(setup: &Arc<DegradeSetup>) -> Option<Arc<Model>> {
        setup.model.current()
    }

    fn step(
        walk: &mut Walk,
        before: Before<'_, Self>,
        (_, _, component): HistoryId<'_>,
        w: &WindowPoint,
        (setup, model): (&Arc<DegradeSetup>, &Option<Arc<Model>>),
        out: &mut Vec<Kept>,
    ) {
        walk.step(before, component, w, (&setup.config, model.as_deref()), &mut |k| out.push(k));
    }

    fn seal(
        past: &mut Past,
        (_, _, component): HistoryId<'_>,
        w: &WindowPoint,
        (setup, model): (&Arc<DegradeSetup>, &Option<Arc<Model>>),
    ) {
        past.seal(component, w, &setup.config, model.as_deref());
    }

    fn tail(_: &Walk, _: &mut Vec<Kept>) {}

    fn expand(id: HistoryId<'_>, kept: &Kept) -> Degraded {
        kept.expand(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{consolidate, run_epochs};
    use crate::{Diff, Epoch};

    const W: i64 = 600_000;

    #[test]
    fn bands_worsen_at_once_and_improve_only_past_the_margin() {
        let config = DegradeConfig::default();
        let scores = [85.0, 78.0, 82.0, 86.0, 55.0, 62.0, 66.0, 30.0, 44.0, 46.0, 100.0];
        let mut band = None;
        let bands: Vec<Band> = scores
            .iter()
            .map(|s| {
                band = Some(config.next_band(band, *s));
                band.unwrap_or(Band::Critical)
            })
            .collect();
        use Band::*;
        assert_eq!(
            bands,
            vec![Healthy, Watch, Watch, Healthy, Degraded, Degraded, Watch, Critical, Critical, Degraded, Healthy]
        );
        assert_eq!(config.next_band(None, 79.9), Watch);
        assert_eq!(config.next_band(None, 39.9), Critical);
    }

    fn p(km: f64, score: f64, day: f64) -> TrendPoint {
        TrendPoint { km, score, end_ms: (day * 86_400_000.0) as i64 }
    }

    #[test]
    fn rul_extrapolates_the_score_trend_to_the_failure_score() {
        let config = DegradeConfig::default();
        let declining = [p(1000.0, 80.0, 0.0), p(1100.0, 70.0, 1.0), p(1200.0, 60.0, 2.0)];
        assert_eq!(rul(&declining, &config), (Some(400.0), Some(4.0)));
        let past_failure = [p(1000.0, 30.0, 0.0), p(1100.0, 10.0, 1.0)];
        assert_eq!(rul(&past_failure, &config), (Some(0.0), Some(0.0)));
        let barely_moving = [p(1000.0, 80.0, 0.0), p(1000.5, 70.0, 1.0)];
        assert_eq!(rul(&barely_moving, &config), (Some(2.5), None));
    }

    #[test]
    fn rul_is_unknown_without_a_declining_trend_or_usage() {
        let config = DegradeConfig::default();
        assert_eq!(rul(&[], &config), (None, None));
        assert_eq!(rul(&[p(1000.0, 50.0, 0.0)], &config), (None, None));
        assert_eq!(rul(&[p(1000.0, 90.0, 0.0), p(1000.0, 50.0, 1.0)], &config), (None, None));
        assert_eq!(rul(&[p(1000.0, 50.0, 0.0), p(1100.0, 60.0, 1.0)], &config), (None, None));
        assert_eq!(rul(&[p(1000.0, 100.0, 0.0), p(1100.0, 100.0, 1.0)], &config), (None, None));
        // A decline of 0.01 points over 100 km reaches the failure score 800 000 km out.
        assert_eq!(rul(&[p(1000.0, 100.0, 0.0), p(1100.0, 99.99, 1.0)], &config), (None, None));
    }

    fn window(end: i64, score: f64, odometer: f64) -> WindowScore {
        crate::testing::brake_window(end, score, Some(odometer))
    }

    fn row(end: i64, score: f64, band: Band, rul: Option<(f64, f64)>, odometer: f64) -> HealthRow {
        HealthRow {
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            component: Component::Brakes,
            ts_ms: end,
            score: Value(score),
            band,
            rul_km: rul.map(|r| Value(r.0)),
            rul_km_p10: None,
            rul_km_p90: None,
            rul_days: rul.map(|r| Value(r.1)),
            odometer_km: Some(Value(odometer)),
            model_version: crate::health::MODEL_VERSION.into(),
        }
    }

    fn change(end: i64, from: Option<Band>, to: Band, score: f64) -> Transition {
        Transition {
            fleet_id: "f1".into(),
            vehicle_id: "v1".into(),
            component: Component::Brakes,
            ts_ms: end,
            from,
            to,
            score: Value(score),
        }
    }

    /// Every window a trend point and no fast-wear escalation: bands, RUL
    /// and corrections alone.
    fn consecutive() -> DegradeSetup {
        let config = DegradeConfig { trend_spacing_km: 0.0, fast_rul_km: 0.0, ..DegradeConfig::default() };
        DegradeSetup { config, ..DegradeSetup::default() }
    }

    /// One window per epoch, 10 minutes apart, at these odometers and scores.
    fn windows(points: &[(f64, f64)]) -> Vec<Vec<(WindowScore, Diff)>> {
        let end = |i: usize| (i as i64 + 1) * W;
        points.iter().enumerate().map(|(i, (km, score))| vec![(window(end(i), *score, *km), 1)]).collect()
    }

    #[test]
    fn the_trend_keeps_points_spaced_apart_and_the_latest_window() {
        let config = DegradeConfig { fast_rul_km: 0.0, ..DegradeConfig::default() };
        let setup = DegradeSetup { config, ..DegradeSetup::default() };
        // 1010 gives way to 1030 (within 25 km of 1000); 1030 stays once 1040 follows it.
        let epochs = windows(&[(1000.0, 90.0), (1010.0, 89.0), (1030.0, 88.0), (1040.0, 80.0)]);
        let out = run_epochs(epochs, |scores| degrade(scores, setup, Finality::default()).0);
        let expected: Vec<(HealthRow, Epoch, Diff)> = vec![
            (row(W, 90.0, Band::Healthy, None, 1000.0), 0, 1),
            // (1000, 90), (1010, 89): 0.1 points per km.
            (row(2 * W, 89.0, Band::Healthy, Some((690.0, 0.48)), 1010.0), 1, 1),
            // (1000, 90), (1030, 88): 1 point per 15 km.
            (row(3 * W, 88.0, Band::Healthy, Some((1020.0, 0.47)), 1030.0), 2, 1),
            // (1000, 90), (1030, 88), (1040, 80).
            (row(4 * W, 80.0, Band::Healthy, Some((301.1, 0.16)), 1040.0), 3, 1),
        ];
        assert_eq!(out, consolidate(expected));
    }

    #[test]
    fn a_fast_trend_over_spaced_points_degrades_a_healthy_component() {
        let run = |points: &[(f64, f64)]| {
            run_epochs(windows(points), |s| degrade(s, DegradeSetup::default(), Finality::default()).0)
        };
        // (1000, 95), (1030, 93): 2 points per 30 km reach 20 in 1 095 km, under 3 000.
        let expected: Vec<(HealthRow, Epoch, Diff)> = vec![
            (row(W, 95.0, Band::Healthy, None, 1000.0), 0, 1),
            (row(2 * W, 93.0, Band::Degraded, Some((1095.0, 0.25)), 1030.0), 1, 1),
        ];
        assert_eq!(run(&[(1000.0, 95.0), (1030.0, 93.0)]), consolidate(expected));
        // 1031 lies within 25 km of 1030: the spaced points alone stay flat,
        // so a drop without distance (a battery's sag while parked) does not
        // escalate, though the row's RUL reads it.
        let expected: Vec<(HealthRow, Epoch, Diff)> = vec![
            (row(W, 95.0, Band::Healthy, None, 1000.0), 0, 1),
            (row(2 * W, 95.0, Band::Healthy, None, 1030.0), 1, 1),
            (row(3 * W, 85.0, Band::Healthy, Some((406.3, 0.18)), 1031.0), 2, 1),
        ];
        assert_eq!(run(&[(1000.0, 95.0), (1030.0, 95.0), (1031.0, 85.0)]), consolidate(expected));
    }

    #[test]
    fn a_wear_that_just_sped_up_is_degraded_by_its_newest_points_when_their_decline_is_sure() {
        // Eight points at 100, 25 km apart, then four declining ones.
        let trend = |tail: [f64; 4]| -> Vec<TrendPoint> {
            let scores = [100.0; 8].into_iter().chain(tail);
            let point = |(i, score)| TrendPoint { km: 25.0 * i as f64, score, end_ms: W * (i as i64 + 1) };
            scores.enumerate().map(point).collect()
        };
        let config = DegradeConfig::default();
        let without_recent = DegradeConfig { recent_points: 0, ..config };
        let escalate =
            |config: &DegradeConfig, band, trend: &[TrendPoint]| config.escalate(band, trend, rul(trend, config).0);
        // All twelve reach 20 in 3 441 km, past 3 000; the newest four in
        // 864 km, with a slope of −0.084 / km and a standard error of 0.0057.
        let sped_up = trend([99.0, 96.5, 95.0, 92.5]);
        assert_eq!(escalate(&config, Band::Healthy, &sped_up), Band::Degraded);
        assert_eq!(escalate(&config, Band::Watch, &sped_up), Band::Degraded);
        assert_eq!(escalate(&without_recent, Band::Healthy, &sped_up), Band::Healthy);
        // The newest four reach 20 in 1 150 km, but their slope (−0.064 / km)
        // is only 1.9 standard errors (0.034) below zero: noise, not wear.
        let scattered = trend([99.0, 95.0, 97.0, 93.0]);
        assert_eq!(escalate(&config, Band::Healthy, &scattered), Band::Healthy);
        // A degraded or critical band is left to the score.
        assert_eq!(escalate(&config, Band::Critical, &sped_up), Band::Critical);
    }

    /// Windows 10 minutes apart, 10 km apart (1440 km/day).
    fn epochs() -> Vec<Vec<(WindowScore, Diff)>> {
        vec![
            vec![(window(W, 90.0, 1000.0), 1), (window(2 * W, 70.0, 1010.0), 1)],
            vec![(window(3 * W, 50.0, 1020.0), 1)],
            // The middle window is corrected upward: later rows and transitions follow.
            vec![(window(2 * W, 70.0, 1010.0), -1), (window(2 * W, 85.0, 1010.0), 1)],
        ]
    }

    #[test]
    fn rows_follow_event_time_and_a_corrected_window_rewrites_what_follows() {
        let out = run_epochs(epochs(), |scores| degrade(scores, consecutive(), Finality::default()).0);
        let expected: Vec<(HealthRow, Epoch, Diff)> = vec![
            (row(W, 90.0, Band::Healthy, None, 1000.0), 0, 1),
            (row(2 * W, 70.0, Band::Watch, Some((25.0, 0.02)), 1010.0), 0, 1),
            (row(3 * W, 50.0, Band::Degraded, Some((15.0, 0.01)), 1020.0), 1, 1),
            (row(2 * W, 70.0, Band::Watch, Some((25.0, 0.02)), 1010.0), 2, -1),
            (row(2 * W, 85.0, Band::Healthy, Some((130.0, 0.09)), 1010.0), 2, 1),
            (row(3 * W, 50.0, Band::Degraded, Some((15.0, 0.01)), 1020.0), 2, -1),
            (row(3 * W, 50.0, Band::Degraded, Some((17.5, 0.01)), 1020.0), 2, 1),
        ];
        assert_eq!(out, consolidate(expected));
    }

    #[test]
    fn transitions_follow_band_changes_and_corrections() {
        let out = run_epochs(epochs(), |scores| degrade(scores, consecutive(), Finality::default()).1);
        let expected: Vec<(Transition, Epoch, Diff)> = vec![
            (change(W, None, Band::Healthy, 90.0), 0, 1),
            (change(2 * W, Some(Band::Healthy), Band::Watch, 70.0), 0, 1),
            (change(3 * W, Some(Band::Watch), Band::Degraded, 50.0), 1, 1),
            (change(2 * W, Some(Band::Healthy), Band::Watch, 70.0), 2, -1),
            (change(3 * W, Some(Band::Watch), Band::Degraded, 50.0), 2, -1),
            (change(3 * W, Some(Band::Healthy), Band::Degraded, 50.0), 2, 1),
        ];
        assert_eq!(out, consolidate(expected));
    }

    #[test]
    fn the_same_windows_in_one_epoch_give_the_same_history() {
        let all: Vec<(WindowScore, Diff)> = epochs().concat();
        let out = run_epochs(vec![all], |scores| degrade(scores, consecutive(), Finality::default()).0);
        let staged = run_epochs(epochs(), |scores| degrade(scores, consecutive(), Finality::default()).0);
        assert_eq!(crate::testing::content_at(&out, 0), crate::testing::content_at(&staged, 2));
    }
}
