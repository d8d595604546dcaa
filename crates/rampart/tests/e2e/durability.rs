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
