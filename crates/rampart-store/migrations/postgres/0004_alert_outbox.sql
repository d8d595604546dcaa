-- The alert outbox: one row per (event, rule, target), written in the transaction that
-- writes the event. Each (account, rule, target) is a queue delivered in `id` order; a
-- node leases a queue's head (`lease_owner`, `lease_until_ms`, claimed with
-- FOR UPDATE SKIP LOCKED) while it delivers it. `delivery_id` is stable across attempts:
-- receivers deduplicate on it.
CREATE TABLE IF NOT EXISTS alert_outbox (
    id              BIGSERIAL PRIMARY KEY,
    delivery_id     TEXT NOT NULL UNIQUE,
    account         TEXT NOT NULL,
    rule            TEXT NOT NULL,
    target          TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL DEFAULT 0,
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until_ms  BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    created         BIGINT NOT NULL,
    delivered_ms    BIGINT
);
CREATE INDEX IF NOT EXISTS alert_outbox_queues ON alert_outbox (state, account, rule, target, id);
CREATE INDEX IF NOT EXISTS alert_outbox_by_account ON alert_outbox (account, id);
