//! The embedded SQLite store: one file in the data directory, WAL journal, fsync on commit.
//!
//! `synchronous=FULL` in WAL mode fsyncs the log at every commit, so an acknowledged write
//! survives a crash of the process or of the machine. Several processes may open the same
//! file (the server and the CLI): commits take SQLite's write lock with `BEGIN IMMEDIATE`
//! and check the sequence they were computed against.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rampart_core::store::{
    AUDIT_COLUMNS, AuditQuery, AuditRecord, Changes, Commit, Delivery, DeliveryChange, Row,
    Settlement, Store, StoreError, StoredAudit,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::error::BackendError;
use crate::migrations;
use crate::sqlite_outbox as outbox;

/// A SQLite database holding every row.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, BackendError> {
        let conn = Connection::open(path)?;
        Self::configure(conn)
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<SqliteStore, BackendError> {
        Self::configure(Connection::open_in_memory()?)
    }

    fn configure(mut conn: Connection) -> Result<SqliteStore, BackendError> {
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 32 MiB of page cache instead of SQLite's 2 MiB: one flush of the audit queue
        // (a few thousand events) would otherwise spill dirty pages mid-transaction and
        // re-read index pages it just evicted.
        conn.pragma_update(None, "cache_size", -32_768)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    /// The journal mode and `synchronous` level this store's connection runs with (the
    /// durability the server claims: `wal` and 2, FULL, so a commit is on disk when it
    /// returns).
    pub fn durability(&self) -> Result<(String, i64), BackendError> {
        let conn = self.conn()?;
        let journal: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
        let synchronous: i64 = conn.query_row("PRAGMA synchronous", [], |row| row.get(0))?;
        Ok((journal, synchronous))
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, BackendError> {
        self.conn.lock().map_err(|_| BackendError::Poisoned)
    }
}

fn migrate(conn: &mut Connection) -> Result<(), BackendError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let current: i64 = tx
        .query_row("SELECT MAX(version) FROM schema_version", [], |row| {
            row.get::<_, Option<i64>>(0)
        })?
        .unwrap_or(0);
    let supported = migrations::SQLITE.last().map_or(0, |(version, _)| *version);
    if current > supported {
        return Err(BackendError::SchemaTooNew {
            found: current,
            supported,
        });
    }
    for (version, sql) in migrations::SQLITE
        .iter()
        .filter(|(version, _)| *version > current)
    {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES (?1)",
            params![version],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn read_seq(conn: &Connection) -> Result<u64, BackendError> {
    let value: i64 = conn.query_row("SELECT value FROM sequence WHERE id = 1", [], |row| {
        row.get(0)
    })?;
    Ok(u64::try_from(value).unwrap_or(0))
}

fn collect_rows(conn: &Connection, sql: &str, since: i64) -> Result<Vec<Row>, BackendError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map(params![since], |row| {
            Ok(Row {
                kind: row.get(0)?,
                key: row.get(1)?,
                body: row.get(2)?,
                version: row.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

impl Store for SqliteStore {
    fn load(&self) -> Result<(u64, Vec<Row>), StoreError> {
        let mut conn = self.conn()?;
        // One read transaction, so the rows and the sequence agree.
        let tx = conn.transaction().map_err(BackendError::from)?;
        let seq = read_seq(&tx)?;
        let rows = collect_rows(
            &tx,
            "SELECT kind, key, body, version FROM rows WHERE body IS NOT NULL AND seq > ?1 ORDER BY seq",
            0,
        )?;
        tx.commit().map_err(BackendError::from)?;
        Ok((seq, rows))
    }

    fn load_chunked(
        &self,
        chunk: usize,
        each: &mut dyn FnMut(Vec<Row>) -> bool,
    ) -> Result<u64, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(BackendError::from)?;
        let seq = read_seq(&tx)?;
        {
            // Table order, not `seq` order: one row per (kind, key), so the order does not
            // change the state, and a table scan reads pages in sequence instead of
            // visiting the table once per index entry.
            let mut stmt = tx
                .prepare_cached("SELECT kind, key, body, version FROM rows WHERE body IS NOT NULL")
                .map_err(BackendError::from)?;
            let mut rows = stmt.query([]).map_err(BackendError::from)?;
            let mut batch = Vec::with_capacity(chunk);
            while let Some(row) = rows.next().map_err(BackendError::from)? {
                batch.push(Row {
                    kind: row.get(0).map_err(BackendError::from)?,
                    key: row.get(1).map_err(BackendError::from)?,
                    body: row.get(2).map_err(BackendError::from)?,
                    version: row.get(3).map_err(BackendError::from)?,
                });
                if batch.len() >= chunk && !each(std::mem::take(&mut batch)) {
                    return Ok(seq);
                }
            }
            if !batch.is_empty() {
                each(batch);
            }
        }
        tx.commit().map_err(BackendError::from)?;
        // The scan filled the page cache with rows now held decoded in memory: give it
        // back (writes refill what they need).
        conn.execute_batch("PRAGMA shrink_memory")
            .map_err(BackendError::from)?;
        // SQLite names an in-memory database "".
        if let Some(path) = conn.path().filter(|path| !path.is_empty()) {
            forget_cached_file(Path::new(path));
        }
        Ok(seq)
    }

    fn changes_since(&self, seq: u64) -> Result<Changes, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(BackendError::from)?;
        let newest = read_seq(&tx)?;
        let since = i64::try_from(seq).unwrap_or(i64::MAX);
        let compacted: i64 = tx
            .query_row("SELECT compacted FROM sequence WHERE id = 1", [], |row| {
                row.get(0)
            })
            .map_err(BackendError::from)?;
        if since < compacted {
            return Ok(Changes::Compacted);
        }
        let rows = collect_rows(
            &tx,
            "SELECT kind, key, body, version FROM rows WHERE seq > ?1 ORDER BY seq",
            since,
        )?;
        tx.commit().map_err(BackendError::from)?;
        Ok(Changes::Since(newest, rows))
    }

    fn compact(&self, through: u64) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(BackendError::from)?;
        let through = i64::try_from(through.min(read_seq(&tx)?)).unwrap_or(i64::MAX);
        let deleted = tx
            .execute(
                "DELETE FROM rows WHERE body IS NULL AND seq <= ?1",
                params![through],
            )
            .map_err(BackendError::from)?;
        tx.execute(
            "UPDATE sequence SET compacted = MAX(compacted, ?1) WHERE id = 1",
            params![through],
        )
        .map_err(BackendError::from)?;
        tx.commit().map_err(BackendError::from)?;
        Ok(deleted)
    }

    fn current_seq(&self) -> Result<u64, StoreError> {
        let conn = self.conn()?;
        Ok(read_seq(&conn)?)
    }

    fn commit_audited(
        &self,
        expected: u64,
        rows: &[Row],
        audit: &[AuditRecord],
    ) -> Result<Commit, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(BackendError::from)?;
        let current = read_seq(&tx)?;
        if current != expected {
            return Ok(Commit::Conflict);
        }
        let next = current + 1;
        let next_sql = i64::try_from(next).map_err(|_| StoreError::new("sequence overflow"))?;
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO rows (kind, key, seq, body, version) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (kind, key) DO UPDATE
                     SET seq = excluded.seq, body = excluded.body, version = excluded.version",
                )
                .map_err(BackendError::from)?;
            for row in rows {
                upsert
                    .execute(params![row.kind, row.key, next_sql, row.body, row.version])
                    .map_err(BackendError::from)?;
            }
        }
        tx.execute(
            "UPDATE sequence SET value = ?1 WHERE id = 1",
            params![next_sql],
        )
        .map_err(BackendError::from)?;
        insert_audit(&tx, audit)?;
        tx.commit().map_err(BackendError::from)?;
        Ok(Commit::Committed(next))
    }

    fn append_audit(&self, events: &[AuditRecord]) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(BackendError::from)?;
        insert_audit(&tx, events)?;
        tx.commit().map_err(BackendError::from)?;
        Ok(())
    }

    fn lookup_audit(&self, query: &AuditQuery<'_>) -> Result<Vec<StoredAudit>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, account, time, body, event_id FROM audit
                 WHERE account = ?1 AND time >= ?2 AND time <= ?3
                   AND (time < ?4 OR (time = ?4 AND id < ?5))
                   AND CASE ?6
                         WHEN 'EventId' THEN event_id = ?7
                         WHEN 'EventName' THEN event_name = ?7
                         WHEN 'ReadOnly' THEN read_only = ?7
                         WHEN 'Username' THEN username = ?7
                         WHEN 'EventSource' THEN event_source = ?7
                         WHEN 'AccessKeyId' THEN access_key_id = ?7
                         ELSE ?6 IS NULL OR id IN
                              (SELECT audit_id FROM audit_keys WHERE name = ?6 AND value = ?7)
                       END
                 ORDER BY time DESC, id DESC LIMIT ?8",
            )
            .map_err(BackendError::from)?;
        let (cursor_time, cursor_id) = query.after.map_or((i64::MAX, i64::MAX), |c| (c.time, c.id));
        let (name, value) = query.key.unzip();
        let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(
                params![
                    query.account,
                    query.start,
                    query.end,
                    cursor_time,
                    cursor_id,
                    name,
                    value,
                    limit
                ],
                |row| {
                    Ok(StoredAudit {
                        id: row.get(0)?,
                        record: AuditRecord {
                            account: row.get(1)?,
                            time: row.get(2)?,
                            body: row.get(3)?,
                            event_id: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
                            keys: Vec::new(),
                            alert: None,
                        },
                    })
                },
            )
            .map_err(BackendError::from)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(BackendError::from)?;
        Ok(rows)
    }

    fn prune_audit(&self, before: i64) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(BackendError::from)?;
        // The first event still inside retention, in append order (a scan that stops there,
        // not a pass over the whole trail under the write lock).
        let kept: Option<i64> = tx
            .query_row(
                "SELECT id FROM audit WHERE time >= ?1 ORDER BY id LIMIT 1",
                params![before],
                |row| row.get(0),
            )
            .optional()
            .map_err(BackendError::from)?;
        let kept = kept.unwrap_or(i64::MAX);
        tx.execute("DELETE FROM audit_keys WHERE audit_id < ?1", params![kept])
            .map_err(BackendError::from)?;
        let pruned = tx
            .execute("DELETE FROM audit WHERE id < ?1", params![kept])
            .map_err(BackendError::from)?;
        outbox::prune(&tx, before)?;
        tx.commit().map_err(BackendError::from)?;
        Ok(pruned)
    }

    fn claim_deliveries(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
        owner: &str,
        limit: usize,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut conn = self.conn()?;
        Ok(outbox::claim(
            &mut conn,
            now_ms,
            lease_until_ms,
            owner,
            limit,
        )?)
    }

    fn settle_delivery(
        &self,
        id: i64,
        owner: &str,
        settlement: &Settlement,
    ) -> Result<(), StoreError> {
        Ok(outbox::settle(&*self.conn()?, id, owner, settlement)?)
    }

    fn list_deliveries(&self, account: &str, limit: usize) -> Result<Vec<Delivery>, StoreError> {
        Ok(outbox::list(&*self.conn()?, account, limit)?)
    }

    fn change_delivery(
        &self,
        account: &str,
        delivery_id: &str,
        change: DeliveryChange,
    ) -> Result<bool, StoreError> {
        Ok(outbox::change(
            &*self.conn()?,
            account,
            delivery_id,
            change,
        )?)
    }

    fn audit_high_water(&self) -> Result<i64, StoreError> {
        let conn = self.conn()?;
        let id: Option<i64> = conn
            .query_row("SELECT MAX(id) FROM audit", [], |row| row.get(0))
            .map_err(BackendError::from)?;
        Ok(id.unwrap_or(0))
    }

    fn audit_after(&self, after: i64, limit: usize) -> Result<Vec<StoredAudit>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, account, time, body, event_id FROM audit WHERE id > ?1
                 ORDER BY id LIMIT ?2",
            )
            .map_err(BackendError::from)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![after, limit], |row| {
                Ok(StoredAudit {
                    id: row.get(0)?,
                    record: AuditRecord {
                        account: row.get(1)?,
                        time: row.get(2)?,
                        body: row.get(3)?,
                        event_id: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
                        keys: Vec::new(),
                        alert: None,
                    },
                })
            })
            .map_err(BackendError::from)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(BackendError::from)?;
        Ok(rows)
    }
}

/// Appends `events` and their lookup keys inside the caller's transaction.
fn insert_audit(
    tx: &rusqlite::Transaction<'_>,
    events: &[AuditRecord],
) -> Result<(), BackendError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut replace = tx.prepare_cached("UPDATE audit SET body = ?2 WHERE event_id = ?1")?;
    // Almost every event is new: insert first, and only an insert the unique `event_id`
    // turned away (an event's final form) becomes a replacement, instead of probing for a
    // replacement before every insert.
    let mut insert = tx.prepare_cached(
        "INSERT INTO audit (account, time, body, event_id, event_name, read_only, username,
                            event_source, access_key_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (event_id) DO NOTHING",
    )?;
    // Two resources of one type repeat a (name, value) pair: once is enough.
    let mut insert_key = tx.prepare_cached(
        "INSERT OR IGNORE INTO audit_keys (name, value, audit_id) VALUES (?1, ?2, ?3)",
    )?;
    for event in events {
        let [_, name, read_only, username, source, key] = AUDIT_COLUMNS.map(|c| event.column(c));
        let inserted = insert.execute(params![
            event.account,
            event.time,
            event.body,
            event.event_id,
            name,
            read_only,
            username,
            source,
            key
        ])?;
        if inserted == 0 {
            replace.execute(params![event.event_id, event.body])?;
            continue;
        }
        let id = tx.last_insert_rowid();
        for (name, value) in event.repeated_keys() {
            insert_key.execute(params![name, value, id])?;
        }
    }
    outbox::enqueue(tx, events)
}

/// Asks the kernel to drop its cached pages of the database file after the start-up scan.
/// The scan reads the whole file in sequence through read-ahead, and for a while the small
/// writes that follow into those cached pages (audit appends, checkpoints) cost far more
/// CPU than usual — `perf` shows it in the kernel's copy into the page cache
/// (`copy_folio_from_iter_atomic`, 22 % of the server's samples). At a million identities
/// signed reads ran at 0.57–0.68× of their steady rate for the first 15–20 s after
/// start-up, and at 0.97–0.99× from the start with the cache dropped (`bench/scale.sh`;
/// `docs/performance.md`). Only clean pages go; nothing is lost if the call fails.
fn forget_cached_file(path: &Path) {
    #[cfg(target_os = "linux")]
    if let Ok(file) = std::fs::File::open(path) {
        let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

/// Whether the file at `path` already holds a Rampart database (used by `init`).
pub fn has_database(path: &Path) -> Result<bool, BackendError> {
    if !path.exists() {
        return Ok(false);
    }
    let conn = Connection::open(path)?;
    let found: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'rows'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}
