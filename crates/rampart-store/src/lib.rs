//! Storage backends for `rampart_core::store::Store`: SQLite (embedded, the default) and
//! PostgreSQL (one database shared by several nodes).
//!
//! Rows are opaque to this crate: it keeps `(kind, key) → body` with a commit sequence and
//! makes each commit durable before acknowledging it. It decides nothing about IAM. Nodes
//! follow each other's commits by polling the sequence (`Store::current_seq`).

pub mod error;
mod migrations;
pub mod postgres;
mod postgres_outbox;
pub mod sqlite;
mod sqlite_outbox;

pub use error::BackendError;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

#[cfg(test)]
mod conformance;
