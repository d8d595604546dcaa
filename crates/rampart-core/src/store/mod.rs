//! What the core needs from persistent storage, declared here by its user.
//!
//! The store keeps opaque rows `(kind, key) → JSON body` and a global sequence number that
//! every commit advances. It decides nothing about IAM. Commits are optimistic: a commit
//! names the sequence it was computed against and is refused if another writer (another
//! process on the same SQLite file, another node on PostgreSQL) got there first, so the
//! core reloads and recomputes instead of overwriting. A deletion stays as a tombstone so
//! that other nodes' change feeds ([`Store::changes_since`]) see it, until compaction
//! ([`Store::compact`]) drops the old ones; a node that fell further behind loads afresh.
//!
//! The audit trail is append-only beside the rows: events of writes commit with the rows
//! they describe ([`Store::commit_audited`]), other events in batches
//! ([`Store::append_audit`]); lookups read one account's events newest first, filtered and
//! paged ([`Store::lookup_audit`]); retention deletes old ones ([`Store::prune_audit`]);
//! trail delivery reads every account's events in append order ([`Store::audit_after`]).
//!
//! The alert outbox lives beside the trail: an event that matched notification rules
//! carries an [`Alert`], and the store writes one outbox row per route in the transaction
//! that writes the event. The delivery worker claims the head of each `(account, rule,
//! target)` queue under a lease ([`Store::claim_deliveries`]), so queues stay in order and
//! two nodes never hold one row at once, and settles it ([`Store::settle_delivery`]).

/// One stored row. `body` is `None` for a deletion (a tombstone in change feeds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Record kind, one of `model::kind`.
    pub kind: String,
    /// Key unique within the kind.
    pub key: String,
    /// The record as JSON, or `None` when deleted.
    pub body: Option<String>,
    /// The version of the record's stored form, which the core upgrades older rows from
    /// as it reads them (`state::records`); opaque to the store.
    pub version: u32,
}

/// A change feed: what changed after a sequence, or word that it can no longer be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// Every row changed after the sequence asked for (deletions included, as tombstones),
    /// in commit order, and the newest sequence.
    Since(u64, Vec<Row>),
    /// Deletions after the sequence asked for were compacted away ([`Store::compact`]):
    /// only a full [`Store::load`] is complete.
    Compacted,
}

/// The outcome of an optimistic commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commit {
    /// Durable; the store is now at this sequence.
    Committed(u64),
    /// Someone else committed after the expected sequence; nothing was written.
    Conflict,
}

/// One audit event as stored: which account it belongs to, when, the event as JSON, and
/// the attributes it can be looked up by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// The account whose principal made the call.
    pub account: String,
    /// Event time, unix seconds.
    pub time: i64,
    /// The record's `eventID`: appending an event whose id is already stored replaces that
    /// event's body (its final form after it was committed with its write).
    pub event_id: String,
    /// The event, a CloudTrail-style JSON record.
    pub body: String,
    /// `(attribute, value)` pairs a lookup may filter on (`EventName`, `Username`,
    /// `ResourceName`, …; an attribute may repeat). Written with the event; empty in what
    /// the store reads back, since the body holds the same facts.
    pub keys: Vec<(String, String)>,
    /// The alert the event raised under its account's rules, written to the outbox with
    /// it; `None` when no rule matched (and always in what the store reads back).
    pub alert: Option<Alert>,
}

/// What a matched event puts in the outbox: its envelope, once per route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// The EventBridge envelope as JSON, the body every target receives.
    pub envelope: String,
    /// One outbox row each.
    pub routes: Vec<AlertRoute>,
}

/// One `(rule, target)` an event is delivered to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRoute {
    /// Stable across attempts and across the event's forms: writing a route whose id is
    /// already stored replaces a pending row's body (the event's final form) and leaves a
    /// settled one alone.
    pub delivery_id: String,
    /// The rule's name.
    pub rule: String,
    /// The target's id in the rule.
    pub target: String,
}

/// Where an outbox row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// Waiting for its (next) attempt.
    Pending,
    /// Acknowledged by the target.
    Delivered,
    /// Given up: dropped by an administrator, or its rule or target no longer exists.
    Dropped,
}

impl DeliveryState {
    /// The stored spelling: `pending`, `delivered`, `dropped`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Dropped => "dropped",
        }
    }

    /// The state a stored spelling names.
    pub fn parse(text: &str) -> Option<DeliveryState> {
        match text {
            "pending" => Some(DeliveryState::Pending),
            "delivered" => Some(DeliveryState::Delivered),
            "dropped" => Some(DeliveryState::Dropped),
            _ => None,
        }
    }
}

/// One outbox row read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Increasing in the order rows were written: the order of each queue.
    pub id: i64,
    /// See [`AlertRoute::delivery_id`].
    pub delivery_id: String,
    /// The account whose rule matched.
    pub account: String,
    /// The rule.
    pub rule: String,
    /// The target id.
    pub target: String,
    /// The event's `eventID`.
    pub event_id: String,
    /// The envelope.
    pub body: String,
    /// Where it stands.
    pub state: DeliveryState,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Not attempted before this time (unix milliseconds).
    pub next_attempt_ms: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The event's time, unix seconds.
    pub created: i64,
    /// When the target acknowledged it (unix milliseconds).
    pub delivered_ms: Option<i64>,
}

/// How an attempt ended, as the worker that claimed the row reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// The target acknowledged it at this time (unix milliseconds).
    Delivered(i64),
    /// It failed; try again at `next_attempt_ms`.
    Retry {
        /// Unix milliseconds.
        next_attempt_ms: i64,
        /// Why, for `list_deliveries`.
        error: String,
    },
    /// It cannot be delivered (its rule or target is gone).
    Dropped(String),
}

/// An administrator's change to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryChange {
    /// Pending again, due at this time (unix milliseconds), whatever its state.
    Retry(i64),
    /// Dropped, if still pending.
    Drop,
}

/// The lookup attributes every event has exactly one value of, in the order the SQL stores
/// keep them as columns (`event_id`, `event_name`, `read_only`, `username`, `event_source`,
/// `access_key_id`); any other attribute of [`AuditRecord::keys`] may repeat (a resource's
/// type and name) and is kept as rows.
pub const AUDIT_COLUMNS: [&str; 6] = [
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "EventSource",
    "AccessKeyId",
];

impl AuditRecord {
    /// The value of a single-valued attribute ([`AUDIT_COLUMNS`]), if the event has one.
    pub fn column(&self, name: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The attributes that are not [`AUDIT_COLUMNS`].
    pub fn repeated_keys(&self) -> impl Iterator<Item = (&str, &str)> {
        self.keys
            .iter()
            .filter(|(n, _)| !AUDIT_COLUMNS.contains(&n.as_str()))
            .map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

/// An audit event read back, with the position the store gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAudit {
    /// Increasing in the order events were appended; with `time`, a total order for paging.
    pub id: i64,
    /// The event.
    pub record: AuditRecord,
}

/// Where a page of a lookup ends: the next page holds events strictly older than this
/// `(time, id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCursor {
    /// Event time of the last event returned.
    pub time: i64,
    /// Id of the last event returned.
    pub id: i64,
}

/// A filtered, paged read of one account's trail, newest first (`LookupEvents`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery<'a> {
    /// The account whose events are read.
    pub account: &'a str,
    /// Oldest event time included.
    pub start: i64,
    /// Newest event time included.
    pub end: i64,
    /// Only events with this `(attribute, value)` key.
    pub key: Option<(&'a str, &'a str)>,
    /// Continue after this event (exclusive).
    pub after: Option<AuditCursor>,
    /// At most this many events.
    pub limit: usize,
}

impl AuditQuery<'_> {
    /// Whether an event at `time` with `id` comes after the cursor (is older), so belongs
    /// to this page.
    pub fn past_cursor(&self, time: i64, id: i64) -> bool {
        self.after
            .is_none_or(|c| time < c.time || (time == c.time && id < c.id))
    }
}

/// Persistent rows with a change sequence, and the append-only audit trail.
pub trait Store: Send + Sync {
    /// Every live row and the sequence they reflect.
    fn load(&self) -> Result<(u64, Vec<Row>), StoreError>;
    /// Every live row, handed to `each` in chunks of at most `chunk` rows as they are read
    /// (start-up decodes one chunk while the next is read, and never holds every row's
    /// text at once), in no particular order; returns the sequence they reflect. Stops
    /// early, returning that sequence, when `each` returns `false`.
    fn load_chunked(
        &self,
        chunk: usize,
        each: &mut dyn FnMut(Vec<Row>) -> bool,
    ) -> Result<u64, StoreError> {
        let (seq, rows) = self.load()?;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            if !each(rows.by_ref().take(chunk.max(1)).collect()) {
                break;
            }
        }
        Ok(seq)
    }
    /// Rows changed after `seq` (deletions included) and the newest sequence, or
    /// [`Changes::Compacted`] when `seq` is older than the last compaction.
    fn changes_since(&self, seq: u64) -> Result<Changes, StoreError>;
    /// Deletes the tombstones of commits up to `through` (clamped to the newest sequence)
    /// and remembers it: a change feed from an older sequence answers
    /// [`Changes::Compacted`]. Live rows are untouched. Returns how many were deleted.
    fn compact(&self, through: u64) -> Result<usize, StoreError>;
    /// The newest sequence; cheap, for polling.
    fn current_seq(&self) -> Result<u64, StoreError>;
    /// Writes `rows` atomically if the store is still at `expected`. On `Committed` the
    /// write is durable.
    fn commit(&self, expected: u64, rows: &[Row]) -> Result<Commit, StoreError> {
        self.commit_audited(expected, rows, &[])
    }
    /// [`Store::commit`], appending `audit` in the same transaction: the events of the
    /// calls that made the write are durable exactly when the write is (on `Conflict`,
    /// neither is written).
    fn commit_audited(
        &self,
        expected: u64,
        rows: &[Row],
        audit: &[AuditRecord],
    ) -> Result<Commit, StoreError>;
    /// Appends audit events, durably, in one transaction; an event whose `event_id` is
    /// already stored replaces that event's body (its keys stay).
    fn append_audit(&self, events: &[AuditRecord]) -> Result<(), StoreError>;
    /// One page of `query`: the account's events in its time range (and with its key),
    /// ordered newest first by `(time, id)`, after its cursor.
    fn lookup_audit(&self, query: &AuditQuery<'_>) -> Result<Vec<StoredAudit>, StoreError>;
    /// The newest `limit` events of `account` at or after `since`, newest first: one
    /// [`Store::lookup_audit`] page without a key or cursor.
    fn audit_events(
        &self,
        account: &str,
        since: i64,
        limit: usize,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let query = AuditQuery {
            account,
            start: since,
            end: i64::MAX,
            key: None,
            after: None,
            limit,
        };
        Ok(self
            .lookup_audit(&query)?
            .into_iter()
            .map(|e| e.record)
            .collect())
    }
    /// Deletes the events older than `before` (unix seconds) as a prefix in append order:
    /// every event appended before the first one at or after `before`. Events are appended
    /// in time order give or take the seconds a queued event waits, so the cost is what is
    /// deleted, never a scan of the whole trail; an older event appended after a newer one
    /// goes at the next prune. Returns how many.
    fn prune_audit(&self, before: i64) -> Result<usize, StoreError>;
    /// Leases up to `limit` outbox rows to `owner` until `lease_until_ms`: each the oldest
    /// pending row of its `(account, rule, target)` queue, due at `now_ms` and not leased,
    /// oldest first. A queue whose head is leased or not yet due yields nothing, so each
    /// queue is delivered in order; rows leased to one caller are skipped by every other
    /// (on PostgreSQL, by every other node).
    fn claim_deliveries(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
        owner: &str,
        limit: usize,
    ) -> Result<Vec<Delivery>, StoreError>;
    /// Records how an attempt on row `id` ended and releases its lease. A retry or drop is
    /// only recorded while `owner` still holds the lease; an acknowledgement always is.
    fn settle_delivery(
        &self,
        id: i64,
        owner: &str,
        settlement: &Settlement,
    ) -> Result<(), StoreError>;
    /// The newest `limit` outbox rows of `account`, newest first.
    fn list_deliveries(&self, account: &str, limit: usize) -> Result<Vec<Delivery>, StoreError>;
    /// Applies an administrator's change to `account`'s row `delivery_id`; `false` when
    /// there is no such row (or, for a drop, it is no longer pending).
    fn change_delivery(
        &self,
        account: &str,
        delivery_id: &str,
        change: DeliveryChange,
    ) -> Result<bool, StoreError>;
    /// The largest event id stored (0 when the trail is empty): where a new reader of
    /// [`Store::audit_after`] starts.
    fn audit_high_water(&self) -> Result<i64, StoreError>;
    /// At most `limit` events of every account with an id above `after`, in id order (the
    /// order they were appended): what trail delivery reads.
    fn audit_after(&self, after: i64, limit: usize) -> Result<Vec<StoredAudit>, StoreError>;
}

pub mod memory;

/// A storage failure. The message is for logs; clients see `ServiceFailure`.
#[derive(Debug, Clone, thiserror::Error)]
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
