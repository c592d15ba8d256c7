//! `POST /vehicles/import`: registers vehicles from CSV, all or nothing.
//!
//! Every row is checked (shape, fields, fleet existence, the caller's access)
//! before any is written; problems are reported with their line numbers.

use std::collections::{BTreeSet, HashSet};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::model::{ImportReport, VehicleView};
use crate::routes::vehicles::REGISTRY_WRITERS;
use crate::state::AppState;
use crate::validate;

/// The CSV header the import expects (any column order).
pub const CSV_COLUMNS: [&str; 9] =
    ["vehicle_id", "fleet_id", "vin", "owner", "make", "model", "warranty_start", "home_depot", "time_zone"];

/// The import route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import_vehicles))
}

/// One CSV row; empty cells are absent values.
#[derive(Debug, Deserialize)]
struct Row {
    vehicle_id: String,
    fleet_id: String,
    vin: Option<String>,
    owner: Option<String>,
    make: Option<String>,
    model: Option<String>,
    warranty_start: Option<String>,
    home_depot: Option<String>,
    time_zone: Option<String>,
}

fn present(cell: Option<String>) -> Option<String> {
    cell.map(|c| c.trim().to_string()).filter(|c| !c.is_empty())
}

impl From<Row> for VehicleView {
    fn from(r: Row) -> Self {
        VehicleView {
            vehicle_id: r.vehicle_id.trim().to_string(),
            fleet_id: r.fleet_id.trim().to_string(),
            vin: present(r.vin),
            owner: present(r.owner),
            make: present(r.make),
            model: present(r.model),
            warranty_start: present(r.warranty_start),
            home_depot: present(r.home_depot),
            time_zone: present(r.time_zone),
        }
    }
}

/// Parses and checks the CSV: the vehicles, or every problem found (with line numbers).
fn parse(body: &[u8], caller: &Caller, fleets: &HashSet<String>) -> Result<Vec<VehicleView>, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::Headers).from_reader(body);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![format!("line 1: {e}")]),
    };
    let header: BTreeSet<&str> = headers.iter().collect();
    if header != CSV_COLUMNS.into_iter().collect() || headers.len() != CSV_COLUMNS.len() {
        return Err(vec![format!("line 1: header must have exactly the columns {}", CSV_COLUMNS.join(","))]);
    }
    let mut problems = Vec::new();
    let mut vehicles = Vec::new();
    let mut seen = HashSet::new();
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let vehicle: VehicleView = match record.deserialize::<Row>(Some(&headers)) {
            Ok(row) => row.into(),
            Err(e) => {
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let mut row_problems = validate::vehicle_problems(&vehicle);
        if row_problems.is_empty() {
            if let Err(e) = caller.require_fleet(&vehicle.fleet_id) {
                row_problems.push(e.message);
            } else if !fleets.contains(&vehicle.fleet_id) {
                row_problems.push(format!("fleet '{}' does not exist", vehicle.fleet_id));
            }
            if !seen.insert(vehicle.vehicle_id.clone()) {
                row_problems.push(format!("vehicle '{}' appears twice", vehicle.vehicle_id));
            }
        }
        problems.extend(row_problems.into_iter().map(|p| format!("line {line}: {p}")));
        vehicles.push(vehicle);
    }
    if problems.is_empty() { Ok(vehicles) } else { Err(problems) }
}

/// Registers or updates vehicles from CSV (`text/csv`, header
/// `vehicle_id,fleet_id,vin,owner,make,model,warranty_start,home_depot,time_zone`).
/// Nothing is written unless every row is valid.
#[utoipa::path(post, path = "/vehicles/import", tag = "vehicles",
    request_body(content = String, content_type = "text/csv", description = "CSV with a header row"),
    responses((status = 200, body = ImportReport), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "per-row problems in `details`, with line numbers")))]
async fn import_vehicles(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    caller.require_role(REGISTRY_WRITERS)?;
    let fleets: HashSet<String> = state.store.list_fleets().await?.into_iter().map(|f| f.fleet_id).collect();
    let vehicles = parse(&body, &caller, &fleets).map_err(|problems| {
        ApiError::unprocessable(format!("csv rejected: {} problem(s); nothing was imported", problems.len()))
            .with_details(problems)
    })?;
    if vehicles.is_empty() {
        return Err(ApiError::unprocessable("csv has no rows"));
    }
    for vehicle in &vehicles {
        if let Some(existing) = state.store.get_vehicle(&vehicle.vehicle_id).await? {
            caller.require_fleet(&existing.fleet_id)?;
        }
    }
    for vehicle in &vehicles {
        state.store.upsert_vehicle(&vehicle.clone().into()).await?;
    }
    Ok(Json(ImportReport { imported: vehicles.len() }))
}
