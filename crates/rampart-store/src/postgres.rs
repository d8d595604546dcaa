//! The PostgreSQL store: one database shared by several `rampart serve` nodes.
//!
//! Same semantics as the SQLite store. A commit runs in one transaction that locks the
//! single sequence row (`SELECT … FOR UPDATE`), so commits from every node are serialised;
//! it checks the sequence it was computed against, upserts its rows, bumps the sequence and
//! commits. A commit is acknowledged only after PostgreSQL reports it committed, with
//! `synchronous_commit` left on (it is turned back on for our session if the server was
//! configured with `off`), so an acknowledged write survives a crash of the server.
//! Reads (`load`, `changes_since`) run in one repeatable-read transaction, so the rows and
//! the sequence they return agree.
//!
//! The `Store` trait is synchronous and is called from blocking threads, so this backend
//! uses the blocking `postgres` client: one connection per store behind a mutex, opened
//! again after it breaks. Connections are made without TLS: run PostgreSQL on loopback or
//! on a private network. This module decides nothing about IAM and never reads the
//! environment; the binary passes the URL in.

use std::collections::HashSet;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use postgres::{Client, Config, IsolationLevel, NoTls, Statement};
use rampart_core::store::{
    AUDIT_COLUMNS, AuditQuery, AuditRecord, Changes, Commit, Delivery, DeliveryChange, Row,
    Settlement, Store, StoreError, StoredAudit,
};

use crate::error::BackendError;
use crate::migrations;
use crate::postgres_outbox as outbox;

/// How long opening a connection may take unless the URL says otherwise.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Key of the advisory lock that serialises migrations when several nodes start at once.
/// Any constant works; this one spells `rampart` in ASCII.
const MIGRATION_LOCK: i64 = 0x72_61_6d_70_61_72_74;

/// A PostgreSQL database holding every row.
pub struct PostgresStore {
    config: Config,
    // INVARIANT: `None` only between a broken connection and the next call, which reconnects.
    conn: Mutex<Option<Connection>>,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The configuration may hold a password; show where, not how.
        f.debug_struct("PostgresStore")
            .field("hosts", &self.config.get_hosts())
            .field("dbname", &self.config.get_dbname())
            .finish_non_exhaustive()
    }
}

/// One open connection and the statements prepared on it.
struct Connection {
    client: Client,
    current_seq: Statement,
    /// The sequence and how far tombstones are compacted.
    sequence_state: Statement,
    lock_seq: Statement,
    live_rows: Statement,
    changed_rows: Statement,
    upsert: Statement,
    set_seq: Statement,
    audit: AuditStatements,
}

/// The statements that append audit events (with their lookup keys).
struct AuditStatements {
    ids: Statement,
    insert: Statement,
    keys_insert: Statement,
    outbox: Statement,
}

impl Connection {
    fn prepare(mut client: Client) -> Result<Connection, BackendError> {
        Ok(Connection {
            current_seq: client.prepare("SELECT value FROM sequence WHERE id = 1")?,
            sequence_state: client
                .prepare("SELECT value, compacted FROM sequence WHERE id = 1")?,
            lock_seq: client.prepare("SELECT value FROM sequence WHERE id = 1 FOR UPDATE")?,
            live_rows: client
                .prepare("SELECT kind, key, body, version FROM rows WHERE body IS NOT NULL ORDER BY seq")?,
            changed_rows: client
                .prepare("SELECT kind, key, body, version FROM rows WHERE seq > $1 ORDER BY seq")?,
            // One round trip for the whole batch, however many rows it holds.
            upsert: client.prepare(
                "INSERT INTO rows (kind, key, seq, body, version)
                 SELECT batch.kind, batch.key, $1, batch.body, batch.version
                 FROM unnest($2::text[], $3::text[], $4::text[], $5::int4[])
                      AS batch (kind, key, body, version)
                 ON CONFLICT (kind, key) DO UPDATE
                 SET seq = excluded.seq, body = excluded.body, version = excluded.version",
            )?,
            set_seq: client.prepare("UPDATE sequence SET value = $1 WHERE id = 1")?,
            // Ids drawn first, so each event's keys can name it: three round trips per
            // batch, however many events it holds.
            audit: AuditStatements {
                ids: client.prepare(
                    "SELECT nextval(pg_get_serial_sequence('audit', 'id')) FROM generate_series(1, $1::bigint)",
                )?,
                // An event already stored (committed with its write) gets its final body;
                // RETURNING names the rows written, new or replaced.
                insert: client.prepare(
                    "INSERT INTO audit (id, account, time, body, event_id, event_name, read_only,
                                        username, event_source, access_key_id)
                     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[],
                                          $5::text[], $6::text[], $7::text[], $8::text[],
                                          $9::text[], $10::text[])
                     ON CONFLICT (event_id) DO UPDATE SET body = excluded.body
                     RETURNING id",
                )?,
                keys_insert: client.prepare(
                    "INSERT INTO audit_keys (audit_id, name, value)
                     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])
                     ON CONFLICT DO NOTHING",
                )?,
                outbox: client.prepare(outbox::ENQUEUE)?,
            },
            client,
        })
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user[:password]@host[:port]/dbname`
    /// or the `key=value` form) and brings its schema up to date.
    pub fn open(url: &str) -> Result<PostgresStore, BackendError> {
        let mut config: Config = url.parse()?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("rampart");
        }
        let mut client = connect(&config)?;
        migrate(&mut client)?;
        let conn = Connection::prepare(client)?;
        Ok(PostgresStore {
            config,
            conn: Mutex::new(Some(conn)),
        })
    }

    /// Runs `work` on the connection, reconnecting first if the last one broke. A read may
    /// be `retried` once on a fresh connection (a server restart breaks every connection);
    /// a commit never is, since it may have committed before the connection broke.
    fn with_conn<T>(
        &self,
        retried: bool,
        work: impl Fn(&mut Connection) -> Result<T, BackendError>,
    ) -> Result<T, BackendError> {
        let mut slot = self.conn.lock().map_err(|_| BackendError::Poisoned)?;
        let had_connection = slot.as_ref().is_some_and(|conn| !conn.client.is_closed());
        let mut conn = match slot.take() {
            Some(conn) if !conn.client.is_closed() => conn,
            _ => Connection::prepare(connect(&self.config)?)?,
        };
        let mut result = work(&mut conn);
        if retried && had_connection && result.as_ref().err().is_some_and(|err| broken(err, &conn))
        {
            conn = Connection::prepare(connect(&self.config)?)?;
            result = work(&mut conn);
        }
        let keep = !result.as_ref().err().is_some_and(|err| broken(err, &conn));
        if keep {
            *slot = Some(conn);
        }
        result
    }
}

/// Whether `err` means the connection is unusable (as opposed to the server refusing one
/// statement), so the next call should open a new one.
fn broken(err: &BackendError, conn: &Connection) -> bool {
    conn.client.is_closed()
        || matches!(err, BackendError::Postgres(pg) if pg.as_db_error().is_none())
}

fn connect(config: &Config) -> Result<Client, BackendError> {
    let mut client = config.connect(NoTls)?;
    // Nothing acknowledged is lost: a server configured with `off` would acknowledge commits
    // it has not flushed. Any other value (`on`, `local`, `remote_write`, `remote_apply`)
    // flushes locally at least, so it is left as the operator chose.
    let setting = client.query_one("SHOW synchronous_commit", &[])?;
    let value: String = setting.try_get(0)?;
    if value == "off" {
        client.batch_execute("SET synchronous_commit TO on")?;
    }
    Ok(client)
}

fn migrate(client: &mut Client) -> Result<(), BackendError> {
    let mut tx = client.transaction()?;
    // Several nodes may start at once; the first migrates, the others then see its work.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    // `IF NOT EXISTS` notices on every start are noise in the log.
    tx.batch_execute("SET LOCAL client_min_messages = warning")?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
    let current: i64 = tx
        .query_one("SELECT MAX(version) FROM schema_version", &[])?
        .try_get::<_, Option<i64>>(0)?
        .unwrap_or(0);
    let supported = migrations::POSTGRES
        .last()
        .map_or(0, |(version, _)| *version);
    if current > supported {
        return Err(BackendError::SchemaTooNew {
            found: current,
            supported,
        });
    }
    for (version, sql) in migrations::POSTGRES
        .iter()
        .filter(|(version, _)| *version > current)
    {
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[version],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn to_seq(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn to_rows(rows: &[postgres::Row]) -> Result<Vec<Row>, BackendError> {
    rows.iter()
        .map(|row| {
            Ok(Row {
                kind: row.try_get(0)?,
                key: row.try_get(1)?,
                body: row.try_get(2)?,
                version: u32::try_from(row.try_get::<_, i32>(3)?).unwrap_or(0),
            })
        })
        .collect()
}

/// Reads the rows in one repeatable-read snapshot: with `since`, the changes after that
/// sequence (or [`Changes::Compacted`] when its deletions are compacted away); without it,
/// every live row.
fn read(conn: &mut Connection, since: Option<i64>) -> Result<Changes, BackendError> {
    let mut tx = conn
        .client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let head = tx.query_one(&conn.sequence_state, &[])?;
    let (seq, compacted): (i64, i64) = (head.try_get(0)?, head.try_get(1)?);
    let rows = match since {
        Some(since) if since < compacted => {
            tx.commit()?;
            return Ok(Changes::Compacted);
        }
        Some(since) => tx.query(&conn.changed_rows, &[&since])?,
        None => tx.query(&conn.live_rows, &[])?,
    };
    tx.commit()?;
    Ok(Changes::Since(to_seq(seq), to_rows(&rows)?))
}

fn commit(
    conn: &mut Connection,
    expected: u64,
    rows: &[Row],
    audit: &[AuditRecord],
) -> Result<Commit, BackendError> {
    // A batch may write the same (kind, key) twice; the last write wins, as in SQLite, and
    // PostgreSQL's upsert refuses to touch one row twice in a statement.
    let mut seen = HashSet::new();
    let mut batch: Vec<&Row> = rows
        .iter()
        .rev()
        .filter(|row| seen.insert((row.kind.as_str(), row.key.as_str())))
        .collect();
    batch.reverse();
    let kinds: Vec<&str> = batch.iter().map(|row| row.kind.as_str()).collect();
    let keys: Vec<&str> = batch.iter().map(|row| row.key.as_str()).collect();
    let bodies: Vec<Option<&str>> = batch.iter().map(|row| row.body.as_deref()).collect();
    let versions: Vec<i32> = batch
        .iter()
        .map(|row| i32::try_from(row.version).unwrap_or(i32::MAX))
        .collect();

    let mut tx = conn.client.transaction()?;
    let current: i64 = tx.query_one(&conn.lock_seq, &[])?.try_get(0)?;
    if to_seq(current) != expected {
        tx.rollback()?;
        return Ok(Commit::Conflict);
    }
    let next = current
        .checked_add(1)
        .ok_or(BackendError::SequenceOverflow)?;
    tx.execute(&conn.upsert, &[&next, &kinds, &keys, &bodies, &versions])?;
    tx.execute(&conn.set_seq, &[&next])?;
    insert_audit(&mut tx, &conn.audit, audit)?;
    tx.commit()?;
    Ok(Commit::Committed(to_seq(next)))
}

/// Appends `events` and their lookup keys inside the caller's transaction.
fn insert_audit(
    tx: &mut postgres::Transaction<'_>,
    statements: &AuditStatements,
    events: &[AuditRecord],
) -> Result<(), BackendError> {
    if events.is_empty() {
        return Ok(());
    }
    let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
    let mut ids = tx
        .query(&statements.ids, &[&count])?
        .iter()
        .map(|row| row.try_get::<_, i64>(0))
        .collect::<Result<Vec<i64>, _>>()?;
    // Appended in order: ids increase with the events' position in the batch.
    ids.sort_unstable();
    // One statement cannot write a row twice: the last form of an event wins.
    let mut seen = HashSet::new();
    let mut batch: Vec<&AuditRecord> = events
        .iter()
        .rev()
        .filter(|e| seen.insert(e.event_id.as_str()))
        .collect();
    batch.reverse();
    ids.truncate(batch.len());
    let accounts: Vec<&str> = batch.iter().map(|e| e.account.as_str()).collect();
    let times: Vec<i64> = batch.iter().map(|e| e.time).collect();
    let bodies: Vec<&str> = batch.iter().map(|e| e.body.as_str()).collect();
    let event_ids: Vec<&str> = batch.iter().map(|e| e.event_id.as_str()).collect();
    let column = |index: usize| -> Vec<Option<&str>> {
        let name = AUDIT_COLUMNS.get(index).copied().unwrap_or_default();
        batch.iter().map(|e| e.column(name)).collect()
    };
    let (names, read_only, usernames, sources, key_ids) =
        (column(1), column(2), column(3), column(4), column(5));
    let written: HashSet<i64> = tx
        .query(
            &statements.insert,
            &[
                &ids, &accounts, &times, &bodies, &event_ids, &names, &read_only, &usernames,
                &sources, &key_ids,
            ],
        )?
        .iter()
        .map(|row| row.try_get::<_, i64>(0))
        .collect::<Result<_, _>>()?;
    let mut audit_ids = Vec::new();
    let mut key_names = Vec::new();
    let mut values = Vec::new();
    // Only new events get keys: a replaced one kept its id and its keys.
    for (id, event) in ids.iter().zip(&batch) {
        if !written.contains(id) {
            continue;
        }
        for (name, value) in event.repeated_keys() {
            audit_ids.push(*id);
            key_names.push(name);
            values.push(value);
        }
    }
    tx.execute(&statements.keys_insert, &[&audit_ids, &key_names, &values])?;
    outbox::enqueue(tx, &statements.outbox, &batch)
}

impl Store for PostgresStore {
    fn load(&self) -> Result<(u64, Vec<Row>), StoreError> {
        match self.with_conn(true, |conn| read(conn, None))? {
            Changes::Since(seq, rows) => Ok((seq, rows)),
            Changes::Compacted => Err(StoreError::new("a full load cannot be compacted")),
        }
    }

    fn changes_since(&self, seq: u64) -> Result<Changes, StoreError> {
        let since = i64::try_from(seq).unwrap_or(i64::MAX);
        Ok(self.with_conn(true, |conn| read(conn, Some(since)))?)
    }

    fn compact(&self, through: u64) -> Result<usize, StoreError> {
        let through = i64::try_from(through).unwrap_or(i64::MAX);
        Ok(self.with_conn(false, |conn| {
            let mut tx = conn.client.transaction()?;
            // Locks the sequence row, as a commit does, so no commit lands meanwhile.
            let compacted: i64 = tx
                .query_one(
                    "UPDATE sequence SET compacted = GREATEST(compacted, LEAST($1, value))
                     WHERE id = 1 RETURNING compacted",
                    &[&through],
                )?
                .try_get(0)?;
            let deleted = tx.execute(
                "DELETE FROM rows WHERE body IS NULL AND seq <= $1",
                &[&compacted],
            )?;
            tx.commit()?;
            Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
        })?)
    }

    fn current_seq(&self) -> Result<u64, StoreError> {
        Ok(self.with_conn(true, |conn| {
            Ok(to_seq(
                conn.client.query_one(&conn.current_seq, &[])?.try_get(0)?,
            ))
        })?)
    }

    fn append_audit(&self, events: &[AuditRecord]) -> Result<(), StoreError> {
        Ok(self.with_conn(false, |conn| {
            let mut tx = conn.client.transaction()?;
            insert_audit(&mut tx, &conn.audit, events)?;
            tx.commit()?;
            Ok(())
        })?)
    }

    fn lookup_audit(&self, query: &AuditQuery<'_>) -> Result<Vec<StoredAudit>, StoreError> {
        let (cursor_time, cursor_id) = query.after.map_or((i64::MAX, i64::MAX), |c| (c.time, c.id));
        let (name, value) = query.key.unzip();
        let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
        Ok(self.with_conn(true, |conn| {
            let rows = conn.client.query(
                "SELECT id, account, time, body, event_id FROM audit
                 WHERE account = $1 AND time >= $2 AND time <= $3
                   AND (time < $4 OR (time = $4 AND id < $5))
                   AND CASE $6::text
                         WHEN 'EventId' THEN event_id = $7
                         WHEN 'EventName' THEN event_name = $7
                         WHEN 'ReadOnly' THEN read_only = $7
                         WHEN 'Username' THEN username = $7
                         WHEN 'EventSource' THEN event_source = $7
                         WHEN 'AccessKeyId' THEN access_key_id = $7
                         ELSE $6::text IS NULL OR id IN
                              (SELECT audit_id FROM audit_keys WHERE name = $6 AND value = $7)
                       END
                 ORDER BY time DESC, id DESC LIMIT $8",
                &[
                    &query.account,
                    &query.start,
                    &query.end,
                    &cursor_time,
                    &cursor_id,
                    &name,
                    &value,
                    &limit,
                ],
            )?;
            rows.iter()
                .map(|r| {
                    Ok(StoredAudit {
                        id: r.try_get(0)?,
                        record: AuditRecord {
                            account: r.try_get(1)?,
                            time: r.try_get(2)?,
                            body: r.try_get(3)?,
                            event_id: r.try_get::<_, Option<String>>(4)?.unwrap_or_default(),
                            keys: Vec::new(),
                            alert: None,
                        },
                    })
                })
                .collect::<Result<Vec<_>, BackendError>>()
        })?)
    }

    fn prune_audit(&self, before: i64) -> Result<usize, StoreError> {
        Ok(self.with_conn(false, |conn| {
            let mut tx = conn.client.transaction()?;
            // The first event still inside retention, in append order.
            let kept: i64 = tx
                .query_opt(
                    "SELECT id FROM audit WHERE time >= $1 ORDER BY id LIMIT 1",
                    &[&before],
                )?
                .map(|row| row.try_get(0))
                .transpose()?
                .unwrap_or(i64::MAX);
            tx.execute("DELETE FROM audit_keys WHERE audit_id < $1", &[&kept])?;
            let pruned = tx.execute("DELETE FROM audit WHERE id < $1", &[&kept])?;
            outbox::prune(&mut tx, before)?;
            tx.commit()?;
            Ok(usize::try_from(pruned).unwrap_or(usize::MAX))
        })?)
    }

    fn commit_audited(
        &self,
        expected: u64,
        rows: &[Row],
        audit: &[AuditRecord],
    ) -> Result<Commit, StoreError> {
        Ok(self.with_conn(false, |conn| commit(conn, expected, rows, audit))?)
    }

    fn claim_deliveries(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
        owner: &str,
        limit: usize,
    ) -> Result<Vec<Delivery>, StoreError> {
        Ok(self.with_conn(false, |conn| {
            outbox::claim(&mut conn.client, now_ms, lease_until_ms, owner, limit)
        })?)
    }

    fn settle_delivery(
        &self,
        id: i64,
        owner: &str,
        settlement: &Settlement,
    ) -> Result<(), StoreError> {
        Ok(self.with_conn(false, |conn| {
            outbox::settle(&mut conn.client, id, owner, settlement)
        })?)
    }

    fn list_deliveries(&self, account: &str, limit: usize) -> Result<Vec<Delivery>, StoreError> {
        Ok(self.with_conn(true, |conn| outbox::list(&mut conn.client, account, limit))?)
    }

    fn change_delivery(
        &self,
        account: &str,
        delivery_id: &str,
        change: DeliveryChange,
    ) -> Result<bool, StoreError> {
        Ok(self.with_conn(false, |conn| {
            outbox::change(&mut conn.client, account, delivery_id, change)
        })?)
    }

    fn audit_high_water(&self) -> Result<i64, StoreError> {
        Ok(self.with_conn(true, |conn| {
            let row = conn
                .client
                .query_one("SELECT COALESCE(MAX(id), 0)::bigint FROM audit", &[])?;
            Ok(row.try_get::<_, i64>(0)?)
        })?)
    }

    fn audit_after(&self, after: i64, limit: usize) -> Result<Vec<StoredAudit>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Ok(self.with_conn(true, |conn| {
            let rows = conn.client.query(
                "SELECT id, account, time, body, event_id FROM audit WHERE id > $1
                 ORDER BY id LIMIT $2",
                &[&after, &limit],
            )?;
            rows.iter()
                .map(|r| {
                    Ok(StoredAudit {
                        id: r.try_get(0)?,
                        record: AuditRecord {
                            account: r.try_get(1)?,
                            time: r.try_get(2)?,
                            body: r.try_get(3)?,
                            event_id: r.try_get::<_, Option<String>>(4)?.unwrap_or_default(),
                            keys: Vec::new(),
                            alert: None,
                        },
                    })
                })
                .collect::<Result<Vec<_>, BackendError>>()
        })?)
    }
}
