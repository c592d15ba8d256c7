//! Decodes SQLite rows into the shared types. Each function names the columns
//! it reads; the queries in this module's siblings select them.

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use schemas::{
    Alert, Appointment, Bay, DeadLetter, Decision, HealthRow, LogPos, PartStock, RawRecord, Technician, Value, Vehicle,
};

use crate::codec::{alert_state, parse, parse_json_list, priority, reason, severity};
use crate::error::StoreError;
use crate::store::{AlertRecord, AppointmentRecord, DeadLetterRecord};

fn value_opt(row: &SqliteRow, column: &str) -> Result<Option<Value>, StoreError> {
    Ok(row.try_get::<Option<f64>, _>(column)?.map(Value))
}

fn names<T: std::str::FromStr<Err = String>>(row: &SqliteRow, column: &str) -> Result<Vec<T>, StoreError> {
    parse_json_list(row.try_get(column)?)?.iter().map(|n| parse(n)).collect()
}

fn small<T: TryFrom<i64>>(row: &SqliteRow, column: &str) -> Result<T, StoreError> {
    let stored: i64 = row.try_get(column)?;
    T::try_from(stored).map_err(|_| StoreError::Decode(format!("{column} {stored} is out of range")))
}

/// Columns: `fleet_id, vehicle_id, component, ts_ms, score, band, rul_km, rul_km_p10, rul_km_p90, rul_days, odometer_km, model_version`.
pub fn health_row(row: &SqliteRow) -> Result<HealthRow, StoreError> {
    Ok(HealthRow {
        fleet_id: row.try_get("fleet_id")?,
        vehicle_id: row.try_get("vehicle_id")?,
        component: parse(row.try_get("component")?)?,
        ts_ms: row.try_get("ts_ms")?,
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

/// Every column of `alert_alerts`.
pub fn alert_record(row: &SqliteRow) -> Result<AlertRecord, StoreError> {
    Ok(AlertRecord {
        alert: Alert {
            alert_id: row.try_get("alert_id")?,
            fleet_id: row.try_get("fleet_id")?,
            vehicle_id: row.try_get("vehicle_id")?,
            component: parse(row.try_get("component")?)?,
            severity: severity(row.try_get("severity")?)?,
            state: alert_state(row.try_get("state")?)?,
            opened_ms: row.try_get("opened_ms")?,
            last_ms: row.try_get("last_ms")?,
            resolved_ms: row.try_get("resolved_ms")?,
            min_score: Value(row.try_get("min_score")?),
            rul_km: value_opt(row, "rul_km")?,
            rul_days: value_opt(row, "rul_days")?,
        },
        acknowledged_by: row.try_get("acknowledged_by")?,
        acknowledged_ms: row.try_get("acknowledged_ms")?,
        note: row.try_get("note")?,
        escalated_ms: row.try_get("escalated_ms")?,
    })
}

/// Every column of `agent_decisions`.
pub fn decision(row: &SqliteRow) -> Result<Decision, StoreError> {
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
        priority: priority(row.try_get("priority")?)?,
        escalate: row.try_get("escalate")?,
        ts_ms: row.try_get("ts_ms")?,
    })
}

/// Every column of `scheduling_appointments`.
pub fn appointment_record(row: &SqliteRow) -> Result<AppointmentRecord, StoreError> {
    Ok(AppointmentRecord {
        appointment: Appointment {
            appointment_id: row.try_get("appointment_id")?,
            fleet_id: row.try_get("fleet_id")?,
            vehicle_id: row.try_get("vehicle_id")?,
            depot: row.try_get("depot")?,
            technician_id: row.try_get("technician_id")?,
            bay_id: row.try_get("bay_id")?,
            start_ms: row.try_get("start_ms")?,
            end_ms: row.try_get("end_ms")?,
            components: names(row, "components")?,
            alert_ids: parse_json_list(row.try_get("alert_ids")?)?,
            deadline_ms: row.try_get("deadline_ms")?,
        },
        status: row.try_get("status")?,
        confirmed_by: row.try_get("confirmed_by")?,
    })
}

/// Every column of `ingestion_dead_letters`.
pub fn dead_letter_record(row: &SqliteRow) -> Result<DeadLetterRecord, StoreError> {
    Ok(DeadLetterRecord {
        id: row.try_get("id")?,
        dead_letter: DeadLetter {
            record: RawRecord {
                pos: LogPos { partition: small(row, "kafka_partition")?, offset: row.try_get("kafka_offset")? },
                append_ms: row.try_get("append_ms")?,
                key: row.try_get("record_key")?,
                payload: row.try_get("payload")?,
            },
            reason: reason(row.try_get("reason")?)?,
            detail: row.try_get("detail")?,
            item: row.try_get("item")?,
            vehicle_id: row.try_get("vehicle_id")?,
            ts_ms: row.try_get("ts_ms")?,
        },
    })
}

/// Every column of `analytics_vehicles`.
pub fn vehicle(row: &SqliteRow) -> Result<Vehicle, StoreError> {
    Ok(Vehicle {
        vehicle_id: row.try_get("vehicle_id")?,
        fleet_id: row.try_get("fleet_id")?,
        vin: row.try_get("vin")?,
        owner: row.try_get("owner")?,
        make: row.try_get("make")?,
        model: row.try_get("model")?,
        warranty_start: row.try_get("warranty_start")?,
        home_depot: row.try_get("home_depot")?,
        time_zone: row.try_get("time_zone")?,
    })
}

/// Every column of `scheduling_technicians`.
pub fn technician(row: &SqliteRow) -> Result<Technician, StoreError> {
    Ok(Technician {
        technician_id: row.try_get("technician_id")?,
        name: row.try_get("name")?,
        depot: row.try_get("depot")?,
        skills: names(row, "skills")?,
        shift_start_hour: small(row, "shift_start_hour")?,
        shift_end_hour: small(row, "shift_end_hour")?,
    })
}

/// Every column of `scheduling_bays`.
pub fn bay(row: &SqliteRow) -> Result<Bay, StoreError> {
    Ok(Bay { bay_id: row.try_get("bay_id")?, depot: row.try_get("depot")? })
}

/// Every column of `scheduling_parts_stock`.
pub fn part_stock(row: &SqliteRow) -> Result<PartStock, StoreError> {
    Ok(PartStock {
        depot: row.try_get("depot")?,
        component: parse(row.try_get("component")?)?,
        quantity: small(row, "quantity")?,
    })
}
