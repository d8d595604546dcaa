//! Storage backends for `rampart_core::store::Store`.
//!
//! Rows are opaque to this crate: it keeps `(kind, key) → body` with a commit sequence and
//! makes each commit durable before acknowledging it. It decides nothing about IAM.

pub mod error;
mod migrations;
pub mod sqlite;

pub use error::BackendError;
pub use sqlite::SqliteStore;

#[cfg(test)]
mod conformance;
