//! One window of a component as the `degrade` walk and the prognostics
//! features see it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use schemas::{Signal, TsMs, Value};

use crate::health::WindowScore;

/// One scored window of a component; ordered by event time first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// Mean of every signal of the component present in the window, by signal.
    pub signals: Arc<[(Signal, Value)]>,
}

impl From<WindowScore> for WindowPoint {
    /// The point of a health window score, its signal means moved, not copied.
    fn from(s: WindowScore) -> WindowPoint {
        WindowPoint {
            end_ms: s.window_end_ms,
            score: s.score,
            odometer_km: s.features.odometer_km,
            mean: s.features.mean,
            worst: s.features.worst,
            count: s.features.count,
            exceedances: s.features.exceedances,
            dtcs: s.features.dtcs,
            signals: s.signals,
        }
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
