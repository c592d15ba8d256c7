//! When a piece of a vehicle's history can no longer change.
//!
//! The lateness gate rejects every reading more than the correction horizon
//! `H` behind the newest event time it accepted from the same vehicle, and
//! that newest time only grows. So once a vehicle has sent a reading at `t`,
//! every reading still to come is at `≥ t − H`, and a window whose end is
//! `≤ t − H` is final: no reading, correction or odometer can reach it
//! again, nor anything computed from it and the windows before it. The
//! stateful operators use this to forget what is final, which bounds their
//! state by the horizon instead of by the vehicle's age.
//!
//! The horizon here must be the gate's (`pipeline` builds both from one
//! setting); a larger one only keeps more state, a smaller one is wrong.

use schemas::TsMs;

/// The correction horizon and the window width the operators finalize by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finality {
    /// How far behind a vehicle's newest event time a reading is still accepted, ms.
    pub horizon_ms: i64,
    /// Width of the health windows, ms.
    pub window_ms: i64,
}

impl Default for Finality {
    /// The gate's default horizon (1 h) and the health operator's default window (10 min).
    fn default() -> Self {
        Finality { horizon_ms: crate::gate::GateConfig::DEFAULT_HORIZON_MS, window_ms: 600_000 }
    }
}

impl Finality {
    /// Readings and windows ending at or before this are final, given the
    /// newest reading time `newest_ms` seen from the vehicle.
    pub fn final_through(&self, newest_ms: TsMs) -> TsMs {
        newest_ms.saturating_sub(self.horizon_ms)
    }

    /// Windows ending at or before this are final, given the latest window
    /// end `newest_end_ms` seen: that window holds a reading at
    /// `≥ newest_end_ms − window_ms`.
    pub fn final_windows_through(&self, newest_end_ms: TsMs) -> TsMs {
        self.final_through(newest_end_ms.saturating_sub(self.window_ms.max(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_points_trail_the_newest_by_the_horizon_and_one_window() {
        let f = Finality::default();
        assert_eq!(f.final_through(10_000_000), 6_400_000);
        assert_eq!(f.final_windows_through(10_200_000), 6_000_000);
    }
}
