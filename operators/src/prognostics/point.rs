//! One window of a component as the `degrade` walk and the prognostics
//! features see it.

use std::cmp::Ordering;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use schemas::{Signal, TsMs, Value};

use crate::health::{Scored, WindowScore};

/// One scored window of a component; ordered by event time first, then by
/// every other field in declaration order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WindowPoint {
    /// Window end, ms.
    pub end_ms: TsMs,
    /// The window's rules score.
    pub score: Value,
    /// The asset's highest usage-axis reading in the window (km or cycles).
    pub odometer_km: Option<Value>,
    /// Mean of the primary signal (worst series).
    pub mean: Value,
    /// Worst primary value.
    pub worst: Value,
    /// Primary readings in the window.
    pub count: u32,
    /// Primary readings past the warning limit.
    pub exceedances: u32,
    /// Distinct active DTCs of the component.
    pub dtcs: u32,
    /// Mean of every signal of the component present in the window, by
    /// signal. The fused stages leave it empty while no model covers the
    /// component: only a model's features read it.
    pub signals: Arc<[(Signal, Value)]>,
}

impl Ord for WindowPoint {
    /// The fields in declaration order. Signal means shared with the other
    /// point (a retraction of the very version stored) are equal without
    /// reading them: a retraction is located by equality with what is kept.
    fn cmp(&self, other: &Self) -> Ordering {
        let signals = || {
            if Arc::ptr_eq(&self.signals, &other.signals) { Ordering::Equal } else { self.signals.cmp(&other.signals) }
        };
        (self.end_ms, self.score, self.odometer_km, self.mean, self.worst)
            .cmp(&(other.end_ms, other.score, other.odometer_km, other.mean, other.worst))
            .then_with(|| (self.count, self.exceedances, self.dtcs).cmp(&(other.count, other.exceedances, other.dtcs)))
            .then_with(signals)
    }
}

impl PartialOrd for WindowPoint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for WindowPoint {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for WindowPoint {}

impl WindowPoint {
    /// The point of a window ending at `end_ms` scored `scored`.
    pub(crate) fn scored(end_ms: TsMs, scored: Scored) -> WindowPoint {
        let Scored { features, score, signals } = scored;
        WindowPoint {
            end_ms,
            score,
            odometer_km: features.odometer_km,
            mean: features.mean,
            worst: features.worst,
            count: features.count,
            exceedances: features.exceedances,
            dtcs: features.dtcs,
            signals,
        }
    }
}

impl From<WindowScore> for WindowPoint {
    /// The point of a health window score, its signal means moved, not copied.
    fn from(s: WindowScore) -> WindowPoint {
        WindowPoint::scored(s.window_end_ms, Scored { features: s.features, score: s.score, signals: s.signals })
    }
}

impl WindowPoint {
    /// The point of a health window score.
    pub fn of(s: &WindowScore) -> WindowPoint {
        WindowPoint::from(s.clone())
    }

    /// The window mean of `signal`, when present.
    pub fn signal(&self, signal: Signal) -> Option<f64> {
        self.signals.binary_search_by(|(s, _)| s.cmp(&signal)).ok().map(|i| self.signals[i].1.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(end_ms: TsMs, score: f64, signals: &[(Signal, Value)]) -> WindowPoint {
        WindowPoint {
            end_ms,
            score: Value(score),
            odometer_km: None,
            mean: Value(1.0),
            worst: Value(2.0),
            count: 3,
            exceedances: 0,
            dtcs: 0,
            signals: signals.into(),
        }
    }

    #[test]
    fn points_order_by_event_time_then_the_other_fields_and_shared_or_equal_means_are_equal() {
        let means = [(Signal::CoolantTemp, Value(90.0))];
        let a = point(600_000, 80.0, &means);
        assert_eq!(a.cmp(&a.clone()), Ordering::Equal, "the same shared means");
        assert_eq!(a, point(600_000, 80.0, &means), "equal means in another allocation");
        assert!(a < point(1_200_000, 10.0, &means), "event time first");
        assert!(a < point(600_000, 90.0, &means), "then the score");
        assert!(a < point(600_000, 80.0, &[(Signal::CoolantTemp, Value(91.0))]), "the means last");
        assert!(a > point(600_000, 80.0, &[]));
    }
}
