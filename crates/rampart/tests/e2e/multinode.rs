//! Several nodes on one PostgreSQL database: what one node writes, the other serves within
//! a fraction of a second (each polls the commit sequence every 200 ms), and concurrent
//! writes through both nodes lose nothing.
//!
//! Needs `RAMPART_TEST_POSTGRES_URL` (scripts/test.sh starts a throwaway server); skipped
//! with a notice without it, unless `RAMPART_REQUIRE_POSTGRES` is set.

use std::time::Duration;

use crate::harness::{Keys, Server, amz_date, unix_now};

/// A fresh database on the test server, dropped at the end.
pub(crate) struct Database {
    admin: postgres::Client,
    name: String,
    pub(crate) url: String,
}

impl Database {
    fn create() -> Option<Database> {
        Database::create_for("multinode")
    }

    /// A fresh database for the test named `test` (unique per test and process).
    pub(crate) fn create_for(test: &str) -> Option<Database> {
        let Ok(base) = std::env::var("RAMPART_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var_os("RAMPART_REQUIRE_POSTGRES").is_none(),
                "RAMPART_REQUIRE_POSTGRES is set but RAMPART_TEST_POSTGRES_URL is not"
            );
            eprintln!(
                "notice: multinode test skipped: RAMPART_TEST_POSTGRES_URL is unset (scripts/test.sh starts PostgreSQL)"
            );
            return None;
        };
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
        let name = format!("rampart_e2e_{test}_{}", std::process::id());
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        // Same server and user, other database: swap the URL's path.
        let (scheme, rest) = base.split_once("://").unwrap();
        let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
        let query = rest.find('?').map(|at| &rest[at..]).unwrap_or("");
        let url = format!("{scheme}://{authority}/{name}{query}");
        Some(Database { admin, name, url })
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// Retries `seen` every 50 ms for up to 3 s: the other node refreshes every 200 ms.
#[expect(
    clippy::disallowed_methods,
    reason = "a bounded wait for another process's refresh, not a timing assertion"
)]
fn eventually(what: &str, mut seen: impl FnMut() -> bool) {
    for _ in 0..60 {
        if seen() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what}: not seen within 3 s");
}

fn iam(node: &Server, keys: &Keys, form: &str) -> (u16, String) {
    node.signed_form(
        keys,
        "iam",
        &format!("{form}&Version=2010-05-08"),
        &amz_date(unix_now()),
    )
}

fn has_user(node: &Server, keys: &Keys, name: &str) -> bool {
    iam(node, keys, &format!("Action=GetUser&UserName={name}")).0 == 200
}

#[test]
fn two_nodes_on_one_postgres_database_serve_each_others_writes() {
    let Some(db) = Database::create() else { return };
    let a = Server::start_with_store(&db.url);
    let b = a.another_node();
    let admin = a.admin_keys();

    a.aws(&["iam", "create-user", "--user-name", "multi"])
        .json();
    eventually("a user created through node a, on node b", || {
        has_user(&b, &admin, "multi")
    });

    let key = a
        .aws(&["iam", "create-access-key", "--user-name", "multi"])
        .json();
    let keys = Keys {
        access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
        secret_access_key: key["AccessKey"]["SecretAccessKey"]
            .as_str()
            .unwrap()
            .to_owned(),
    };
    let form = "Action=GetCallerIdentity&Version=2011-06-15";
    eventually("its new access key, on node b", || {
        b.signed_form(&keys, "sts", form, &amz_date(unix_now())).0 == 200
    });
    // The key authenticates through node b for a real client too (its secret was sealed by
    // node a under the shared master key).
    let me = b.aws_as(&keys, &["sts", "get-caller-identity"]).json();
    assert!(me["Arn"].as_str().unwrap().ends_with(":user/multi"), "{me}");

    // Writes through both nodes back to back: node b's snapshot is usually behind, so its
    // commit conflicts, it catches up and writes again; neither write is lost.
    let (status, body) = iam(&a, &admin, "Action=CreateUser&UserName=from-a");
    assert_eq!(status, 200, "{body}");
    let (status, body) = iam(&b, &admin, "Action=CreateUser&UserName=from-b");
    assert_eq!(status, 200, "{body}");
    for node in [&a, &b] {
        eventually("both users, on both nodes", || {
            has_user(node, &admin, "from-a") && has_user(node, &admin, "from-b")
        });
    }
    let users = b.aws_as(&admin, &["iam", "list-users"]).json();
    let names: Vec<&str> = users["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["UserName"].as_str().unwrap())
        .collect();
    for name in ["admin", "multi", "from-a", "from-b"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
}
