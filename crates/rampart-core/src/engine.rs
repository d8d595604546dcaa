//! The engine: the published snapshot, the group-committing writer, and refresh from the
//! store.
//!
//! Reads take `snapshot()` — an `Arc<State>` swapped atomically, no lock. Writes are
//! applied one at a time in this process under the writer lock and made durable in
//! batches (group commit: one store transaction, so one fsync or one PostgreSQL commit,
//! for every write that arrived while the previous batch was being written; the rule is
//! in [`batch`]). Across processes the store's optimistic commit orders writers: a batch
//! is computed against the newest state this engine knows, and when the store reports that
//! someone else committed first, the engine pulls their changes and runs the batch's
//! writes again. A write's result is returned only after its batch is durable.
//!
//! Audit events: the event of the call running on a thread ([`Engine::with_call_event`])
//! commits in the transaction of the first write that call makes, so an acknowledged write
//! is never unaudited. Every other event (reads, denials, failures, calls that wrote
//! nothing) and the final form of a committed one (its `responseElements`) are queued in
//! memory and appended in batches by [`Engine::flush_audit`]: the server flushes every
//! refresh tick (200 ms) and at shutdown, and `LookupEvents` flushes before reading. A crash
//! loses at most that window of read-only and denied events, never a write's event.
//!
//! Alerts: an event carrying an outbox entry ([`crate::store::Alert`]) writes it in the
//! same transaction; a commit that wrote one wakes the delivery worker
//! ([`Engine::wait_for_alerts`]), which reads and settles the outbox through the engine.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use arc_swap::ArcSwap;

use crate::error::CoreError;
use crate::lockout::Lockout;
use crate::model::KeyUsageRecord;
use crate::secrets::MasterKey;
use crate::state::{Keyed, Record, State};
use crate::store::{AuditQuery, AuditRecord, Changes, Commit, Row, Store, StoreError, StoredAudit};

mod batch;
mod load;
mod outbox;

use batch::{Batch, Outcome, Settled, Writer};

/// How many times a write is recomputed after losing a race to another writer.
const MAX_WRITE_ATTEMPTS: usize = 16;

/// The state of every account, backed by a store.
pub struct Engine {
    store: Arc<dyn Store>,
    master: MasterKey,
    snapshot: ArcSwap<State>,
    /// The pending state and the open batch (see [`batch`]).
    writer: Mutex<Writer>,
    /// Signalled whenever a batch ends.
    settled: Condvar,
    /// Key uses seen since the last flush; written in one batch so the hot path never
    /// waits for the disk.
    pending_usage: Mutex<HashMap<String, KeyUsageRecord>>,
    /// Audit events not yet appended to the store.
    pending_audit: Mutex<Vec<AuditRecord>>,
    /// Failed guesses of MFA codes, per device.
    lockout: Lockout,
    /// The sequence [`Engine::compact_tombstones`] compacts through on its next call.
    compaction_mark: Mutex<Option<u64>>,
    /// Counts commits that wrote outbox rows, for the delivery worker to wait on.
    alerts_written: (Mutex<u64>, Condvar),
    /// Where operations that mail someone send it (see [`crate::mail`]).
    pub(crate) mail: std::sync::OnceLock<Arc<dyn crate::mail::Mail>>,
    /// The URL clients reach this server at (issuer URLs, console deep links); set once
    /// by the server at start.
    public_url: std::sync::OnceLock<String>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("seq", &self.snapshot.load().seq)
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// The audit event of the call running on this thread, and whether a write has
    /// committed it (see [`Engine::with_call_event`]).
    static CALL_EVENT: RefCell<Option<(AuditRecord, bool)>> = const { RefCell::new(None) };
}

/// The call event to commit with the next write on this thread, if one is pending.
fn pending_call_event() -> Option<AuditRecord> {
    CALL_EVENT.with(|slot| {
        slot.borrow()
            .as_ref()
            .filter(|(_, committed)| !committed)
            .map(|(event, _)| event.clone())
    })
}

fn mark_call_event_committed() {
    CALL_EVENT.with(|slot| {
        if let Some((_, committed)) = slot.borrow_mut().as_mut() {
            *committed = true;
        }
    });
}

/// A write in progress: a private copy of the state plus the rows it changed.
pub struct WriteTxn<'a> {
    state: State,
    rows: Vec<Row>,
    master: &'a MasterKey,
}

impl WriteTxn<'_> {
    /// The state as this transaction sees it (its own changes included).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The master key, for sealing new secrets.
    pub fn master(&self) -> &MasterKey {
        self.master
    }

    /// Inserts or replaces a record under its own key.
    pub fn put<R: Keyed>(&mut self, record: &R) -> Result<(), CoreError> {
        self.put_under(&record.key(), record)
    }

    /// Inserts or replaces a record under `key`, for the kinds whose key is not one of
    /// their fields. The record enters this transaction's state as it is; its JSON is
    /// only for the store.
    pub fn put_under<R: Record>(&mut self, key: &str, record: &R) -> Result<(), CoreError> {
        let body = serde_json::to_string(record)
            .map_err(|err| CoreError::Internal(format!("record does not encode: {err}")))?;
        self.state.apply_record(key, record.clone())?;
        self.rows.push(Row {
            kind: R::KIND.to_owned(),
            key: key.to_owned(),
            body: Some(body),
            version: R::VERSION,
        });
        Ok(())
    }

    /// Deletes the record of kind `R` under `key`.
    pub fn delete<R: Record>(&mut self, key: &str) -> Result<(), CoreError> {
        self.delete_row(R::KIND, key)
    }

    /// Deletes the record of `kind_name` under `key`, whatever its type (test mode's reset
    /// deletes every row it finds).
    pub(crate) fn delete_row(&mut self, kind_name: &str, key: &str) -> Result<(), CoreError> {
        self.state.remove_row(kind_name, key)?;
        self.rows.push(Row {
            kind: kind_name.to_owned(),
            key: key.to_owned(),
            body: None,
            version: 0,
        });
        Ok(())
    }
}

impl Engine {
    /// Loads every row from `store` into a first snapshot.
    pub fn open(store: Arc<dyn Store>, master: MasterKey) -> Result<Engine, CoreError> {
        let state = load::load_state(store.as_ref(), &master)?;
        Ok(Engine {
            store,
            master,
            writer: Mutex::new(Writer::new(state.clone())),
            settled: Condvar::new(),
            snapshot: ArcSwap::from_pointee(state),
            pending_usage: Mutex::new(HashMap::new()),
            pending_audit: Mutex::new(Vec::new()),
            lockout: Lockout::default(),
            compaction_mark: Mutex::new(None),
            alerts_written: (Mutex::new(0), Condvar::new()),
            mail: std::sync::OnceLock::new(),
            public_url: std::sync::OnceLock::new(),
        })
    }

    /// An engine over an empty in-memory store with a fixed master key: for tests of
    /// operations and of the engine itself, with no disk and no server.
    pub fn in_memory() -> Engine {
        Engine::over(Arc::new(crate::store::memory::MemoryStore::new()))
    }

    /// [`Engine::in_memory`] over a store the test keeps a handle on (to commit behind the
    /// engine's back, as another process would).
    pub fn over(store: Arc<dyn Store>) -> Engine {
        let engine = Engine::open(store, MasterKey::from_bytes([7; 32]));
        // INVARIANT: opening an empty store only loads the built-in policies, which parse.
        #[expect(clippy::expect_used, reason = "built-ins are compiled in and tested")]
        engine.expect("an empty store opens")
    }

    /// The master key, for checks that unseal a secret without writing (MFA codes).
    pub fn master(&self) -> &MasterKey {
        &self.master
    }

    /// Sets the URL clients reach this server at; only the first call counts.
    pub fn set_public_url(&self, url: &str) {
        let _ = self.public_url.set(url.trim_end_matches('/').to_owned());
    }

    /// The URL clients reach this server at (`http://localhost` until the server says).
    pub fn public_url(&self) -> &str {
        self.public_url
            .get()
            .map_or("http://localhost", String::as_str)
    }

    /// Failed-attempt counts for guessable secrets (MFA codes).
    pub fn lockout(&self) -> &Lockout {
        &self.lockout
    }

    /// The current snapshot; never blocks.
    pub fn snapshot(&self) -> Arc<State> {
        self.snapshot.load_full()
    }

    /// The `(kind, key)` of every record in the store, read from the store itself so that a
    /// wipe (test mode's reset) reaches every kind of record, including kinds added later.
    pub fn stored_keys(&self) -> Result<Vec<(String, String)>, CoreError> {
        let (_, rows) = self.store.load()?;
        Ok(rows
            .into_iter()
            .filter(|row| row.body.is_some())
            .map(|row| (row.kind, row.key))
            .collect())
    }

    /// Compacts the store's tombstones up to the sequence this engine had reached at its
    /// previous call, then remembers where it is now. Called at a fixed interval, this keeps
    /// every deletion in the change feed for at least one interval, for nodes that pull
    /// less often (a node that falls further behind loads every row again). Returns how
    /// many tombstones were dropped.
    pub fn compact_tombstones(&self) -> Result<usize, CoreError> {
        let now = self.snapshot.load().seq;
        let mut mark = self
            .compaction_mark
            .lock()
            .map_err(|_| CoreError::Internal("compaction mark lock poisoned".into()))?;
        let dropped = match *mark {
            Some(through) => self.store.compact(through)?,
            None => 0,
        };
        *mark = Some(now);
        Ok(dropped)
    }

    /// Pulls commits made by other processes or nodes. Returns whether anything changed.
    ///
    /// While writes are in flight their batch's commit notices other writers itself (as a
    /// conflict, which pulls): this waits for one batch to settle and then reports whether
    /// the snapshot moved.
    pub fn refresh(&self) -> Result<bool, CoreError> {
        let mut writer = self.lock_writer()?;
        let before = writer.durable_seq;
        if writer.busy() {
            writer = self
                .settled
                .wait(writer)
                .map_err(|_| CoreError::Internal("writer lock poisoned".into()))?;
            if writer.busy() {
                return Ok(writer.durable_seq != before);
            }
        }
        Ok(self.refresh_locked(&mut writer)? || writer.durable_seq != before)
    }

    fn lock_writer(&self) -> Result<MutexGuard<'_, Writer>, CoreError> {
        self.writer
            .lock()
            .map_err(|_| CoreError::Internal("writer lock poisoned".into()))
    }

    /// Applies the store's newer rows to the snapshot (sharing everything else with it)
    /// and makes the result the pending state. Only while no write is in flight.
    fn refresh_locked(&self, writer: &mut Writer) -> Result<bool, CoreError> {
        let current = self.snapshot.load_full();
        if self.store.current_seq()? == current.seq {
            return Ok(false);
        }
        let (seq, rows) = match self.store.changes_since(current.seq)? {
            Changes::Since(seq, rows) => (seq, rows),
            Changes::Compacted => {
                // Fell behind past a compaction: the deletions it missed are gone from the
                // feed, so only a fresh load is complete.
                tracing::warn!(
                    seq = current.seq,
                    "this node fell behind the store's compaction; loading every row again"
                );
                self.publish_pulled(writer, load::load_state(self.store.as_ref(), &self.master)?);
                return Ok(true);
            }
        };
        // O(maps): the maps are persistent, so the clone shares every node.
        let mut state = State::clone(&current);
        for row in &rows {
            state.apply(row)?;
        }
        state.seq = seq;
        self.publish_pulled(writer, state);
        Ok(true)
    }

    /// Makes `state`, pulled from the store, both the snapshot and the pending state.
    fn publish_pulled(&self, writer: &mut Writer, state: State) {
        writer.pending = state.clone();
        writer.durable_seq = state.seq;
        self.snapshot.store(Arc::new(state));
    }

    /// Notes that a long-term access key authenticated a request (cheap: memory only).
    pub fn note_key_use(&self, access_key_id: &str, usage: KeyUsageRecord) {
        if let Ok(mut pending) = self.pending_usage.lock() {
            pending.insert(access_key_id.to_owned(), usage);
        }
    }

    /// The last use of a key: a pending one if any, else the stored one.
    pub fn key_last_used(&self, access_key_id: &str) -> Option<KeyUsageRecord> {
        let pending = self
            .pending_usage
            .lock()
            .ok()
            .and_then(|p| p.get(access_key_id).cloned());
        pending.or_else(|| {
            self.snapshot()
                .key_usage(access_key_id)
                .map(|u| KeyUsageRecord::clone(u))
        })
    }

    /// Writes pending key uses in one transaction. Keys deleted meanwhile are skipped.
    pub fn flush_key_usage(&self) -> Result<usize, CoreError> {
        let pending: Vec<(String, KeyUsageRecord)> = match self.pending_usage.lock() {
            Ok(mut map) => map.drain().collect(),
            Err(_) => return Err(CoreError::Internal("usage lock poisoned".into())),
        };
        if pending.is_empty() {
            return Ok(0);
        }
        self.write(|txn| {
            let mut written = 0;
            for (id, usage) in &pending {
                if txn.state().access_key(id).is_some() {
                    txn.put_under(id, usage)?;
                    written += 1;
                }
            }
            Ok(written)
        })
    }

    /// Queues an audit event (memory only; see [`Engine::flush_audit`]).
    pub fn record_audit(&self, event: AuditRecord) {
        if let Ok(mut pending) = self.pending_audit.lock() {
            pending.push(event);
        }
    }

    fn take_pending_audit(&self) -> Result<Vec<AuditRecord>, CoreError> {
        match self.pending_audit.lock() {
            Ok(mut pending) => Ok(std::mem::take(&mut *pending)),
            Err(_) => Err(CoreError::Internal("audit lock poisoned".into())),
        }
    }

    /// Takes the queued events of `account` only: a write carries its own account's earlier
    /// events (the order a lookup shows), not everyone's.
    fn take_pending_audit_of(&self, account: &str) -> Result<Vec<AuditRecord>, CoreError> {
        let mut pending = self
            .pending_audit
            .lock()
            .map_err(|_| CoreError::Internal("audit lock poisoned".into()))?;
        let (taken, kept): (Vec<AuditRecord>, Vec<AuditRecord>) = std::mem::take(&mut *pending)
            .into_iter()
            .partition(|event| event.account == account);
        *pending = kept;
        Ok(taken)
    }

    /// Puts events taken from the queue back at its front, after a commit that did not
    /// happen.
    fn requeue_audit(&self, mut events: Vec<AuditRecord>) {
        if events.is_empty() {
            return;
        }
        if let Ok(mut pending) = self.pending_audit.lock() {
            events.append(&mut pending);
            *pending = events;
        }
    }

    /// Appends queued audit events to the store in one transaction.
    pub fn flush_audit(&self) -> Result<usize, CoreError> {
        let events = self.take_pending_audit()?;
        if events.is_empty() {
            return Ok(0);
        }
        // A failed append keeps the events queued for the next flush.
        if let Err(err) = self.store.append_audit(&events) {
            self.requeue_audit(events);
            return Err(err.into());
        }
        self.note_alerts(&events);
        Ok(events.len())
    }

    /// The newest `limit` stored events of `account` since `since`, newest first.
    pub fn audit_events(
        &self,
        account: &crate::model::AccountId,
        since: i64,
        limit: usize,
    ) -> Result<Vec<AuditRecord>, CoreError> {
        Ok(self.store.audit_events(account.as_str(), since, limit)?)
    }

    /// Runs `work` (a call's execution) with `event` as the call's audit event: the first
    /// write `work` commits on this thread carries the event in its transaction. Returns
    /// `work`'s result and whether the event was committed; if it was not, the caller
    /// queues it as usual.
    pub fn with_call_event<T>(&self, event: AuditRecord, work: impl FnOnce() -> T) -> (T, bool) {
        let outer = CALL_EVENT.with(|slot| slot.replace(Some((event, false))));
        let result = work();
        let committed = CALL_EVENT
            .with(|slot| slot.replace(outer))
            .is_some_and(|(_, committed)| committed);
        (result, committed)
    }

    /// One page of a lookup in the trail, after appending the queued events so that a
    /// client sees its own calls.
    pub fn lookup_audit(&self, query: &AuditQuery<'_>) -> Result<Vec<StoredAudit>, CoreError> {
        self.flush_audit()?;
        Ok(self.store.lookup_audit(query)?)
    }

    /// The largest stored event id, after appending the queued events.
    pub fn audit_high_water(&self) -> Result<i64, CoreError> {
        self.flush_audit()?;
        Ok(self.store.audit_high_water()?)
    }

    /// At most `limit` stored events of every account after id `after`, in append order
    /// (trail delivery).
    pub fn audit_after(&self, after: i64, limit: usize) -> Result<Vec<StoredAudit>, CoreError> {
        Ok(self.store.audit_after(after, limit)?)
    }

    /// Deletes stored events older than `before` (retention); returns how many.
    pub fn prune_audit(&self, before: i64) -> Result<usize, CoreError> {
        Ok(self.store.prune_audit(before)?)
    }

    /// Runs `operation` as one durable transaction and publishes its result, committing it
    /// together with the writes of other threads that arrive meanwhile (the batching rule
    /// is in `engine::batch`).
    ///
    /// `operation` may run more than once (after losing a race to another writer), so it
    /// must be a pure function of the state it is given.
    pub fn write<T>(
        &self,
        mut operation: impl FnMut(&mut WriteTxn<'_>) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        let mut writer = self.lock_writer()?;
        if !writer.busy() {
            // Start from the newest committed state, so that a write which ends up
            // changing nothing did not decide on stale data, and one that changes
            // something does not lose a race it could see coming.
            self.refresh_locked(&mut writer)?;
        }
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let mut txn = WriteTxn {
                state: writer.pending.clone(),
                rows: Vec::new(),
                master: &self.master,
            };
            // A failed operation keeps nothing: the pending state and the batch are as
            // they were.
            let output = operation(&mut txn)?;
            let event = if txn.rows.is_empty() {
                None
            } else {
                pending_call_event()
            };
            // A call's event commits with its write, after its account's events queued
            // before it, so the account's trail keeps the order calls were made in (and
            // those become durable too).
            if let Some(event) = &event {
                let queued = self.take_pending_audit_of(&event.account)?;
                writer.open.audit.extend(queued.iter().cloned());
                writer.open.requeue.extend(queued);
                writer.open.audit.push(event.clone());
            }
            if !txn.rows.is_empty() {
                writer.open.rows.append(&mut txn.rows);
                writer.pending = txn.state;
            }
            writer.open.members += 1;
            let settled = Arc::clone(&writer.open.settled);
            writer = self.settle(writer, &settled)?;
            match settled.get() {
                Some(Outcome::Committed) => {
                    if event.is_some() {
                        mark_call_event_committed();
                    }
                    return Ok(output);
                }
                Some(Outcome::Failed(err)) => return Err(err.clone().into()),
                Some(Outcome::Retry) | None => {}
            }
        }
        Err(CoreError::Internal(
            "write kept conflicting with other writers".into(),
        ))
    }

    /// Waits until the batch behind `settled` has ended, committing the open batch when no
    /// one else is committing.
    fn settle<'e>(
        &'e self,
        mut writer: MutexGuard<'e, Writer>,
        settled: &Settled,
    ) -> Result<MutexGuard<'e, Writer>, CoreError> {
        while settled.get().is_none() {
            if writer.committing {
                // Woken when this batch ends, or to commit it once the batch ahead has.
                writer = settled
                    .wake
                    .wait(writer)
                    .map_err(|_| CoreError::Internal("writer lock poisoned".into()))?;
                continue;
            }
            // INVARIANT: an unsettled batch that is not being committed is the open one.
            let batch = std::mem::take(&mut writer.open);
            let end = writer.pending.clone();
            let expected = writer.durable_seq;
            writer.committing = true;
            drop(writer);
            let outcome = self.commit_batch(expected, &batch);
            writer = self.lock_writer()?;
            writer.committing = false;
            self.finish(&mut writer, batch, end, outcome);
            // One write of the batch that filled meanwhile commits it.
            writer.open.settled.wake.notify_one();
            self.settled.notify_all();
        }
        Ok(writer)
    }

    /// How many writes the open batch holds (tests follow batching with it).
    #[cfg(test)]
    fn open_batch_members(&self) -> usize {
        self.writer.lock().map(|w| w.open.members).unwrap_or(0)
    }

    /// Makes `batch` durable in one store transaction; a batch without rows only checks
    /// that the store is still where its writes read it.
    fn commit_batch(&self, expected: u64, batch: &Batch) -> Result<Commit, StoreError> {
        if batch.rows.is_empty() {
            return Ok(if self.store.current_seq()? == expected {
                Commit::Committed(expected)
            } else {
                Commit::Conflict
            });
        }
        self.store
            .commit_audited(expected, &batch.rows, &batch.audit)
    }

    /// Posts how `batch` ended; publishes its end state if it is durable, else drops the
    /// batch that filled on top of it and starts again from the store.
    fn finish(
        &self,
        writer: &mut Writer,
        batch: Batch,
        mut end: State,
        outcome: Result<Commit, StoreError>,
    ) {
        let outcome = match outcome {
            Ok(Commit::Committed(seq)) => {
                end.seq = seq;
                writer.pending.seq = seq;
                writer.durable_seq = seq;
                self.snapshot.store(Arc::new(end));
                self.note_alerts(&batch.audit);
                batch.settled.post(Outcome::Committed);
                return;
            }
            Ok(Commit::Conflict) => Outcome::Retry,
            Err(err) => Outcome::Failed(err),
        };
        // The writes applied behind this batch read its changes: they run again too.
        // Requeued newest first, so the queue keeps its order.
        let behind = std::mem::take(&mut writer.open);
        self.requeue_audit(behind.requeue);
        behind.settled.post(Outcome::Retry);
        self.requeue_audit(batch.requeue);
        batch.settled.post(outcome);
        writer.pending = State::clone(&self.snapshot.load_full());
        if let Err(err) = self.refresh_locked(writer) {
            tracing::error!(%err, "pulling other writers' commits failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kind;
    use crate::store::memory::MemoryStore;
    use crate::store::{Delivery, DeliveryChange, Settlement};

    #[test]
    fn a_write_that_loses_a_race_is_recomputed_on_the_newer_state() {
        let store = Arc::new(MemoryStore::new());
        let engine = Engine::over(store.clone());
        let account = engine
            .write(|txn| crate::ops::signup::create_account(txn, "a@example.com", "a", None, 1))
            .unwrap();
        let mut attempts = 0;
        let seen = engine
            .write(|txn| {
                attempts += 1;
                if attempts == 1 {
                    // Another process commits first: this attempt's commit must conflict.
                    let seq = store.current_seq().unwrap();
                    let (_, rows) = store.load().unwrap();
                    let account_row = rows.iter().find(|r| r.kind == kind::ACCOUNT).unwrap();
                    store
                        .commit(seq, std::slice::from_ref(account_row))
                        .unwrap();
                }
                crate::ops::iam::users::create(txn, &account.id, "alice", None, vec![], None, 2)?;
                Ok(txn.state().seq)
            })
            .unwrap();
        assert_eq!(attempts, 2, "the write ran again after the conflict");
        assert_eq!(seen, 2, "the second attempt saw the other writer's commit");
        assert!(engine.snapshot().user(&account.id, "alice").is_some());
        assert_eq!(store.current_seq().unwrap(), 3);
    }

    #[test]
    fn a_write_commits_its_call_event_and_reads_wait_for_the_batch() {
        use crate::request::iam::Iam;
        use crate::request::signin::root_caller;
        use crate::request::{Call, Origin, RequestPath};
        use rampart_wire::iam as wire;

        let store = Arc::new(MemoryStore::new());
        let engine = Arc::new(Engine::over(store.clone()));
        let requests = RequestPath::new(Arc::clone(&engine), None);
        let origin = Origin::cli(1_700_000_000);
        let account = requests
            .create_account(&origin, "t@example.com", "t", None)
            .unwrap();
        let root = Call::cli(root_caller(account.id.clone()), 1_700_000_001);
        let create = wire::Operation::CreateUser(wire::CreateUserInput {
            user_name: "alice".into(),
            ..Default::default()
        });
        requests.run::<Iam>(&root, &create).unwrap();
        let stored = |store: &MemoryStore| -> Vec<serde_json::Value> {
            store
                .audit_events(account.id.as_str(), 0, 10)
                .unwrap()
                .iter()
                .map(|e| serde_json::from_str(&e.body).unwrap())
                .collect()
        };
        // No flush yet: the write's event is durable with the user, after the queued
        // CreateAccount event, and says what was asked.
        let events = stored(&store);
        let names: Vec<&str> = events
            .iter()
            .map(|e| e["eventName"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["CreateUser", "CreateAccount"]);
        assert_eq!(events[0]["requestParameters"]["userName"], "alice");
        assert!(events[0]["responseElements"].is_null());
        // The batch brings its final form, with the response, in place of the first.
        engine.flush_audit().unwrap();
        let events = stored(&store);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0]["responseElements"]["user"]["userName"], "alice");
        // A read writes nothing: its event waits for the batch.
        let list = wire::Operation::ListUsers(wire::ListUsersInput::default());
        requests.run::<Iam>(&root, &list).unwrap();
        assert_eq!(stored(&store).len(), 2);
        engine.flush_audit().unwrap();
        let events = stored(&store);
        assert_eq!(events[0]["eventName"], "ListUsers");
        assert!(events[0]["responseElements"].is_null());
    }

    #[test]
    fn a_failed_write_publishes_nothing() {
        let engine = Engine::in_memory();
        let before = engine.snapshot().seq;
        let result: Result<(), CoreError> = engine.write(|txn| {
            crate::ops::signup::create_account(txn, "c@example.com", "c", None, 1)?;
            Err(CoreError::InvalidInput("no".into()))
        });
        assert!(result.is_err());
        assert_eq!(engine.snapshot().seq, before);
    }

    #[test]
    fn refresh_follows_commits_of_other_writers() {
        let store = Arc::new(MemoryStore::new());
        let engine = Engine::over(store.clone());
        let other = Engine::over(store.clone());
        let account = other
            .write(|txn| crate::ops::signup::create_account(txn, "b@example.com", "b", None, 1))
            .unwrap();
        assert!(engine.snapshot().account(&account.id).is_none());
        assert!(engine.refresh().unwrap());
        assert!(engine.snapshot().account(&account.id).is_some());
        assert!(!engine.refresh().unwrap());
    }

    #[test]
    fn deletions_survive_one_compaction_interval_and_a_node_behind_it_loads_afresh() {
        use crate::ops::iam::users;
        let store = Arc::new(MemoryStore::new());
        let engine = Engine::over(store.clone());
        let account = engine
            .write(|txn| crate::ops::signup::create_account(txn, "c@example.com", "c", None, 1))
            .unwrap()
            .id;
        let create = |name: &'static str| {
            engine
                .write(|txn| users::create(txn, &account, name, None, vec![], None, 2))
                .unwrap();
        };
        let delete = |name: &str| {
            engine
                .write(|txn| users::delete(txn, &account, name))
                .unwrap();
        };
        create("early");
        create("late");
        let behind = Engine::over(store.clone());
        let laggard = Engine::over(store.clone());

        delete("early");
        // The first call only marks where this engine is: nothing is dropped yet.
        assert_eq!(engine.compact_tombstones().unwrap(), 0);
        // A node that pulls within the interval sees the deletion.
        assert!(behind.refresh().unwrap());
        assert!(behind.snapshot().user(&account, "early").is_none());
        delete("late");
        // The second call drops the tombstones up to the mark: the first deletion's.
        assert_eq!(engine.compact_tombstones().unwrap(), 1);
        // A node at the mark still pulls incrementally.
        assert!(behind.refresh().unwrap());
        assert!(behind.snapshot().user(&account, "late").is_none());
        // A node that did not pull since before the mark loads every row again, and
        // misses no deletion.
        assert!(laggard.snapshot().user(&account, "early").is_some());
        assert_eq!(
            store.changes_since(laggard.snapshot().seq).unwrap(),
            Changes::Compacted
        );
        assert!(laggard.refresh().unwrap());
        let reloaded = laggard.snapshot();
        assert!(reloaded.user(&account, "early").is_none());
        assert!(reloaded.user(&account, "late").is_none());
        assert_eq!(reloaded.seq, engine.snapshot().seq);
        assert!(!laggard.refresh().unwrap());
    }

    /// A store that counts commits and can hold the first one until released, so a test
    /// can line writes up behind it.
    struct GateStore {
        inner: MemoryStore,
        commits: std::sync::atomic::AtomicUsize,
        gate: Mutex<Option<(std::sync::mpsc::Sender<()>, std::sync::mpsc::Receiver<()>)>>,
    }

    impl GateStore {
        fn new() -> GateStore {
            GateStore {
                inner: MemoryStore::new(),
                commits: std::sync::atomic::AtomicUsize::new(0),
                gate: Mutex::new(None),
            }
        }
        fn commits(&self) -> usize {
            self.commits.load(std::sync::atomic::Ordering::SeqCst)
        }
    }

    impl Store for GateStore {
        fn load(&self) -> Result<(u64, Vec<Row>), StoreError> {
            self.inner.load()
        }
        fn changes_since(&self, seq: u64) -> Result<Changes, StoreError> {
            self.inner.changes_since(seq)
        }
        fn compact(&self, through: u64) -> Result<usize, StoreError> {
            self.inner.compact(through)
        }
        fn current_seq(&self) -> Result<u64, StoreError> {
            self.inner.current_seq()
        }
        fn commit_audited(
            &self,
            expected: u64,
            rows: &[Row],
            audit: &[AuditRecord],
        ) -> Result<Commit, StoreError> {
            if let Some((entered, release)) = self.gate.lock().unwrap().take() {
                entered.send(()).unwrap();
                release.recv().unwrap();
            }
            self.commits
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            self.inner.commit_audited(expected, rows, audit)
        }
        fn append_audit(&self, events: &[AuditRecord]) -> Result<(), StoreError> {
            self.inner.append_audit(events)
        }
        fn lookup_audit(&self, query: &AuditQuery<'_>) -> Result<Vec<StoredAudit>, StoreError> {
            self.inner.lookup_audit(query)
        }
        fn prune_audit(&self, before: i64) -> Result<usize, StoreError> {
            self.inner.prune_audit(before)
        }
        fn claim_deliveries(
            &self,
            now_ms: i64,
            lease_until_ms: i64,
            owner: &str,
            limit: usize,
        ) -> Result<Vec<Delivery>, StoreError> {
            self.inner
                .claim_deliveries(now_ms, lease_until_ms, owner, limit)
        }
        fn settle_delivery(
            &self,
            id: i64,
            owner: &str,
            settlement: &Settlement,
        ) -> Result<(), StoreError> {
            self.inner.settle_delivery(id, owner, settlement)
        }
        fn list_deliveries(
            &self,
            account: &str,
            limit: usize,
        ) -> Result<Vec<Delivery>, StoreError> {
            self.inner.list_deliveries(account, limit)
        }
        fn change_delivery(
            &self,
            account: &str,
            delivery_id: &str,
            change: DeliveryChange,
        ) -> Result<bool, StoreError> {
            self.inner.change_delivery(account, delivery_id, change)
        }
        fn audit_high_water(&self) -> Result<i64, StoreError> {
            self.inner.audit_high_water()
        }
        fn audit_after(&self, after: i64, limit: usize) -> Result<Vec<StoredAudit>, StoreError> {
            self.inner.audit_after(after, limit)
        }
    }

    fn create_user(
        engine: &Engine,
        account: &crate::model::AccountId,
        name: &str,
    ) -> Result<(), CoreError> {
        engine
            .write(|txn| crate::ops::iam::users::create(txn, account, name, None, vec![], None, 2))
            .map(|_| ())
    }

    fn wait_for_members(engine: &Engine, members: usize) {
        while engine.open_batch_members() < members {
            std::thread::yield_now();
        }
    }

    #[test]
    fn writes_arriving_during_a_commit_share_one_batch_and_a_failing_one_poisons_none() {
        let store = Arc::new(GateStore::new());
        let engine = Arc::new(Engine::over(store.clone()));
        let account = engine
            .write(|txn| crate::ops::signup::create_account(txn, "g@example.com", "g", None, 1))
            .unwrap();
        let before = store.commits();
        let (entered_tx, entered) = std::sync::mpsc::channel();
        let (release, release_rx) = std::sync::mpsc::channel();
        *store.gate.lock().unwrap() = Some((entered_tx, release_rx));
        let spawn = |name: &'static str| {
            let (engine, account) = (Arc::clone(&engine), account.id.clone());
            std::thread::spawn(move || create_user(&engine, &account, name))
        };
        // The first write's commit is held: the next writes queue behind it.
        let first = spawn("first");
        entered.recv().unwrap();
        let bob = spawn("bob");
        wait_for_members(&engine, 1);
        // Applied after bob's (not yet durable) create: refused exactly as if serial, and
        // without joining the batch.
        let again = spawn("BOB").join().unwrap();
        assert!(
            matches!(again, Err(CoreError::EntityAlreadyExists(_))),
            "{again:?}"
        );
        let carol = spawn("carol");
        wait_for_members(&engine, 2);
        assert!(
            engine.snapshot().user(&account.id, "bob").is_none(),
            "not durable yet"
        );
        release.send(()).unwrap();
        for handle in [first, bob, carol] {
            handle.join().unwrap().unwrap();
        }
        assert_eq!(
            store.commits() - before,
            2,
            "bob and carol committed together"
        );
        let reopened = Engine::over(store.clone());
        for name in ["first", "bob", "carol"] {
            assert!(
                reopened.snapshot().user(&account.id, name).is_some(),
                "{name}"
            );
        }
    }

    #[test]
    fn concurrent_creates_of_one_name_admit_exactly_one_and_every_acknowledged_write_survives() {
        let store = Arc::new(GateStore::new());
        let engine = Arc::new(Engine::over(store.clone()));
        let account = engine
            .write(|txn| crate::ops::signup::create_account(txn, "c@example.com", "c", None, 1))
            .unwrap();
        let threads: Vec<_> = (0..16)
            .map(|n| {
                let (engine, account) = (Arc::clone(&engine), account.id.clone());
                std::thread::spawn(move || {
                    let own = create_user(&engine, &account, &format!("user{n}"));
                    let shared = create_user(&engine, &account, "contested");
                    (own, shared)
                })
            })
            .collect();
        let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(results.iter().all(|(own, _)| own.is_ok()));
        let won = results.iter().filter(|(_, shared)| shared.is_ok()).count();
        assert_eq!(won, 1, "exactly one create of the contested name succeeds");
        assert!(results.iter().all(|(_, shared)| shared.is_ok()
            || matches!(shared, Err(CoreError::EntityAlreadyExists(_)))));
        let reopened = Engine::over(store.clone());
        let names: Vec<String> = reopened
            .snapshot()
            .users(&account.id)
            .map(|u| u.record.name.clone())
            .collect();
        assert_eq!(names.len(), 17, "{names:?}");
    }
}
