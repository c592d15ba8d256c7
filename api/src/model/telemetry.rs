//! The answer to `POST /telemetry`, and how a telemetry body is validated.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::error::ApiError;

/// The most telemetry objects one request may carry.
pub const MAX_BATCH: usize = 1000;

/// Telemetry accepted for processing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Accepted {
    /// Messages produced to the raw topic.
    pub accepted: usize,
}

/// A validated telemetry message: its key and the bytes to produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidMessage {
    /// The vehicle (the record key).
    pub vehicle_id: String,
    /// The fleet it claims (`default` when absent).
    pub fleet_id: String,
    /// The message as JSON bytes.
    pub payload: Vec<u8>,
}

/// Validates one telemetry object or an array of them; errors name the
/// index and the field.
pub fn validate(body: Value) -> Result<Vec<ValidMessage>, ApiError> {
    let items = match body {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => return Err(ApiError::unprocessable("body must be a telemetry object or an array of them")),
    };
    if items.is_empty() {
        return Err(ApiError::unprocessable("body is an empty array"));
    }
    if items.len() > MAX_BATCH {
        return Err(ApiError::unprocessable(format!(
            "at most {MAX_BATCH} telemetry objects per request, got {}",
            items.len()
        )));
    }
    items.into_iter().enumerate().map(|(index, item)| validate_one(index, item)).collect()
}

fn validate_one(index: usize, item: Value) -> Result<ValidMessage, ApiError> {
    let invalid = |field: &str, message: &str| ApiError::unprocessable(format!("[{index}].{field}: {message}"));
    let payload = serde_json::to_vec(&item).map_err(|e| invalid("body", &e.to_string()))?;
    let body: schemas::TelemetryBody = serde_path_to_error::deserialize(item).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "body".to_string() } else { path };
        invalid(&field, &e.into_inner().to_string())
    })?;
    if body.vehicle_id.trim().is_empty() {
        return Err(invalid("vehicle_id", "must not be empty"));
    }
    body.ts.to_ms().map_err(|e| invalid("ts", &e))?;
    if body.signals.is_empty() && body.obd.is_empty() && body.can.is_empty() && body.odometer_km.is_none() {
        return Err(invalid("signals", "at least one of signals, obd, can or odometer_km is required"));
    }
    if body.fleet_id.as_deref().is_some_and(|f| f.trim().is_empty()) {
        return Err(invalid("fleet_id", "must not be empty when given"));
    }
    Ok(ValidMessage {
        fleet_id: body.fleet_id.unwrap_or_else(|| schemas::DEFAULT_FLEET.to_string()),
        vehicle_id: body.vehicle_id,
        payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fleet_defaults_and_payload_is_the_object() {
        let body = json!({"vehicle_id": "v1", "ts": "2026-11-24T10:00:00+01:00", "obd": ["41 0C 1A F8"]});
        let valid = validate(body.clone()).expect("valid");
        assert_eq!(
            valid,
            vec![ValidMessage {
                vehicle_id: "v1".into(),
                fleet_id: "default".into(),
                payload: serde_json::to_vec(&body).expect("json"),
            }]
        );
    }

    #[test]
    fn an_empty_fleet_is_named() {
        let body = json!([{"vehicle_id": "v1", "ts": 5, "fleet_id": "", "odometer_km": 1.0}]);
        assert_eq!(
            validate(body).map_err(|e| e.message),
            Err("[0].fleet_id: must not be empty when given".to_string())
        );
    }
}
