//! An in-memory [`Store`] for tests: the same contract as SQLite and PostgreSQL (optimistic
//! commits against a sequence, tombstones in the change feed, an append-only audit trail),
//! with nothing on disk, so operations and the engine can be tested without a server.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::{
    AuditQuery, AuditRecord, Changes, Commit, Delivery, DeliveryChange, DeliveryState, Row,
    Settlement, Store, StoreError, StoredAudit,
};

/// Rows and audit events held in memory; every commit advances the sequence by one.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    seq: u64,
    /// `(kind, key)` → (sequence of the last change, the row or its tombstone).
    rows: BTreeMap<(String, String), (u64, Row)>,
    /// Tombstones of commits up to here are gone (`Store::compact`).
    compacted: u64,
    /// Events in append order.
    audit: Vec<StoredAudit>,
    /// The id of the last event appended.
    audit_id: i64,
    /// The alert outbox in write order.
    outbox: Vec<OutboxRow>,
}

/// An outbox row and its lease.
#[derive(Debug)]
struct OutboxRow {
    delivery: Delivery,
    lease_owner: String,
    lease_until_ms: i64,
}

impl Inner {
    fn append(&mut self, events: &[AuditRecord]) {
        for event in events {
            self.enqueue(event);
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

impl Inner {
    /// Writes `event`'s outbox rows; a row already there gets the new body if pending.
    fn enqueue(&mut self, event: &AuditRecord) {
        let Some(alert) = &event.alert else {
            return;
        };
        for route in &alert.routes {
            if let Some(row) = self
                .outbox
                .iter_mut()
                .find(|r| r.delivery.delivery_id == route.delivery_id)
            {
                if row.delivery.state == DeliveryState::Pending {
                    row.delivery.body.clone_from(&alert.envelope);
                }
                continue;
            }
            let id = self.outbox.last().map_or(1, |r| r.delivery.id + 1);
            self.outbox.push(OutboxRow {
                delivery: Delivery {
                    id,
                    delivery_id: route.delivery_id.clone(),
                    account: event.account.clone(),
                    rule: route.rule.clone(),
                    target: route.target.clone(),
                    event_id: event.event_id.clone(),
                    body: alert.envelope.clone(),
                    state: DeliveryState::Pending,
                    attempts: 0,
                    next_attempt_ms: 0,
                    last_error: None,
                    created: event.time,
                    delivered_ms: None,
                },
                lease_owner: String::new(),
                lease_until_ms: 0,
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
            .filter(|(_, (_, row))| row.body.is_some())
            .map(|(_, (_, row))| row.clone())
            .collect();
        Ok((inner.seq, rows))
    }

    fn changes_since(&self, seq: u64) -> Result<Changes, StoreError> {
        let inner = self.lock()?;
        if seq < inner.compacted {
            return Ok(Changes::Compacted);
        }
        let mut changed: Vec<(u64, Row)> = inner
            .rows
            .iter()
            .filter(|(_, (at, _))| *at > seq)
            .map(|(_, (at, row))| (*at, row.clone()))
            .collect();
        // Replaying in commit order keeps parent rows ahead of the rows that refer to them.
        changed.sort_by_key(|(at, _)| *at);
        Ok(Changes::Since(
            inner.seq,
            changed.into_iter().map(|(_, row)| row).collect(),
        ))
    }

    fn compact(&self, through: u64) -> Result<usize, StoreError> {
        let mut inner = self.lock()?;
        let through = through.min(inner.seq);
        let before = inner.rows.len();
        inner
            .rows
            .retain(|_, (at, row)| row.body.is_some() || *at > through);
        inner.compacted = inner.compacted.max(through);
        Ok(before - inner.rows.len())
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
                .insert((row.kind.clone(), row.key.clone()), (seq, row.clone()));
        }
        inner.append(audit);
        Ok(Commit::Committed(seq))
    }

    fn append_audit(&self, events: &[AuditRecord]) -> Result<(), StoreError> {
        self.lock()?.append(events);
        Ok(())
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
                    alert: None,
                    ..e.record.clone()
                },
            })
            .collect())
    }

    fn prune_audit(&self, before: i64) -> Result<usize, StoreError> {
        let mut inner = self.lock()?;
        let kept = inner
            .audit
            .iter()
            .position(|e| e.record.time >= before)
            .unwrap_or(inner.audit.len());
        Ok(inner.audit.drain(..kept).count())
    }

    fn claim_deliveries(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
        owner: &str,
        limit: usize,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut inner = self.lock()?;
        let mut heads = std::collections::BTreeSet::new();
        let mut claimed = Vec::new();
        for row in &mut inner.outbox {
            let d = &row.delivery;
            if d.state != DeliveryState::Pending {
                continue;
            }
            // Only a queue's first pending row may go.
            if !heads.insert((d.account.clone(), d.rule.clone(), d.target.clone())) {
                continue;
            }
            if claimed.len() < limit && d.next_attempt_ms <= now_ms && row.lease_until_ms <= now_ms
            {
                row.lease_owner = owner.to_owned();
                row.lease_until_ms = lease_until_ms;
                claimed.push(row.delivery.clone());
            }
        }
        Ok(claimed)
    }

    fn settle_delivery(
        &self,
        id: i64,
        owner: &str,
        settlement: &Settlement,
    ) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        let Some(row) = inner.outbox.iter_mut().find(|r| r.delivery.id == id) else {
            return Ok(());
        };
        if row.delivery.state != DeliveryState::Pending
            || (row.lease_owner != owner && !matches!(settlement, Settlement::Delivered(_)))
        {
            return Ok(());
        }
        row.lease_owner.clear();
        row.lease_until_ms = 0;
        let d = &mut row.delivery;
        match settlement {
            Settlement::Delivered(at) => {
                d.state = DeliveryState::Delivered;
                d.delivered_ms = Some(*at);
            }
            Settlement::Retry {
                next_attempt_ms,
                error,
            } => {
                d.attempts = d.attempts.saturating_add(1);
                d.next_attempt_ms = *next_attempt_ms;
                d.last_error = Some(error.clone());
            }
            Settlement::Dropped(error) => {
                d.state = DeliveryState::Dropped;
                d.last_error = Some(error.clone());
            }
        }
        Ok(())
    }

    fn list_deliveries(&self, account: &str, limit: usize) -> Result<Vec<Delivery>, StoreError> {
        let inner = self.lock()?;
        Ok(inner
            .outbox
            .iter()
            .rev()
            .filter(|r| r.delivery.account == account)
            .take(limit)
            .map(|r| r.delivery.clone())
            .collect())
    }

    fn change_delivery(
        &self,
        account: &str,
        delivery_id: &str,
        change: DeliveryChange,
    ) -> Result<bool, StoreError> {
        let mut inner = self.lock()?;
        let Some(row) = inner
            .outbox
            .iter_mut()
            .find(|r| r.delivery.account == account && r.delivery.delivery_id == delivery_id)
        else {
            return Ok(false);
        };
        match change {
            DeliveryChange::Retry(at) => {
                row.delivery.state = DeliveryState::Pending;
                row.delivery.next_attempt_ms = at;
                row.lease_until_ms = 0;
            }
            DeliveryChange::Drop if row.delivery.state == DeliveryState::Pending => {
                row.delivery.state = DeliveryState::Dropped;
                row.delivery.last_error = Some("dropped by an administrator".to_owned());
            }
            DeliveryChange::Drop => return Ok(false),
        }
        Ok(true)
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
                    alert: None,
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
            version: 1,
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
        assert_eq!(
            store.changes_since(1).unwrap(),
            Changes::Since(2, vec![row("a", None)])
        );
        assert_eq!(store.load().unwrap().1, vec![row("b", Some("{}"))]);
    }
}
