//! Windowed features of one component: what a model reads from the trail of
//! its most recent windows.
//!
//! For each [`Input`] (the rules score, the primary signal's mean or worst
//! value, or the window mean of any signal of the component) and each
//! [`Stat`]: its level (mean over the trail), its slope against the usage
//! axis, its standard deviation, and its latest value. Then, optionally, the
//! share of primary readings past the warning limit, whether any DTC was
//! active, and the usage-axis position itself. Training and the live walk
//! both call [`extract`], so a model always sees the features it was fitted on.

use serde::{Deserialize, Serialize};

use schemas::Signal;

use super::point::WindowPoint;

/// A per-window quantity the features are computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    /// The window's rules score.
    Score,
    /// The primary signal's mean.
    Mean,
    /// The primary signal's worst value.
    Worst,
    /// The window mean of one signal of the component.
    Signal(Signal),
}

impl Input {
    /// The input's value in `point`, when the window has it.
    fn of(self, point: &WindowPoint) -> Option<f64> {
        match self {
            Input::Score => Some(point.score.get()),
            Input::Mean => Some(point.mean.get()),
            Input::Worst => Some(point.worst.get()),
            Input::Signal(signal) => point.signal(signal),
        }
    }

    fn name(self) -> String {
        match self {
            Input::Score => "score".into(),
            Input::Mean => "mean".into(),
            Input::Worst => "worst".into(),
            Input::Signal(signal) => signal.to_string(),
        }
    }
}

/// A statistic of an input over the trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stat {
    /// Mean over the trail.
    Level,
    /// Least-squares slope against the usage axis (0 without usage spread).
    Slope,
    /// Population standard deviation over the trail.
    Std,
    /// The newest value.
    Last,
    /// A fast (α 0.2) minus a slow (α 0.02) exponentially weighted mean,
    /// both started at the oldest value: how far the recent values have moved
    /// away from the long-run level.
    EwmaGap,
}

/// Smoothing factors of [`Stat::EwmaGap`]: fast, slow.
const EWMA_ALPHAS: (f64, f64) = (0.2, 0.02);

impl Stat {
    fn name(self) -> &'static str {
        match self {
            Stat::Level => "level",
            Stat::Slope => "slope",
            Stat::Std => "std",
            Stat::Last => "last",
            Stat::EwmaGap => "ewma_gap",
        }
    }
}

/// A statistic over only the newest `windows` of the trail: a short-term
/// level next to the trail's long-term trend (multi-scale features).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recent {
    /// The statistic.
    pub stat: Stat,
    /// How many of the newest windows it is taken over (at least 1).
    pub windows: usize,
}

/// Which features a model reads, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureSpec {
    /// How many of the newest windows the trail holds (at least 1).
    pub windows: usize,
    /// The per-window inputs.
    pub inputs: Vec<Input>,
    /// The statistics taken of every input, over the whole trail.
    pub stats: Vec<Stat>,
    /// The statistics taken of every input over only its newest windows.
    #[serde(default)]
    pub recent: Vec<Recent>,
    /// Add the share of primary readings past the warning limit.
    pub exceedance_rate: bool,
    /// Add 1 when any window of the trail had an active DTC, else 0.
    pub dtc_presence: bool,
    /// Add the newest usage-axis position (km or cycles).
    pub usage: bool,
}

impl FeatureSpec {
    /// The feature names, in the order [`extract`] returns them.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .inputs
            .iter()
            .flat_map(|input| {
                let whole = self.stats.iter().map(move |stat| format!("{}.{}", input.name(), stat.name()));
                let recent =
                    self.recent.iter().map(move |r| format!("{}.{}{}", input.name(), r.stat.name(), r.windows));
                whole.chain(recent)
            })
            .collect();
        names.extend(self.exceedance_rate.then(|| "exceedance_rate".to_string()));
        names.extend(self.dtc_presence.then(|| "dtc_presence".to_string()));
        names.extend(self.usage.then(|| "usage".to_string()));
        names
    }
}

/// The features of `trail` (oldest first; only the newest `spec.windows`
/// count), or `None` when an input is absent from every window or the usage
/// position is asked for and unknown.
pub fn extract(spec: &FeatureSpec, trail: &[WindowPoint]) -> Option<Vec<f64>> {
    let trail = &trail[trail.len().saturating_sub(spec.windows.max(1))..];
    let newest = trail.last()?;
    let mut out = Vec::with_capacity(spec.inputs.len() * (spec.stats.len() + spec.recent.len()) + 3);
    for input in &spec.inputs {
        let series: Vec<(Option<f64>, f64)> =
            trail.iter().filter_map(|p| Some((p.odometer_km.map(|v| v.get()), input.of(p)?))).collect();
        if series.is_empty() {
            return None;
        }
        for stat in &spec.stats {
            out.push(stat_of(*stat, &series));
        }
        for r in &spec.recent {
            out.push(stat_of(r.stat, &series[series.len().saturating_sub(r.windows.max(1))..]));
        }
    }
    if spec.exceedance_rate {
        let (exceeded, count) =
            trail.iter().fold((0u64, 0u64), |(e, c), p| (e + u64::from(p.exceedances), c + u64::from(p.count)));
        out.push(if count == 0 { 0.0 } else { exceeded as f64 / count as f64 });
    }
    if spec.dtc_presence {
        out.push(if trail.iter().any(|p| p.dtcs > 0) { 1.0 } else { 0.0 });
    }
    if spec.usage {
        out.push(newest.odometer_km?.get());
    }
    Some(out)
}

/// `stat` of a non-empty series of `(usage position, value)`, oldest first.
/// Each statistic reads the series once more; none is computed that is not asked for.
fn stat_of(stat: Stat, series: &[(Option<f64>, f64)]) -> f64 {
    let n = series.len() as f64;
    let level = || series.iter().map(|(_, v)| v).sum::<f64>() / n;
    let (first, last) = (series[0].1, series[series.len() - 1].1);
    match stat {
        Stat::Level => level(),
        Stat::Last => last,
        Stat::Std => {
            let level = level();
            (series.iter().map(|(_, v)| (v - level).powi(2)).sum::<f64>() / n).sqrt()
        }
        Stat::Slope => slope(series.iter().filter_map(|(x, y)| Some(((*x)?, *y)))),
        Stat::EwmaGap => {
            let (fast, slow) = series[1..].iter().fold((first, first), |(fast, slow), (_, v)| {
                (fast + EWMA_ALPHAS.0 * (v - fast), slow + EWMA_ALPHAS.1 * (v - slow))
            });
            fast - slow
        }
    }
}

/// Least-squares slope of `(x, y)` points; 0 when `x` does not vary.
fn slope(points: impl Iterator<Item = (f64, f64)>) -> f64 {
    let points: Vec<(f64, f64)> = points.collect();
    if points.len() < 2 {
        return 0.0;
    }
    let n = points.len() as f64;
    let (mx, my) = (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return 0.0;
    }
    points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / sxx
}

#[cfg(test)]
mod tests;
