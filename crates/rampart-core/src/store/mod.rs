//! What the core needs from persistent storage, declared here by its user.
//!
//! The store keeps opaque rows `(kind, key) → JSON body` and a global sequence number that
//! every commit advances. It decides nothing about IAM. Commits are optimistic: a commit
//! names the sequence it was computed against and is refused if another writer (another
//! process on the same SQLite file, another node on PostgreSQL) got there first, so the
//! core reloads and recomputes instead of overwriting.

/// One stored row. `body` is `None` for a deletion (a tombstone in change feeds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Record kind, one of `model::kind`.
    pub kind: String,
    /// Key unique within the kind.
    pub key: String,
    /// The record as JSON, or `None` when deleted.
    pub body: Option<String>,
}

/// The outcome of an optimistic commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commit {
    /// Durable; the store is now at this sequence.
    Committed(u64),
    /// Someone else committed after the expected sequence; nothing was written.
    Conflict,
}

/// One audit event as stored: which account it belongs to, when, and the event as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// The account whose principal made the call.
    pub account: String,
    /// Event time, unix seconds.
    pub time: i64,
    /// The event, a CloudTrail-style JSON record.
    pub body: String,
}

/// Persistent rows with a change sequence, and the append-only audit trail.
pub trait Store: Send + Sync {
    /// Every live row and the sequence they reflect.
    fn load(&self) -> Result<(u64, Vec<Row>), StoreError>;
    /// Rows changed after `seq` (deletions included) and the newest sequence.
    fn changes_since(&self, seq: u64) -> Result<(u64, Vec<Row>), StoreError>;
    /// The newest sequence; cheap, for polling.
    fn current_seq(&self) -> Result<u64, StoreError>;
    /// Writes `rows` atomically if the store is still at `expected`. On `Committed` the
    /// write is durable.
    fn commit(&self, expected: u64, rows: &[Row]) -> Result<Commit, StoreError>;
    /// Appends audit events, durably, in one transaction.
    fn append_audit(&self, events: &[AuditRecord]) -> Result<(), StoreError>;
    /// The newest `limit` events of `account` at or after `since`, newest first.
    fn audit_events(
        &self,
        account: &str,
        since: i64,
        limit: usize,
    ) -> Result<Vec<AuditRecord>, StoreError>;
}

pub mod memory;

/// A storage failure. The message is for logs; clients see `ServiceFailure`.
#[derive(Debug, thiserror::Error)]
#[error("store failure: {message}")]
pub struct StoreError {
    /// What failed, for the log.
    pub message: String,
}

impl StoreError {
    /// A failure described by `message`.
    pub fn new(message: impl Into<String>) -> StoreError {
        StoreError {
            message: message.into(),
        }
    }
}
