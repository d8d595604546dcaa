-- LookupEvents: the attributes an event can be looked up by (EventName, Username,
-- ResourceName, ...; several rows for several resources), and newest-first paging by
-- (time, id) within an account. `event_id` (the record's eventID) is unique, so the final
-- form of an event committed with its write replaces the first (responseElements).
CREATE TABLE IF NOT EXISTS audit_keys (
    audit_id BIGINT NOT NULL REFERENCES audit (id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    value    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_keys_lookup ON audit_keys (name, value, audit_id);
CREATE INDEX IF NOT EXISTS audit_keys_by_event ON audit_keys (audit_id);
CREATE INDEX IF NOT EXISTS audit_by_account_time_id ON audit (account, time, id);
ALTER TABLE audit ADD COLUMN IF NOT EXISTS event_id TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS audit_by_event_id ON audit (event_id);
