-- The audit trail: append-only, one row per call, queried per account by time.
CREATE TABLE IF NOT EXISTS audit (
    id      BIGSERIAL PRIMARY KEY,
    account TEXT NOT NULL,
    time    BIGINT NOT NULL,
    body    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_account_time ON audit (account, time);
