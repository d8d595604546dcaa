//! Backend failures, converted to the core's `StoreError` at the trait boundary.

use rampart_core::store::StoreError;

/// A failure inside a storage backend.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// SQLite reported an error.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was written by a newer Rampart.
    #[error("database schema version {found} is newer than this binary supports ({supported})")]
    SchemaTooNew {
        /// Version found in the database.
        found: i64,
        /// Newest version this binary knows.
        supported: i64,
    },
    /// The connection mutex was poisoned by a panic in another thread.
    #[error("connection lock poisoned")]
    Poisoned,
}

impl From<BackendError> for StoreError {
    fn from(err: BackendError) -> StoreError {
        StoreError::new(err.to_string())
    }
}
