//! The storage trait: the one interface through which the pipeline writes
//! results and the API reads them. PostgreSQL is the reference
//! implementation; SQLite is the embedded one used by `carvrooom demo`.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use schemas::{
    Alert, Appointment, Bay, ClaimRecord, DeadLetter, Decision, Fleet, HealthRow, PartStock, Technician, TsMs, Vehicle,
};

use crate::batch::ResultBatch;

use crate::error::StoreError;

/// A page of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// Rows to skip.
    pub offset: i64,
    /// Rows to return at most.
    pub limit: i64,
}

impl Default for Page {
    fn default() -> Self {
        Page { offset: 0, limit: 100 }
    }
}

/// An alert as stored: the dataflow's columns plus the ones people own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertRecord {
    /// The dataflow-owned part (its `state` may be `withdrawn`).
    pub alert: Alert,
    /// Who acknowledged it (person-owned).
    pub acknowledged_by: Option<String>,
    /// When it was acknowledged, ms (person-owned).
    pub acknowledged_ms: Option<TsMs>,
    /// A note left by a person (person-owned).
    pub note: Option<String>,
    /// When it was escalated for staying unacknowledged, ms.
    pub escalated_ms: Option<TsMs>,
}

/// Filters for listing alerts; `None` means any.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertFilter {
    /// Only this fleet.
    pub fleet_id: Option<String>,
    /// Only this vehicle.
    pub vehicle_id: Option<String>,
    /// Only this severity (`warning`, `critical`).
    pub severity: Option<String>,
    /// Only this state (`open`, `resolved`, `withdrawn`).
    pub state: Option<String>,
}

/// Filters for listing warranty claims; `None` means any.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimFilter {
    /// Only this fleet.
    pub fleet_id: Option<String>,
    /// Only this vehicle.
    pub vehicle_id: Option<String>,
    /// Only this status (`submitted`, `validated`, `rejected`).
    pub status: Option<String>,
}

/// An appointment as stored, with its status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppointmentRecord {
    /// The planned appointment.
    pub appointment: Appointment,
    /// `scheduled` (by the planner), `cancelled` (no longer planned) or `confirmed` (by a person).
    pub status: String,
    /// Who confirmed it (person-owned).
    pub confirmed_by: Option<String>,
}

/// A stored dead letter with its store-assigned id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeadLetterRecord {
    /// Store-assigned id.
    pub id: i64,
    /// The dead letter.
    pub dead_letter: DeadLetter,
}

/// How far the stored results go into one partition of the input topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreProgress {
    /// Kafka partition.
    pub partition: i32,
    /// The offset of the first record whose rows are not stored yet: every
    /// record before it has all its rows visible (exactly so with one worker;
    /// with several, the rows other workers write may trail it by an epoch or two).
    pub next_offset: i64,
    /// When the store last wrote results of this partition (wall clock), ms;
    /// the replay after a restart refreshes it without moving `next_offset`.
    pub written_ms: TsMs,
}

/// Headline numbers of one fleet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FleetSummary {
    /// The fleet.
    pub fleet_id: String,
    /// Registered vehicles.
    pub vehicles: i64,
    /// Mean of the current component scores.
    pub mean_score: Option<f64>,
    /// Current `(band, component count)`.
    pub components_by_band: Vec<(String, i64)>,
    /// Open alerts by severity: `(severity, count)`.
    pub open_alerts_by_severity: Vec<(String, i64)>,
    /// Appointments with status `scheduled` or `confirmed`.
    pub upcoming_appointments: i64,
    /// Dead letters of this fleet's vehicles.
    pub dead_letters: i64,
}

/// Scheduling resources, as the planner needs them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    /// Technicians.
    pub technicians: Vec<Technician>,
    /// Bays.
    pub bays: Vec<Bay>,
    /// Parts stock.
    pub parts: Vec<PartStock>,
}

/// Where results live and how the API reads them.
#[async_trait]
pub trait Store: Send + Sync {
    /// Applies the numbered migrations that have not run yet.
    async fn migrate(&self) -> Result<(), StoreError>;
    /// Checks the store answers.
    async fn healthcheck(&self) -> Result<(), StoreError>;

    /// Applies one commit point's changes in one transaction, idempotently;
    /// never touches person-owned columns.
    async fn write_batch(&self, batch: &ResultBatch) -> Result<(), StoreError>;

    /// [`write_batch`](Self::write_batch), visible when it returns but
    /// durable only by the next [`make_durable`](Self::make_durable): for
    /// the epochs between two commit points, whose offsets are committed
    /// only after the next one. The default waits for durability.
    async fn write_batch_deferred(&self, batch: &ResultBatch) -> Result<(), StoreError> {
        self.write_batch(batch).await
    }

    /// Makes every batch written so far durable. The default has nothing
    /// left to do (every write was durable).
    async fn make_durable(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Creates or renames a fleet.
    async fn upsert_fleet(&self, fleet: &Fleet) -> Result<(), StoreError>;
    /// All fleets, by id.
    async fn list_fleets(&self) -> Result<Vec<Fleet>, StoreError>;
    /// Registers a vehicle or updates its registry facts (its fleet must exist).
    async fn upsert_vehicle(&self, vehicle: &Vehicle) -> Result<(), StoreError>;
    /// Vehicles, optionally of one fleet, by id.
    async fn list_vehicles(&self, fleet_id: Option<&str>, page: Page) -> Result<Vec<Vehicle>, StoreError>;
    /// One vehicle.
    async fn get_vehicle(&self, vehicle_id: &str) -> Result<Option<Vehicle>, StoreError>;

    /// The latest health row of each component of a vehicle.
    async fn current_health(&self, vehicle_id: &str) -> Result<Vec<HealthRow>, StoreError>;
    /// Health history of a vehicle, newest first, optionally one component and a time range.
    async fn health_history(
        &self,
        vehicle_id: &str,
        component: Option<&str>,
        from_ms: Option<TsMs>,
        to_ms: Option<TsMs>,
        page: Page,
    ) -> Result<Vec<HealthRow>, StoreError>;

    /// Alerts matching the filter, newest first.
    async fn list_alerts(&self, filter: &AlertFilter, page: Page) -> Result<Vec<AlertRecord>, StoreError>;
    /// One alert.
    async fn get_alert(&self, alert_id: &str) -> Result<Option<AlertRecord>, StoreError>;
    /// Records a person's acknowledgement; `None` when there is no such alert.
    async fn acknowledge_alert(
        &self,
        alert_id: &str,
        by: &str,
        note: Option<&str>,
        at_ms: TsMs,
    ) -> Result<Option<AlertRecord>, StoreError>;
    /// Acknowledged alerts whose latest acknowledgement has no published
    /// `alert.acknowledged` event yet, earliest acknowledgement first (then by id).
    async fn unpublished_acknowledgements(&self, limit: i64) -> Result<Vec<AlertRecord>, StoreError>;
    /// Records that the acknowledgements `(alert id, acknowledged at ms)` were
    /// published; one acknowledged again since keeps waiting for its own event.
    async fn mark_acknowledgements_published(&self, acknowledged: &[(String, TsMs)]) -> Result<(), StoreError>;
    /// Escalated alerts whose `alert.escalated` event has not been published,
    /// earliest escalation first (then by id).
    async fn unpublished_escalations(&self, limit: i64) -> Result<Vec<AlertRecord>, StoreError>;
    /// Records that the escalations of these alerts were published.
    async fn mark_escalations_published(&self, alert_ids: &[String]) -> Result<(), StoreError>;
    /// Marks open critical alerts unacknowledged since before `older_than_ms` as escalated; returns them.
    async fn escalate_unacknowledged(&self, older_than_ms: TsMs, at_ms: TsMs) -> Result<Vec<AlertRecord>, StoreError>;

    /// Agent decisions, optionally of one vehicle or alert, newest first.
    async fn list_decisions(
        &self,
        vehicle_id: Option<&str>,
        alert_id: Option<&str>,
        page: Page,
    ) -> Result<Vec<Decision>, StoreError>;

    /// Appointments, optionally of one fleet or vehicle, by start.
    async fn list_appointments(
        &self,
        fleet_id: Option<&str>,
        vehicle_id: Option<&str>,
        page: Page,
    ) -> Result<Vec<AppointmentRecord>, StoreError>;
    /// A person confirms a planned appointment; `None` when there is no such appointment.
    async fn confirm_appointment(
        &self,
        appointment_id: &str,
        by: &str,
    ) -> Result<Option<AppointmentRecord>, StoreError>;

    /// Dead letters, optionally of one reason, newest first.
    async fn list_dead_letters(&self, reason: Option<&str>, page: Page) -> Result<Vec<DeadLetterRecord>, StoreError>;
    /// Dead letters per reason.
    async fn count_dead_letters(&self) -> Result<Vec<(String, i64)>, StoreError>;
    /// How far the stored results go into the input, by partition.
    async fn store_progress(&self) -> Result<Vec<StoreProgress>, StoreError>;

    /// Headline numbers of one fleet.
    async fn fleet_summary(&self, fleet_id: &str) -> Result<FleetSummary, StoreError>;

    /// Technicians, bays and parts stock.
    async fn resources(&self) -> Result<Resources, StoreError>;
    /// Adds or replaces a technician.
    async fn upsert_technician(&self, technician: &Technician) -> Result<(), StoreError>;
    /// Adds or replaces a bay.
    async fn upsert_bay(&self, bay: &Bay) -> Result<(), StoreError>;
    /// Sets a depot's stock of one component's parts kit.
    async fn upsert_part_stock(&self, stock: &PartStock) -> Result<(), StoreError>;

    /// Stores a new warranty claim with its decision, audited as its
    /// submitter's action; [`StoreError::Conflict`] when its id exists.
    async fn insert_claim(&self, claim: &ClaimRecord) -> Result<(), StoreError>;
    /// One warranty claim.
    async fn get_claim(&self, claim_id: &str) -> Result<Option<ClaimRecord>, StoreError>;
    /// Warranty claims matching the filter, newest submission first (then by id).
    async fn list_claims(&self, filter: &ClaimFilter, page: Page) -> Result<Vec<ClaimRecord>, StoreError>;
    /// Decided claims whose event has not been published yet, earliest decision first (then by id).
    async fn unpublished_claims(&self, limit: i64) -> Result<Vec<ClaimRecord>, StoreError>;
    /// Records that the events of these claims were published at `at_ms`.
    async fn mark_claims_published(&self, claim_ids: &[String], at_ms: TsMs) -> Result<(), StoreError>;
}
