-- LookupEvents. The single-valued attributes of an event (see `AUDIT_COLUMNS` in
-- rampart-core's store module) are columns; attributes that repeat (the type and name of each
-- resource) are rows of `audit_keys`. Lookups scan one account's events newest first by
-- (time, id). `event_id` is unique, so the final form of an event committed with its write
-- replaces the first (its responseElements).
ALTER TABLE audit ADD COLUMN event_id TEXT;
ALTER TABLE audit ADD COLUMN event_name TEXT;
ALTER TABLE audit ADD COLUMN read_only TEXT;
ALTER TABLE audit ADD COLUMN username TEXT;
ALTER TABLE audit ADD COLUMN event_source TEXT;
ALTER TABLE audit ADD COLUMN access_key_id TEXT;
DROP INDEX audit_by_account_time;
CREATE INDEX audit_by_account_time_id ON audit (account, time, id);
CREATE UNIQUE INDEX audit_by_event_id ON audit (event_id);
CREATE TABLE audit_keys (
    name     TEXT NOT NULL,
    value    TEXT NOT NULL,
    audit_id INTEGER NOT NULL,
    PRIMARY KEY (name, value, audit_id)
) WITHOUT ROWID;
CREATE INDEX audit_keys_by_event ON audit_keys (audit_id);
