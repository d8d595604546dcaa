//! One behaviour suite every backend must pass.

use rampart_core::store::{
    Alert, AlertRoute, AuditCursor, AuditQuery, AuditRecord, Changes, Commit, DeliveryChange,
    DeliveryState, Row, Settlement, Store,
};

fn row(kind: &str, key: &str, body: Option<&str>) -> Row {
    Row {
        kind: kind.into(),
        key: key.into(),
        body: body.map(Into::into),
        version: 1,
    }
}

/// Runs every conformance check against a fresh, empty store.
pub fn run(store: &dyn Store) {
    audit(store);
    audit_lookup(store);
    assert_eq!(store.load().unwrap(), (0, vec![]));
    assert_eq!(
        store
            .commit(
                0,
                &[row("user", "a", Some("1")), row("user", "b", Some("2"))]
            )
            .unwrap(),
        Commit::Committed(1)
    );
    // A commit computed against an old sequence is refused and writes nothing.
    assert_eq!(
        store.commit(0, &[row("user", "c", Some("3"))]).unwrap(),
        Commit::Conflict
    );
    assert_eq!(store.current_seq().unwrap(), 1);
    assert_eq!(
        store
            .commit(1, &[row("user", "a", None), row("user", "b", Some("22"))])
            .unwrap(),
        Commit::Committed(2)
    );
    let (seq, rows) = store.load().unwrap();
    assert_eq!(seq, 2);
    assert_eq!(rows, vec![row("user", "b", Some("22"))]);
    let Changes::Since(seq, changes) = store.changes_since(1).unwrap() else {
        panic!("nothing is compacted yet");
    };
    assert_eq!(seq, 2);
    assert_eq!(changes.len(), 2);
    assert!(changes.contains(&row("user", "a", None)));
    assert_eq!(store.changes_since(2).unwrap(), Changes::Since(2, vec![]));
    // A row's record version is kept beside its body, through load and change feeds, and
    // a rewrite replaces it.
    let versioned = Row {
        version: 3,
        ..row("role", "r", Some("{}"))
    };
    assert_eq!(
        store.commit(2, std::slice::from_ref(&versioned)).unwrap(),
        Commit::Committed(3)
    );
    assert!(store.load().unwrap().1.contains(&versioned));
    assert_eq!(
        store.changes_since(2).unwrap(),
        Changes::Since(3, vec![versioned])
    );
    let rewritten = row("role", "r", Some("{}"));
    assert_eq!(
        store.commit(3, std::slice::from_ref(&rewritten)).unwrap(),
        Commit::Committed(4)
    );
    assert!(store.load().unwrap().1.contains(&rewritten));
    compaction(store);
}

/// Compaction drops old tombstones, leaves live rows and newer tombstones, and makes a
/// change feed from before it say so instead of silently missing deletions.
fn compaction(store: &dyn Store) {
    let seq = store.current_seq().unwrap();
    let (_, live) = store.load().unwrap();
    assert_eq!(
        store
            .commit(seq, &[row("group", "old", Some("{}"))])
            .unwrap(),
        Commit::Committed(seq + 1)
    );
    assert_eq!(
        store.commit(seq + 1, &[row("group", "old", None)]).unwrap(),
        Commit::Committed(seq + 2)
    );
    assert_eq!(
        store.commit(seq + 2, &[row("group", "new", None)]).unwrap(),
        Commit::Committed(seq + 3)
    );
    // Through seq + 2: the tombstones of `user/a` (written earlier) and `group/old` go,
    // `group/new` (seq + 3) stays.
    assert_eq!(store.compact(seq + 2).unwrap(), 2);
    assert_eq!(store.compact(seq + 2).unwrap(), 0, "nothing left to drop");
    assert_eq!(store.load().unwrap(), (seq + 3, live));
    assert_eq!(store.changes_since(seq + 1).unwrap(), Changes::Compacted);
    assert_eq!(
        store.changes_since(seq + 2).unwrap(),
        Changes::Since(seq + 3, vec![row("group", "new", None)])
    );
    // A compaction past the newest sequence stops at it; an older one changes nothing.
    assert_eq!(store.compact(u64::MAX).unwrap(), 1);
    assert_eq!(store.compact(0).unwrap(), 0);
    assert_eq!(store.changes_since(seq + 2).unwrap(), Changes::Compacted);
    assert_eq!(
        store.changes_since(seq + 3).unwrap(),
        Changes::Since(seq + 3, vec![])
    );
}

#[test]
fn sqlite_load_chunked_hands_out_what_load_returns() {
    let store = crate::SqliteStore::open_in_memory().unwrap();
    run(&store);
    load_chunked_hands_out_what_load_returns(&store);
}

#[test]
fn memory_load_chunked_hands_out_what_load_returns() {
    let store = rampart_core::store::memory::MemoryStore::new();
    run(&store);
    load_chunked_hands_out_what_load_returns(&store);
}

/// `load_chunked` yields exactly `load`'s rows (in any order), in chunks of the size asked,
/// and stops when told to.
fn load_chunked_hands_out_what_load_returns(store: &dyn Store) {
    let (seq, _) = store.load().unwrap();
    let more: Vec<Row> = (0..5)
        .map(|n| row("group", &format!("g{n}"), Some("{}")))
        .collect();
    assert_eq!(
        store.commit(seq, &more).unwrap(),
        Commit::Committed(seq + 1)
    );
    let (seq, mut loaded) = store.load().unwrap();
    let mut chunks = Vec::new();
    let chunked_seq = store
        .load_chunked(2, &mut |chunk| {
            chunks.push(chunk);
            true
        })
        .unwrap();
    assert_eq!(chunked_seq, seq);
    assert!(chunks.iter().all(|chunk| (1..=2).contains(&chunk.len())));
    let mut chunked: Vec<Row> = chunks.into_iter().flatten().collect();
    let order = |r: &Row| (r.kind.clone(), r.key.clone());
    chunked.sort_by_key(order);
    loaded.sort_by_key(order);
    assert_eq!(chunked, loaded);
    let mut calls = 0;
    store
        .load_chunked(2, &mut |_| {
            calls += 1;
            false
        })
        .unwrap();
    assert_eq!(calls, 1, "a `false` stops the load");
}

#[test]
fn sqlite_outbox_conforms() {
    outbox(&crate::SqliteStore::open_in_memory().unwrap());
}

#[test]
fn postgres_outbox_conforms() {
    let Some(db) = TestDatabase::create("outbox") else {
        return;
    };
    outbox(&crate::PostgresStore::open(&db.url).unwrap());
}

#[test]
fn memory_outbox_conforms() {
    outbox(&rampart_core::store::memory::MemoryStore::new());
}

/// The alert outbox: rows written with their events (in a commit or a batch), a pending
/// row's body replaced by the event's final form, one leased head per queue, settlements
/// only by the lease holder (acknowledgements always), administrators' retry and drop.
fn outbox(store: &dyn Store) {
    const ACCOUNT: &str = "555555555555";
    let event = |id: &str, body: &str, targets: &[&str]| AuditRecord {
        account: ACCOUNT.into(),
        time: 50,
        event_id: format!("outbox-{id}"),
        body: body.into(),
        keys: vec![],
        alert: Some(Alert {
            envelope: format!("envelope of {body}"),
            routes: targets
                .iter()
                .map(|t| AlertRoute {
                    delivery_id: format!("d-{id}-{t}"),
                    rule: "r".into(),
                    target: (*t).into(),
                })
                .collect(),
        }),
    };
    let seq = store.current_seq().unwrap();
    store
        .commit_audited(
            seq,
            &[row("user", "outbox", Some("1"))],
            &[event("1", "first", &["t1", "t2"])],
        )
        .unwrap();
    store
        .append_audit(&[
            event("2", "second", &["t1"]),
            event("1", "final", &["t1", "t2"]),
        ])
        .unwrap();
    let claimed = store.claim_deliveries(1000, 5000, "a", 10).unwrap();
    let got: Vec<(&str, &str)> = claimed
        .iter()
        .map(|d| (d.delivery_id.as_str(), d.body.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("d-1-t1", "envelope of final"),
            ("d-1-t2", "envelope of final")
        ]
    );
    assert!(
        store
            .claim_deliveries(1000, 5000, "b", 10)
            .unwrap()
            .is_empty()
    );
    let (t1, t2) = (claimed[0].id, claimed[1].id);
    let retry = Settlement::Retry {
        next_attempt_ms: 2000,
        error: "HTTP 500".into(),
    };
    store.settle_delivery(t1, "b", &retry).unwrap();
    store.settle_delivery(t1, "a", &retry).unwrap();
    assert!(
        store
            .claim_deliveries(1500, 5000, "b", 10)
            .unwrap()
            .is_empty()
    );
    store
        .settle_delivery(t2, "a", &Settlement::Delivered(1600))
        .unwrap();
    let again = store.claim_deliveries(2000, 6000, "b", 10).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].id, again[0].attempts), (t1, 1));
    assert_eq!(again[0].last_error.as_deref(), Some("HTTP 500"));
    store
        .settle_delivery(t1, "b", &Settlement::Delivered(2100))
        .unwrap();
    let next = store.claim_deliveries(2000, 6000, "b", 10).unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].delivery_id, "d-2-t1");
    store
        .settle_delivery(next[0].id, "b", &Settlement::Dropped("rule deleted".into()))
        .unwrap();
    let listed = store.list_deliveries(ACCOUNT, 10).unwrap();
    let states: Vec<(&str, DeliveryState)> = listed
        .iter()
        .map(|d| (d.delivery_id.as_str(), d.state))
        .collect();
    assert_eq!(
        states,
        [
            ("d-2-t1", DeliveryState::Dropped),
            ("d-1-t2", DeliveryState::Delivered),
            ("d-1-t1", DeliveryState::Delivered)
        ]
    );
    assert_eq!(listed[1].delivered_ms, Some(1600));
    assert!(
        store
            .list_deliveries("666666666666", 10)
            .unwrap()
            .is_empty()
    );
    // An acknowledged row keeps its body when the event is written again.
    store.append_audit(&[event("1", "late", &["t1"])]).unwrap();
    assert_eq!(
        store.list_deliveries(ACCOUNT, 10).unwrap()[2].body,
        "envelope of final"
    );
    assert!(
        !store
            .change_delivery(ACCOUNT, "d-1-t1", DeliveryChange::Drop)
            .unwrap()
    );
    assert!(
        store
            .change_delivery(ACCOUNT, "d-1-t1", DeliveryChange::Retry(3000))
            .unwrap()
    );
    assert!(
        !store
            .change_delivery("666666666666", "d-1-t1", DeliveryChange::Retry(3000))
            .unwrap()
    );
    let retried = store.claim_deliveries(3000, 7000, "c", 10).unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].delivery_id, "d-1-t1");
    assert!(
        store
            .change_delivery(ACCOUNT, "d-1-t1", DeliveryChange::Drop)
            .unwrap()
    );
    assert!(
        store
            .claim_deliveries(9000, 9999, "c", 10)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn sqlite_in_memory_conforms() {
    run(&crate::SqliteStore::open_in_memory().unwrap());
}

#[test]
fn sqlite_file_conforms_and_survives_reopen() {
    let dir = std::env::temp_dir().join(format!("rampart-store-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("conformance.db");
    let _ = std::fs::remove_file(&path);
    run(&crate::SqliteStore::open(&path).unwrap());
    let reopened = crate::SqliteStore::open(&path).unwrap();
    assert_eq!(reopened.current_seq().unwrap(), 7);
    assert_eq!(reopened.changes_since(6).unwrap(), Changes::Compacted);
    assert_eq!(reopened.durability().unwrap(), ("wal".to_owned(), 2));
    assert!(crate::sqlite::has_database(&path).unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A throwaway database on the PostgreSQL server named by `RAMPART_TEST_POSTGRES_URL`,
/// dropped afterwards. `None` (with a notice) when the variable is unset, unless
/// `RAMPART_REQUIRE_POSTGRES` is set: `scripts/test.sh` sets both, so CI never skips.
struct TestDatabase {
    admin: postgres::Client,
    name: String,
    url: String,
}

impl TestDatabase {
    fn create(test: &str) -> Option<TestDatabase> {
        let Ok(base) = std::env::var("RAMPART_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var_os("RAMPART_REQUIRE_POSTGRES").is_none(),
                "RAMPART_REQUIRE_POSTGRES is set but RAMPART_TEST_POSTGRES_URL is not"
            );
            eprintln!(
                "notice: {test} skipped: RAMPART_TEST_POSTGRES_URL is unset (scripts/test.sh starts PostgreSQL)"
            );
            return None;
        };
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
        let name = format!("rampart_store_{test}_{}", std::process::id());
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let mut config: postgres::Config = base.parse().unwrap();
        config.dbname(&name);
        // The same server and credentials, in the `key=value` form, on the new database.
        let host = match config.get_hosts().first().unwrap() {
            postgres::config::Host::Tcp(host) => host.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let user = config.get_user().unwrap_or("postgres");
        let mut url = format!("host={host} port={port} user={user} dbname={name}");
        if let Some(password) = config.get_password() {
            let password = String::from_utf8_lossy(password)
                .replace('\\', "\\\\")
                .replace('\'', "\\'");
            url.push_str(&format!(" password='{password}'"));
        }
        Some(TestDatabase { admin, name, url })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

#[test]
fn postgres_conforms_and_survives_reopen() {
    let Some(db) = TestDatabase::create("conformance") else {
        return;
    };
    run(&crate::PostgresStore::open(&db.url).unwrap());
    let reopened = crate::PostgresStore::open(&db.url).unwrap();
    assert_eq!(reopened.current_seq().unwrap(), 7);
    assert_eq!(reopened.changes_since(6).unwrap(), Changes::Compacted);
    let (seq, mut rows) = reopened.load().unwrap();
    rows.sort_by(|a, b| a.kind.cmp(&b.kind));
    assert_eq!(
        (seq, rows),
        (
            7,
            vec![row("role", "r", Some("{}")), row("user", "b", Some("22"))]
        )
    );
}

#[test]
fn postgres_batch_writing_one_key_twice_keeps_the_last() {
    let Some(db) = TestDatabase::create("duplicates") else {
        return;
    };
    let store = crate::PostgresStore::open(&db.url).unwrap();
    let batch = [
        row("user", "a", Some("1")),
        row("user", "b", Some("2")),
        row("user", "a", None),
    ];
    assert_eq!(store.commit(0, &batch).unwrap(), Commit::Committed(1));
    assert_eq!(
        store.load().unwrap(),
        (1, vec![row("user", "b", Some("2"))])
    );
}

#[test]
fn postgres_two_nodes_on_one_database_conflict_instead_of_overwriting() {
    let Some(db) = TestDatabase::create("two_nodes") else {
        return;
    };
    let a = crate::PostgresStore::open(&db.url).unwrap();
    let b = crate::PostgresStore::open(&db.url).unwrap();
    assert_eq!(
        a.commit(0, &[row("user", "a", Some("from a"))]).unwrap(),
        Commit::Committed(1)
    );
    // Node b computed its write against sequence 0 too: refused, nothing written.
    assert_eq!(
        b.commit(0, &[row("user", "a", Some("from b"))]).unwrap(),
        Commit::Conflict
    );
    assert_eq!(b.current_seq().unwrap(), 1);
    assert_eq!(
        b.changes_since(0).unwrap(),
        Changes::Since(1, vec![row("user", "a", Some("from a"))])
    );
    assert_eq!(
        b.commit(1, &[row("user", "a", Some("from b"))]).unwrap(),
        Commit::Committed(2)
    );
    assert_eq!(
        a.load().unwrap(),
        (2, vec![row("user", "a", Some("from b"))])
    );

    // Racing writers: every acknowledged commit gets its own sequence and none is lost.
    let per_node = 25;
    std::thread::scope(|scope| {
        for (name, store) in [("a", &a), ("b", &b)] {
            scope.spawn(move || {
                let mut done = 0;
                while done < per_node {
                    let seq = store.current_seq().unwrap();
                    let key = format!("{name}-{done}");
                    if let Commit::Committed(_) =
                        store.commit(seq, &[row("race", &key, Some(name))]).unwrap()
                    {
                        done += 1;
                    }
                }
            });
        }
    });
    let (seq, rows) = b.load().unwrap();
    assert_eq!(seq, 2 + 2 * per_node);
    assert_eq!(
        rows.iter().filter(|r| r.kind == "race").count(),
        2 * per_node as usize
    );
}

#[test]
fn postgres_store_reconnects_after_its_connection_is_killed() {
    let Some(mut db) = TestDatabase::create("reconnect") else {
        return;
    };
    let store = crate::PostgresStore::open(&db.url).unwrap();
    assert_eq!(
        store.commit(0, &[row("user", "a", Some("1"))]).unwrap(),
        Commit::Committed(1)
    );
    // With a timeout, pg_terminate_backend waits until the backend is gone.
    let kill = "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()";
    db.admin.execute(kill, &[&db.name]).unwrap();
    // Reads are retried once on a new connection.
    assert_eq!(store.current_seq().unwrap(), 1);
    db.admin.execute(kill, &[&db.name]).unwrap();
    // A commit is not (it may have committed before the connection broke); the next one reconnects.
    assert!(store.commit(1, &[row("user", "b", Some("2"))]).is_err());
    assert_eq!(
        store.commit(1, &[row("user", "b", Some("2"))]).unwrap(),
        Commit::Committed(2)
    );
    assert_eq!(store.load().unwrap().0, 2);
}

/// The audit trail is append-only, per account, newest first, bounded by `since` and `limit`.
fn audit(store: &dyn Store) {
    let event = |account: &str, time: i64, body: &str| AuditRecord {
        account: account.into(),
        time,
        event_id: format!("audit-{body}"),
        body: body.into(),
        keys: vec![],
        alert: None,
    };
    store
        .append_audit(&[
            event("111111111111", 10, "a"),
            event("222222222222", 11, "b"),
            event("111111111111", 12, "c"),
        ])
        .unwrap();
    store
        .append_audit(&[event("111111111111", 13, "d")])
        .unwrap();
    let bodies = |events: Vec<AuditRecord>| events.into_iter().map(|e| e.body).collect::<Vec<_>>();
    assert_eq!(
        bodies(store.audit_events("111111111111", 0, 10).unwrap()),
        ["d", "c", "a"]
    );
    assert_eq!(
        bodies(store.audit_events("111111111111", 12, 10).unwrap()),
        ["d", "c"]
    );
    assert_eq!(
        bodies(store.audit_events("111111111111", 0, 1).unwrap()),
        ["d"]
    );
    assert_eq!(
        bodies(store.audit_events("333333333333", 0, 10).unwrap()),
        Vec::<String>::new()
    );

    // Trail delivery reads every account's events in append order, after an id.
    let all = store.audit_after(0, 10).unwrap();
    let in_order: Vec<&str> = all.iter().map(|e| e.record.body.as_str()).collect();
    assert_eq!(in_order, ["a", "b", "c", "d"]);
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(all[1].record.account, "222222222222");
    assert_eq!(store.audit_high_water().unwrap(), all[3].id);
    let rest = store.audit_after(all[1].id, 1).unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].record.body, "c");
    assert!(store.audit_after(all[3].id, 10).unwrap().is_empty());
}

/// LookupEvents' reads: a time range (inclusive), one `(attribute, value)` key among
/// several per event, newest first by (time, id), paging after a cursor; events committed
/// with rows appear only when the commit does; pruning removes old events and their keys.
fn audit_lookup(store: &dyn Store) {
    const ACCOUNT: &str = "444444444444";
    let event = |time: i64, body: &str, keys: &[(&str, &str)]| AuditRecord {
        account: ACCOUNT.into(),
        time,
        event_id: format!("lookup-{body}"),
        body: body.into(),
        keys: keys
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        alert: None,
    };
    let user = |name: &'static str| [("EventName", "CreateUser"), ("ResourceName", name)];
    store
        .append_audit(&[
            event(100, "alice", &user("alice")),
            event(101, "bob", &user("bob")),
            event(101, "carol", &user("carol")),
            event(103, "list", &[("EventName", "ListUsers")]),
        ])
        .unwrap();
    let query = |key: Option<(&'static str, &'static str)>, start: i64, end: i64| AuditQuery {
        account: ACCOUNT,
        start,
        end,
        key,
        after: None,
        limit: 10,
    };
    let bodies = |q: &AuditQuery<'_>| {
        store
            .lookup_audit(q)
            .unwrap()
            .into_iter()
            .map(|e| e.record.body)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        bodies(&query(None, 0, i64::MAX)),
        ["list", "carol", "bob", "alice"]
    );
    assert_eq!(
        bodies(&query(Some(("EventName", "CreateUser")), 0, i64::MAX)),
        ["carol", "bob", "alice"]
    );
    assert_eq!(
        bodies(&query(Some(("ResourceName", "bob")), 0, i64::MAX)),
        ["bob"]
    );
    assert_eq!(bodies(&query(None, 101, 101)), ["carol", "bob"]);
    assert!(bodies(&query(Some(("EventName", "Nope")), 0, i64::MAX)).is_empty());
    // Keys are not read back.
    assert!(
        store.lookup_audit(&query(None, 0, i64::MAX)).unwrap()[0]
            .record
            .keys
            .is_empty()
    );

    // Paging: each page continues strictly after the last event of the previous one,
    // also between two events of the same second.
    let mut page = query(None, 0, i64::MAX);
    page.limit = 2;
    let first = store.lookup_audit(&page).unwrap();
    assert_eq!(first.len(), 2);
    let last = &first[1];
    page.after = Some(AuditCursor {
        time: last.record.time,
        id: last.id,
    });
    let second: Vec<String> = store
        .lookup_audit(&page)
        .unwrap()
        .into_iter()
        .map(|e| e.record.body)
        .collect();
    assert_eq!(second, ["bob", "alice"]);

    // Retention: events older than the cut are gone, with their keys.
    // Pruning spans accounts: alice and the four events `audit` appended at times 10..=13.
    assert_eq!(store.prune_audit(101).unwrap(), 5);
    assert_eq!(
        bodies(&query(Some(("ResourceName", "alice")), 0, i64::MAX)),
        Vec::<String>::new()
    );
    assert_eq!(bodies(&query(None, 0, i64::MAX)).len(), 3);
    // Pruning takes a prefix in append order: an old event appended after newer ones
    // waits for a prune that reaches it.
    store
        .append_audit(&[event(99, "late", &[("EventName", "GetUser")])])
        .unwrap();
    assert_eq!(store.prune_audit(101).unwrap(), 0);
    assert_eq!(store.prune_audit(104).unwrap(), 4);
    assert_eq!(bodies(&query(None, 0, i64::MAX)), Vec::<String>::new());
}

/// Runs the checks of writes that carry their audit events against a fresh, empty store.
pub fn run_audited_commits(store: &dyn Store) {
    let event = |body: &str, name: &str| AuditRecord {
        account: "555555555555".into(),
        time: 7,
        event_id: "e1".into(),
        body: body.into(),
        keys: vec![("ResourceName".into(), name.into())],
        alert: None,
    };
    let user = row("user", "audited", Some("{}"));
    assert_eq!(
        store
            .commit_audited(1, std::slice::from_ref(&user), &[event("lost", "x")])
            .unwrap(),
        Commit::Conflict
    );
    assert_eq!(
        store
            .commit_audited(0, std::slice::from_ref(&user), &[event("kept", "dave")])
            .unwrap(),
        Commit::Committed(1)
    );
    let query = AuditQuery {
        account: "555555555555",
        start: 0,
        end: i64::MAX,
        key: None,
        after: None,
        limit: 10,
    };
    let found = store.lookup_audit(&query).unwrap();
    assert_eq!(found.len(), 1, "only the committed event is stored");
    assert_eq!(found[0].record.body, "kept");
    let by_key = AuditQuery {
        key: Some(("ResourceName", "dave")),
        ..query
    };
    assert_eq!(store.lookup_audit(&by_key).unwrap().len(), 1);
    assert_eq!(store.load().unwrap(), (1, vec![user]));

    // The event's final form (with its response) replaces the committed one, keys kept.
    store
        .append_audit(&[event("final", "ignored"), event("final", "ignored")])
        .unwrap();
    let found = store.lookup_audit(&by_key).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].record.body, "final");
    assert_eq!(found[0].record.event_id, "e1");
    let ignored = AuditQuery {
        key: Some(("ResourceName", "ignored")),
        ..query
    };
    assert!(store.lookup_audit(&ignored).unwrap().is_empty());
}

#[test]
fn memory_store_conforms() {
    run(&rampart_core::store::memory::MemoryStore::new());
    run_audited_commits(&rampart_core::store::memory::MemoryStore::new());
}

#[test]
fn sqlite_commits_audit_events_with_rows() {
    run_audited_commits(&crate::SqliteStore::open_in_memory().unwrap());
}

#[test]
fn postgres_commits_audit_events_with_rows() {
    let Some(db) = TestDatabase::create("audited") else {
        return;
    };
    run_audited_commits(&crate::PostgresStore::open(&db.url).unwrap());
}

/// Many threads write through one engine over `open()`'s store, each creating a user of
/// its own and all racing for one name; a second engine over a fresh `open()` (a restart)
/// sees exactly the acknowledged writes: every own user and the one winner.
fn group_commit_keeps_every_acknowledged_write(open: impl Fn() -> std::sync::Arc<dyn Store>) {
    use rampart_core::engine::Engine;
    use rampart_core::error::CoreError;
    use rampart_core::ops::{iam::users, signup};
    use std::sync::Arc;

    let engine = Arc::new(Engine::over(open()));
    let account = engine
        .write(|txn| signup::create_account(txn, "gc@example.com", "gc", None, 1))
        .unwrap()
        .id;
    let threads: Vec<_> = (0..12)
        .map(|n| {
            let (engine, account) = (Arc::clone(&engine), account.clone());
            std::thread::spawn(move || {
                let create = |name: &str| {
                    engine.write(|txn| users::create(txn, &account, name, None, vec![], None, 2))
                };
                (create(&format!("own{n}")).is_ok(), create("contested"))
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(results.iter().all(|(own, _)| *own));
    assert_eq!(results.iter().filter(|(_, won)| won.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .all(|(_, won)| won.is_ok() || matches!(won, Err(CoreError::EntityAlreadyExists(_))))
    );
    drop(engine);
    let restarted = Engine::over(open());
    assert_eq!(restarted.snapshot().users(&account).count(), 13);
}

#[test]
fn sqlite_group_commit_keeps_every_acknowledged_write_across_reopen() {
    let dir = std::env::temp_dir().join(format!("rampart-group-commit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("group.db");
    let _ = std::fs::remove_file(&path);
    group_commit_keeps_every_acknowledged_write(|| {
        std::sync::Arc::new(crate::SqliteStore::open(&path).unwrap())
    });
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn postgres_group_commit_keeps_every_acknowledged_write_across_reopen() {
    let Some(db) = TestDatabase::create("group_commit") else {
        return;
    };
    group_commit_keeps_every_acknowledged_write(|| {
        std::sync::Arc::new(crate::PostgresStore::open(&db.url).unwrap())
    });
}

#[test]
fn postgres_two_nodes_never_hold_one_outbox_row_at_once() {
    let Some(db) = TestDatabase::create("outbox_nodes") else {
        return;
    };
    let a = crate::PostgresStore::open(&db.url).unwrap();
    let b = crate::PostgresStore::open(&db.url).unwrap();
    // 40 queues of 5 rows each.
    let events: Vec<AuditRecord> = (0..200)
        .map(|n| AuditRecord {
            account: "777777777777".into(),
            time: 1,
            event_id: format!("nodes-{n}"),
            body: "{}".into(),
            keys: vec![],
            alert: Some(Alert {
                envelope: format!("{n}"),
                routes: vec![AlertRoute {
                    delivery_id: format!("nodes-d-{n}"),
                    rule: "r".into(),
                    target: format!("t{}", n % 40),
                }],
            }),
        })
        .collect();
    a.append_audit(&events).unwrap();
    // Both nodes claim and acknowledge as fast as they can; every row must be held by
    // exactly one node at a time, and each queue must go in order.
    let delivered = std::sync::Mutex::new(Vec::<(String, i64, &str)>::new());
    std::thread::scope(|scope| {
        for (name, store) in [("a", &a), ("b", &b)] {
            let delivered = &delivered;
            scope.spawn(move || {
                loop {
                    let claimed = store.claim_deliveries(10, 1_000_000, name, 8).unwrap();
                    if claimed.is_empty() {
                        let rest = store.list_deliveries("777777777777", 1000).unwrap();
                        if rest.iter().all(|d| d.state != DeliveryState::Pending) {
                            break;
                        }
                        continue;
                    }
                    for d in claimed {
                        delivered
                            .lock()
                            .unwrap()
                            .push((d.target.clone(), d.id, name));
                        store
                            .settle_delivery(d.id, name, &Settlement::Delivered(11))
                            .unwrap();
                    }
                }
            });
        }
    });
    let delivered = delivered.into_inner().unwrap();
    assert_eq!(delivered.len(), 200, "each row delivered exactly once");
    let mut by_queue: std::collections::BTreeMap<&str, Vec<i64>> = Default::default();
    for (target, id, _) in &delivered {
        by_queue.entry(target.as_str()).or_default().push(*id);
    }
    assert!(
        by_queue
            .values()
            .all(|ids| ids.windows(2).all(|w| w[0] < w[1]))
    );
    assert!(
        delivered.iter().any(|(_, _, n)| *n == "a") && delivered.iter().any(|(_, _, n)| *n == "b")
    );
}
