//! What the degrade walk keeps of each open window's output until the
//! window is re-walked: the health row and band change without the fleet,
//! vehicle and component its history names, and the row's optional figures
//! packed. This is kept for every open window of every component, and a
//! whole [`HealthRow`] took 152 bytes.

use schemas::{Band, HealthRow, Id, Transition, TsMs, Value};

use super::Degraded;
use crate::open_history::HistoryId;

/// One output of a step of the walk.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kept {
    /// A health row.
    Row(KeptRow),
    /// A band change.
    Change(KeptChange),
}

/// A [`HealthRow`] without its ids.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeptRow {
    /// Event time of the score: the end of its window, ms.
    pub ts_ms: TsMs,
    /// Health score.
    pub score: Value,
    /// Band after hysteresis.
    pub band: Band,
    /// Which of `figures` are present: bit `i` for `figures[i]`.
    present: u8,
    /// RUL km (P50, P10, P90), RUL days, odometer km; 0 when absent.
    figures: [Value; 5],
    model_version: Id,
}

/// A [`Transition`] without its ids.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeptChange {
    /// Event time of the window that entered the new band, ms.
    pub ts_ms: TsMs,
    /// The band before (`None` for the component's first window).
    pub from: Option<Band>,
    /// The band after.
    pub to: Band,
    /// The score that moved it.
    pub score: Value,
}

/// The figures of a health row besides its score, in [`KeptRow::figures`] order.
pub struct Figures {
    /// RUL on the usage axis, P50.
    pub rul_km: Option<Value>,
    /// RUL, P10.
    pub rul_km_p10: Option<Value>,
    /// RUL, P90.
    pub rul_km_p90: Option<Value>,
    /// RUL in days.
    pub rul_days: Option<Value>,
    /// Odometer at the window end.
    pub odometer_km: Option<Value>,
}

impl KeptRow {
    /// The row at `ts_ms`.
    pub fn new(ts_ms: TsMs, score: Value, band: Band, figures: Figures, model_version: Id) -> Self {
        let all = [figures.rul_km, figures.rul_km_p10, figures.rul_km_p90, figures.rul_days, figures.odometer_km];
        let present = all.iter().enumerate().filter(|(_, f)| f.is_some()).fold(0u8, |bits, (i, _)| bits | 1 << i);
        KeptRow { ts_ms, score, band, present, figures: all.map(|f| f.unwrap_or(Value(0.0))), model_version }
    }

    /// Figure `i`, when present.
    fn figure(&self, i: usize) -> Option<Value> {
        (self.present & 1 << i != 0).then_some(self.figures[i])
    }

    /// RUL on the usage axis (P50).
    pub fn rul_km(&self) -> Option<Value> {
        self.figure(0)
    }

    /// RUL in days.
    pub fn rul_days(&self) -> Option<Value> {
        self.figure(3)
    }
}

impl Kept {
    /// The output with the ids of its history.
    pub fn expand(&self, (fleet, vehicle, component): HistoryId<'_>) -> Degraded {
        match self {
            Kept::Row(row) => Degraded::Row(HealthRow {
                fleet_id: fleet.clone(),
                vehicle_id: vehicle.clone(),
                component,
                ts_ms: row.ts_ms,
                score: row.score,
                band: row.band,
                rul_km: row.rul_km(),
                rul_km_p10: row.figure(1),
                rul_km_p90: row.figure(2),
                rul_days: row.rul_days(),
                odometer_km: row.figure(4),
                model_version: row.model_version.clone(),
            }),
            Kept::Change(change) => Degraded::Change(Transition {
                fleet_id: fleet.clone(),
                vehicle_id: vehicle.clone(),
                component,
                ts_ms: change.ts_ms,
                from: change.from,
                to: change.to,
                score: change.score,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemas::Component;

    #[test]
    fn a_kept_row_expands_to_the_row_with_its_absent_figures_absent() {
        let (fleet, vehicle): (Id, Id) = ("f".into(), "v".into());
        let figures = Figures {
            rul_km: Some(Value(1200.0)),
            rul_km_p10: None,
            rul_km_p90: None,
            rul_days: Some(Value(0.0)),
            odometer_km: Some(Value(48_210.5)),
        };
        let kept = Kept::Row(KeptRow::new(600_000, Value(72.5), Band::Watch, figures, "rules-v3".into()));
        let expected = HealthRow {
            fleet_id: fleet.clone(),
            vehicle_id: vehicle.clone(),
            component: Component::Brakes,
            ts_ms: 600_000,
            score: Value(72.5),
            band: Band::Watch,
            rul_km: Some(Value(1200.0)),
            rul_km_p10: None,
            rul_km_p90: None,
            rul_days: Some(Value(0.0)),
            odometer_km: Some(Value(48_210.5)),
            model_version: "rules-v3".into(),
        };
        assert_eq!(kept.expand((&fleet, &vehicle, Component::Brakes)), Degraded::Row(expected));
        let change = Kept::Change(KeptChange { ts_ms: 5, from: None, to: Band::Healthy, score: Value(99.0) });
        let Degraded::Change(t) = change.expand((&fleet, &vehicle, Component::Battery)) else {
            panic!("a change expands to a change");
        };
        assert_eq!((t.component, t.from, t.to, t.ts_ms), (Component::Battery, None, Band::Healthy, 5));
    }
}
