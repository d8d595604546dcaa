-- LookupEvents: the attributes an event can be looked up by (EventName, Username,
-- ResourceName, ...; several rows for several resources), and newest-first paging by
-- (time, id) within an account. `event_id` (the record's eventID) is unique, so the final
-- form of an event committed with its write replaces the first (responseElements).
CREATE TABLE audit_keys (
    audit_id INTEGER NOT NULL REFERENCES audit (id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    value    TEXT NOT NULL
);
CREATE INDEX audit_keys_lookup ON audit_keys (name, value, audit_id);
CREATE INDEX audit_keys_by_event ON audit_keys (audit_id);
CREATE INDEX audit_by_account_time_id ON audit (account, time, id);
ALTER TABLE audit ADD COLUMN event_id TEXT;
CREATE UNIQUE INDEX audit_by_event_id ON audit (event_id);
