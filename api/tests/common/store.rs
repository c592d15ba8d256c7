//! An in-memory `Store` for black-box API tests, with a switch that makes
//! every call fail as an unreachable database would.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use schemas::{Bay, ClaimRecord, Decision, Fleet, HealthRow, PartStock, Technician, TsMs, Vehicle};
use sinks::{
    AlertFilter, AlertRecord, AppointmentRecord, ClaimFilter, DeadLetterRecord, FleetSummary, Page, Resources,
    ResultBatch, Store, StoreError, StoreProgress,
};

/// Everything the fake holds.
#[derive(Default)]
pub struct Data {
    pub fleets: BTreeMap<String, Fleet>,
    pub vehicles: BTreeMap<String, Vehicle>,
    pub health: Vec<HealthRow>,
    pub alerts: BTreeMap<String, AlertRecord>,
    pub decisions: Vec<Decision>,
    pub appointments: BTreeMap<String, AppointmentRecord>,
    pub dead_letters: Vec<DeadLetterRecord>,
    pub progress: Vec<StoreProgress>,
    pub resources: Resources,
    pub claims: BTreeMap<String, ClaimRecord>,
    /// When each claim's event was published, by claim id (store-internal, as in the real stores).
    pub claims_published: BTreeMap<String, TsMs>,
    /// The acknowledgement time whose event was published, by alert id (store-internal).
    pub acks_published: BTreeMap<String, TsMs>,
    /// Alerts whose escalation event was published (store-internal).
    pub escalations_published: BTreeSet<String>,
}

/// The fake store.
#[derive(Default)]
pub struct MemStore {
    pub data: Mutex<Data>,
    pub down: AtomicBool,
}

fn paginate<T>(rows: impl IntoIterator<Item = T>, page: Page) -> Vec<T> {
    rows.into_iter().skip(page.offset as usize).take(page.limit as usize).collect()
}

/// At most `limit` alerts of an outbox queue: those `queued`, ordered by
/// `since` (the time they joined the queue), then by id.
fn queued_alerts(
    d: &Data,
    queued: impl Fn(&AlertRecord) -> bool,
    since: impl Fn(&AlertRecord) -> Option<TsMs>,
    limit: i64,
) -> Vec<AlertRecord> {
    let mut pending: Vec<AlertRecord> = d.alerts.values().filter(|r| queued(r)).cloned().collect();
    pending.sort_by(|a, b| (since(a), &a.alert.alert_id).cmp(&(since(b), &b.alert.alert_id)));
    paginate(pending, Page { offset: 0, limit })
}

impl MemStore {
    fn data(&self) -> Result<std::sync::MutexGuard<'_, Data>, StoreError> {
        if self.down.load(Ordering::SeqCst) {
            return Err(StoreError::Unavailable(sqlx::Error::PoolTimedOut));
        }
        Ok(self.data.lock().expect("lock"))
    }
}

#[async_trait]
impl Store for MemStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        self.data().map(|_| ())
    }

    async fn healthcheck(&self) -> Result<(), StoreError> {
        self.data().map(|_| ())
    }

    async fn write_batch(&self, batch: &ResultBatch) -> Result<(), StoreError> {
        let mut d = self.data()?;
        for (row, diff) in &batch.health {
            if *diff > 0 {
                d.health.push(row.clone());
            }
        }
        for (alert, diff) in &batch.alerts {
            if *diff > 0 {
                let record = AlertRecord {
                    alert: alert.clone(),
                    acknowledged_by: None,
                    acknowledged_ms: None,
                    note: None,
                    escalated_ms: None,
                };
                d.alerts.insert(alert.alert_id.clone(), record);
            }
        }
        Ok(())
    }

    async fn upsert_fleet(&self, fleet: &Fleet) -> Result<(), StoreError> {
        self.data()?.fleets.insert(fleet.fleet_id.clone(), fleet.clone());
        Ok(())
    }

    async fn list_fleets(&self) -> Result<Vec<Fleet>, StoreError> {
        Ok(self.data()?.fleets.values().cloned().collect())
    }

    async fn upsert_vehicle(&self, vehicle: &Vehicle) -> Result<(), StoreError> {
        let mut d = self.data()?;
        if !d.fleets.contains_key(&vehicle.fleet_id) {
            return Err(StoreError::Conflict(format!("fleet {} does not exist", vehicle.fleet_id)));
        }
        d.vehicles.insert(vehicle.vehicle_id.clone(), vehicle.clone());
        Ok(())
    }

    async fn list_vehicles(&self, fleet_id: Option<&str>, page: Page) -> Result<Vec<Vehicle>, StoreError> {
        let d = self.data()?;
        Ok(paginate(d.vehicles.values().filter(|v| fleet_id.is_none_or(|f| v.fleet_id == f)).cloned(), page))
    }

    async fn get_vehicle(&self, vehicle_id: &str) -> Result<Option<Vehicle>, StoreError> {
        Ok(self.data()?.vehicles.get(vehicle_id).cloned())
    }

    async fn current_health(&self, vehicle_id: &str) -> Result<Vec<HealthRow>, StoreError> {
        let d = self.data()?;
        let mut latest: BTreeMap<_, HealthRow> = BTreeMap::new();
        for row in d.health.iter().filter(|h| &*h.vehicle_id == vehicle_id) {
            if latest.get(&row.component).is_none_or(|l| l.ts_ms < row.ts_ms) {
                latest.insert(row.component, row.clone());
            }
        }
        Ok(latest.into_values().collect())
    }

    async fn health_history(
        &self,
        vehicle_id: &str,
        component: Option<&str>,
        from_ms: Option<TsMs>,
        to_ms: Option<TsMs>,
        page: Page,
    ) -> Result<Vec<HealthRow>, StoreError> {
        let d = self.data()?;
        let mut rows: Vec<HealthRow> = d
            .health
            .iter()
            .filter(|h| &*h.vehicle_id == vehicle_id)
            .filter(|h| component.is_none_or(|c| h.component.as_str() == c))
            .filter(|h| from_ms.is_none_or(|f| h.ts_ms >= f) && to_ms.is_none_or(|t| h.ts_ms <= t))
            .cloned()
            .collect();
        rows.sort_by(|a, b| b.ts_ms.cmp(&a.ts_ms).then(a.component.cmp(&b.component)));
        Ok(paginate(rows, page))
    }

    async fn list_alerts(&self, filter: &AlertFilter, page: Page) -> Result<Vec<AlertRecord>, StoreError> {
        let d = self.data()?;
        let mut rows: Vec<AlertRecord> = d
            .alerts
            .values()
            .filter(|r| filter.fleet_id.as_deref().is_none_or(|f| r.alert.fleet_id == f))
            .filter(|r| filter.vehicle_id.as_deref().is_none_or(|v| r.alert.vehicle_id == v))
            .filter(|r| filter.severity.as_deref().is_none_or(|s| r.alert.severity.as_str() == s))
            .filter(|r| filter.state.as_deref().is_none_or(|s| r.alert.state.as_str() == s))
            .cloned()
            .collect();
        rows.sort_by(|a, b| b.alert.opened_ms.cmp(&a.alert.opened_ms).then(a.alert.alert_id.cmp(&b.alert.alert_id)));
        Ok(paginate(rows, page))
    }

    async fn get_alert(&self, alert_id: &str) -> Result<Option<AlertRecord>, StoreError> {
        Ok(self.data()?.alerts.get(alert_id).cloned())
    }

    async fn acknowledge_alert(
        &self,
        alert_id: &str,
        by: &str,
        note: Option<&str>,
        at_ms: TsMs,
    ) -> Result<Option<AlertRecord>, StoreError> {
        let mut d = self.data()?;
        Ok(d.alerts.get_mut(alert_id).map(|r| {
            r.acknowledged_by = Some(by.to_string());
            r.acknowledged_ms = Some(at_ms);
            r.note = note.map(str::to_string);
            r.clone()
        }))
    }

    async fn unpublished_acknowledgements(&self, limit: i64) -> Result<Vec<AlertRecord>, StoreError> {
        let d = self.data()?;
        Ok(queued_alerts(
            &d,
            |r| r.acknowledged_ms.is_some() && d.acks_published.get(&r.alert.alert_id) != r.acknowledged_ms.as_ref(),
            |r| r.acknowledged_ms,
            limit,
        ))
    }

    async fn mark_acknowledgements_published(&self, acknowledged: &[(String, TsMs)]) -> Result<(), StoreError> {
        let mut d = self.data()?;
        for (alert_id, at_ms) in acknowledged {
            if d.alerts.get(alert_id).is_some_and(|r| r.acknowledged_ms == Some(*at_ms)) {
                d.acks_published.insert(alert_id.clone(), *at_ms);
            }
        }
        Ok(())
    }

    async fn unpublished_escalations(&self, limit: i64) -> Result<Vec<AlertRecord>, StoreError> {
        let d = self.data()?;
        Ok(queued_alerts(
            &d,
            |r| r.escalated_ms.is_some() && !d.escalations_published.contains(&r.alert.alert_id),
            |r| r.escalated_ms,
            limit,
        ))
    }

    async fn mark_escalations_published(&self, alert_ids: &[String]) -> Result<(), StoreError> {
        self.data()?.escalations_published.extend(alert_ids.iter().cloned());
        Ok(())
    }

    async fn escalate_unacknowledged(
        &self,
        _older_than_ms: TsMs,
        _at_ms: TsMs,
    ) -> Result<Vec<AlertRecord>, StoreError> {
        self.data().map(|_| Vec::new())
    }

    async fn list_decisions(
        &self,
        vehicle_id: Option<&str>,
        alert_id: Option<&str>,
        page: Page,
    ) -> Result<Vec<Decision>, StoreError> {
        let d = self.data()?;
        let mut rows: Vec<Decision> = d
            .decisions
            .iter()
            .filter(|x| vehicle_id.is_none_or(|v| x.vehicle_id == v) && alert_id.is_none_or(|a| x.alert_id == a))
            .cloned()
            .collect();
        rows.sort_by_key(|d| std::cmp::Reverse(d.ts_ms));
        Ok(paginate(rows, page))
    }

    async fn list_appointments(
        &self,
        fleet_id: Option<&str>,
        vehicle_id: Option<&str>,
        page: Page,
    ) -> Result<Vec<AppointmentRecord>, StoreError> {
        let d = self.data()?;
        let mut rows: Vec<AppointmentRecord> = d
            .appointments
            .values()
            .filter(|r| fleet_id.is_none_or(|f| r.appointment.fleet_id == f))
            .filter(|r| vehicle_id.is_none_or(|v| r.appointment.vehicle_id == v))
            .cloned()
            .collect();
        rows.sort_by_key(|r| r.appointment.start_ms);
        Ok(paginate(rows, page))
    }

    async fn confirm_appointment(
        &self,
        appointment_id: &str,
        by: &str,
    ) -> Result<Option<AppointmentRecord>, StoreError> {
        let mut d = self.data()?;
        Ok(d.appointments.get_mut(appointment_id).map(|r| {
            r.status = "confirmed".to_string();
            r.confirmed_by = Some(by.to_string());
            r.clone()
        }))
    }

    async fn list_dead_letters(&self, reason: Option<&str>, page: Page) -> Result<Vec<DeadLetterRecord>, StoreError> {
        let d = self.data()?;
        let mut rows: Vec<DeadLetterRecord> = d
            .dead_letters
            .iter()
            .filter(|r| reason.is_none_or(|x| r.dead_letter.reason.as_str() == x))
            .cloned()
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.id));
        Ok(paginate(rows, page))
    }

    async fn store_progress(&self) -> Result<Vec<StoreProgress>, StoreError> {
        Ok(self.data()?.progress.clone())
    }

    async fn count_dead_letters(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let d = self.data()?;
        let mut counts: BTreeMap<String, i64> = BTreeMap::new();
        for r in &d.dead_letters {
            *counts.entry(r.dead_letter.reason.as_str().to_string()).or_default() += 1;
        }
        Ok(counts.into_iter().collect())
    }

    async fn fleet_summary(&self, fleet_id: &str) -> Result<FleetSummary, StoreError> {
        let d = self.data()?;
        let vehicles = d.vehicles.values().filter(|v| v.fleet_id == fleet_id).count() as i64;
        let mut latest: BTreeMap<(String, schemas::Component), &HealthRow> = BTreeMap::new();
        for row in d.health.iter().filter(|h| &*h.fleet_id == fleet_id) {
            let key = (row.vehicle_id.to_string(), row.component);
            if latest.get(&key).is_none_or(|l| l.ts_ms < row.ts_ms) {
                latest.insert(key, row);
            }
        }
        let mean_score =
            (!latest.is_empty()).then(|| latest.values().map(|h| h.score.get()).sum::<f64>() / latest.len() as f64);
        let mut bands: BTreeMap<String, i64> = BTreeMap::new();
        for h in latest.values() {
            *bands.entry(h.band.as_str().to_string()).or_default() += 1;
        }
        let mut severities: BTreeMap<String, i64> = BTreeMap::new();
        for r in
            d.alerts.values().filter(|r| r.alert.fleet_id == fleet_id && r.alert.state == schemas::AlertState::Open)
        {
            *severities.entry(r.alert.severity.as_str().to_string()).or_default() += 1;
        }
        let upcoming = d
            .appointments
            .values()
            .filter(|r| r.appointment.fleet_id == fleet_id && (r.status == "scheduled" || r.status == "confirmed"))
            .count() as i64;
        Ok(FleetSummary {
            fleet_id: fleet_id.to_string(),
            vehicles,
            mean_score,
            components_by_band: bands.into_iter().collect(),
            open_alerts_by_severity: severities.into_iter().collect(),
            upcoming_appointments: upcoming,
            dead_letters: 0,
        })
    }

    async fn resources(&self) -> Result<Resources, StoreError> {
        Ok(self.data()?.resources.clone())
    }

    async fn upsert_technician(&self, technician: &Technician) -> Result<(), StoreError> {
        let mut d = self.data()?;
        d.resources.technicians.retain(|t| t.technician_id != technician.technician_id);
        d.resources.technicians.push(technician.clone());
        Ok(())
    }

    async fn upsert_bay(&self, bay: &Bay) -> Result<(), StoreError> {
        let mut d = self.data()?;
        d.resources.bays.retain(|b| b.bay_id != bay.bay_id);
        d.resources.bays.push(bay.clone());
        Ok(())
    }

    async fn upsert_part_stock(&self, stock: &PartStock) -> Result<(), StoreError> {
        let mut d = self.data()?;
        d.resources.parts.retain(|p| !(p.depot == stock.depot && p.component == stock.component));
        d.resources.parts.push(stock.clone());
        Ok(())
    }

    async fn insert_claim(&self, claim: &ClaimRecord) -> Result<(), StoreError> {
        let mut d = self.data()?;
        if d.claims.contains_key(&claim.claim.claim_id) {
            return Err(StoreError::Conflict(format!("claim {} exists", claim.claim.claim_id)));
        }
        d.claims.insert(claim.claim.claim_id.clone(), claim.clone());
        Ok(())
    }

    async fn get_claim(&self, claim_id: &str) -> Result<Option<ClaimRecord>, StoreError> {
        Ok(self.data()?.claims.get(claim_id).cloned())
    }

    async fn list_claims(&self, filter: &ClaimFilter, page: Page) -> Result<Vec<ClaimRecord>, StoreError> {
        let d = self.data()?;
        let mut rows: Vec<ClaimRecord> = d
            .claims
            .values()
            .filter(|r| filter.fleet_id.as_deref().is_none_or(|f| r.claim.fleet_id == f))
            .filter(|r| filter.vehicle_id.as_deref().is_none_or(|v| r.claim.vehicle_id == v))
            .filter(|r| filter.status.as_deref().is_none_or(|s| r.status.as_str() == s))
            .cloned()
            .collect();
        rows.sort_by(|a, b| {
            b.claim.submitted_ms.cmp(&a.claim.submitted_ms).then(a.claim.claim_id.cmp(&b.claim.claim_id))
        });
        Ok(paginate(rows, page))
    }

    async fn unpublished_claims(&self, limit: i64) -> Result<Vec<ClaimRecord>, StoreError> {
        let d = self.data()?;
        let mut rows: Vec<ClaimRecord> = d
            .claims
            .values()
            .filter(|r| r.decided_ms.is_some() && !d.claims_published.contains_key(&r.claim.claim_id))
            .cloned()
            .collect();
        rows.sort_by(|a, b| (a.decided_ms, &a.claim.claim_id).cmp(&(b.decided_ms, &b.claim.claim_id)));
        Ok(paginate(rows, Page { offset: 0, limit }))
    }

    async fn mark_claims_published(&self, claim_ids: &[String], at_ms: TsMs) -> Result<(), StoreError> {
        let mut guard = self.data()?;
        let d = &mut *guard;
        for id in claim_ids.iter().filter(|id| d.claims.contains_key(*id)) {
            d.claims_published.insert(id.clone(), at_ms);
        }
        Ok(())
    }
}
