//! [`PgStore`]: the [`Store`] implementation over a PostgreSQL pool.

use std::time::Duration;

use async_trait::async_trait;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use schemas::{Bay, ClaimRecord, Decision, Fleet, HealthRow, PartStock, Technician, TsMs, Vehicle};

use super::config::PgConfig;
use super::write::Commit;
use super::{claims, outbox, people, reads, registry, write};
use crate::batch::ResultBatch;
use crate::error::StoreError;
use crate::store::{
    AlertFilter, AlertRecord, AppointmentRecord, ClaimFilter, DeadLetterRecord, FleetSummary, Page, Resources, Store,
    StoreProgress,
};

/// The PostgreSQL store.
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Opens a connection pool (lazily: the first query connects).
    pub fn connect(config: &PgConfig) -> Result<PgStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(config.max_connections)
            .acquire_timeout(Duration::from_secs(config.acquire_timeout_secs))
            .connect_lazy(&config.url)?;
        Ok(PgStore { pool })
    }

    /// Wraps an existing pool.
    pub fn from_pool(pool: PgPool) -> PgStore {
        PgStore { pool }
    }

    /// The underlying pool (for the API's own queries over the same tables).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

#[async_trait]
impl Store for PgStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/postgres").run(&self.pool).await?;
        Ok(())
    }

    async fn healthcheck(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn write_batch(&self, batch: &ResultBatch) -> Result<(), StoreError> {
        write::write_batch(&self.pool, batch, Commit::Durable).await
    }

    async fn write_batch_deferred(&self, batch: &ResultBatch) -> Result<(), StoreError> {
        write::write_batch(&self.pool, batch, Commit::Deferred).await
    }

    async fn make_durable(&self) -> Result<(), StoreError> {
        write::make_durable(&self.pool).await
    }

    async fn upsert_fleet(&self, fleet: &Fleet) -> Result<(), StoreError> {
        registry::upsert_fleet(&self.pool, fleet).await
    }

    async fn list_fleets(&self) -> Result<Vec<Fleet>, StoreError> {
        registry::list_fleets(&self.pool).await
    }

    async fn upsert_vehicle(&self, vehicle: &Vehicle) -> Result<(), StoreError> {
        registry::upsert_vehicle(&self.pool, vehicle).await
    }

    async fn list_vehicles(&self, fleet_id: Option<&str>, page: Page) -> Result<Vec<Vehicle>, StoreError> {
        registry::list_vehicles(&self.pool, fleet_id, page).await
    }

    async fn get_vehicle(&self, vehicle_id: &str) -> Result<Option<Vehicle>, StoreError> {
        registry::get_vehicle(&self.pool, vehicle_id).await
    }

    async fn current_health(&self, vehicle_id: &str) -> Result<Vec<HealthRow>, StoreError> {
        reads::current_health(&self.pool, vehicle_id).await
    }

    async fn health_history(
        &self,
        vehicle_id: &str,
        component: Option<&str>,
        from_ms: Option<TsMs>,
        to_ms: Option<TsMs>,
        page: Page,
    ) -> Result<Vec<HealthRow>, StoreError> {
        reads::health_history(&self.pool, vehicle_id, component, from_ms, to_ms, page).await
    }

    async fn list_alerts(&self, filter: &AlertFilter, page: Page) -> Result<Vec<AlertRecord>, StoreError> {
        reads::list_alerts(&self.pool, filter, page).await
    }

    async fn get_alert(&self, alert_id: &str) -> Result<Option<AlertRecord>, StoreError> {
        reads::get_alert(&self.pool, alert_id).await
    }

    async fn acknowledge_alert(
        &self,
        alert_id: &str,
        by: &str,
        note: Option<&str>,
        at_ms: TsMs,
    ) -> Result<Option<AlertRecord>, StoreError> {
        people::acknowledge_alert(&self.pool, alert_id, by, note, at_ms).await
    }

    async fn unpublished_acknowledgements(&self, limit: i64) -> Result<Vec<AlertRecord>, StoreError> {
        outbox::unpublished_acknowledgements(&self.pool, limit).await
    }

    async fn mark_acknowledgements_published(&self, acknowledged: &[(String, TsMs)]) -> Result<(), StoreError> {
        outbox::mark_acknowledgements_published(&self.pool, acknowledged).await
    }

    async fn unpublished_escalations(&self, limit: i64) -> Result<Vec<AlertRecord>, StoreError> {
        outbox::unpublished_escalations(&self.pool, limit).await
    }

    async fn mark_escalations_published(&self, alert_ids: &[String]) -> Result<(), StoreError> {
        outbox::mark_escalations_published(&self.pool, alert_ids).await
    }

    async fn escalate_unacknowledged(&self, older_than_ms: TsMs, at_ms: TsMs) -> Result<Vec<AlertRecord>, StoreError> {
        people::escalate_unacknowledged(&self.pool, older_than_ms, at_ms).await
    }

    async fn list_decisions(
        &self,
        vehicle_id: Option<&str>,
        alert_id: Option<&str>,
        page: Page,
    ) -> Result<Vec<Decision>, StoreError> {
        reads::list_decisions(&self.pool, vehicle_id, alert_id, page).await
    }

    async fn list_appointments(
        &self,
        fleet_id: Option<&str>,
        vehicle_id: Option<&str>,
        page: Page,
    ) -> Result<Vec<AppointmentRecord>, StoreError> {
        reads::list_appointments(&self.pool, fleet_id, vehicle_id, page).await
    }

    async fn confirm_appointment(
        &self,
        appointment_id: &str,
        by: &str,
    ) -> Result<Option<AppointmentRecord>, StoreError> {
        people::confirm_appointment(&self.pool, appointment_id, by).await
    }

    async fn list_dead_letters(&self, reason: Option<&str>, page: Page) -> Result<Vec<DeadLetterRecord>, StoreError> {
        reads::list_dead_letters(&self.pool, reason, page).await
    }

    async fn count_dead_letters(&self) -> Result<Vec<(String, i64)>, StoreError> {
        reads::count_dead_letters(&self.pool).await
    }

    async fn store_progress(&self) -> Result<Vec<StoreProgress>, StoreError> {
        reads::store_progress(&self.pool).await
    }

    async fn fleet_summary(&self, fleet_id: &str) -> Result<FleetSummary, StoreError> {
        reads::fleet_summary(&self.pool, fleet_id).await
    }

    async fn resources(&self) -> Result<Resources, StoreError> {
        registry::resources(&self.pool).await
    }

    async fn upsert_technician(&self, technician: &Technician) -> Result<(), StoreError> {
        registry::upsert_technician(&self.pool, technician).await
    }

    async fn upsert_bay(&self, bay: &Bay) -> Result<(), StoreError> {
        registry::upsert_bay(&self.pool, bay).await
    }

    async fn upsert_part_stock(&self, stock: &PartStock) -> Result<(), StoreError> {
        registry::upsert_part_stock(&self.pool, stock).await
    }

    async fn insert_claim(&self, claim: &ClaimRecord) -> Result<(), StoreError> {
        claims::insert_claim(&self.pool, claim).await
    }

    async fn get_claim(&self, claim_id: &str) -> Result<Option<ClaimRecord>, StoreError> {
        claims::get_claim(&self.pool, claim_id).await
    }

    async fn list_claims(&self, filter: &ClaimFilter, page: Page) -> Result<Vec<ClaimRecord>, StoreError> {
        claims::list_claims(&self.pool, filter, page).await
    }

    async fn unpublished_claims(&self, limit: i64) -> Result<Vec<ClaimRecord>, StoreError> {
        claims::unpublished_claims(&self.pool, limit).await
    }

    async fn mark_claims_published(&self, claim_ids: &[String], at_ms: TsMs) -> Result<(), StoreError> {
        claims::mark_claims_published(&self.pool, claim_ids, at_ms).await
    }
}
