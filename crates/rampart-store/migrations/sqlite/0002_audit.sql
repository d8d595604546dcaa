-- The audit trail: append-only, one row per call, queried per account by time.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    time    INTEGER NOT NULL,
    body    TEXT NOT NULL
);
CREATE INDEX audit_by_account_time ON audit (account, time);
