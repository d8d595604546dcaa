//! The console's many-accounts walk in a real browser: `py/console_orgs.py` follows the
//! seeds' "Accessing member accounts" procedures in headless Chromium (create a member
//! account and switch into it; invite an account whose root, after a first password by
//! recovery mail, creates OrganizationAccountAccessRole by hand; the group policy; switch
//! role with a display name and colour, act, go back; AccessDenied outside the group; the
//! deny-root SCP; role history), then the audit trail is checked for the `SwitchRole`,
//! `ExitRole` and `AssumeRole` events and the assumed-role identity of switched actions.

use std::path::Path;
use std::process::Command;

use crate::harness::{Server, TempDir};

const ROOT_EMAIL: &str = "orgs-root@example.com";
const ROOT_PASSWORD: &str = "Orgs-Root-Passw0rd!";
const INVITED_EMAIL: &str = "invited-root@example.com";
const ROLE: &str = "OrganizationAccountAccessRole";

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

/// The audit trail of `account` once it holds an event `until` accepts (the server flushes
/// read-only events in batches).
fn audit_until(
    server: &Server,
    account: &str,
    until: &dyn Fn(&serde_json::Value) -> bool,
) -> Vec<serde_json::Value> {
    let mut events = Vec::new();
    for _ in 0..60 {
        events = audit(server, account);
        if events.iter().any(until) {
            break;
        }
        #[expect(
            clippy::disallowed_methods,
            reason = "bounded poll for the server's batched audit flush"
        )]
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    events
}

#[test]
fn console_organizations_walk_in_headless_chromium() {
    let server = Server::start_with_init_args(&[
        "--root-email",
        ROOT_EMAIL,
        "--root-password",
        ROOT_PASSWORD,
    ]);
    let management = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    // A standalone account to invite; its root has no password until recovery.
    let (invited, _) = server.create_account(INVITED_EMAIL);
    let shots = TempDir::new();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/py/console_orgs.py");
    let out = Command::new("python3")
        .arg(script)
        .env("RAMPART_ENDPOINT", &server.endpoint)
        .env("RAMPART_ACCOUNT", &management)
        .env("ROOT_EMAIL", ROOT_EMAIL)
        .env("ROOT_PASSWORD", ROOT_PASSWORD)
        .env("INVITED_EMAIL", INVITED_EMAIL)
        .env("INVITED_ACCOUNT", &invited)
        .env("OUTBOX", server.data_dir().join("outbox"))
        .env("SHOTS_DIR", &shots.0)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let kept = std::env::temp_dir().join(format!("rampart-orgs-shots-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&kept);
        for entry in std::fs::read_dir(&shots.0).unwrap().flatten() {
            let _ = std::fs::copy(entry.path(), kept.join(entry.file_name()));
        }
        panic!(
            "console organizations walk failed (screenshots in {})\nstdout:\n{stdout}\nstderr:\n{}",
            kept.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let member = stdout
        .lines()
        .find_map(|l| l.strip_prefix("member-account: "))
        .expect("the script names the member account")
        .trim()
        .to_owned();

    // The switch into the invited account, as CloudTrail records a console SwitchRole.
    let alice_arn = format!("arn:aws:iam::{management}:user/alice");
    let events = audit_until(&server, &invited, &|e| {
        e["eventName"] == "CreateUser" && e["requestParameters"]["userName"] == "helper"
    });
    let find = |pred: &dyn Fn(&serde_json::Value) -> bool| events.iter().find(|e| pred(e)).cloned();
    let switched = find(&|e| {
        e["eventName"] == "SwitchRole" && e["additionalEventData"]["SwitchFrom"] == alice_arn
    })
    .expect("alice's SwitchRole event in the member account");
    assert_eq!(switched["eventSource"], "signin.amazonaws.com");
    assert_eq!(switched["eventType"], "AwsConsoleSignIn");
    assert_eq!(switched["responseElements"]["SwitchRole"], "Success");
    assert_eq!(switched["userIdentity"]["type"], "AssumedRole");
    assert_eq!(
        switched["userIdentity"]["arn"],
        format!("arn:aws:sts::{invited}:assumed-role/{ROLE}/alice")
    );
    let exited = find(&|e| e["eventName"] == "ExitRole").expect("the way back is an ExitRole");
    assert_eq!(exited["responseElements"]["ExitRole"], "Success");
    assert_eq!(exited["eventSource"], "signin.amazonaws.com");
    // What alice did while switched shows the assumed-role identity.
    let created =
        find(&|e| e["eventName"] == "CreateUser" && e["requestParameters"]["userName"] == "helper")
            .expect("the user created while switched");
    assert_eq!(created["userIdentity"]["type"], "AssumedRole");
    assert_eq!(
        created["userIdentity"]["arn"],
        format!("arn:aws:sts::{invited}:assumed-role/{ROLE}/alice")
    );
    assert_eq!(
        created["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"],
        format!("arn:aws:iam::{invited}:role/{ROLE}")
    );
    assert!(created.get("errorCode").is_none(), "{created}");
    // The member root's action denied by the SCP is in the trail too.
    let denied_root = find(&|e| {
        e["eventName"] == "ListUsers"
            && e["userIdentity"]["type"] == "Root"
            && e["errorCode"] == "AccessDenied"
    })
    .expect("the member root's denied ListUsers");
    assert!(
        denied_root["errorMessage"]
            .as_str()
            .unwrap()
            .contains("service control policy")
    );
    // The invited root accepted the invitation and created the role by hand.
    assert!(find(&|e| e["eventName"] == "AcceptHandshake").is_some());
    assert!(
        find(&|e| e["eventName"] == "CreateRole" && e["userIdentity"]["type"] == "Root").is_some()
    );

    // In the management account: the AssumeRole calls behind the switches, bob's refusal.
    let events = audit_until(&server, &management, &|e| {
        e["eventName"] == "AssumeRole" && e["userIdentity"]["userName"] == "bob"
    });
    let assumed = events
        .iter()
        .filter(|e| {
            e["eventName"] == "AssumeRole"
                && e["userIdentity"]["userName"] == "alice"
                && e.get("errorCode").is_none()
        })
        .count();
    assert!(assumed >= 2, "alice switched twice (form and history)");
    let refused = events
        .iter()
        .find(|e| e["eventName"] == "AssumeRole" && e["userIdentity"]["userName"] == "bob")
        .expect("bob's refused AssumeRole");
    assert_eq!(refused["errorCode"], "AccessDenied");
    assert!(
        events.iter().any(|e| e["eventName"] == "SwitchRole"
            && e["userIdentity"]["userName"] == "bob"
            && e["responseElements"]["SwitchRole"] == "Failure"),
        "bob's failed switch is a SwitchRole failure"
    );
    assert!(events.iter().any(|e| {
        e["eventName"] == "CreateAccount" && e["userIdentity"]["userName"] == "ops-admin"
    }));

    // The administrator's one-click switch into the created member account.
    let member_events = audit_until(&server, &member, &|e| e["eventName"] == "SwitchRole");
    let switch = member_events
        .iter()
        .find(|e| e["eventName"] == "SwitchRole")
        .expect("ops-admin's switch into the member account");
    assert_eq!(
        switch["additionalEventData"]["SwitchFrom"],
        format!("arn:aws:iam::{management}:user/ops-admin")
    );
}
