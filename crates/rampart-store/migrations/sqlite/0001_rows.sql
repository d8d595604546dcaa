-- Every record is a row keyed by (kind, key); `seq` is the commit that last wrote it.
-- A deleted record stays as a tombstone (body NULL) so change feeds can report it.
CREATE TABLE rows (
    kind TEXT NOT NULL,
    key  TEXT NOT NULL,
    seq  INTEGER NOT NULL,
    body TEXT,
    PRIMARY KEY (kind, key)
);
CREATE INDEX rows_by_seq ON rows (seq);
CREATE TABLE sequence (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
INSERT INTO sequence (id, value) VALUES (1, 0);
