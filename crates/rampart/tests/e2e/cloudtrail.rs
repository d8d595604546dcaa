//! CloudTrail's LookupEvents through boto3 and the aws CLI: every lookup attribute, time
//! range and parameter errors, paging, isolation between accounts, the permission needed.

use crate::harness::{Server, amz_date, unix_now};

#[test]
fn lookup_events_through_boto3() {
    let server = Server::start();
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, other) = server.create_account("trail-other@example.com");
    server
        .aws_as(&other, &["sts", "get-caller-identity"])
        .json();
    server.boto3(
        "cloudtrail_lookup.py",
        &server.admin_keys(),
        &[
            ("RAMPART_ACCOUNT", account.as_str()),
            ("RAMPART_OTHER_ACCESS_KEY_ID", other.access_key_id.as_str()),
            (
                "RAMPART_OTHER_SECRET_ACCESS_KEY",
                other.secret_access_key.as_str(),
            ),
        ],
    );
}

#[test]
fn lookup_events_through_the_aws_cli() {
    let server = Server::start();
    for name in ["cli-a", "cli-b", "cli-c"] {
        server
            .aws(&["iam", "create-user", "--user-name", name])
            .json();
    }
    let page = server
        .aws(&[
            "cloudtrail",
            "lookup-events",
            "--lookup-attributes",
            "AttributeKey=EventName,AttributeValue=CreateUser",
            "--max-items",
            "2",
        ])
        .json();
    let events = page["Events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{page:#}");
    assert_eq!(events[0]["Resources"][0]["ResourceName"], "cli-c");
    assert_eq!(events[1]["Resources"][0]["ResourceName"], "cli-b");
    let record: serde_json::Value =
        serde_json::from_str(events[0]["CloudTrailEvent"].as_str().unwrap()).unwrap();
    assert_eq!(record["eventName"], "CreateUser");
    let token = page["NextToken"].as_str().unwrap();
    let rest = server
        .aws(&[
            "cloudtrail",
            "lookup-events",
            "--lookup-attributes",
            "AttributeKey=EventName,AttributeValue=CreateUser",
            "--starting-token",
            token,
        ])
        .json();
    let names: Vec<&str> = rest["Events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Resources"][0]["ResourceName"].as_str().unwrap())
        .collect();
    assert!(names.starts_with(&["cli-a"]), "{names:?}");
    server
        .aws(&[
            "cloudtrail",
            "lookup-events",
            "--start-time",
            "2024-05-02T00:00:00Z",
            "--end-time",
            "2024-05-01T00:00:00Z",
        ])
        .expect_error("InvalidTimeRangeException");
    server
        .aws(&[
            "cloudtrail",
            "lookup-events",
            "--lookup-attributes",
            "AttributeKey=EventName,AttributeValue=CreateUser",
            "AttributeKey=Username,AttributeValue=admin",
        ])
        .expect_error("InvalidLookupAttributesException");

    // A failed console sign-in is in the history like AWS shows it: no access key, the
    // user's name, and `ConsoleLogin: Failure`.
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = server.raw(
        "POST",
        "/console/signin",
        &[("content-type", "application/x-www-form-urlencoded")],
        format!("account={account}&username=admin&password=wrong").as_bytes(),
    );
    assert_eq!(status, 403);
    let sign_ins = server
        .aws(&[
            "cloudtrail",
            "lookup-events",
            "--lookup-attributes",
            "AttributeKey=EventName,AttributeValue=ConsoleLogin",
        ])
        .json();
    let event = &sign_ins["Events"][0];
    assert_eq!(event["Username"], "admin", "{sign_ins:#}");
    assert_eq!(event["AccessKeyId"], "");
    assert_eq!(event["EventSource"], "signin.amazonaws.com");
    let record: serde_json::Value =
        serde_json::from_str(event["CloudTrailEvent"].as_str().unwrap()).unwrap();
    assert_eq!(record["eventType"], "AwsConsoleSignIn");
    assert_eq!(
        record["responseElements"],
        serde_json::json!({"ConsoleLogin": "Failure"})
    );
    assert!(record["requestParameters"].is_null());
}

#[test]
fn records_hold_parameters_and_no_secret_reaches_the_trail() {
    let server = Server::start();
    let dir = std::env::temp_dir().join(format!("rampart-secrets-{}", std::process::id()));
    server.boto3(
        "cloudtrail_secrets.py",
        &server.admin_keys(),
        &[("RAMPART_SECRETS_FILE", dir.to_str().unwrap())],
    );
    let secrets = std::fs::read_to_string(&dir).unwrap();
    std::fs::remove_file(&dir).unwrap();
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = server.rampart(&["audit", "--account", &account, "--limit", "100000"]);
    assert!(out.status.success());
    let trail = String::from_utf8_lossy(&out.stdout);
    assert!(trail.lines().count() > 10, "{trail}");
    for secret in secrets.lines() {
        assert!(!trail.contains(secret), "a secret reached the trail");
    }
}

/// `rampart audit` as the trail's command-line reader (run on the server's data directory).
fn audit_lines(server: &Server, args: &[&str]) -> Vec<serde_json::Value> {
    let out = server.rampart(&[&["audit"], args].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn rampart_audit_filters_like_lookup_events_and_refuses_an_unknown_account() {
    let server = Server::start();
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    server
        .aws(&["iam", "create-user", "--user-name", "filtered"])
        .json();
    server.aws(&["iam", "list-users"]).json();
    // LookupEvents flushes the batch, so the read above is stored too.
    server
        .aws(&["cloudtrail", "lookup-events", "--max-results", "1"])
        .json();
    let by_name = audit_lines(
        &server,
        &["--account", &account, "--event-name", "CreateUser"],
    );
    assert!(!by_name.is_empty() && by_name.iter().all(|e| e["eventName"] == "CreateUser"));
    let by_resource = audit_lines(
        &server,
        &["--account", &account, "--resource-name", "filtered"],
    );
    assert_eq!(by_resource.len(), 1, "{by_resource:#?}");
    assert_eq!(by_resource[0]["requestParameters"]["userName"], "filtered");
    let reads = audit_lines(&server, &["--account", &account, "--read-only", "true"]);
    assert!(reads.iter().any(|e| e["eventName"] == "ListUsers"));
    assert!(reads.iter().all(|e| e["readOnly"] == true));
    let by_user = audit_lines(&server, &["--account", &account, "--username", "admin"]);
    assert!(
        by_user
            .iter()
            .all(|e| e["userIdentity"]["userName"] == "admin")
    );
    assert!(
        audit_lines(
            &server,
            &["--account", &account, "--end-time", "2000-01-01T00:00:00Z"]
        )
        .is_empty()
    );
    assert_eq!(
        audit_lines(
            &server,
            &[
                "--account",
                &account,
                "--event-name",
                "CreateUser",
                "--limit",
                "1"
            ]
        )
        .len(),
        1
    );

    let two = server.rampart(&[
        "audit",
        "--account",
        &account,
        "--event-name",
        "CreateUser",
        "--username",
        "admin",
    ]);
    assert!(!two.status.success(), "one lookup attribute at most");
    let unknown = server.rampart(&["audit", "--account", "999999999999"]);
    assert!(!unknown.status.success());
    let message = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        message.contains("account 999999999999 does not exist"),
        "{message}"
    );
}

#[test]
fn an_acknowledged_create_users_event_survives_kill_9() {
    kill_9_cycles(
        Server::start_with(&["--trail-delivery-interval-secs", "1"]),
        true,
    );
}

#[test]
fn on_postgres_an_acknowledged_create_users_event_survives_kill_9() {
    let Some(db) = crate::multinode::Database::create_for("trail_kill9") else {
        return;
    };
    kill_9_cycles(Server::start_with_store(&db.url), false);
}

/// CreateUser, `kill -9` right after the answer, restart: the event is in the trail, each
/// time, 20 times; with `files`, a logging trail then holds each of them exactly once (the
/// delivery cursor and its batch in flight survive the kills too). The calls are signed by
/// hand, so a cycle costs a restart and no client start-up.
fn kill_9_cycles(mut server: Server, files: bool) {
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = server.admin_keys();
    if files {
        server
            .aws(&[
                "cloudtrail",
                "create-trail",
                "--name",
                "kills",
                "--s3-bucket-name",
                "kill-logs",
            ])
            .json();
        server
            .aws(&["cloudtrail", "start-logging", "--name", "kills"])
            .json();
    }
    let names: Vec<String> = (0..20).map(|cycle| format!("after-kill-{cycle}")).collect();
    for (cycle, name) in names.iter().enumerate() {
        let form = format!("Action=CreateUser&Version=2010-05-08&UserName={name}");
        let (status, body) = server.signed_form(&admin, "iam", &form, &amz_date(unix_now()));
        assert_eq!(status, 200, "cycle {cycle}: {body}");
        // No flush can have run in between for most cycles: the event must have been
        // committed with the user.
        server.kill9();
        let port = server.port;
        server.spawn(port);
        let events = audit_lines(&server, &["--account", &account, "--resource-name", name]);
        assert_eq!(events.len(), 1, "cycle {cycle}: {events:#?}");
        assert_eq!(events[0]["eventName"], "CreateUser");
        assert_eq!(events[0]["requestParameters"]["userName"], name.as_str());
    }
    if !files {
        return;
    }
    let bucket = server.data_dir().join("trails").join("kill-logs");
    let delivered = crate::trails::eventually("every CreateUser in the trail's files", || {
        let mut users: Vec<String> = crate::trails::files(&bucket, ".json.gz")
            .iter()
            .flat_map(|file| crate::trails::jq(file, r#".Records[] | select(.eventName == "CreateUser") | .requestParameters.userName"#))
            .collect();
        users.sort();
        (users.len() >= names.len()).then_some(users)
    });
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(delivered, expected, "each event exactly once");
}
