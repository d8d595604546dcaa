//! The console in a real browser: headless Chromium driven over WebDriver by
//! `py/console_browser.py` (root sign-in, MFA wizard, MFA at sign-in, users, forced
//! password change, AccessDenied pages, CSRF and cross-site refusals, lockout), then the
//! audit trail checked for the identities that acted.

use std::path::Path;
use std::process::Command;

use crate::harness::{Server, TempDir};

const ROOT_EMAIL: &str = "console-root@example.com";
const ROOT_PASSWORD: &str = "Console-Root-Passw0rd!";
const SECOND_EMAIL: &str = "second-root@example.com";

fn audit(server: &Server, account: &str) -> Vec<serde_json::Value> {
    let out = server.rampart(&["audit", "--account", account, "--limit", "100000"]);
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
fn console_walk_in_headless_chromium() {
    let server = Server::start_with_init_args(&[
        "--root-email",
        ROOT_EMAIL,
        "--root-password",
        ROOT_PASSWORD,
    ]);
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = server.admin_keys();
    // A second account with root access keys and no root password yet: the walk recovers
    // its password by email and deletes the keys.
    let (second, _) = server.create_account(SECOND_EMAIL);
    let shots = TempDir::new();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/py/console_browser.py");
    let out = Command::new("python3")
        .arg(script)
        .env("RAMPART_ENDPOINT", &server.endpoint)
        .env("RAMPART_ACCOUNT", &account)
        .env("ROOT_EMAIL", ROOT_EMAIL)
        .env("ROOT_PASSWORD", ROOT_PASSWORD)
        .env("SHOTS_DIR", &shots.0)
        .env("SECOND_EMAIL", SECOND_EMAIL)
        .env("OUTBOX", server.data_dir().join("outbox"))
        .env("ADMIN_ACCESS_KEY_ID", &admin.access_key_id)
        .env("ADMIN_SECRET_ACCESS_KEY", &admin.secret_access_key)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap();
    if !out.status.success() {
        // Keep the failed steps' screenshots where CI can pick them up.
        let kept =
            std::env::temp_dir().join(format!("rampart-console-shots-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&kept);
        for entry in std::fs::read_dir(&shots.0).unwrap().flatten() {
            let _ = std::fs::copy(entry.path(), kept.join(entry.file_name()));
        }
        panic!(
            "console walk failed (screenshots in {})\nstdout:\n{}\nstderr:\n{}",
            kept.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // The page-load figure the script measured, for the record (`--no-capture` shows it).
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if line.starts_with("page-load:") {
            println!("{line}");
        }
    }

    // The forged and cross-site posts changed nothing.
    let users = server.aws(&["iam", "list-users"]).json();
    let names: Vec<&str> = users["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["UserName"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"carol") && names.contains(&"dave"),
        "{names:?}"
    );
    assert!(!names.contains(&"mallory"), "{names:?}");

    // Every action is in the trail with the identity that took it.
    let mut events = Vec::new();
    for _ in 0..60 {
        events = audit(&server, &account);
        if events.iter().any(|e| {
            e["eventName"] == "GetAccountSummary" && e["userIdentity"]["userName"] == "carol"
        }) {
            break;
        }
        #[expect(
            clippy::disallowed_methods,
            reason = "bounded poll for the server's batched audit flush"
        )]
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let find = |pred: &dyn Fn(&serde_json::Value) -> bool| events.iter().find(|e| pred(e)).cloned();
    let root_mfa_login = find(&|e| {
        e["eventName"] == "ConsoleLogin"
            && e["userIdentity"]["type"] == "Root"
            && e["additionalEventData"]["MFAUsed"] == "Yes"
            && e["responseElements"]["ConsoleLogin"] == "Success"
    })
    .expect("root's MFA sign-in is audited");
    assert_eq!(root_mfa_login["eventType"], "AwsConsoleSignIn");
    assert_eq!(root_mfa_login["eventSource"], "signin.amazonaws.com");
    assert!(
        find(&|e| e["eventName"] == "ConsoleLogin"
            && e["userIdentity"]["type"] == "Root"
            && e["responseElements"]["ConsoleLogin"] == "Failure")
        .is_some(),
        "the wrong MFA code is a failed sign-in"
    );
    let created = find(&|e| e["eventName"] == "CreateUser" && e["userIdentity"]["type"] == "Root")
        .expect("CreateUser by root from the console");
    assert_eq!(created["eventType"], "AwsConsoleAction");
    assert!(
        find(&|e| e["eventName"] == "EnableMFADevice" && e["userIdentity"]["type"] == "Root")
            .is_some()
    );
    let changed =
        find(&|e| e["eventName"] == "ChangePassword" && e["userIdentity"]["userName"] == "carol")
            .expect("carol's forced password change");
    assert!(changed.get("errorCode").is_none(), "{changed}");
    let denied = find(&|e| {
        e["eventName"] == "GetAccountSummary" && e["userIdentity"]["userName"] == "carol"
    })
    .expect("carol's denied dashboard");
    assert_eq!(denied["errorCode"], "AccessDenied");
    assert!(
        find(&|e| e["eventName"] == "ConsoleLogin"
            && e["userIdentity"]["userName"] == "dave"
            && e["responseElements"]["ConsoleLogin"] == "Failure")
        .is_some()
    );
    // The lockout's refusal is in the trail too, and says why.
    let locked = find(&|e| {
        e["eventName"] == "ConsoleLogin"
            && e["userIdentity"]["userName"] == "dave"
            && e["errorMessage"]
                .as_str()
                .is_some_and(|m| m.contains("Too many failed sign-in attempts"))
    })
    .expect("the lockout is audited");
    assert_eq!(locked["responseElements"]["ConsoleLogin"], "Failure");

    // The second account's root recovered its password and deleted its keys, as itself.
    let second_events = audit(&server, &second);
    assert!(
        second_events
            .iter()
            .any(|e| e["eventName"] == "PasswordRecoveryCompleted")
    );
    let deleted = second_events
        .iter()
        .find(|e| e["eventName"] == "DeleteAccessKey")
        .expect("the root deleted its key");
    assert_eq!(deleted["userIdentity"]["type"], "Root");
    assert_eq!(deleted["eventType"], "AwsConsoleAction");
}

/// One raw HTTP/1.1 exchange: (status line and headers, body).
pub(crate) fn exchange(server: &Server, request: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.to_lowercase(), body.to_owned())
}

#[test]
fn console_answers_carry_security_headers_and_strict_session_cookies() {
    let server = Server::start_with_init_args(&[
        "--root-email",
        ROOT_EMAIL,
        "--root-password",
        ROOT_PASSWORD,
    ]);
    let (head, body) = exchange(
        &server,
        "GET /console/signin HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert!(head.starts_with("http/1.1 200"), "{head}");
    for header in [
        "content-security-policy: default-src 'none'",
        "x-frame-options: deny",
        "referrer-policy: same-origin",
        "cache-control: no-store",
    ] {
        assert!(head.contains(header), "{header} missing in {head}");
    }
    assert!(body.contains("<label for=\"f-account\">Account ID or alias</label>"));

    // A browser opening the endpoint is sent to the console; API clients are not.
    let (head, _) = exchange(
        &server,
        "GET / HTTP/1.1\r\nhost: x\r\naccept: text/html\r\nconnection: close\r\n\r\n",
    );
    assert!(
        head.starts_with("http/1.1 302") && head.contains("location: /console/"),
        "{head}"
    );

    let form = format!(
        "email={}&password={}",
        ROOT_EMAIL.replace('@', "%40"),
        ROOT_PASSWORD.replace('!', "%21")
    );
    let (head, body) = exchange(
        &server,
        &format!(
            "POST /console/signin/root/password HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{form}",
            form.len()
        ),
    );
    assert!(head.starts_with("http/1.1 200"), "{head}\n{body}");
    let cookie = head
        .lines()
        .find(|l| l.starts_with("set-cookie: rampart-session="))
        .unwrap_or_else(|| panic!("no session cookie in {head}"));
    assert!(cookie.contains("httponly"), "{cookie}");
    assert!(cookie.contains("samesite=strict"), "{cookie}");
    assert!(cookie.contains("path=/console"), "{cookie}");
    // The root's session lasts an hour at most.
    assert!(cookie.contains("max-age=3600"), "{cookie}");

    // A signed-in form post from another origin is refused before anything runs.
    let token = cookie
        .trim_start_matches("set-cookie: rampart-session=")
        .split(';')
        .next()
        .unwrap();
    let (head, _) = exchange(
        &server,
        &format!(
            "POST /console/users HTTP/1.1\r\nhost: 127.0.0.1:{}\r\norigin: http://evil.example\r\ncookie: rampart-session={token}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 14\r\nconnection: close\r\n\r\nUserName=evil1",
            server.port
        ),
    );
    assert!(head.starts_with("http/1.1 403"), "{head}");
    // And without the session's CSRF token from this origin too.
    let (head, _) = exchange(
        &server,
        &format!(
            "POST /console/users HTTP/1.1\r\nhost: x\r\ncookie: rampart-session={token}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 14\r\nconnection: close\r\n\r\nUserName=evil2"
        ),
    );
    assert!(head.starts_with("http/1.1 403"), "{head}");
    let users = server.aws(&["iam", "list-users"]).json();
    assert!(!users.to_string().contains("evil"), "{users}");
}
