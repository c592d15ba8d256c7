//! What an evaluation keeps of the pipeline's output while it runs: the
//! health rows of the planted faults' components (the rest would be
//! millions of rows nobody scores), every alert and every vehicle seen,
//! each consolidated over retractions.

use std::collections::{BTreeMap, BTreeSet};

use operators::{Diff, Epoch};
use schemas::{Alert, Component, HealthRow, Id};
use sinks::ResultBatch;

use crate::offline::Absorb;

use super::metrics::{AlertPoint, RowPoint};

/// Consolidates the outputs an evaluation scores.
#[derive(Debug, Default)]
pub struct Observer {
    keep: BTreeSet<(Id, Component)>,
    rows: BTreeMap<HealthRow, Diff>,
    alerts: BTreeMap<Alert, Diff>,
    vehicles: BTreeSet<String>,
    readings: u64,
    dead_letters: u64,
}

/// Adds `updates` to the running sums, dropping values that cancel out.
fn add<T: Ord + Clone>(sums: &mut BTreeMap<T, Diff>, updates: impl IntoIterator<Item = (T, Diff)>) {
    for (value, diff) in updates {
        let sum = sums.entry(value.clone()).or_insert(0);
        *sum += diff;
        if *sum == 0 {
            sums.remove(&value);
        }
    }
}

impl Observer {
    /// An observer keeping the health rows of the (vehicle, component) pairs in `keep`.
    pub fn new(keep: BTreeSet<(String, Component)>) -> Observer {
        let keep = keep.into_iter().map(|(vehicle, component)| (Id::from(vehicle), component)).collect();
        Observer { keep, ..Observer::default() }
    }

    /// The kept health rows per (vehicle, component), in event-time order.
    pub fn rows(&self) -> BTreeMap<(String, Component), Vec<RowPoint>> {
        let mut out: BTreeMap<(String, Component), Vec<RowPoint>> = BTreeMap::new();
        for row in self.rows.keys() {
            out.entry((row.vehicle_id.to_string(), row.component)).or_default().push(RowPoint {
                ts_ms: row.ts_ms,
                band: row.band,
                odometer_km: row.odometer_km.map(|v| v.get()),
                rul_km: row.rul_km.map(|v| v.get()),
                rul_days: row.rul_days.map(|v| v.get()),
            });
        }
        for rows in out.values_mut() {
            rows.sort_by_key(|r| r.ts_ms);
        }
        out
    }

    /// Every alert in the final output.
    pub fn alerts(&self) -> Vec<AlertPoint> {
        self.alerts
            .keys()
            .map(|a| AlertPoint { vehicle_id: a.vehicle_id.clone(), component: a.component, opened_ms: a.opened_ms })
            .collect()
    }

    /// Every vehicle that sent telemetry.
    pub fn vehicles(&self) -> Vec<String> {
        self.vehicles.iter().cloned().collect()
    }

    /// Readings accepted and dead letters.
    pub fn counts(&self) -> (u64, u64) {
        (self.readings, self.dead_letters)
    }

    /// The scoring models of the kept rows.
    pub fn models(&self) -> Vec<String> {
        let models: BTreeSet<&str> = self.rows.keys().map(|row| &*row.model_version).collect();
        models.into_iter().map(str::to_string).collect()
    }

    /// Health rows kept (after consolidation).
    pub fn kept_rows(&self) -> usize {
        self.rows.len()
    }
}

impl Absorb for Observer {
    fn absorb(&mut self, _epoch: Epoch, batch: ResultBatch) {
        self.readings += batch.readings.len() as u64;
        self.dead_letters += batch.dead_letters.len() as u64;
        self.vehicles.extend(batch.vehicles_seen.into_iter().map(|(_, vehicle)| vehicle));
        let keep = &self.keep;
        add(
            &mut self.rows,
            batch.health.into_iter().filter(|(row, _)| keep.contains(&(row.vehicle_id.clone(), row.component))),
        );
        add(&mut self.alerts, batch.alerts);
    }
}
