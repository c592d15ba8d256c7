//! Applies one [`ResultBatch`] in one transaction with the same per-key rules
//! as PostgreSQL; SQLite runs in-process, so one prepared statement per row
//! costs no round trips.

use sqlx::{Sqlite, SqlitePool, Transaction};

use schemas::{Alert, Appointment, DeadLetter, Decision, HealthRow, RawRecord};

use crate::batch::ResultBatch;
use crate::changes;
use crate::codec::json_list;
use crate::error::StoreError;

use super::people::now_ms;

type Tx<'c> = Transaction<'c, Sqlite>;

/// Writes `batch` atomically.
pub async fn write_batch(pool: &SqlitePool, batch: &ResultBatch) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    vehicles_seen(&mut tx, &batch.vehicles_seen).await?;
    health(&mut tx, &batch.health).await?;
    alerts(&mut tx, &batch.alerts).await?;
    decisions(&mut tx, &batch.decisions).await?;
    appointments(&mut tx, &batch.appointments).await?;
    dead_letters(&mut tx, &batch.dead_letters).await?;
    progress(&mut tx, &batch.raw).await?;
    tx.commit().await?;
    Ok(())
}

async fn vehicles_seen(tx: &mut Tx<'_>, seen: &[(String, String)]) -> Result<(), StoreError> {
    for (fleet, vehicle) in changes::distinct_vehicles(seen) {
        sqlx::query("INSERT INTO analytics_fleets (fleet_id, name) VALUES (?1, ?1) ON CONFLICT DO NOTHING")
            .bind(fleet)
            .execute(&mut **tx)
            .await?;
        sqlx::query("INSERT INTO analytics_vehicles (vehicle_id, fleet_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
            .bind(vehicle)
            .bind(fleet)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn health(tx: &mut Tx<'_>, rows: &[(HealthRow, isize)]) -> Result<(), StoreError> {
    let c = changes::health(rows);
    for r in c.upserts {
        sqlx::query(
            "INSERT INTO health_component_health_history
                (fleet_id, vehicle_id, component, ts_ms, model_version, score, band, rul_km, rul_days, odometer_km,
                 rul_km_p10, rul_km_p90)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (fleet_id, vehicle_id, component, ts_ms, model_version) DO UPDATE SET
                score = excluded.score, band = excluded.band, rul_km = excluded.rul_km,
                rul_days = excluded.rul_days, odometer_km = excluded.odometer_km,
                rul_km_p10 = excluded.rul_km_p10, rul_km_p90 = excluded.rul_km_p90",
        )
        .bind(&r.fleet_id)
        .bind(&r.vehicle_id)
        .bind(r.component.as_str())
        .bind(r.ts_ms)
        .bind(&r.model_version)
        .bind(r.score.get())
        .bind(r.band.as_str())
        .bind(r.rul_km.map(|v| v.get()))
        .bind(r.rul_days.map(|v| v.get()))
        .bind(r.odometer_km.map(|v| v.get()))
        .bind(r.rul_km_p10.map(|v| v.get()))
        .bind(r.rul_km_p90.map(|v| v.get()))
        .execute(&mut **tx)
        .await?;
    }
    for r in c.retracted_only {
        sqlx::query(
            "DELETE FROM health_component_health_history
             WHERE fleet_id = ?1 AND vehicle_id = ?2 AND component = ?3 AND ts_ms = ?4 AND model_version = ?5",
        )
        .bind(&r.fleet_id)
        .bind(&r.vehicle_id)
        .bind(r.component.as_str())
        .bind(r.ts_ms)
        .bind(&r.model_version)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn alerts(tx: &mut Tx<'_>, rows: &[(Alert, isize)]) -> Result<(), StoreError> {
    let c = changes::alerts(rows);
    for a in c.upserts {
        sqlx::query(
            "INSERT INTO alert_alerts
                (alert_id, fleet_id, vehicle_id, component, severity, state,
                 opened_ms, last_ms, resolved_ms, min_score, rul_km, rul_days)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (alert_id) DO UPDATE SET
                fleet_id = excluded.fleet_id, vehicle_id = excluded.vehicle_id,
                component = excluded.component, severity = excluded.severity, state = excluded.state,
                opened_ms = excluded.opened_ms, last_ms = excluded.last_ms,
                resolved_ms = excluded.resolved_ms, min_score = excluded.min_score,
                rul_km = excluded.rul_km, rul_days = excluded.rul_days",
        )
        .bind(&a.alert_id)
        .bind(&a.fleet_id)
        .bind(&a.vehicle_id)
        .bind(a.component.as_str())
        .bind(a.severity.as_str())
        .bind(a.state.as_str())
        .bind(a.opened_ms)
        .bind(a.last_ms)
        .bind(a.resolved_ms)
        .bind(a.min_score.get())
        .bind(a.rul_km.map(|v| v.get()))
        .bind(a.rul_days.map(|v| v.get()))
        .execute(&mut **tx)
        .await?;
    }
    for a in c.retracted_only {
        sqlx::query("UPDATE alert_alerts SET state = 'withdrawn' WHERE alert_id = ?1")
            .bind(&a.alert_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn decisions(tx: &mut Tx<'_>, rows: &[(Decision, isize)]) -> Result<(), StoreError> {
    let c = changes::decisions(rows);
    for d in c.upserts {
        sqlx::query(
            "INSERT INTO agent_decisions
                (decision_id, alert_id, fleet_id, vehicle_id, component, worker, action,
                 recommendation, reasoning, priority, escalate, ts_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (decision_id) DO UPDATE SET
                alert_id = excluded.alert_id, fleet_id = excluded.fleet_id, vehicle_id = excluded.vehicle_id,
                component = excluded.component, worker = excluded.worker, action = excluded.action,
                recommendation = excluded.recommendation, reasoning = excluded.reasoning,
                priority = excluded.priority, escalate = excluded.escalate, ts_ms = excluded.ts_ms",
        )
        .bind(&d.decision_id)
        .bind(&d.alert_id)
        .bind(&d.fleet_id)
        .bind(&d.vehicle_id)
        .bind(d.component.as_str())
        .bind(&d.worker)
        .bind(&d.action)
        .bind(&d.recommendation)
        .bind(&d.reasoning)
        .bind(i64::from(d.priority))
        .bind(d.escalate)
        .bind(d.ts_ms)
        .execute(&mut **tx)
        .await?;
    }
    for d in c.retracted_only {
        sqlx::query("DELETE FROM agent_decisions WHERE decision_id = ?1")
            .bind(&d.decision_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn appointments(tx: &mut Tx<'_>, rows: &[(Appointment, isize)]) -> Result<(), StoreError> {
    let c = changes::appointments(rows);
    for a in c.upserts {
        let components: Vec<&str> = a.components.iter().map(|c| c.as_str()).collect();
        sqlx::query(
            "INSERT INTO scheduling_appointments
                (appointment_id, fleet_id, vehicle_id, depot, technician_id, bay_id,
                 start_ms, end_ms, components, alert_ids, deadline_ms, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'scheduled')
             ON CONFLICT (appointment_id) DO UPDATE SET
                fleet_id = excluded.fleet_id, vehicle_id = excluded.vehicle_id, depot = excluded.depot,
                technician_id = excluded.technician_id, bay_id = excluded.bay_id,
                start_ms = excluded.start_ms, end_ms = excluded.end_ms,
                components = excluded.components, alert_ids = excluded.alert_ids,
                deadline_ms = excluded.deadline_ms, status = 'scheduled'
             WHERE scheduling_appointments.status <> 'confirmed'",
        )
        .bind(&a.appointment_id)
        .bind(&a.fleet_id)
        .bind(&a.vehicle_id)
        .bind(&a.depot)
        .bind(&a.technician_id)
        .bind(&a.bay_id)
        .bind(a.start_ms)
        .bind(a.end_ms)
        .bind(json_list(&components))
        .bind(json_list(&a.alert_ids))
        .bind(a.deadline_ms)
        .execute(&mut **tx)
        .await?;
    }
    for a in c.retracted_only {
        sqlx::query(
            "UPDATE scheduling_appointments SET status = 'cancelled'
             WHERE appointment_id = ?1 AND status <> 'confirmed'",
        )
        .bind(&a.appointment_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn dead_letters(tx: &mut Tx<'_>, rows: &[DeadLetter]) -> Result<(), StoreError> {
    for d in rows {
        sqlx::query(
            "INSERT INTO ingestion_dead_letters
                (kafka_partition, kafka_offset, append_ms, record_key, payload,
                 reason, detail, item, vehicle_id, ts_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT DO NOTHING",
        )
        .bind(d.record.pos.partition)
        .bind(d.record.pos.offset)
        .bind(d.record.append_ms)
        .bind(d.record.key.as_deref())
        .bind(d.record.payload.as_slice())
        .bind(d.reason.as_str())
        .bind(&d.detail)
        .bind(d.item.as_deref())
        .bind(d.vehicle_id.as_deref())
        .bind(d.ts_ms)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Records how far into the input the batch's rows go, in the same
/// transaction as the rows; a replayed batch never moves it back.
async fn progress(tx: &mut Tx<'_>, raw: &[RawRecord]) -> Result<(), StoreError> {
    let written_ms = now_ms();
    for (partition, next_offset) in changes::next_offsets(raw) {
        sqlx::query(
            "INSERT INTO ingestion_store_progress (kafka_partition, next_offset, written_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT (kafka_partition) DO UPDATE SET
                next_offset = MAX(next_offset, excluded.next_offset), written_ms = excluded.written_ms",
        )
        .bind(partition)
        .bind(next_offset)
        .bind(written_ms)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
