//! Checks on registry and resource input that the store's constraints do
//! not express; each failure is a 422 naming the field.

use crate::error::ApiError;
use crate::model::{BayView, PartStockView, TechnicianView, VehicleView};

/// The longest id the API accepts.
const MAX_ID_LEN: usize = 128;

/// An id used in keys and URLs: 1..=128 characters, no whitespace, control characters or `/`.
pub fn id(field: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("{field}: must not be empty"));
    }
    if value.chars().count() > MAX_ID_LEN {
        return Err(format!("{field}: longer than {MAX_ID_LEN} characters"));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control() || c == '/') {
        return Err(format!("{field}: '{value}' contains whitespace, a control character or '/'"));
    }
    Ok(())
}

/// A vehicle identification number: 17 of `A-Z` (no I, O, Q) and `0-9`.
fn vin(value: &str) -> Result<(), String> {
    let valid = value.len() == 17
        && value.chars().all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !matches!(c, 'I' | 'O' | 'Q')));
    if valid { Ok(()) } else { Err(format!("vin: '{value}' is not 17 characters of A-Z (no I, O, Q) and 0-9")) }
}

/// The problems with a vehicle, in field order (empty when it is valid).
pub fn vehicle_problems(v: &VehicleView) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |result: Result<(), String>| {
        if let Err(problem) = result {
            problems.push(problem);
        }
    };
    check(id("vehicle_id", &v.vehicle_id));
    check(id("fleet_id", &v.fleet_id));
    if let Some(value) = &v.vin {
        check(vin(value));
    }
    if let Some(date) = &v.warranty_start {
        check(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map(|_| ())
                .map_err(|e| format!("warranty_start: '{date}' is not a YYYY-MM-DD date: {e}")),
        );
    }
    if let Some(depot) = &v.home_depot {
        check(id("home_depot", depot));
    }
    if let Some(zone) = &v.time_zone {
        let valid = !zone.is_empty() && zone.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
        if !valid {
            check(Err(format!("time_zone: '{zone}' is not an IANA time zone name")));
        }
    }
    problems
}

/// 422 unless the vehicle is valid.
pub fn vehicle(v: &VehicleView) -> Result<(), ApiError> {
    let problems = vehicle_problems(v);
    if problems.is_empty() { Ok(()) } else { Err(ApiError::unprocessable(problems.join("; "))) }
}

/// 422 unless the technician is valid.
pub fn technician(t: &TechnicianView) -> Result<(), ApiError> {
    id("technician_id", &t.technician_id).map_err(ApiError::unprocessable)?;
    id("depot", &t.depot).map_err(ApiError::unprocessable)?;
    if t.name.trim().is_empty() {
        return Err(ApiError::unprocessable("name: must not be empty"));
    }
    if t.shift_start_hour > 23 || t.shift_end_hour > 24 || t.shift_start_hour >= t.shift_end_hour {
        return Err(ApiError::unprocessable(format!(
            "shift: start {} and end {} must satisfy 0 <= start < end <= 24",
            t.shift_start_hour, t.shift_end_hour
        )));
    }
    Ok(())
}

/// 422 unless the bay is valid.
pub fn bay(b: &BayView) -> Result<(), ApiError> {
    id("bay_id", &b.bay_id).map_err(ApiError::unprocessable)?;
    id("depot", &b.depot).map_err(ApiError::unprocessable)
}

/// 422 unless the parts stock is valid.
pub fn part_stock(p: &PartStockView) -> Result<(), ApiError> {
    id("depot", &p.depot).map_err(ApiError::unprocessable)
}

/// 422 unless `value` (a person's name in `field`) is non-blank.
pub fn person(field: &str, value: &str) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::unprocessable(format!("{field}: must not be empty")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vehicle_with(vin: Option<&str>, zone: Option<&str>) -> VehicleView {
        VehicleView {
            vehicle_id: "v1".into(),
            fleet_id: "acme".into(),
            vin: vin.map(Into::into),
            owner: None,
            make: None,
            model: None,
            warranty_start: Some("2024-02-29".into()),
            home_depot: None,
            time_zone: zone.map(Into::into),
        }
    }

    #[test]
    fn ids() {
        assert_eq!(id("x", "truck-7.a_b"), Ok(()));
        assert_eq!(id("x", ""), Err("x: must not be empty".to_string()));
        assert!(id("x", "a/b").is_err());
        assert!(id("x", &"a".repeat(129)).is_err());
    }

    #[test]
    fn vehicles() {
        assert!(vehicle_problems(&vehicle_with(Some("1M8GDM9AXKP042788"), Some("America/New_York"))).is_empty());
        assert_eq!(
            vehicle_problems(&vehicle_with(Some("1M8GDM9AXKP04278O"), Some("Mars Base"))),
            vec![
                "vin: '1M8GDM9AXKP04278O' is not 17 characters of A-Z (no I, O, Q) and 0-9".to_string(),
                "time_zone: 'Mars Base' is not an IANA time zone name".to_string(),
            ]
        );
    }
}
