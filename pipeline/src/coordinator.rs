//! Retries of consumer-group requests while the group coordinator settles.
//!
//! A broker that has just started (or a group seen for the first time)
//! answers offset fetches and commits with `NOT_COORDINATOR`,
//! `COORDINATOR_NOT_AVAILABLE` or `COORDINATOR_LOAD_IN_PROGRESS` until the
//! `__consumer_offsets` partition that owns the group has a leader. These
//! answers are transient by the protocol's definition, so the request is
//! retried with a short back-off until a deadline instead of failing the run.

use std::time::{Duration, Instant};

use rdkafka::error::{KafkaError, RDKafkaErrorCode};

/// How long a coordinator-bound request keeps retrying before giving up.
pub const COORDINATOR_PATIENCE: Duration = Duration::from_secs(60);

/// True for the errors a group request returns while its coordinator settles.
pub fn is_transient(error: &KafkaError) -> bool {
    matches!(
        error.rdkafka_error_code(),
        Some(
            RDKafkaErrorCode::NotCoordinator
                | RDKafkaErrorCode::CoordinatorNotAvailable
                | RDKafkaErrorCode::CoordinatorLoadInProgress
                | RDKafkaErrorCode::RequestTimedOut
                | RDKafkaErrorCode::OperationTimedOut
        )
    )
}

/// Runs `request` until it succeeds, fails for good, or `patience` runs out.
pub fn with_coordinator<T>(
    patience: Duration,
    mut request: impl FnMut() -> Result<T, KafkaError>,
) -> Result<T, KafkaError> {
    let deadline = Instant::now() + patience;
    let mut pause = Duration::from_millis(50);
    loop {
        match request() {
            Err(error) if is_transient(&error) && Instant::now() + pause < deadline => {
                tracing::debug!(%error, "group coordinator not ready; retrying");
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_secs(1));
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(code: RDKafkaErrorCode) -> KafkaError {
        KafkaError::MetadataFetch(code)
    }

    #[test]
    fn retries_transient_errors_until_success() {
        let mut calls = 0;
        let result = with_coordinator(Duration::from_secs(5), || {
            calls += 1;
            if calls < 3 { Err(failure(RDKafkaErrorCode::NotCoordinator)) } else { Ok(calls) }
        });
        assert_eq!(result.ok(), Some(3));
    }

    #[test]
    fn gives_up_at_once_on_a_permanent_error() {
        let mut calls = 0;
        let result: Result<(), _> = with_coordinator(Duration::from_secs(5), || {
            calls += 1;
            Err(failure(RDKafkaErrorCode::GroupAuthorizationFailed))
        });
        assert_eq!(calls, 1);
        assert_eq!(result.err().and_then(|e| e.rdkafka_error_code()), Some(RDKafkaErrorCode::GroupAuthorizationFailed));
    }

    #[test]
    fn stops_retrying_at_the_deadline() {
        let mut calls = 0;
        let result: Result<(), _> = with_coordinator(Duration::from_millis(120), || {
            calls += 1;
            Err(failure(RDKafkaErrorCode::CoordinatorLoadInProgress))
        });
        assert!(result.is_err());
        assert_eq!(calls, 2, "50 ms, then 100 ms would pass the 120 ms deadline");
    }
}
