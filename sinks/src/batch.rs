//! The unit of work every sink receives: one commit point's consolidated changes.

use schemas::{Alert, Appointment, DeadLetter, Decision, HealthRow, RawRecord, Reading, Transition};

/// Every change the dataflow produced for one commit point, consolidated.
///
/// Each collection change is `(row, diff)`: `+1` inserts, `−1` retracts.
/// It is the unit every sink receives. A store applies a batch idempotently: applying it twice leaves the same
/// rows as applying it once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResultBatch {
    /// Health history changes.
    pub health: Vec<(HealthRow, isize)>,
    /// Alert changes; an id that is only retracted becomes `withdrawn`.
    pub alerts: Vec<(Alert, isize)>,
    /// Agent decision changes.
    pub decisions: Vec<(Decision, isize)>,
    /// Appointment changes; an id that is only retracted becomes `cancelled`.
    pub appointments: Vec<(Appointment, isize)>,
    /// New dead letters.
    pub dead_letters: Vec<DeadLetter>,
    /// `(fleet_id, vehicle_id)` of vehicles seen, registered on first sight.
    pub vehicles_seen: Vec<(String, String)>,
    /// Band transitions (for `vehicle.health.changed`, `component.degraded`, `component.critical`).
    pub transitions: Vec<(Transition, isize)>,
    /// Every consumed record (Parquet raw archive only; stores ignore it).
    pub raw: Vec<RawRecord>,
    /// Every accepted reading (Parquet readings archive and
    /// `vehicle.telemetry.received` only; stores ignore it).
    pub readings: Vec<Reading>,
}

impl ResultBatch {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.health.is_empty()
            && self.alerts.is_empty()
            && self.decisions.is_empty()
            && self.appointments.is_empty()
            && self.dead_letters.is_empty()
            && self.vehicles_seen.is_empty()
            && self.transitions.is_empty()
            && self.raw.is_empty()
            && self.readings.is_empty()
    }
}
