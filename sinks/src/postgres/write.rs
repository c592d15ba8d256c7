//! Applies one [`ResultBatch`] in one transaction: one set-based statement per
//! table and kind of change, idempotent on natural keys, never touching the
//! columns people own.

use sqlx::{PgPool, Postgres, Transaction};

use crate::batch::ResultBatch;
use crate::changes;
use crate::codec::{json_list, to_time, to_time_opt};
use crate::error::StoreError;

/// When a commit returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Commit {
    /// Once the transaction's WAL is on disk.
    Durable,
    /// At once, the WAL written behind: visible now, durable by the next
    /// [`make_durable`].
    Deferred,
}

/// Writes `batch` atomically.
pub async fn write_batch(pool: &PgPool, batch: &ResultBatch, commit: Commit) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    if commit == Commit::Deferred {
        sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut *tx).await?;
    }
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

/// Flushes the WAL of every deferred commit so far: a synchronous commit
/// of a write flushes the WAL up to its own commit record, and WAL is one
/// sequence, so every earlier commit's with it.
pub async fn make_durable(pool: &PgPool) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL synchronous_commit = on").execute(&mut *tx).await?;
    sqlx::query("UPDATE ingestion.durable_mark SET written_at = now()").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

type Tx<'c> = Transaction<'c, Postgres>;

async fn vehicles_seen(tx: &mut Tx<'_>, seen: &[(String, String)]) -> Result<(), StoreError> {
    let pairs = changes::distinct_vehicles(seen);
    if pairs.is_empty() {
        return Ok(());
    }
    let fleets: Vec<&str> = pairs.iter().map(|p| p.0).collect();
    let vehicles: Vec<&str> = pairs.iter().map(|p| p.1).collect();
    // In key order: two workers inserting the same new fleets in different
    // orders deadlocked (each waiting on the other's uncommitted row).
    sqlx::query(
        "INSERT INTO analytics.fleets (fleet_id, name)
         SELECT f, f FROM (SELECT DISTINCT f FROM UNNEST($1::text[]) AS f) AS d ORDER BY f
         ON CONFLICT (fleet_id) DO NOTHING",
    )
    .bind(&fleets)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO analytics.vehicles (vehicle_id, fleet_id)
         SELECT v, f FROM UNNEST($1::text[], $2::text[]) AS u(f, v)
         ON CONFLICT (vehicle_id) DO NOTHING",
    )
    .bind(&fleets)
    .bind(&vehicles)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn health(tx: &mut Tx<'_>, rows: &[(schemas::HealthRow, isize)]) -> Result<(), StoreError> {
    let c = changes::health(rows);
    if !c.upserts.is_empty() {
        let ts = c.upserts.iter().map(|r| to_time(r.ts_ms)).collect::<Result<Vec<_>, _>>()?;
        sqlx::query(
            "INSERT INTO health.component_health_history
                (fleet_id, vehicle_id, component, ts, model_version, score, band, rul_km, rul_days, odometer_km,
                 rul_km_p10, rul_km_p90)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[],
                                  $6::float8[], $7::text[], $8::float8[], $9::float8[], $10::float8[],
                                  $11::float8[], $12::float8[])
             ON CONFLICT (fleet_id, vehicle_id, component, ts, model_version) DO UPDATE SET
                score = EXCLUDED.score, band = EXCLUDED.band, rul_km = EXCLUDED.rul_km,
                rul_days = EXCLUDED.rul_days, odometer_km = EXCLUDED.odometer_km,
                rul_km_p10 = EXCLUDED.rul_km_p10, rul_km_p90 = EXCLUDED.rul_km_p90",
        )
        .bind(c.upserts.iter().map(|r| &*r.fleet_id).collect::<Vec<_>>())
        .bind(c.upserts.iter().map(|r| &*r.vehicle_id).collect::<Vec<_>>())
        .bind(c.upserts.iter().map(|r| r.component.as_str()).collect::<Vec<_>>())
        .bind(ts)
        .bind(c.upserts.iter().map(|r| &*r.model_version).collect::<Vec<_>>())
        .bind(c.upserts.iter().map(|r| r.score.get()).collect::<Vec<_>>())
        .bind(c.upserts.iter().map(|r| r.band.as_str()).collect::<Vec<_>>())
        .bind(c.upserts.iter().map(|r| r.rul_km.map(|v| v.get())).collect::<Vec<_>>())
        .bind(c.upserts.iter().map(|r| r.rul_days.map(|v| v.get())).collect::<Vec<_>>())
        .bind(c.upserts.iter().map(|r| r.odometer_km.map(|v| v.get())).collect::<Vec<_>>())
        .bind(c.upserts.iter().map(|r| r.rul_km_p10.map(|v| v.get())).collect::<Vec<_>>())
        .bind(c.upserts.iter().map(|r| r.rul_km_p90.map(|v| v.get())).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await?;
    }
    if !c.retracted_only.is_empty() {
        let gone = &c.retracted_only;
        let ts = gone.iter().map(|r| to_time(r.ts_ms)).collect::<Result<Vec<_>, _>>()?;
        sqlx::query(
            "DELETE FROM health.component_health_history h
             USING UNNEST($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[])
                AS d(fleet_id, vehicle_id, component, ts, model_version)
             WHERE h.fleet_id = d.fleet_id AND h.vehicle_id = d.vehicle_id AND h.component = d.component
               AND h.ts = d.ts AND h.model_version = d.model_version",
        )
        .bind(gone.iter().map(|r| &*r.fleet_id).collect::<Vec<_>>())
        .bind(gone.iter().map(|r| &*r.vehicle_id).collect::<Vec<_>>())
        .bind(gone.iter().map(|r| r.component.as_str()).collect::<Vec<_>>())
        .bind(ts)
        .bind(gone.iter().map(|r| &*r.model_version).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn alerts(tx: &mut Tx<'_>, rows: &[(schemas::Alert, isize)]) -> Result<(), StoreError> {
    let c = changes::alerts(rows);
    if !c.upserts.is_empty() {
        let a = &c.upserts;
        let opened = a.iter().map(|r| to_time(r.opened_ms)).collect::<Result<Vec<_>, _>>()?;
        let last = a.iter().map(|r| to_time(r.last_ms)).collect::<Result<Vec<_>, _>>()?;
        let resolved = a.iter().map(|r| to_time_opt(r.resolved_ms)).collect::<Result<Vec<_>, _>>()?;
        sqlx::query(
            "INSERT INTO alert.alerts
                (alert_id, fleet_id, vehicle_id, component, severity, state,
                 opened_at, last_at, resolved_at, min_score, rul_km, rul_days)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                  $7::timestamptz[], $8::timestamptz[], $9::timestamptz[],
                                  $10::float8[], $11::float8[], $12::float8[])
             ON CONFLICT (alert_id) DO UPDATE SET
                fleet_id = EXCLUDED.fleet_id, vehicle_id = EXCLUDED.vehicle_id,
                component = EXCLUDED.component, severity = EXCLUDED.severity, state = EXCLUDED.state,
                opened_at = EXCLUDED.opened_at, last_at = EXCLUDED.last_at,
                resolved_at = EXCLUDED.resolved_at, min_score = EXCLUDED.min_score,
                rul_km = EXCLUDED.rul_km, rul_days = EXCLUDED.rul_days",
        )
        .bind(a.iter().map(|r| r.alert_id.as_str()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| &*r.fleet_id).collect::<Vec<_>>())
        .bind(a.iter().map(|r| &*r.vehicle_id).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.component.as_str()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.severity.as_str()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.state.as_str()).collect::<Vec<_>>())
        .bind(opened)
        .bind(last)
        .bind(resolved)
        .bind(a.iter().map(|r| r.min_score.get()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.rul_km.map(|v| v.get())).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.rul_days.map(|v| v.get())).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await?;
    }
    if !c.retracted_only.is_empty() {
        sqlx::query("UPDATE alert.alerts SET state = 'withdrawn' WHERE alert_id = ANY($1::text[])")
            .bind(c.retracted_only.iter().map(|r| r.alert_id.as_str()).collect::<Vec<_>>())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn decisions(tx: &mut Tx<'_>, rows: &[(schemas::Decision, isize)]) -> Result<(), StoreError> {
    let c = changes::decisions(rows);
    if !c.upserts.is_empty() {
        let d = &c.upserts;
        let ts = d.iter().map(|r| to_time(r.ts_ms)).collect::<Result<Vec<_>, _>>()?;
        sqlx::query(
            "INSERT INTO agent.decisions
                (decision_id, alert_id, fleet_id, vehicle_id, component, worker, action,
                 recommendation, reasoning, priority, escalate, ts)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                  $7::text[], $8::text[], $9::text[], $10::int2[], $11::bool[], $12::timestamptz[])
             ON CONFLICT (decision_id) DO UPDATE SET
                alert_id = EXCLUDED.alert_id, fleet_id = EXCLUDED.fleet_id, vehicle_id = EXCLUDED.vehicle_id,
                component = EXCLUDED.component, worker = EXCLUDED.worker, action = EXCLUDED.action,
                recommendation = EXCLUDED.recommendation, reasoning = EXCLUDED.reasoning,
                priority = EXCLUDED.priority, escalate = EXCLUDED.escalate, ts = EXCLUDED.ts",
        )
        .bind(d.iter().map(|r| r.decision_id.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|r| r.alert_id.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|r| &*r.fleet_id).collect::<Vec<_>>())
        .bind(d.iter().map(|r| &*r.vehicle_id).collect::<Vec<_>>())
        .bind(d.iter().map(|r| r.component.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|r| r.worker.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|r| r.action.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|r| r.recommendation.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|r| r.reasoning.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|r| i16::from(r.priority)).collect::<Vec<_>>())
        .bind(d.iter().map(|r| r.escalate).collect::<Vec<_>>())
        .bind(ts)
        .execute(&mut **tx)
        .await?;
    }
    if !c.retracted_only.is_empty() {
        sqlx::query("DELETE FROM agent.decisions WHERE decision_id = ANY($1::text[])")
            .bind(c.retracted_only.iter().map(|r| r.decision_id.as_str()).collect::<Vec<_>>())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn appointments(tx: &mut Tx<'_>, rows: &[(schemas::Appointment, isize)]) -> Result<(), StoreError> {
    let c = changes::appointments(rows);
    if !c.upserts.is_empty() {
        let a = &c.upserts;
        let start = a.iter().map(|r| to_time(r.start_ms)).collect::<Result<Vec<_>, _>>()?;
        let end = a.iter().map(|r| to_time(r.end_ms)).collect::<Result<Vec<_>, _>>()?;
        let deadline = a.iter().map(|r| to_time(r.deadline_ms)).collect::<Result<Vec<_>, _>>()?;
        let components: Vec<String> =
            a.iter().map(|r| json_list(&r.components.iter().map(|c| c.as_str()).collect::<Vec<_>>())).collect();
        sqlx::query(
            "INSERT INTO scheduling.appointments
                (appointment_id, fleet_id, vehicle_id, depot, technician_id, bay_id,
                 start_at, end_at, components, alert_ids, deadline_at, status)
             SELECT u.appointment_id, u.fleet_id, u.vehicle_id, u.depot, u.technician_id, u.bay_id,
                    u.start_at, u.end_at,
                    ARRAY(SELECT jsonb_array_elements_text(u.components::jsonb)),
                    ARRAY(SELECT jsonb_array_elements_text(u.alert_ids::jsonb)),
                    u.deadline_at, 'scheduled'
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[], $11::timestamptz[])
                AS u(appointment_id, fleet_id, vehicle_id, depot, technician_id, bay_id,
                     start_at, end_at, components, alert_ids, deadline_at)
             ON CONFLICT (appointment_id) DO UPDATE SET
                fleet_id = EXCLUDED.fleet_id, vehicle_id = EXCLUDED.vehicle_id, depot = EXCLUDED.depot,
                technician_id = EXCLUDED.technician_id, bay_id = EXCLUDED.bay_id,
                start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at,
                components = EXCLUDED.components, alert_ids = EXCLUDED.alert_ids,
                deadline_at = EXCLUDED.deadline_at, status = 'scheduled'
             WHERE scheduling.appointments.status <> 'confirmed'",
        )
        .bind(a.iter().map(|r| r.appointment_id.as_str()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| &*r.fleet_id).collect::<Vec<_>>())
        .bind(a.iter().map(|r| &*r.vehicle_id).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.depot.as_str()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.technician_id.as_str()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.bay_id.as_str()).collect::<Vec<_>>())
        .bind(start)
        .bind(end)
        .bind(components)
        .bind(a.iter().map(|r| json_list(&r.alert_ids)).collect::<Vec<_>>())
        .bind(deadline)
        .execute(&mut **tx)
        .await?;
    }
    if !c.retracted_only.is_empty() {
        sqlx::query(
            "UPDATE scheduling.appointments SET status = 'cancelled'
             WHERE appointment_id = ANY($1::text[]) AND status <> 'confirmed'",
        )
        .bind(c.retracted_only.iter().map(|r| r.appointment_id.as_str()).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn dead_letters(tx: &mut Tx<'_>, rows: &[schemas::DeadLetter]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let append = rows.iter().map(|d| to_time(d.record.append_ms)).collect::<Result<Vec<_>, _>>()?;
    let ts = rows.iter().map(|d| to_time_opt(d.ts_ms)).collect::<Result<Vec<_>, _>>()?;
    sqlx::query(
        "INSERT INTO ingestion.dead_letters
            (kafka_partition, kafka_offset, append_time, record_key, payload,
             reason, detail, item, vehicle_id, ts)
         SELECT * FROM UNNEST($1::int4[], $2::int8[], $3::timestamptz[], $4::bytea[], $5::bytea[],
                              $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
         ON CONFLICT (kafka_partition, kafka_offset, reason, (COALESCE(item, ''))) DO NOTHING",
    )
    .bind(rows.iter().map(|d| d.record.pos.partition).collect::<Vec<_>>())
    .bind(rows.iter().map(|d| d.record.pos.offset).collect::<Vec<_>>())
    .bind(append)
    .bind(rows.iter().map(|d| d.record.key.as_deref()).collect::<Vec<_>>())
    .bind(rows.iter().map(|d| d.record.payload.as_slice()).collect::<Vec<_>>())
    .bind(rows.iter().map(|d| d.reason.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|d| d.detail.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|d| d.item.as_deref()).collect::<Vec<_>>())
    .bind(rows.iter().map(|d| d.vehicle_id.as_deref()).collect::<Vec<_>>())
    .bind(ts)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records how far into the input the batch's rows go, in the same
/// transaction as the rows; a replayed batch never moves it back.
async fn progress(tx: &mut Tx<'_>, raw: &[schemas::RawRecord]) -> Result<(), StoreError> {
    let next = changes::next_offsets(raw);
    if next.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO ingestion.store_progress (kafka_partition, next_offset, written_at)
         SELECT p, o, now() FROM UNNEST($1::int4[], $2::int8[]) AS u(p, o)
         ON CONFLICT (kafka_partition) DO UPDATE SET
            next_offset = GREATEST(ingestion.store_progress.next_offset, EXCLUDED.next_offset),
            written_at = EXCLUDED.written_at",
    )
    .bind(next.iter().map(|(p, _)| *p).collect::<Vec<_>>())
    .bind(next.iter().map(|(_, o)| *o).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
