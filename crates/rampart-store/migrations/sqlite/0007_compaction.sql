-- Tombstones are compacted (`Store::compact`): `compacted` is the sequence up to which
-- they are gone, so a change feed from before it answers that only a full load is
-- complete. The partial index finds old tombstones without visiting live rows.
ALTER TABLE sequence ADD COLUMN compacted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX rows_tombstones ON rows (seq) WHERE body IS NULL;
