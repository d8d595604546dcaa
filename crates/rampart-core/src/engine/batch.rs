//! Group commit: the open batch, the writer's pending state, and how a batch ends.
//!
//! The batching rule (what [`super::Engine::write`] promises):
//! 1. Under the writer lock, a write runs its operation against the *pending* state: the
//!    newest durable state plus every write applied before it that is not durable yet.
//!    Writes are therefore applied one at a time, in the order they take the lock, exactly
//!    as if serial. An operation that fails leaves the pending state and the batch as they
//!    were, so a write that fails validation never affects its batch-mates.
//! 2. A write that succeeds joins the open batch with its rows and its call's audit event.
//!    Whenever no batch is being committed, the first writer waiting on an unsettled batch
//!    takes the open batch and commits all of it in one store transaction (one fsync, one
//!    PostgreSQL commit) outside the lock, so the next batch fills while the disk works.
//!    It then publishes the batch's end state as the snapshot, wakes the batch's writes,
//!    and wakes one write of the batch that filled meanwhile to commit it (the others sleep
//!    on until their batch ends: with 64 writers, waking all of them at every commit cost
//!    more CPU than the commits).
//! 3. A write returns only once its batch is durable. If the commit conflicts (another
//!    process committed first), the engine pulls those changes and every write of the
//!    batch, and of the batch that filled behind it (computed on top of it), runs again on
//!    the new state. If the commit fails, the batch's writes return the failure and the
//!    writes behind it run again.
//!
//! A write that changes nothing still joins the batch: it is answered only once all it
//! read is durable (a batch with no rows checks that the store has not moved).

use std::sync::{Arc, Condvar, OnceLock};

use crate::state::State;
use crate::store::{AuditRecord, Row, StoreError};

/// How a batch ended, as its writes see it.
#[derive(Debug, Clone)]
pub(super) enum Outcome {
    /// Durable.
    Committed,
    /// Not written: run the write again on the newer state.
    Retry,
    /// Not written: the store failed.
    Failed(StoreError),
}

/// Where a batch's outcome is posted; each write of the batch holds a handle and waits on
/// its condition variable (with the writer lock), so a batch's end wakes its own writers
/// and not every writer of the engine.
pub(super) type Settled = Arc<Signal>;

/// A batch's outcome, and the wake-up of the writes waiting for it.
#[derive(Debug, Default)]
pub(super) struct Signal {
    outcome: OnceLock<Outcome>,
    /// Waited on with the writer lock by the batch's writes.
    pub(super) wake: Condvar,
}

impl Signal {
    /// How the batch ended, once it has.
    pub(super) fn get(&self) -> Option<&Outcome> {
        self.outcome.get()
    }

    /// Posts how the batch ended and wakes every write of it.
    pub(super) fn post(&self, outcome: Outcome) {
        let _ = self.outcome.set(outcome);
        self.wake.notify_all();
    }
}

/// The writes applied since the last batch was taken, not yet handed to the store.
#[derive(Debug, Default)]
pub(super) struct Batch {
    /// Posted when the batch ends.
    pub(super) settled: Settled,
    /// The rows of every write in the batch, in the order they were applied.
    pub(super) rows: Vec<Row>,
    /// Audit events committed with the rows.
    pub(super) audit: Vec<AuditRecord>,
    /// The events of `audit` taken from the engine's queue: put back if the batch is not
    /// written.
    pub(super) requeue: Vec<AuditRecord>,
    /// How many writes joined.
    pub(super) members: usize,
}

/// The writer's side of the engine, guarded by the writer lock.
#[derive(Debug)]
pub(super) struct Writer {
    /// The newest durable state plus every applied write not yet durable.
    pub(super) pending: State,
    /// The sequence the store is at as far as this engine knows (its snapshot's).
    pub(super) durable_seq: u64,
    /// The batch writes are joining.
    pub(super) open: Batch,
    /// Whether a batch is being committed (its committer works outside the lock).
    pub(super) committing: bool,
}

impl Writer {
    /// A writer whose pending state is `state`, durable at `state.seq`.
    pub(super) fn new(state: State) -> Writer {
        Writer {
            durable_seq: state.seq,
            pending: state,
            open: Batch::default(),
            committing: false,
        }
    }

    /// Whether writes are applied but not settled.
    pub(super) fn busy(&self) -> bool {
        self.committing || self.open.members > 0
    }
}
