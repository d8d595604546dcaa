//! An in-memory [`Store`] for tests: the same contract as SQLite and PostgreSQL (optimistic
//! commits against a sequence, tombstones in the change feed, an append-only audit trail),
//! with nothing on disk, so operations and the engine can be tested without a server.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::{AuditQuery, AuditRecord, Commit, Row, Store, StoreError, StoredAudit};

/// Rows and audit events held in memory; every commit advances the sequence by one.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    seq: u64,
    /// `(kind, key)` → (sequence of the last change, body or tombstone).
    rows: BTreeMap<(String, String), (u64, Option<String>)>,
    /// Events in append order.
    audit: Vec<StoredAudit>,
    /// The id of the last event appended.
    audit_id: i64,
}

impl Inner {
    fn append(&mut self, events: &[AuditRecord]) {
        for event in events {
            if let Some(stored) = self
                .audit
                .iter_mut()
                .find(|e| e.record.event_id == event.event_id)
            {
                stored.record.body.clone_from(&event.body);
                continue;
            }
            self.audit_id = self.audit_id.saturating_add(1);
            self.audit.push(StoredAudit {
                id: self.audit_id,
                record: event.clone(),
            });
        }
    }
}

impl MemoryStore {
    /// An empty store at sequence 0.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Inner>, StoreError> {
        self.inner
            .lock()
            .map_err(|_| StoreError::new("memory store lock poisoned"))
    }
}

impl Store for MemoryStore {
    fn load(&self) -> Result<(u64, Vec<Row>), StoreError> {
        let inner = self.lock()?;
        let rows = inner
            .rows
            .iter()
            .filter(|(_, (_, body))| body.is_some())
            .map(|((kind, key), (_, body))| Row {
                kind: kind.clone(),
                key: key.clone(),
                body: body.clone(),
            })
            .collect();
        Ok((inner.seq, rows))
    }

    fn changes_since(&self, seq: u64) -> Result<(u64, Vec<Row>), StoreError> {
        let inner = self.lock()?;
        let mut changed: Vec<(u64, Row)> = inner
            .rows
            .iter()
            .filter(|(_, (at, _))| *at > seq)
            .map(|((kind, key), (at, body))| {
                let row = Row {
                    kind: kind.clone(),
                    key: key.clone(),
                    body: body.clone(),
                };
                (*at, row)
            })
            .collect();
        // Replaying in commit order keeps parent rows ahead of the rows that refer to them.
        changed.sort_by_key(|(at, _)| *at);
        Ok((inner.seq, changed.into_iter().map(|(_, row)| row).collect()))
    }

    fn current_seq(&self) -> Result<u64, StoreError> {
        Ok(self.lock()?.seq)
    }

    fn commit_audited(
        &self,
        expected: u64,
        rows: &[Row],
        audit: &[AuditRecord],
    ) -> Result<Commit, StoreError> {
        let mut inner = self.lock()?;
        if inner.seq != expected {
            return Ok(Commit::Conflict);
        }
        inner.seq += 1;
        let seq = inner.seq;
        for row in rows {
            inner
                .rows
                .insert((row.kind.clone(), row.key.clone()), (seq, row.body.clone()));
        }
        inner.append(audit);
        Ok(Commit::Committed(seq))
    }

    fn append_audit(&self, events: &[AuditRecord]) -> Result<(), StoreError> {
        self.lock()?.append(events);
        Ok(())
    }

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

    fn lookup_audit(&self, query: &AuditQuery<'_>) -> Result<Vec<StoredAudit>, StoreError> {
        let inner = self.lock()?;
        let mut found: Vec<&StoredAudit> = inner
            .audit
            .iter()
            .filter(|e| {
                let r = &e.record;
                r.account == query.account
                    && (query.start..=query.end).contains(&r.time)
                    && query.past_cursor(r.time, e.id)
                    && query.key.is_none_or(|(name, value)| {
                        r.keys.iter().any(|(n, v)| n == name && v == value)
                    })
            })
            .collect();
        found.sort_by_key(|e| std::cmp::Reverse((e.record.time, e.id)));
        Ok(found
            .into_iter()
            .take(query.limit)
            .map(|e| StoredAudit {
                id: e.id,
                // As the other stores: the keys are not read back.
                record: AuditRecord {
                    keys: Vec::new(),
                    ..e.record.clone()
                },
            })
            .collect())
    }

    fn prune_audit(&self, before: i64) -> Result<usize, StoreError> {
        let mut inner = self.lock()?;
        let count = inner.audit.len();
        inner.audit.retain(|e| e.record.time >= before);
        Ok(count - inner.audit.len())
    }

    fn audit_high_water(&self) -> Result<i64, StoreError> {
        Ok(self.lock()?.audit.iter().map(|e| e.id).max().unwrap_or(0))
    }

    fn audit_after(&self, after: i64, limit: usize) -> Result<Vec<StoredAudit>, StoreError> {
        let inner = self.lock()?;
        let mut found: Vec<StoredAudit> = inner
            .audit
            .iter()
            .filter(|e| e.id > after)
            .map(|e| StoredAudit {
                id: e.id,
                record: AuditRecord {
                    keys: Vec::new(),
                    ..e.record.clone()
                },
            })
            .collect();
        found.sort_by_key(|e| e.id);
        found.truncate(limit);
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, body: Option<&str>) -> Row {
        Row {
            kind: "user".into(),
            key: key.into(),
            body: body.map(str::to_owned),
        }
    }

    #[test]
    fn commit_against_a_stale_sequence_conflicts_and_writes_nothing() {
        let store = MemoryStore::new();
        assert_eq!(
            store.commit(0, &[row("a", Some("{}"))]).unwrap(),
            Commit::Committed(1)
        );
        assert_eq!(
            store.commit(0, &[row("b", Some("{}"))]).unwrap(),
            Commit::Conflict
        );
        assert_eq!(store.load().unwrap().1.len(), 1);
    }

    #[test]
    fn changes_since_reports_tombstones_and_load_omits_them() {
        let store = MemoryStore::new();
        store
            .commit(0, &[row("a", Some("{}")), row("b", Some("{}"))])
            .unwrap();
        store.commit(1, &[row("a", None)]).unwrap();
        let (seq, changes) = store.changes_since(1).unwrap();
        assert_eq!((seq, changes), (2, vec![row("a", None)]));
        assert_eq!(store.load().unwrap().1, vec![row("b", Some("{}"))]);
    }
}
