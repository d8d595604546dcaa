//! Alerts that arrive: root activity reaches a webhook that was down for its first three
//! attempts (signed, in order, duplicates only under one delivery id) and the SMTP sink;
//! custom rules match by EventBridge pattern; an outbox row survives `kill -9`; and the
//! delivery latency, printed (run with `--no-capture` to see it).

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::harness::{Keys, Server};

const SECRET: &str = "test-webhook-secret-0123456789";

/// A helper process (Python) that prints its port first; killed on drop.
struct Sink {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl Sink {
    fn start(script: &str, args: &[&str], out: PathBuf) -> Sink {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/e2e/py")
            .join(script);
        let mut child = Command::new("python3")
            .arg(path)
            .arg(&out)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut port = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut port)
            .unwrap();
        Sink {
            child,
            port: port.trim().parse().unwrap(),
            out,
        }
    }

    /// A webhook receiver answering 500 to its first `fail_first` requests.
    fn webhook(server: &Server, name: &str, fail_first: u32, port: Option<u16>) -> Sink {
        let fail = fail_first.to_string();
        let port = port.map(|p| p.to_string());
        let mut args = vec![SECRET, fail.as_str()];
        args.extend(port.as_deref());
        Sink::start("webhook_sink.py", &args, server.dir.0.join(name))
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/alerts", self.port)
    }

    /// What the webhook receiver got, in arrival order.
    fn received(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` until it returns `Some`, for up to about 60 s.
fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    for _ in 0..1200 {
        if let Some(value) = check() {
            return value;
        }
        #[expect(
            clippy::disallowed_methods,
            reason = "bounded poll for the server's asynchronous delivery"
        )]
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

fn rampart_ok(server: &Server, args: &[&str]) -> String {
    let out = server.rampart(args);
    assert!(
        out.status.success(),
        "rampart {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn add_webhook(server: &Server, account: &str, rule: &str, url: &str) {
    rampart_ok(
        server,
        &[
            "alerts",
            "add-target",
            "--account",
            account,
            "--rule",
            rule,
            "--id",
            "hook",
            "--webhook",
            url,
            "--secret",
            SECRET,
        ],
    );
}

fn deliveries(server: &Server, account: &str) -> Vec<serde_json::Value> {
    rampart_ok(
        server,
        &[
            "alerts",
            "deliveries",
            "--account",
            account,
            "--json",
            "--limit",
            "200",
        ],
    )
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect()
}

/// The account's events made by the root over the API, oldest first.
fn root_api_events(server: &Server, account: &str) -> Vec<serde_json::Value> {
    let out = rampart_ok(
        server,
        &[
            "audit",
            "--account",
            account,
            "--username",
            "root",
            "--limit",
            "200",
        ],
    );
    let mut events: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["sourceIPAddress"] != "AWS Internal")
        .collect();
    events.reverse();
    events
}

#[test]
fn root_activity_reaches_a_webhook_down_for_three_attempts_and_the_smtp_sink() {
    let mail_dir = crate::harness::TempDir::new();
    let mail_file = mail_dir.0.join("smtp-received.txt");
    let smtp = Sink::start("smtp_sink.py", &[], mail_file.clone());
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let server = Server::start_with(&["--smtp-url", &smtp_url, "--alert-retry-base-ms", "200"]);
    let (account, root) = server.create_account("alerted-root@example.com");
    let hook = Sink::webhook(&server, "hook.jsonl", 3, None);
    add_webhook(&server, &account, "root-user-activity", &hook.url());

    for name in ["a", "b", "c"] {
        server
            .aws_as(&root, &["iam", "create-user", "--user-name", name])
            .json();
    }
    server.aws_as(&root, &["sts", "get-caller-identity"]).json();
    server
        .aws_as(&root, &["iam", "delete-user", "--user-name", "c"])
        .json();

    let expected = eventually("the trail", || {
        let events = root_api_events(&server, &account);
        (events.len() == 5).then_some(events)
    });
    let expected_ids: Vec<&str> = expected
        .iter()
        .map(|e| e["eventID"].as_str().unwrap())
        .collect();
    let received = eventually("every root event at the webhook", || {
        let got = hook.received();
        let ids: BTreeSet<&str> = got
            .iter()
            .map(|r| r["envelope"]["id"].as_str().unwrap())
            .collect();
        expected_ids
            .iter()
            .all(|id| ids.contains(id))
            .then(|| got.clone())
    });
    // Signed as documented, and every request the receiver verified is an envelope.
    for record in &received {
        assert_eq!(record["verified"], true, "{record}");
        let envelope = &record["envelope"];
        assert_eq!(envelope["version"], "0");
        assert_eq!(envelope["detail-type"], "AWS API Call via CloudTrail");
        assert_eq!(envelope["account"], account.as_str());
        assert_eq!(envelope["detail"]["userIdentity"]["type"], "Root");
        assert!(envelope["source"].as_str().unwrap().starts_with("aws."));
    }
    // Duplicates only under one delivery id: one id per event, one event per id.
    let mut by_delivery: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for record in &received {
        by_delivery
            .entry(record["deliveryId"].as_str().unwrap())
            .or_default()
            .insert(record["envelope"]["id"].as_str().unwrap());
    }
    assert_eq!(by_delivery.len(), expected_ids.len(), "{by_delivery:#?}");
    assert!(by_delivery.values().all(|events| events.len() == 1));
    // In order: the receiver saw the events as the trail recorded them.
    let mut first_seen: Vec<&str> = Vec::new();
    for record in &received {
        let id = record["envelope"]["id"].as_str().unwrap();
        if !first_seen.contains(&id) {
            first_seen.push(id);
        }
    }
    assert_eq!(first_seen, expected_ids);
    // The outbox shows them delivered; the first one took four attempts.
    let rows = deliveries(&server, &account);
    let hook_rows: Vec<&serde_json::Value> =
        rows.iter().filter(|r| r["target"] == "hook").collect();
    assert_eq!(hook_rows.len(), 5, "{rows:#?}");
    assert!(
        hook_rows.iter().all(|r| r["state"] == "delivered"),
        "{rows:#?}"
    );
    let first = hook_rows.last().unwrap();
    assert_eq!(first["attempts"], 3, "{first}");
    assert_eq!(first["lastError"], "HTTP 500");

    // The root's address got one mail per event, saying how to validate and escalate.
    let mails = eventually("a mail per root event", || {
        let text = std::fs::read_to_string(&mail_file).unwrap_or_default();
        let mails: Vec<String> = text
            .split("\n.\n")
            .filter(|m| m.contains("Rampart alert (root-user-activity)"))
            .map(|m| m.replace("=\r\n", "").replace("=3D", "="))
            .collect();
        (mails.len() == 5).then_some(mails)
    });
    for mail in &mails {
        assert!(mail.starts_with("RCPT alerted-root@example.com"), "{mail}");
        assert!(mail.contains("X-Rampart-Delivery-Id: "), "{mail}");
        assert!(mail.contains("HOW TO VALIDATE"), "{mail}");
        assert!(mail.contains("Change the root password"), "{mail}");
    }
    assert!(
        expected_ids
            .iter()
            .all(|id| mails.iter().any(|m| m.contains(id)))
    );
    drop(smtp);
}

#[test]
fn a_custom_rule_alerts_on_what_its_pattern_matches_and_nothing_else() {
    let server = Server::start();
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let bad = server.rampart(&[
        "alerts",
        "put-rule",
        "--account",
        &account,
        "--name",
        "bad",
        "--pattern",
        r#"{"source": "aws.iam"}"#,
    ]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains(
            "Event pattern is not valid. Reason: \"source\" must be an object or an array"
        ),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let pattern = r#"{"source": ["aws.iam"], "detail": {
        "eventName": [{"prefix": "CreateUser"}, {"equals-ignore-case": "deleteuser"}],
        "userIdentity": {"type": [{"anything-but": "Root"}]},
        "errorCode": [{"exists": false}]}}"#;
    rampart_ok(
        &server,
        &[
            "alerts",
            "put-rule",
            "--account",
            &account,
            "--name",
            "user-changes",
            "--pattern",
            pattern,
            "--description",
            "users created or deleted by anyone but root",
        ],
    );
    let hook = Sink::webhook(&server, "custom.jsonl", 0, None);
    add_webhook(&server, &account, "user-changes", &hook.url());
    let rules = rampart_ok(&server, &["alerts", "rules", "--account", &account]);
    assert!(
        rules.contains("user-changes (enabled): users created or deleted"),
        "{rules}"
    );
    assert!(
        rules.contains(&format!("hook -> webhook:{}", hook.url())),
        "{rules}"
    );

    server
        .aws(&["iam", "create-user", "--user-name", "carol"])
        .json();
    server.aws(&["iam", "list-users"]).json();
    server
        .aws(&["iam", "create-user", "--user-name", "carol"])
        .expect_error("EntityAlreadyExists");
    server
        .aws(&["iam", "delete-user", "--user-name", "carol"])
        .json();
    // A marker after the rest: once it is in, everything before it was routed.
    server
        .aws(&["iam", "create-user", "--user-name", "marker"])
        .json();
    let received = eventually("the marker's alert", || {
        let got = hook.received();
        got.iter()
            .any(|r| r["envelope"]["detail"]["requestParameters"]["userName"] == "marker")
            .then_some(got)
    });
    let names: Vec<(&str, &str)> = received
        .iter()
        .map(|r| {
            let detail = &r["envelope"]["detail"];
            (
                detail["eventName"].as_str().unwrap(),
                detail["requestParameters"]["userName"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("CreateUser", "carol"),
            ("DeleteUser", "carol"),
            ("CreateUser", "marker")
        ]
    );
    assert!(received.iter().all(|r| r["verified"] == true));
    // The admin is not root: the default rule sent nothing.
    let rows = deliveries(&server, &account);
    assert!(
        rows.iter().all(|r| r["rule"] == "user-changes"),
        "{rows:#?}"
    );

    // Removing the target stops deliveries; deleting the rule removes it.
    rampart_ok(
        &server,
        &[
            "alerts",
            "remove-target",
            "--account",
            &account,
            "--rule",
            "user-changes",
            "--id",
            "hook",
        ],
    );
    rampart_ok(
        &server,
        &[
            "alerts",
            "delete-rule",
            "--account",
            &account,
            "--name",
            "user-changes",
        ],
    );
    let rules = rampart_ok(&server, &["alerts", "rules", "--account", &account]);
    assert!(!rules.contains("user-changes"), "{rules}");
}

#[test]
fn an_alert_in_the_outbox_survives_kill_9_and_arrives_after_restart() {
    let mut server = Server::start_with(&["--alert-retry-base-ms", "200"]);
    let (account, root) = server.create_account("crash-root@example.com");
    // A receiver that is not there yet: connections are refused.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    add_webhook(
        &server,
        &account,
        "root-user-activity",
        &format!("http://127.0.0.1:{port}/alerts"),
    );
    server
        .aws_as(&root, &["iam", "create-user", "--user-name", "durable"])
        .json();
    // The row is in the outbox and has failed at least once: written, not delivered.
    let pending = eventually("a failed attempt", || {
        deliveries(&server, &account).into_iter().find(|r| {
            r["target"] == "hook" && r["state"] == "pending" && r["attempts"].as_u64() >= Some(1)
        })
    });
    server.kill9();
    let hook = Sink::webhook(&server, "crash.jsonl", 0, Some(port));
    let listen = server.port;
    server.spawn(listen);
    let received = eventually("the alert after the restart", || {
        let got = hook.received();
        (!got.is_empty()).then_some(got)
    });
    assert_eq!(received[0]["deliveryId"], pending["deliveryId"]);
    assert_eq!(received[0]["envelope"]["id"], pending["eventId"]);
    assert_eq!(received[0]["envelope"]["detail"]["eventName"], "CreateUser");
    assert_eq!(received[0]["verified"], true);
}

#[test]
fn alert_delivery_latency_is_measured() {
    measure_latency(&Server::start(), "SQLite");
}

#[test]
fn on_postgres_alert_delivery_latency_is_measured() {
    let Some(db) = crate::multinode::Database::create_for("alert_latency") else {
        return;
    };
    measure_latency(&Server::start_with_store(&db.url), "PostgreSQL");
}

/// N root CreateUser calls, each waiting for its alert at a webhook; prints the figures.
fn measure_latency(server: &Server, store: &str) {
    let (account, root): (String, Keys) = server.create_account("latency-root@example.com");
    let hook = Sink::webhook(server, "latency.jsonl", 0, None);
    add_webhook(server, &account, "root-user-activity", &hook.url());
    let figures = server.dir.0.join("latency.json");
    server.boto3(
        "alert_latency.py",
        &root,
        &[
            ("SINK_OUT", hook.out.to_str().unwrap()),
            ("LATENCY_OUT", figures.to_str().unwrap()),
            ("N", "30"),
        ],
    );
    let figures: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&figures).unwrap()).unwrap();
    println!("alert delivery latency (root CreateUser -> webhook receiver, {store}): {figures}");
    assert_eq!(figures["n"], 30);
}

#[test]
fn on_postgres_two_nodes_deliver_each_alert_once() {
    let Some(db) = crate::multinode::Database::create_for("alert_nodes") else {
        return;
    };
    let server = Server::start_with_store(&db.url);
    let other = server.another_node();
    let (account, root) = server.create_account("two-nodes-root@example.com");
    let hook = Sink::webhook(&server, "nodes.jsonl", 0, None);
    add_webhook(&server, &account, "root-user-activity", &hook.url());
    // Calls land on both nodes; both run a delivery worker on the one outbox.
    for n in 0..10 {
        let node = if n % 2 == 0 { &server } else { &other };
        node.aws_as(
            &root,
            &["iam", "create-user", "--user-name", &format!("u{n}")],
        )
        .json();
    }
    let received = eventually("ten alerts", || {
        let got = hook.received();
        (got.len() >= 10).then_some(got)
    });
    let ids: BTreeSet<&str> = received
        .iter()
        .map(|r| r["deliveryId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 10, "{received:#?}");
    assert_eq!(received.len(), 10, "no row went out twice: {received:#?}");
    // Let any concurrent duplicate arrive before checking again.
    let rows = eventually("all delivered", || {
        let rows = deliveries(&server, &account);
        rows.iter()
            .all(|r| r["state"] == "delivered")
            .then_some(rows)
    });
    assert_eq!(rows.iter().filter(|r| r["target"] == "hook").count(), 10);
    assert_eq!(hook.received().len(), 10);
}

/// Form-encodes `pairs` (enough for these values: letters, digits and JSON punctuation).
fn form(pairs: &[(&str, &str)]) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                b => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn the_console_alerts_page_manages_rules_and_shows_deliveries() {
    use crate::console::exchange;
    const EMAIL: &str = "alerts-console-root@example.com";
    const PASSWORD: &str = "Alerts-Console-Passw0rd!";
    let server =
        Server::start_with_init_args(&["--root-email", EMAIL, "--root-password", PASSWORD]);
    let signin = form(&[("email", EMAIL), ("password", PASSWORD)]);
    let (head, _) = exchange(
        &server,
        &format!(
            "POST /console/signin/root/password HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{signin}",
            signin.len()
        ),
    );
    let token = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: rampart-session="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no session: {head}"))
        .to_owned();
    let get = || {
        exchange(
            &server,
            &format!(
                "GET /console/alerts HTTP/1.1\r\nhost: x\r\ncookie: rampart-session={token}\r\nconnection: close\r\n\r\n"
            ),
        )
    };
    let post = |action: &str, pairs: &[(&str, &str)], csrf: &str| {
        let mut pairs = pairs.to_vec();
        pairs.push(("csrf", csrf));
        let body = form(&pairs);
        exchange(
            &server,
            &format!(
                "POST /console/alerts/{action} HTTP/1.1\r\nhost: x\r\ncookie: rampart-session={token}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            ),
        )
    };
    let (head, page) = get();
    assert!(head.starts_with("http/1.1 200"), "{head}\n{page}");
    assert!(
        page.contains("<strong>root-user-activity</strong>"),
        "{page}"
    );
    assert!(page.contains("email:&lt;root user&#39;s address&gt;") || page.contains("root-email"));
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let (head, _) = post(
        "rule",
        &[
            ("Name", "console-rule"),
            ("Description", "made in the console"),
            (
                "EventPattern",
                r#"{"detail": {"eventName": ["DeleteUser"]}}"#,
            ),
        ],
        &csrf,
    );
    assert!(
        head.starts_with("http/1.1 303") || head.starts_with("http/1.1 302"),
        "{head}"
    );
    let (head, _) = post(
        "target",
        &[
            ("Rule", "console-rule"),
            ("Id", "ops"),
            ("Type", "email"),
            ("Endpoint", "ops@example.com"),
        ],
        &csrf,
    );
    assert!(head.starts_with("http/1.1 30"), "{head}");
    // A bad pattern is a page with EventBridge's reason.
    let (head, body) = post("rule", &[("Name", "broken"), ("EventPattern", "[]")], &csrf);
    assert!(head.starts_with("http/1.1 400"), "{head}");
    assert!(body.contains("Event pattern is not valid"), "{body}");
    // The root's console sign-in matched the default rule: its delivery is listed.
    let page = eventually("the sign-in's delivery", || {
        let (_, page) = get();
        (page.contains("root-user-activity/root-email") && page.contains("delivered"))
            .then_some(page)
    });
    assert!(page.contains("<strong>console-rule</strong>"), "{page}");
    assert!(page.contains("ops → email:ops@example.com"), "{page}");
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let rules = rampart_ok(&server, &["alerts", "rules", "--account", &account]);
    assert!(
        rules.contains("console-rule (enabled): made in the console"),
        "{rules}"
    );
    // The page's changes are in the trail as the root's console actions.
    let trail = rampart_ok(
        &server,
        &["audit", "--account", &account, "--event-name", "PutRule"],
    );
    assert!(
        trail.contains("\"eventType\":\"AwsConsoleAction\""),
        "{trail}"
    );
}
