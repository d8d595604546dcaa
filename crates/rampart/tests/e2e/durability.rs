//! Nothing acknowledged is lost: a write survives `kill -9` right after its response.

use crate::harness::Server;

#[test]
fn an_acknowledged_write_survives_kill_9() {
    let mut server = Server::start();
    server
        .aws(&["iam", "create-user", "--user-name", "durable"])
        .json();
    let key = server
        .aws(&["iam", "create-access-key", "--user-name", "durable"])
        .json();
    server.kill9();
    let port = server.port;
    server.spawn(port);
    let user = server
        .aws(&["iam", "get-user", "--user-name", "durable"])
        .json();
    assert_eq!(user["User"]["UserName"], "durable");
    let keys = server
        .aws(&["iam", "list-access-keys", "--user-name", "durable"])
        .json();
    assert_eq!(
        keys["AccessKeyMetadata"][0]["AccessKeyId"],
        key["AccessKey"]["AccessKeyId"]
    );
}

/// Group commit: writes from concurrent clients are acknowledged in shared batches; every
/// acknowledged one survives `kill -9`, and the store really runs in WAL mode with
/// `synchronous = FULL` (the database file itself says WAL; the store's own connection
/// reports both).
#[test]
fn concurrent_acknowledged_writes_survive_kill_9_with_wal_and_full_sync() {
    let mut server = Server::start();
    let names: Vec<String> = std::thread::scope(|scope| {
        let server = &server;
        let clients: Vec<_> = (0..8)
            .map(|n| {
                scope.spawn(move || {
                    let name = format!("batch{n}");
                    server
                        .aws(&["iam", "create-user", "--user-name", &name])
                        .json();
                    name
                })
            })
            .collect();
        clients.into_iter().map(|c| c.join().unwrap()).collect()
    });
    server.kill9();
    let db = server.data_dir().join("rampart.db");
    // Bytes 18 and 19 of a SQLite header are the write and read versions: 2 is WAL.
    let header = std::fs::read(&db).unwrap();
    assert_eq!(header[18..20], [2, 2], "the database file is in WAL mode");
    let store = rampart_store::SqliteStore::open(&db).unwrap();
    assert_eq!(store.durability().unwrap(), ("wal".to_owned(), 2));
    drop(store);
    let port = server.port;
    server.spawn(port);
    let users = server.aws(&["iam", "list-users"]).json();
    let listed: Vec<&str> = users["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["UserName"].as_str().unwrap())
        .collect();
    for name in &names {
        assert!(
            listed.contains(&name.as_str()),
            "{name} was acknowledged, then lost"
        );
    }
}

#[test]
fn secrets_are_not_stored_in_plaintext() {
    let server = Server::start();
    let admin = server.admin_keys();
    let db = std::fs::read(server.data_dir().join("rampart.db")).unwrap();
    let wal = std::fs::read(server.data_dir().join("rampart.db-wal")).unwrap_or_default();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&db),
        String::from_utf8_lossy(&wal)
    );
    assert!(
        text.contains(&admin.access_key_id),
        "the key id is stored in clear, as AWS shows it"
    );
    assert!(
        !text.contains(&admin.secret_access_key),
        "the secret access key must be sealed at rest"
    );
}
