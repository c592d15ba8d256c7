//! The features of one (vehicle, component, window) group of readings, and
//! the rules-v1 score they give: the pure core of the health operator.
//!
//! The primary signal may come in several series (one per wheel, or a
//! preferred and a fallback voltage). Only the best-ranked series present
//! count, and among them the worst one describes the window: its count,
//! mean, worst value and exceedances. DTCs count once per distinct active
//! code (value ≠ 0) with the component's letter.

use std::collections::{BTreeMap, BTreeSet};

use schemas::{Signal, TsMs, Value, WindowFeatures};

use super::rule::Rule;
use crate::Diff;

/// Statistics of one series of the primary signal.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Series {
    count: i64,
    sum: f64,
    worst: f64,
    exceedances: i64,
}

/// Features (odometer not yet joined in) and score of one window, or `None`
/// when the window holds no reading of the component's primary signal.
///
/// `readings` are the window's `(signal, value)` pairs with their
/// multiplicities; non-positive multiplicities are ignored.
pub fn window_score(
    rule: &Rule,
    window_start_ms: TsMs,
    readings: &[(&(Signal, Value), Diff)],
) -> Option<(WindowFeatures, Value)> {
    let mut series: BTreeMap<(u8, Signal), Series> = BTreeMap::new();
    let mut dtcs = BTreeSet::new();
    for ((signal, value), diff) in readings.iter().map(|(r, d)| (*r, *d)) {
        if diff <= 0 {
            continue;
        }
        if let Signal::Dtc(dtc) = signal {
            if rule.reads(*signal) && value.get() != 0.0 {
                dtcs.insert(dtc);
            }
            continue;
        }
        let Some(rank) = (rule.rank)(*signal) else {
            continue;
        };
        let weight = diff as i64;
        let v = value.get();
        let past = if rule.worse.is_worse(v, rule.warn) { weight } else { 0 };
        series
            .entry((rank, *signal))
            .and_modify(|s| {
                s.count += weight;
                s.sum += v * weight as f64;
                s.exceedances += past;
                if rule.worse.is_worse(v, s.worst) {
                    s.worst = v;
                }
            })
            .or_insert(Series { count: weight, sum: v * weight as f64, worst: v, exceedances: past });
    }
    let best_rank = series.keys().next().map(|(rank, _)| *rank)?;
    let worst = series
        .iter()
        .filter(|((rank, _), _)| *rank == best_rank)
        .map(|(_, s)| *s)
        .reduce(|a, b| if worse_series(rule, &b, &a) { b } else { a })?;
    let dtc_count = u32::try_from(dtcs.len()).unwrap_or(u32::MAX);
    let features = WindowFeatures {
        window_start_ms,
        count: u32::try_from(worst.count).unwrap_or(u32::MAX),
        mean: Value(worst.sum / worst.count as f64),
        worst: Value(worst.worst),
        exceedances: u32::try_from(worst.exceedances).unwrap_or(u32::MAX),
        dtcs: dtc_count,
        odometer_km: None,
    };
    Some((features, Value((rule.score)(worst.worst, dtc_count))))
}

/// True when series `a` is worse than `b`: a worse extreme, then a worse mean.
fn worse_series(rule: &Rule, a: &Series, b: &Series) -> bool {
    if a.worst != b.worst {
        return rule.worse.is_worse(a.worst, b.worst);
    }
    rule.worse.is_worse(a.sum / a.count as f64, b.sum / b.count as f64)
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
        assert_eq!(got, Some((features(2, 73.0, 75.0, 2, 1), Value(10.0))));
    }

    #[test]
    fn control_module_voltage_counts_only_without_battery_voltage() {
        let both = run(&battery::RULE, &[(Signal::BatteryVoltage, 12.5), (Signal::ControlModuleVoltage, 11.0)]);
        assert_eq!(both, Some((features(1, 12.5, 12.5, 0, 0), Value(100.0))));
        let fallback =
            run(&battery::RULE, &[(Signal::ControlModuleVoltage, 11.7), (Signal::ControlModuleVoltage, 12.3)]);
        assert_eq!(fallback, Some((features(2, 12.0, 11.7, 1, 0), Value(50.0))));
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
