//! The engine's side of the alert outbox: waking the delivery worker when a commit wrote
//! outbox rows, and passing the worker's and administrators' outbox calls to the store
//! (listing writes queued events first, so an alert of a batched call is listed).

use std::time::Duration;

use super::Engine;
use crate::error::CoreError;
use crate::store::{AuditRecord, Delivery, DeliveryChange, Settlement};

impl Engine {
    /// Wakes the delivery worker when `events` (just committed) wrote outbox rows.
    pub(super) fn note_alerts(&self, events: &[AuditRecord]) {
        if events.iter().any(|e| e.alert.is_some()) {
            let (count, written) = &self.alerts_written;
            if let Ok(mut count) = count.lock() {
                *count = count.wrapping_add(1);
                written.notify_all();
            }
        }
    }

    /// Waits until a commit of this process writes outbox rows after the worker last saw
    /// `seen` (the value this returned before; start from 0), or `timeout` passes (rows
    /// other processes wrote are found by polling). Returns the new count.
    pub fn wait_for_alerts(&self, seen: u64, timeout: Duration) -> u64 {
        let (count, written) = &self.alerts_written;
        let Ok(guard) = count.lock() else {
            return seen;
        };
        match written.wait_timeout_while(guard, timeout, |count| *count == seen) {
            Ok((count, _)) => *count,
            Err(_) => seen,
        }
    }

    /// See [`Store::claim_deliveries`].
    pub fn claim_deliveries(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
        owner: &str,
        limit: usize,
    ) -> Result<Vec<Delivery>, CoreError> {
        Ok(self
            .store
            .claim_deliveries(now_ms, lease_until_ms, owner, limit)?)
    }

    /// See [`Store::settle_delivery`].
    pub fn settle_delivery(
        &self,
        id: i64,
        owner: &str,
        settlement: &Settlement,
    ) -> Result<(), CoreError> {
        Ok(self.store.settle_delivery(id, owner, settlement)?)
    }

    /// The newest `limit` outbox rows of `account`, after writing queued events (so an
    /// alert raised by a batched call is listed).
    pub fn list_deliveries(
        &self,
        account: &crate::model::AccountId,
        limit: usize,
    ) -> Result<Vec<Delivery>, CoreError> {
        self.flush_audit()?;
        Ok(self.store.list_deliveries(account.as_str(), limit)?)
    }

    /// See [`Store::change_delivery`].
    pub fn change_delivery(
        &self,
        account: &crate::model::AccountId,
        delivery_id: &str,
        change: DeliveryChange,
    ) -> Result<bool, CoreError> {
        let changed = self
            .store
            .change_delivery(account.as_str(), delivery_id, change)?;
        if changed {
            let (count, written) = &self.alerts_written;
            if let Ok(mut count) = count.lock() {
                *count = count.wrapping_add(1);
                written.notify_all();
            }
        }
        Ok(changed)
    }
}
