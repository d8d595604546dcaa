//! Backend failures, converted to the core's `StoreError` at the trait boundary.

use std::error::Error as _;

use rampart_core::store::StoreError;

/// A failure inside a storage backend.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// SQLite reported an error.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL (or the connection to it) reported an error. The message includes the
    /// server's own text, which the client library keeps in its error's cause.
    #[error("postgres: {}", postgres_message(.0))]
    Postgres(postgres::Error),
    /// The database was written by a newer Rampart.
    #[error("database schema version {found} is newer than this binary supports ({supported})")]
    SchemaTooNew {
        /// Version found in the database.
        found: i64,
        /// Newest version this binary knows.
        supported: i64,
    },
    /// The commit sequence reached its largest value.
    #[error("sequence overflow")]
    SequenceOverflow,
    /// The connection mutex was poisoned by a panic in another thread.
    #[error("connection lock poisoned")]
    Poisoned,
}

impl From<postgres::Error> for BackendError {
    fn from(err: postgres::Error) -> BackendError {
        BackendError::Postgres(err)
    }
}

/// `db error: ERROR: relation … does not exist` rather than the bare `db error`.
fn postgres_message(err: &postgres::Error) -> String {
    match err.source() {
        Some(cause) => format!("{err}: {cause}"),
        None => err.to_string(),
    }
}

impl From<BackendError> for StoreError {
    fn from(err: BackendError) -> StoreError {
        StoreError::new(err.to_string())
    }
}
