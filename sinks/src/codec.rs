//! Conversions between the shared types and their stored form, used by both
//! stores: event times, the lowercase enum names, priorities, dates, pages.

use chrono::{DateTime, NaiveDate, Utc};

use schemas::{AlertState, DeadLetterReason, Severity, TsMs};

use crate::error::StoreError;
use crate::store::Page;

/// An event time as a UTC timestamp; out-of-range times are invalid input.
pub fn to_time(ms: TsMs) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| StoreError::Invalid(format!("time {ms} ms is out of range")))
}

/// An optional event time as a UTC timestamp.
pub fn to_time_opt(ms: Option<TsMs>) -> Result<Option<DateTime<Utc>>, StoreError> {
    ms.map(to_time).transpose()
}

/// A stored timestamp as epoch milliseconds.
pub fn from_time(t: DateTime<Utc>) -> TsMs {
    t.timestamp_millis()
}

/// Parses a stored lowercase name with the type's `FromStr`.
pub fn parse<T: std::str::FromStr<Err = String>>(text: &str) -> Result<T, StoreError> {
    text.parse().map_err(StoreError::Decode)
}

/// Parses a stored severity name.
pub fn severity(text: &str) -> Result<Severity, StoreError> {
    [Severity::Warning, Severity::Critical]
        .into_iter()
        .find(|s| s.as_str() == text)
        .ok_or_else(|| StoreError::Decode(format!("unknown severity '{text}'")))
}

/// Parses a stored alert state name.
pub fn alert_state(text: &str) -> Result<AlertState, StoreError> {
    [AlertState::Open, AlertState::Resolved, AlertState::Withdrawn]
        .into_iter()
        .find(|s| s.as_str() == text)
        .ok_or_else(|| StoreError::Decode(format!("unknown alert state '{text}'")))
}

/// Parses a stored dead-letter reason name.
pub fn reason(text: &str) -> Result<DeadLetterReason, StoreError> {
    DeadLetterReason::ALL
        .into_iter()
        .find(|r| r.as_str() == text)
        .ok_or_else(|| StoreError::Decode(format!("unknown dead-letter reason '{text}'")))
}

/// A stored priority (1–5) as the decision's `u8`.
pub fn priority(stored: i64) -> Result<u8, StoreError> {
    u8::try_from(stored).map_err(|_| StoreError::Decode(format!("priority {stored} is out of range")))
}

/// A warranty start date, checked to be an ISO 8601 calendar date.
pub fn date(text: Option<&str>) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| {
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|e| StoreError::Invalid(format!("warranty_start '{t}' is not a date: {e}")))
    })
    .transpose()
}

/// A page with a negative offset or limit is invalid input.
pub fn check_page(page: Page) -> Result<Page, StoreError> {
    if page.offset < 0 || page.limit < 0 {
        return Err(StoreError::Invalid(format!(
            "page offset {} / limit {} must not be negative",
            page.offset, page.limit
        )));
    }
    Ok(page)
}

/// A list of names as a JSON array (for bulk binds and SQLite columns).
pub fn json_list<S: AsRef<str>>(items: &[S]) -> String {
    serde_json::Value::Array(items.iter().map(|s| serde_json::Value::String(s.as_ref().to_string())).collect())
        .to_string()
}

/// Parses a stored JSON array of names.
pub fn parse_json_list(text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Decode(format!("list '{text}' is not a JSON array of strings: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in DeadLetterReason::ALL {
            assert_eq!(reason(r.as_str()).ok(), Some(r));
        }
        assert_eq!(severity("critical").ok(), Some(Severity::Critical));
        assert_eq!(alert_state("withdrawn").ok(), Some(AlertState::Withdrawn));
        assert!(matches!(severity("meh"), Err(StoreError::Decode(_))));
    }

    #[test]
    fn times_round_trip_and_reject_out_of_range() {
        let t = to_time(1_764_000_000_123).ok();
        assert_eq!(t.map(from_time), Some(1_764_000_000_123));
        assert!(matches!(to_time(i64::MAX), Err(StoreError::Invalid(_))));
    }

    #[test]
    fn lists_and_dates() {
        assert_eq!(json_list(&["a", "b\"c"]), r#"["a","b\"c"]"#);
        assert_eq!(parse_json_list(r#"["a","b\"c"]"#).ok(), Some(vec!["a".to_string(), "b\"c".to_string()]));
        assert!(date(Some("2026-13-01")).is_err());
        assert_eq!(date(Some("2026-02-01")).ok().flatten().map(|d| d.to_string()), Some("2026-02-01".to_string()));
        assert!(check_page(Page { offset: -1, limit: 1 }).is_err());
    }
}
