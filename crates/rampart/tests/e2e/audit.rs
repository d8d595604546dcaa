//! The audit trail: one CloudTrail-style event per authenticated call, and root activity
//! alerts (one mail per root call through the default rule; `alerts.rs` has the rest).

use crate::harness::{Keys, Server};

/// The account's audit events, polling briefly: the server appends them in batches.
fn events_until(
    server: &Server,
    account: &str,
    wanted: impl Fn(&[serde_json::Value]) -> bool,
) -> Vec<serde_json::Value> {
    let mut events = Vec::new();
    for _ in 0..60 {
        let out = server.rampart(&["audit", "--account", account, "--limit", "50"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        events = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if wanted(&events) {
            return events;
        }
        #[expect(
            clippy::disallowed_methods,
            reason = "bounded poll for the server's batched audit flush"
        )]
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("audit events never matched: {events:#?}");
}

#[test]
fn every_call_is_audited_allowed_or_denied() {
    let server = Server::start();
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    server
        .aws(&["iam", "create-user", "--user-name", "bob"])
        .json();
    let key = server
        .aws(&["iam", "create-access-key", "--user-name", "bob"])
        .json();
    let bob = Keys {
        access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
        secret_access_key: key["AccessKey"]["SecretAccessKey"]
            .as_str()
            .unwrap()
            .to_owned(),
    };
    server
        .aws_as(&bob, &["iam", "list-users"])
        .expect_error("AccessDenied");
    let denied =
        |e: &serde_json::Value| e["eventName"] == "ListUsers" && e["errorCode"] == "AccessDenied";
    let events = events_until(&server, &account, |events| events.iter().any(denied));
    let event = events.iter().find(|e| denied(e)).unwrap();
    assert_eq!(event["userIdentity"]["type"], "IAMUser");
    assert_eq!(event["userIdentity"]["userName"], "bob");
    assert_eq!(
        event["userIdentity"]["accessKeyId"],
        bob.access_key_id.as_str()
    );
    assert_eq!(event["eventSource"], "iam.amazonaws.com");
    assert_eq!(event["sourceIPAddress"], "127.0.0.1");
    assert_eq!(event["readOnly"], true);
    assert!(
        event["errorMessage"]
            .as_str()
            .unwrap()
            .contains("is not authorized to perform: iam:ListUsers")
    );
    let created = events
        .iter()
        .find(|e| e["eventName"] == "CreateUser")
        .unwrap();
    assert_eq!(created["userIdentity"]["type"], "IAMUser");
    assert_eq!(created["userIdentity"]["userName"], "admin");
    assert!(created.get("errorCode").is_none());
    assert_eq!(created["readOnly"], false);
    assert!(created["eventTime"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn root_activity_is_audited_and_alerted_once_per_event() {
    let server = Server::start();
    let (account, root) = server.create_account("watched-root@example.com");
    server.aws_as(&root, &["sts", "get-caller-identity"]).json();
    server.aws_as(&root, &["iam", "list-users"]).json();
    // `account create` itself is in the trail (CreateAccount, CreateAccessKey, by the root
    // through the CLI): wait for the two API calls on top of it.
    let events = events_until(&server, &account, |events| {
        ["GetCallerIdentity", "ListUsers"]
            .iter()
            .all(|name| events.iter().any(|e| e["eventName"] == *name))
    });
    assert!(
        events.iter().all(|e| e["userIdentity"]["type"] == "Root"),
        "{events:#?}"
    );
    assert_eq!(events[0]["eventName"], "ListUsers");
    // The default rule mails the root's address once per root API call (the CLI's own
    // admin commands raise none); the outbox worker delivers them shortly after.
    let outbox = server.data_dir().join("outbox");
    let mut mails: Vec<String> = Vec::new();
    for _ in 0..200 {
        mails = std::fs::read_dir(&outbox)
            .map(|dir| {
                dir.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                    .filter(|m| m.contains("Rampart alert (root-user-activity)"))
                    .collect()
            })
            .unwrap_or_default();
        if mails.len() >= 2 {
            break;
        }
        #[expect(
            clippy::disallowed_methods,
            reason = "bounded poll for the asynchronous delivery"
        )]
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(mails.len(), 2, "{mails:#?}");
    for mail in &mails {
        assert!(mail.contains("To: watched-root@example.com"), "{mail}");
    }
    assert!(
        mails
            .iter()
            .any(|m| m.contains("GetCallerIdentity by Root"))
    );
    assert!(mails.iter().any(|m| m.contains("ListUsers by Root")));
}

#[test]
fn admin_commands_and_console_sign_ins_are_audited_with_their_identity() {
    let server = Server::start();
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    // `rampart init` made the first administrator as the root, through the request path.
    let events = events_until(&server, &account, |events| {
        events.iter().any(|e| e["eventName"] == "CreateAccessKey")
    });
    let by_cli = |name: &str| {
        events
            .iter()
            .find(|e| e["eventName"] == name && e["sourceIPAddress"] == "AWS Internal")
            .unwrap_or_else(|| panic!("no {name} event from the CLI: {events:#?}"))
    };
    for name in [
        "CreateGroup",
        "AttachGroupPolicy",
        "CreateUser",
        "AddUserToGroup",
    ] {
        let event = by_cli(name);
        assert_eq!(event["userIdentity"]["type"], "Root", "{event}");
        assert_eq!(event["eventSource"], "iam.amazonaws.com");
        assert!(
            event["userAgent"]
                .as_str()
                .unwrap()
                .starts_with("rampart-cli/")
        );
    }
    assert_eq!(
        by_cli("CreateAccount")["eventSource"],
        "account.amazonaws.com"
    );

    // A console sign-in with a wrong password is an AwsConsoleSignIn event of the user.
    let (status, _) = server.raw(
        "POST",
        "/console/signin",
        &[("content-type", "application/x-www-form-urlencoded")],
        format!("account={account}&username=admin&password=wrong").as_bytes(),
    );
    assert_eq!(status, 403);
    let failed = |e: &serde_json::Value| e["eventName"] == "ConsoleLogin";
    let events = events_until(&server, &account, |events| events.iter().any(failed));
    let event = events.iter().find(|e| failed(e)).unwrap();
    assert_eq!(event["eventType"], "AwsConsoleSignIn");
    assert_eq!(event["eventSource"], "signin.amazonaws.com");
    assert_eq!(event["userIdentity"]["type"], "IAMUser");
    assert_eq!(event["userIdentity"]["userName"], "admin");
    assert_eq!(event["errorCode"], "AccessDenied");
    assert!(
        event["userIdentity"].get("accessKeyId").is_none(),
        "{event}"
    );
}
