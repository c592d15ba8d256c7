//! The features of one (vehicle, component, window) group of readings, and
//! the rules-v3 score they give: the pure core of the health operator.
//!
//! The primary signal may come in several series (one per wheel, or a
//! preferred and a fallback voltage). Only the best-ranked series present
//! count, and among them the worst one describes the window: its count,
//! mean, worst value and exceedances. DTCs count once per distinct active
//! code (value ≠ 0) with the component's letter.
//!
//! Every map here holds a handful of entries (the signals of one component),
//! so they are flat sorted vectors ([`LiteMap`]) rather than B-trees, whose
//! nodes reserve room for eleven entries whatever they hold: this state is
//! kept for every open window of every vehicle. A series keeps its extremes,
//! not its values ([`Extremes`]).

use litemap::LiteMap;

use schemas::{Dtc, Signal, TsMs, Value, WindowFeatures};

use super::extremes::{Extremes, WindowReadings};
use super::rule::Rule;
use crate::Diff;

/// Fixed-point scale of series sums: integer sums are exact and independent
/// of the order readings arrive and leave in, so an incrementally maintained
/// window and one recomputed from scratch give bit-equal means.
const SUM_SCALE: f64 = 4_294_967_296.0;

/// An exact fixed-point sum, held as two 64-bit halves: an `i128` field
/// aligns its struct to 16 bytes, which padded every series and sum of
/// every open window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct FixedSum {
    high: i64,
    low: u64,
}

impl FixedSum {
    /// The sum.
    fn get(self) -> i128 {
        (i128::from(self.high) << 64) | i128::from(self.low)
    }

    /// Adds `weight` copies of `value`.
    fn add(&mut self, value: f64, weight: i32) {
        let sum = self.get() + fixed(value) * i128::from(weight);
        // The high and the low 64 bits.
        let (high, low) = ((sum >> 64) as i64, sum as u64);
        *self = FixedSum { high, low };
    }
}

/// Statistics of one series of the primary signal, under inserts and retractions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    values: Extremes,
    exceedances: i32,
    sum: FixedSum,
}

impl Series {
    /// Adds (`weight > 0`) or retracts (`weight < 0`) `weight` readings of `value`.
    fn update(&mut self, rule: &Rule, value: Value, weight: i32) {
        let v = value.get();
        self.sum.add(v, weight);
        if rule.worse.is_worse(v, rule.warn) {
            self.exceedances += weight;
        }
        self.values.add(value, weight);
    }

    /// The worst value present.
    fn worst(&self, rule: &Rule) -> Option<f64> {
        let (lowest, highest) = self.values.get()?;
        Some(if rule.worse.is_worse(lowest.get(), highest.get()) { lowest.get() } else { highest.get() })
    }

    /// The mean, rounded to 1e-6.
    fn mean(&self) -> f64 {
        mean_of(self.sum.get(), self.count())
    }

    /// Readings present.
    fn count(&self) -> i32 {
        self.values.count()
    }
}

/// The readings of one (component, window) group, aggregated so that a
/// reading can be added or retracted without revisiting the others.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WindowGroup {
    series: LiteMap<(u8, Signal), Series>,
    others: LiteMap<Signal, Sum>,
    dtcs: LiteMap<Dtc, i32>,
}

/// Count and exact fixed-point sum of a signal the rule does not score.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Sum {
    count: i32,
    sum: FixedSum,
}

/// `diff` as the 32-bit weight the window aggregates count in, saturated:
/// no window holds two billion copies of a reading.
pub(super) fn weight(diff: Diff) -> i32 {
    diff.clamp(i32::MIN as Diff, i32::MAX as Diff) as i32
}

/// The fixed-point form of a value.
fn fixed(v: f64) -> i128 {
    (v * SUM_SCALE).round() as i128
}

/// The mean of a fixed-point sum over `count` values, rounded to 1e-6.
fn mean_of(sum: i128, count: i32) -> f64 {
    let mean = sum as f64 / SUM_SCALE / count as f64;
    (mean * 1e6).round() / 1e6
}

impl WindowGroup {
    /// Applies `diff` copies of a reading: primary signals and the rule's DTCs
    /// feed the score, any other signal only its window mean.
    pub fn update(&mut self, rule: &Rule, signal: Signal, value: Value, diff: Diff) {
        let weight = weight(diff);
        if let Signal::Dtc(dtc) = signal {
            if rule.reads(signal) && value.get() != 0.0 {
                let n = self.dtcs.entry(dtc).or_insert(0);
                *n += weight;
                if *n == 0 {
                    self.dtcs.remove(&dtc);
                }
            }
            return;
        }
        let Some(rank) = (rule.rank)(signal) else {
            let other = entry_or_default(&mut self.others, signal);
            other.count += weight;
            other.sum.add(value.get(), weight);
            if other.count == 0 {
                self.others.remove(&signal);
            }
            return;
        };
        let series = entry_or_default(&mut self.series, (rank, signal));
        series.update(rule, value, weight);
        if series.count() == 0 {
            self.series.remove(&(rank, signal));
        }
    }

    /// Recomputes, from the window's readings `[from, to)`, the extremes a
    /// retraction left stale: before the group is scored.
    pub(crate) fn refresh(&mut self, readings: &impl WindowReadings, from: TsMs, to: TsMs) {
        for ((_, signal), series) in self.series.iter_mut() {
            series.values.refresh(readings, from, to, &|s| s == *signal);
        }
    }

    /// The window mean of every non-DTC signal present, ordered by signal.
    pub fn signal_means(&self) -> Vec<(Signal, Value)> {
        let ranked = self.series.iter().filter(|(_, s)| s.count() > 0).map(|((_, signal), s)| (*signal, s.mean()));
        let others =
            self.others.iter().filter(|(_, s)| s.count > 0).map(|(signal, s)| (*signal, mean_of(s.sum.get(), s.count)));
        let mut means: Vec<(Signal, Value)> =
            ranked.chain(others).map(|(signal, mean)| (signal, Value(mean))).collect();
        means.sort();
        means
    }

    /// Features (odometer not yet joined in) and score of the window, or
    /// `None` when it holds no reading of the component's primary signal.
    pub fn score(&self, rule: &Rule, window_start_ms: TsMs) -> Option<(WindowFeatures, Value)> {
        let present = |s: &&Series| s.count() > 0;
        let best_rank = self.series.iter().find(|(_, s)| present(s)).map(|((rank, _), _)| *rank)?;
        let worst = self
            .series
            .iter()
            .filter(|((rank, _), s)| *rank == best_rank && present(s))
            .map(|(_, s)| s)
            .reduce(|a, b| if worse_series(rule, b, a) { b } else { a })?;
        let worst_value = worst.worst(rule)?;
        let dtc_count = u32::try_from(self.dtcs.values().filter(|n| **n > 0).count()).unwrap_or(u32::MAX);
        let features = WindowFeatures {
            window_start_ms,
            count: u32::try_from(worst.count()).unwrap_or(u32::MAX),
            mean: Value(worst.mean()),
            worst: Value(worst_value),
            exceedances: u32::try_from(worst.exceedances).unwrap_or(u32::MAX),
            dtcs: dtc_count,
            odometer_km: None,
        };
        Some((features, Value((rule.score)(worst_value, dtc_count))))
    }
}

/// The value of `key`, inserted as `V::default()` when absent. An empty map
/// first gets room for exactly one entry: most components have one primary
/// series and few other signals, and a first insert would reserve room for
/// four, in every open window of every vehicle.
fn entry_or_default<K: Ord, V: Default>(map: &mut LiteMap<K, V>, key: K) -> &mut V {
    if map.is_empty() {
        *map = LiteMap::with_capacity(1);
    }
    map.entry(key).or_default()
}

/// Features (odometer not yet joined in) and score of one window, or `None`
/// when the window holds no reading of the component's primary signal.
///
/// `readings` are the window's `(signal, value)` pairs with their
/// multiplicities; non-positive multiplicities are ignored. This is the
/// from-scratch definition the operator's incremental [`WindowGroup`] equals.
pub fn window_score(
    rule: &Rule,
    window_start_ms: TsMs,
    readings: &[(&(Signal, Value), Diff)],
) -> Option<(WindowFeatures, Value)> {
    let mut group = WindowGroup::default();
    for ((signal, value), diff) in readings.iter().map(|(r, d)| (*r, *d)) {
        if diff > 0 {
            group.update(rule, *signal, *value, diff);
        }
    }
    group.score(rule, window_start_ms)
}

/// True when series `a` is worse than `b`: a worse extreme, then a worse mean.
fn worse_series(rule: &Rule, a: &Series, b: &Series) -> bool {
    let (wa, wb) = (a.worst(rule), b.worst(rule));
    if wa != wb {
        return match (wa, wb) {
            (Some(x), Some(y)) => rule.worse.is_worse(x, y),
            (x, _) => x.is_some(),
        };
    }
    rule.worse.is_worse(a.mean(), b.mean())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::{battery, brakes, engine, tires};
    use schemas::{Dtc, Wheel};

    fn run(rule: &Rule, readings: &[(Signal, f64)]) -> Option<(WindowFeatures, Value)> {
        let owned: Vec<(Signal, Value)> = readings.iter().map(|(s, v)| (*s, Value(*v))).collect();
        let refs: Vec<(&(Signal, Value), Diff)> = owned.iter().map(|r| (r, 1)).collect();
        window_score(rule, 600_000, &refs)
    }

    fn features(count: u32, mean: f64, worst: f64, exceedances: u32, dtcs: u32) -> WindowFeatures {
        WindowFeatures {
            window_start_ms: 600_000,
            count,
            mean: Value(mean),
            worst: Value(worst),
            exceedances,
            dtcs,
            odometer_km: None,
        }
    }

    #[test]
    fn the_worst_wheel_describes_a_brake_window_and_c_codes_penalise() {
        let fl = Signal::PadWear(Wheel::FrontLeft);
        let rr = Signal::PadWear(Wheel::RearRight);
        let c0035 = Signal::Dtc(Dtc(0x4035));
        let p0300 = Signal::Dtc(Dtc(0x0300));
        let got = run(&brakes::RULE, &[(fl, 40.0), (fl, 42.0), (rr, 71.0), (rr, 75.0), (c0035, 1.0), (p0300, 1.0)]);
        assert_eq!(got, Some((features(2, 73.0, 75.0, 2, 1), Value(38.33))));
    }

    #[test]
    fn control_module_voltage_counts_only_without_battery_voltage() {
        let both = run(&battery::RULE, &[(Signal::BatteryVoltage, 12.5), (Signal::ControlModuleVoltage, 11.0)]);
        assert_eq!(both, Some((features(1, 12.5, 12.5, 0, 0), Value(100.0))));
        let fallback =
            run(&battery::RULE, &[(Signal::ControlModuleVoltage, 12.36), (Signal::ControlModuleVoltage, 12.42)]);
        assert_eq!(fallback, Some((features(2, 12.39, 12.36, 1, 0), Value(44.0))));
    }

    #[test]
    fn windows_without_the_primary_signal_have_no_score() {
        assert_eq!(run(&engine::RULE, &[(Signal::EngineSpeed, 3000.0), (Signal::Dtc(Dtc(0x0300)), 1.0)]), None);
        assert_eq!(run(&tires::RULE, &[]), None);
    }

    #[test]
    fn cleared_and_repeated_dtcs_count_once_or_not_at_all() {
        let p0300 = Signal::Dtc(Dtc(0x0300));
        let p0171 = Signal::Dtc(Dtc(0x0171));
        let got = run(&engine::RULE, &[(Signal::OilTemp, 100.0), (p0300, 1.0), (p0300, 1.0), (p0171, 0.0)]);
        assert_eq!(got, Some((features(1, 100.0, 100.0, 0, 1), Value(85.0))));
    }
}
