//! The alert outbox in SQLite (`alert_outbox`, migration 4): rows written with their
//! events, queue heads leased under SQLite's write lock (`BEGIN IMMEDIATE`), settled and
//! listed. Decides nothing about alerts: the core routes events and the worker delivers.

use rampart_core::store::{AuditRecord, Delivery, DeliveryChange, DeliveryState, Settlement};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use crate::error::BackendError;

/// The columns [`read_row`] reads, in order.
const COLUMNS: &str = "id, delivery_id, account, rule, target, event_id, body, state, attempts,
                       next_attempt_ms, last_error, created, delivered_ms";

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Delivery> {
    let state: String = row.get(7)?;
    Ok(Delivery {
        id: row.get(0)?,
        delivery_id: row.get(1)?,
        account: row.get(2)?,
        rule: row.get(3)?,
        target: row.get(4)?,
        event_id: row.get(5)?,
        body: row.get(6)?,
        state: DeliveryState::parse(&state).unwrap_or(DeliveryState::Dropped),
        attempts: row.get(8)?,
        next_attempt_ms: row.get(9)?,
        last_error: row.get(10)?,
        created: row.get(11)?,
        delivered_ms: row.get(12)?,
    })
}

/// Writes the outbox rows of `events` inside the caller's transaction; a row already
/// there (the event's earlier form) gets the new body while it is pending.
pub fn enqueue(tx: &Transaction<'_>, events: &[AuditRecord]) -> Result<(), BackendError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO alert_outbox (delivery_id, account, rule, target, event_id, body, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (delivery_id) DO UPDATE SET body = excluded.body
         WHERE alert_outbox.state = 'pending'",
    )?;
    for event in events {
        let Some(alert) = &event.alert else {
            continue;
        };
        for route in &alert.routes {
            insert.execute(params![
                route.delivery_id,
                event.account,
                route.rule,
                route.target,
                event.event_id,
                alert.envelope,
                event.time
            ])?;
        }
    }
    Ok(())
}

/// See `Store::claim_deliveries`.
pub fn claim(
    conn: &mut Connection,
    now_ms: i64,
    lease_until_ms: i64,
    owner: &str,
    limit: usize,
) -> Result<Vec<Delivery>, BackendError> {
    // The worker asks several times a second: look without SQLite's write lock first, so
    // an empty outbox never stands in the way of writers (the server's, the CLI's).
    let due: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM alert_outbox WHERE state = 'pending'
                                AND next_attempt_ms <= ?1 AND lease_until_ms <= ?1)",
        )?
        .query_row(params![now_ms], |row| row.get(0))?;
    if !due {
        return Ok(Vec::new());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let claimed = {
        let mut heads = tx.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM alert_outbox
             WHERE id IN (SELECT MIN(id) FROM alert_outbox WHERE state = 'pending'
                          GROUP BY account, rule, target)
               AND next_attempt_ms <= ?1 AND lease_until_ms <= ?1
             ORDER BY id LIMIT ?2"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = heads
            .query_map(params![now_ms, limit], read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        let mut lease = tx.prepare_cached(
            "UPDATE alert_outbox SET lease_owner = ?1, lease_until_ms = ?2 WHERE id = ?3",
        )?;
        for row in &rows {
            lease.execute(params![owner, lease_until_ms, row.id])?;
        }
        rows
    };
    tx.commit()?;
    Ok(claimed)
}

/// See `Store::settle_delivery`.
pub fn settle(
    conn: &Connection,
    id: i64,
    owner: &str,
    settlement: &Settlement,
) -> Result<(), BackendError> {
    match settlement {
        Settlement::Delivered(at) => conn.execute(
            "UPDATE alert_outbox SET state = 'delivered', delivered_ms = ?2, lease_owner = '',
                    lease_until_ms = 0
             WHERE id = ?1 AND state = 'pending'",
            params![id, at],
        )?,
        Settlement::Retry {
            next_attempt_ms,
            error,
        } => conn.execute(
            "UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_ms = ?3,
                    last_error = ?4, lease_owner = '', lease_until_ms = 0
             WHERE id = ?1 AND state = 'pending' AND lease_owner = ?2",
            params![id, owner, next_attempt_ms, error],
        )?,
        Settlement::Dropped(error) => conn.execute(
            "UPDATE alert_outbox SET state = 'dropped', last_error = ?3, lease_owner = '',
                    lease_until_ms = 0
             WHERE id = ?1 AND state = 'pending' AND lease_owner = ?2",
            params![id, owner, error],
        )?,
    };
    Ok(())
}

/// See `Store::list_deliveries`.
pub fn list(conn: &Connection, account: &str, limit: usize) -> Result<Vec<Delivery>, BackendError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM alert_outbox WHERE account = ?1 ORDER BY id DESC LIMIT ?2"
    ))?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt
        .query_map(params![account, limit], read_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// See `Store::change_delivery`.
pub fn change(
    conn: &Connection,
    account: &str,
    delivery_id: &str,
    change: DeliveryChange,
) -> Result<bool, BackendError> {
    let changed = match change {
        DeliveryChange::Retry(at) => conn.execute(
            "UPDATE alert_outbox SET state = 'pending', next_attempt_ms = ?3, lease_owner = '',
                    lease_until_ms = 0, delivered_ms = NULL
             WHERE account = ?1 AND delivery_id = ?2",
            params![account, delivery_id, at],
        )?,
        DeliveryChange::Drop => conn.execute(
            "UPDATE alert_outbox SET state = 'dropped', last_error = 'dropped by an administrator'
             WHERE account = ?1 AND delivery_id = ?2 AND state = 'pending'",
            params![account, delivery_id],
        )?,
    };
    Ok(changed > 0)
}

/// Deletes settled rows of events older than `before` (with the trail's retention).
pub fn prune(tx: &Transaction<'_>, before: i64) -> Result<(), BackendError> {
    tx.execute(
        "DELETE FROM alert_outbox WHERE created < ?1 AND state <> 'pending'",
        params![before],
    )?;
    Ok(())
}
