//! One behaviour suite every backend must pass.

use rampart_core::store::{Commit, Row, Store};

fn row(kind: &str, key: &str, body: Option<&str>) -> Row {
    Row { kind: kind.into(), key: key.into(), body: body.map(Into::into) }
}

/// Runs every conformance check against a fresh, empty store.
pub fn run(store: &dyn Store) {
    assert_eq!(store.load().unwrap(), (0, vec![]));
    assert_eq!(store.commit(0, &[row("user", "a", Some("1")), row("user", "b", Some("2"))]).unwrap(), Commit::Committed(1));
    // A commit computed against an old sequence is refused and writes nothing.
    assert_eq!(store.commit(0, &[row("user", "c", Some("3"))]).unwrap(), Commit::Conflict);
    assert_eq!(store.current_seq().unwrap(), 1);
    assert_eq!(store.commit(1, &[row("user", "a", None), row("user", "b", Some("22"))]).unwrap(), Commit::Committed(2));
    let (seq, rows) = store.load().unwrap();
    assert_eq!(seq, 2);
    assert_eq!(rows, vec![row("user", "b", Some("22"))]);
    let (seq, changes) = store.changes_since(1).unwrap();
    assert_eq!(seq, 2);
    assert_eq!(changes.len(), 2);
    assert!(changes.contains(&row("user", "a", None)));
    assert_eq!(store.changes_since(2).unwrap(), (2, vec![]));
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
    assert_eq!(reopened.current_seq().unwrap(), 2);
    assert!(crate::sqlite::has_database(&path).unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}
