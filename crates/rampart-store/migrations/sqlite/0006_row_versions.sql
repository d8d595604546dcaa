-- Each row names the version of its record's stored form; the core upgrades an older
-- row as it reads it. Every row written before this column existed is version 1.
ALTER TABLE rows ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
