//! Decodes PostgreSQL rows into the shared types. Each function names the
//! columns it reads; the queries in this module's siblings select them.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

use schemas::{
    Alert, Appointment, Bay, DeadLetter, Decision, HealthRow, LogPos, PartStock, RawRecord, Technician, Value, Vehicle,
};

use crate::codec::{alert_state, from_time, parse, priority, reason, severity};
use crate::error::StoreError;
use crate::store::{AlertRecord, AppointmentRecord, DeadLetterRecord};

fn time(row: &PgRow, column: &str) -> Result<i64, StoreError> {
    Ok(from_time(row.try_get::<DateTime<Utc>, _>(column)?))
}

fn time_opt(row: &PgRow, column: &str) -> Result<Option<i64>, StoreError> {
    Ok(row.try_get::<Option<DateTime<Utc>>, _>(column)?.map(from_time))
}

fn value_opt(row: &PgRow, column: &str) -> Result<Option<Value>, StoreError> {
    Ok(row.try_get::<Option<f64>, _>(column)?.map(Value))
}

/// Columns: `fleet_id, vehicle_id, component, ts, score, band, rul_km, rul_km_p10, rul_km_p90, rul_days, odometer_km, model_version`.
pub fn health_row(row: &PgRow) -> Result<HealthRow, StoreError> {
    Ok(HealthRow {
        fleet_id: row.try_get("fleet_id")?,
        vehicle_id: row.try_get("vehicle_id")?,
        component: parse(row.try_get("component")?)?,
        ts_ms: time(row, "ts")?,
        score: Value(row.try_get("score")?),
        band: parse(row.try_get("band")?)?,
        rul_km: value_opt(row, "rul_km")?,
        rul_km_p10: value_opt(row, "rul_km_p10")?,
        rul_km_p90: value_opt(row, "rul_km_p90")?,
        rul_days: value_opt(row, "rul_days")?,
        odometer_km: value_opt(row, "odometer_km")?,
        model_version: row.try_get("model_version")?,
    })
}

/// Every column of `alert.alerts`.
pub fn alert_record(row: &PgRow) -> Result<AlertRecord, StoreError> {
    Ok(AlertRecord {
        alert: Alert {
            alert_id: row.try_get("alert_id")?,
            fleet_id: row.try_get("fleet_id")?,
            vehicle_id: row.try_get("vehicle_id")?,
            component: parse(row.try_get("component")?)?,
            severity: severity(row.try_get("severity")?)?,
            state: alert_state(row.try_get("state")?)?,
            opened_ms: time(row, "opened_at")?,
            last_ms: time(row, "last_at")?,
            resolved_ms: time_opt(row, "resolved_at")?,
            min_score: Value(row.try_get("min_score")?),
            rul_km: value_opt(row, "rul_km")?,
            rul_days: value_opt(row, "rul_days")?,
        },
        acknowledged_by: row.try_get("acknowledged_by")?,
        acknowledged_ms: time_opt(row, "acknowledged_at")?,
        note: row.try_get("note")?,
        escalated_ms: time_opt(row, "escalated_at")?,
    })
}

/// Every column of `agent.decisions`.
pub fn decision(row: &PgRow) -> Result<Decision, StoreError> {
    Ok(Decision {
        decision_id: row.try_get("decision_id")?,
        alert_id: row.try_get("alert_id")?,
        fleet_id: row.try_get("fleet_id")?,
        vehicle_id: row.try_get("vehicle_id")?,
        component: parse(row.try_get("component")?)?,
        worker: row.try_get("worker")?,
        action: row.try_get("action")?,
        recommendation: row.try_get("recommendation")?,
        reasoning: row.try_get("reasoning")?,
        priority: priority(i64::from(row.try_get::<i16, _>("priority")?))?,
        escalate: row.try_get("escalate")?,
        ts_ms: time(row, "ts")?,
    })
}

/// Every column of `scheduling.appointments`.
pub fn appointment_record(row: &PgRow) -> Result<AppointmentRecord, StoreError> {
    let components: Vec<String> = row.try_get("components")?;
    Ok(AppointmentRecord {
        appointment: Appointment {
            appointment_id: row.try_get("appointment_id")?,
            fleet_id: row.try_get("fleet_id")?,
            vehicle_id: row.try_get("vehicle_id")?,
            depot: row.try_get("depot")?,
            technician_id: row.try_get("technician_id")?,
            bay_id: row.try_get("bay_id")?,
            start_ms: time(row, "start_at")?,
            end_ms: time(row, "end_at")?,
            components: components.iter().map(|c| parse(c)).collect::<Result<_, _>>()?,
            alert_ids: row.try_get("alert_ids")?,
            deadline_ms: time(row, "deadline_at")?,
        },
        status: row.try_get("status")?,
        confirmed_by: row.try_get("confirmed_by")?,
    })
}

/// Every column of `ingestion.dead_letters`.
pub fn dead_letter_record(row: &PgRow) -> Result<DeadLetterRecord, StoreError> {
    Ok(DeadLetterRecord {
        id: row.try_get("id")?,
        dead_letter: DeadLetter {
            record: RawRecord {
                pos: LogPos { partition: row.try_get("kafka_partition")?, offset: row.try_get("kafka_offset")? },
                append_ms: time(row, "append_time")?,
                key: row.try_get("record_key")?,
                payload: row.try_get("payload")?,
            },
            reason: reason(row.try_get("reason")?)?,
            detail: row.try_get("detail")?,
            item: row.try_get("item")?,
            vehicle_id: row.try_get("vehicle_id")?,
            ts_ms: time_opt(row, "ts")?,
        },
    })
}

/// Every column of `analytics.vehicles`.
pub fn vehicle(row: &PgRow) -> Result<Vehicle, StoreError> {
    Ok(Vehicle {
        vehicle_id: row.try_get("vehicle_id")?,
        fleet_id: row.try_get("fleet_id")?,
        vin: row.try_get("vin")?,
        owner: row.try_get("owner")?,
        make: row.try_get("make")?,
        model: row.try_get("model")?,
        warranty_start: row.try_get::<Option<NaiveDate>, _>("warranty_start")?.map(|d| d.to_string()),
        home_depot: row.try_get("home_depot")?,
        time_zone: row.try_get("time_zone")?,
    })
}

/// Every column of `scheduling.technicians`.
pub fn technician(row: &PgRow) -> Result<Technician, StoreError> {
    let skills: Vec<String> = row.try_get("skills")?;
    Ok(Technician {
        technician_id: row.try_get("technician_id")?,
        name: row.try_get("name")?,
        depot: row.try_get("depot")?,
        skills: skills.iter().map(|s| parse(s)).collect::<Result<_, _>>()?,
        shift_start_hour: hour(row.try_get("shift_start_hour")?)?,
        shift_end_hour: hour(row.try_get("shift_end_hour")?)?,
    })
}

fn hour(stored: i16) -> Result<u8, StoreError> {
    u8::try_from(stored).map_err(|_| StoreError::Decode(format!("hour {stored} is out of range")))
}

/// Every column of `scheduling.bays`.
pub fn bay(row: &PgRow) -> Result<Bay, StoreError> {
    Ok(Bay { bay_id: row.try_get("bay_id")?, depot: row.try_get("depot")? })
}

/// Every column of `scheduling.parts_stock`.
pub fn part_stock(row: &PgRow) -> Result<PartStock, StoreError> {
    let quantity: i32 = row.try_get("quantity")?;
    Ok(PartStock {
        depot: row.try_get("depot")?,
        component: parse(row.try_get("component")?)?,
        quantity: u32::try_from(quantity)
            .map_err(|_| StoreError::Decode(format!("quantity {quantity} is negative")))?,
    })
}
