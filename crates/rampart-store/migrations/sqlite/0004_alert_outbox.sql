-- The alert outbox: one row per (event, rule, target), written in the transaction that
-- writes the event. Each (account, rule, target) is a queue delivered in `id` order; a
-- worker leases a queue's head (`lease_owner`, `lease_until_ms`) while it delivers it.
-- `delivery_id` is stable across attempts: receivers deduplicate on it.
CREATE TABLE alert_outbox (
    id              INTEGER PRIMARY KEY,
    delivery_id     TEXT NOT NULL UNIQUE,
    account         TEXT NOT NULL,
    rule            TEXT NOT NULL,
    target          TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL DEFAULT 0,
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until_ms  INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created         INTEGER NOT NULL,
    delivered_ms    INTEGER
);
CREATE INDEX alert_outbox_queues ON alert_outbox (state, account, rule, target, id);
CREATE INDEX alert_outbox_by_account ON alert_outbox (account, id);
