-- Every record is a row keyed by (kind, key); `seq` is the commit that last wrote it.
-- A deleted record stays as a tombstone (body NULL) so change feeds can report it.
-- Bodies are JSON kept as TEXT: the store never looks inside them.
CREATE TABLE rows (
    kind TEXT NOT NULL,
    key  TEXT NOT NULL,
    seq  BIGINT NOT NULL,
    body TEXT,
    PRIMARY KEY (kind, key)
);
CREATE INDEX rows_by_seq ON rows (seq);
-- The one sequence row; every commit locks it (`SELECT … FOR UPDATE`), so commits from
-- every node are serialised and each sees the sequence its rivals left.
CREATE TABLE sequence (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);
INSERT INTO sequence (id, value) VALUES (1, 0);
