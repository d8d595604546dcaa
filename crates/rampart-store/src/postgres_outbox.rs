//! The alert outbox in PostgreSQL (`alert_outbox`, migration 4): rows written with their
//! events in one statement per batch, queue heads claimed by one node at a time
//! (`FOR UPDATE SKIP LOCKED`, then a lease, so nodes sharing the database never deliver
//! the same row concurrently), settled and listed. Decides nothing about alerts.

use std::collections::HashSet;

use postgres::{Client, GenericClient, Statement, Transaction};
use rampart_core::store::{AuditRecord, Delivery, DeliveryChange, DeliveryState, Settlement};

use crate::error::BackendError;

/// The columns [`read_row`] reads, in order.
const COLUMNS: &str = "id, delivery_id, account, rule, target, event_id, body, state, attempts,
                       next_attempt_ms, last_error, created, delivered_ms";

/// The statement [`enqueue`] runs, prepared with the connection's audit statements.
pub const ENQUEUE: &str =
    "INSERT INTO alert_outbox (delivery_id, account, rule, target, event_id, body, created)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                          $6::text[], $7::bigint[])
     ON CONFLICT (delivery_id) DO UPDATE SET body = excluded.body
     WHERE alert_outbox.state = 'pending'";

fn read_row(row: &postgres::Row) -> Result<Delivery, BackendError> {
    let state: String = row.try_get(7)?;
    let attempts: i32 = row.try_get(8)?;
    Ok(Delivery {
        id: row.try_get(0)?,
        delivery_id: row.try_get(1)?,
        account: row.try_get(2)?,
        rule: row.try_get(3)?,
        target: row.try_get(4)?,
        event_id: row.try_get(5)?,
        body: row.try_get(6)?,
        state: DeliveryState::parse(&state).unwrap_or(DeliveryState::Dropped),
        attempts: u32::try_from(attempts).unwrap_or(0),
        next_attempt_ms: row.try_get(9)?,
        last_error: row.try_get(10)?,
        created: row.try_get(11)?,
        delivered_ms: row.try_get(12)?,
    })
}

/// Writes the outbox rows of `events` (already reduced to one form per event, the last)
/// inside the caller's transaction.
pub fn enqueue(
    tx: &mut Transaction<'_>,
    statement: &Statement,
    events: &[&AuditRecord],
) -> Result<(), BackendError> {
    let mut seen = HashSet::new();
    let mut ids = Vec::new();
    let mut accounts = Vec::new();
    let mut rules = Vec::new();
    let mut targets = Vec::new();
    let mut event_ids = Vec::new();
    let mut bodies: Vec<&str> = Vec::new();
    let mut times = Vec::new();
    for event in events {
        let Some(alert) = &event.alert else {
            continue;
        };
        for route in &alert.routes {
            // One statement cannot write a row twice.
            if !seen.insert(route.delivery_id.as_str()) {
                continue;
            }
            ids.push(route.delivery_id.as_str());
            accounts.push(event.account.as_str());
            rules.push(route.rule.as_str());
            targets.push(route.target.as_str());
            event_ids.push(event.event_id.as_str());
            bodies.push(alert.envelope.as_str());
            times.push(event.time);
        }
    }
    if ids.is_empty() {
        return Ok(());
    }
    tx.execute(
        statement,
        &[
            &ids, &accounts, &rules, &targets, &event_ids, &bodies, &times,
        ],
    )?;
    Ok(())
}

/// See `Store::claim_deliveries`.
pub fn claim(
    client: &mut Client,
    now_ms: i64,
    lease_until_ms: i64,
    owner: &str,
    limit: usize,
) -> Result<Vec<Delivery>, BackendError> {
    let mut tx = client.transaction()?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    // Rows another node is claiming right now are locked: skip them rather than wait,
    // and their lease keeps them skipped once that node commits.
    let rows = tx.query(
        &format!(
            "SELECT {COLUMNS} FROM alert_outbox
             WHERE id IN (SELECT MIN(id) FROM alert_outbox WHERE state = 'pending'
                          GROUP BY account, rule, target)
               AND state = 'pending' AND next_attempt_ms <= $1 AND lease_until_ms <= $1
             ORDER BY id LIMIT $2
             FOR UPDATE SKIP LOCKED"
        ),
        &[&now_ms, &limit],
    )?;
    let claimed = rows.iter().map(read_row).collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<i64> = claimed.iter().map(|d| d.id).collect();
    if !ids.is_empty() {
        tx.execute(
            "UPDATE alert_outbox SET lease_owner = $1, lease_until_ms = $2 WHERE id = ANY($3)",
            &[&owner, &lease_until_ms, &ids],
        )?;
    }
    tx.commit()?;
    Ok(claimed)
}

/// See `Store::settle_delivery`.
pub fn settle(
    client: &mut impl GenericClient,
    id: i64,
    owner: &str,
    settlement: &Settlement,
) -> Result<(), BackendError> {
    match settlement {
        Settlement::Delivered(at) => client.execute(
            "UPDATE alert_outbox SET state = 'delivered', delivered_ms = $2, lease_owner = '',
                    lease_until_ms = 0
             WHERE id = $1 AND state = 'pending'",
            &[&id, at],
        )?,
        Settlement::Retry {
            next_attempt_ms,
            error,
        } => client.execute(
            "UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_ms = $3,
                    last_error = $4, lease_owner = '', lease_until_ms = 0
             WHERE id = $1 AND state = 'pending' AND lease_owner = $2",
            &[&id, &owner, next_attempt_ms, error],
        )?,
        Settlement::Dropped(error) => client.execute(
            "UPDATE alert_outbox SET state = 'dropped', last_error = $3, lease_owner = '',
                    lease_until_ms = 0
             WHERE id = $1 AND state = 'pending' AND lease_owner = $2",
            &[&id, &owner, error],
        )?,
    };
    Ok(())
}

/// See `Store::list_deliveries`.
pub fn list(
    client: &mut impl GenericClient,
    account: &str,
    limit: usize,
) -> Result<Vec<Delivery>, BackendError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = client.query(
        &format!("SELECT {COLUMNS} FROM alert_outbox WHERE account = $1 ORDER BY id DESC LIMIT $2"),
        &[&account, &limit],
    )?;
    rows.iter().map(read_row).collect()
}

/// See `Store::change_delivery`.
pub fn change(
    client: &mut impl GenericClient,
    account: &str,
    delivery_id: &str,
    change: DeliveryChange,
) -> Result<bool, BackendError> {
    let changed = match change {
        DeliveryChange::Retry(at) => client.execute(
            "UPDATE alert_outbox SET state = 'pending', next_attempt_ms = $3, lease_owner = '',
                    lease_until_ms = 0, delivered_ms = NULL
             WHERE account = $1 AND delivery_id = $2",
            &[&account, &delivery_id, &at],
        )?,
        DeliveryChange::Drop => client.execute(
            "UPDATE alert_outbox SET state = 'dropped', last_error = 'dropped by an administrator'
             WHERE account = $1 AND delivery_id = $2 AND state = 'pending'",
            &[&account, &delivery_id],
        )?,
    };
    Ok(changed > 0)
}

/// Deletes settled rows of events older than `before` (with the trail's retention).
pub fn prune(tx: &mut Transaction<'_>, before: i64) -> Result<(), BackendError> {
    tx.execute(
        "DELETE FROM alert_outbox WHERE created < $1 AND state <> 'pending'",
        &[&before],
    )?;
    Ok(())
}
