//! Errors of the sinks crate.

use thiserror::Error;

/// A storage failure, classified so callers know whether to retry and which
/// HTTP status an API should answer with.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database could not be reached or dropped the connection (retriable).
    #[error("database unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// A concurrent transaction deadlocked with this one or made it
    /// unserializable; it was rolled back whole, and running it again
    /// succeeds (retriable).
    #[error("transaction lost to a concurrent one: {0}")]
    Contended(#[source] sqlx::Error),
    /// A uniqueness or foreign-key constraint rejected the write.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input broke a check constraint or was otherwise invalid.
    #[error("invalid: {0}")]
    Invalid(String),
    /// Migrations failed.
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// A stored value could not be read back into its type.
    #[error("stored row is unreadable: {0}")]
    Decode(String),
}

impl StoreError {
    /// True for failures worth retrying (connection loss, pool timeout, a
    /// deadlock or serialization failure against a concurrent writer).
    pub fn is_retriable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::Contended(_))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
                StoreError::Unavailable(e)
            }
            // deadlock_detected, serialization_failure.
            sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("40P01" | "40001")) => {
                StoreError::Contended(e)
            }
            sqlx::Error::Database(db) => match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation | sqlx::error::ErrorKind::ForeignKeyViolation => {
                    StoreError::Conflict(db.message().to_string())
                }
                sqlx::error::ErrorKind::CheckViolation | sqlx::error::ErrorKind::NotNullViolation => {
                    StoreError::Invalid(db.message().to_string())
                }
                _ => StoreError::Database(e),
            },
            _ => StoreError::Database(e),
        }
    }
}
