//! CloudTrail trails end to end: the trail API through boto3 (every operation and its
//! errors); a logging trail's files under the trail root read back with `gzip -d | jq`;
//! `rampart audit verify` passing, then catching an edited and a deleted log file; an
//! organization trail holding a member account's event; `audit public-key`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::harness::Server;

/// Fast delivery for tests: a round a second, a digest every two seconds.
const FAST: [&str; 4] = [
    "--trail-delivery-interval-secs",
    "1",
    "--trail-digest-interval-secs",
    "2",
];

fn account_of(server: &Server) -> String {
    server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every file under `dir` whose path contains `part`, sorted.
pub fn files(dir: &Path, part: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().contains(part) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Polls `check` every 200 ms for up to 30 s (delivery runs on its own clock).
pub fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    for _ in 0..150 {
        if let Some(found) = check() {
            return found;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("timed out waiting for {what}");
}

/// The event names of a log file, read as a user would: `gzip -dc FILE | jq`.
fn event_names(file: &Path) -> Vec<String> {
    jq(file, ".Records[].eventName")
}

/// The lines `gzip -dc FILE | jq -r FILTER` prints.
pub fn jq(file: &Path, filter: &str) -> Vec<String> {
    let out = Command::new("sh")
        .arg("-c")
        .arg("gzip -dc \"$1\" | jq -r \"$2\"")
        .arg("sh")
        .arg(file)
        .arg(filter)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn verify(server: &Server, trail: &str) -> (bool, String) {
    let out = server.rampart(&["audit", "verify", "--trail", trail]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_trail_api_through_boto3() {
    let server = Server::start();
    let account = account_of(&server);
    server.boto3(
        "cloudtrail_trails.py",
        &server.admin_keys(),
        &[("RAMPART_ACCOUNT", account.as_str())],
    );
}

#[test]
fn a_logging_trail_writes_files_jq_reads_and_verify_catches_tampering() {
    let server = Server::start_with(&FAST);
    let account = account_of(&server);
    let created = server
        .aws(&[
            "cloudtrail",
            "create-trail",
            "--name",
            "files",
            "--s3-bucket-name",
            "audit-logs",
            "--enable-log-file-validation",
        ])
        .json();
    assert_eq!(
        created["TrailARN"],
        format!("arn:aws:cloudtrail:us-east-1:{account}:trail/files")
    );
    server
        .aws(&["cloudtrail", "start-logging", "--name", "files"])
        .json();
    server
        .aws(&["iam", "create-user", "--user-name", "in-the-trail"])
        .json();
    let bucket = server.data_dir().join("trails").join("audit-logs");
    let logs_dir = format!("AWSLogs/{account}/CloudTrail/us-east-1/");
    let log = eventually("a log file with the CreateUser event", || {
        files(&bucket, &logs_dir)
            .into_iter()
            .find(|f| event_names(f).iter().any(|n| n == "CreateUser"))
    });
    let name = log.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("{account}_CloudTrail_us-east-1_")) && name.ends_with(".json.gz"),
        "{name}"
    );
    let status = server
        .aws(&["cloudtrail", "get-trail-status", "--name", "files"])
        .json();
    assert_eq!(status["IsLogging"], true);
    assert!(status.get("LatestDeliveryTime").is_some(), "{status:#}");

    // Verification passes once a digest lists the file.
    let digest_dir = format!("AWSLogs/{account}/CloudTrail-Digest/us-east-1/");
    let (_, report) = eventually("a verified digest listing the log file", || {
        let (ok, text) = verify(&server, "files");
        (ok && text.contains(&name)).then_some((ok, text))
    });
    assert!(report.contains("log files valid"), "{report}");
    assert!(!files(&bucket, &digest_dir).is_empty());
    let digest = files(&bucket, &digest_dir)
        .into_iter()
        .find(|f| f.to_string_lossy().ends_with(".json.gz"))
        .unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("gzip -dc \"$1\" | jq -r '.digestSignatureAlgorithm, .digestPublicKeyFingerprint'")
        .arg("sh")
        .arg(&digest)
        .output()
        .unwrap();
    let fields = String::from_utf8_lossy(&out.stdout);
    assert!(fields.starts_with("Ed25519\n"), "{fields}");

    // An edited log file, then a deleted one.
    let original = std::fs::read(&log).unwrap();
    let edited = Command::new("sh")
        .arg("-c")
        .arg("gzip -dc \"$1\" | jq -c '.Records[0].eventName = \"Nothing\"' | gzip -c")
        .arg("sh")
        .arg(&log)
        .output()
        .unwrap();
    std::fs::write(&log, edited.stdout).unwrap();
    let (ok, report) = verify(&server, "files");
    assert!(!ok, "{report}");
    assert!(
        report.contains(&format!("{name}\tINVALID: hash value doesn't match")),
        "{report}"
    );
    std::fs::remove_file(&log).unwrap();
    let (ok, report) = verify(&server, "files");
    assert!(!ok, "{report}");
    assert!(
        report.contains(&format!("{name}\tINVALID: not found")),
        "{report}"
    );
    std::fs::write(&log, original).unwrap();
    assert!(verify(&server, "files").0);

    // The public key verifies without the master key too.
    let key_file = server.dir.0.join("digest-key.hex");
    let out = server.rampart(&["audit", "public-key", "--out", key_file.to_str().unwrap()]);
    assert!(out.status.success());
    let out = server.rampart(&[
        "audit",
        "verify",
        "--trail",
        &created["TrailARN"].as_str().unwrap().to_owned(),
        "--public-key",
        key_file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = server.rampart(&["audit", "verify", "--trail", "missing"]);
    assert!(!out.status.success());
}

#[test]
fn an_organization_trail_holds_a_member_accounts_events() {
    let server = Server::start_with(&FAST);
    let management = account_of(&server);
    server
        .aws(&[
            "organizations",
            "create-organization",
            "--feature-set",
            "ALL",
        ])
        .json();
    server
        .aws(&[
            "cloudtrail",
            "create-trail",
            "--name",
            "org",
            "--s3-bucket-name",
            "org-logs",
            "--is-organization-trail",
        ])
        .expect_error("CloudTrailAccessNotEnabledException");
    server
        .aws(&[
            "organizations",
            "enable-aws-service-access",
            "--service-principal",
            "cloudtrail.amazonaws.com",
        ])
        .json();
    let trail = server
        .aws(&[
            "cloudtrail",
            "create-trail",
            "--name",
            "org",
            "--s3-bucket-name",
            "org-logs",
            "--is-organization-trail",
            "--is-multi-region-trail",
        ])
        .json();
    assert_eq!(trail["IsOrganizationTrail"], true);
    server
        .aws(&["cloudtrail", "start-logging", "--name", "org"])
        .json();
    let status = server
        .aws(&[
            "organizations",
            "create-account",
            "--email",
            "member@example.com",
            "--account-name",
            "Member",
        ])
        .json();
    let request = status["CreateAccountStatus"]["Id"].as_str().unwrap();
    let done = server
        .aws(&[
            "organizations",
            "describe-create-account-status",
            "--create-account-request-id",
            request,
        ])
        .json();
    let member = done["CreateAccountStatus"]["AccountId"]
        .as_str()
        .unwrap()
        .to_owned();
    let role = format!("arn:aws:iam::{member}:role/OrganizationAccountAccessRole");
    let session = server
        .aws(&[
            "sts",
            "assume-role",
            "--role-arn",
            &role,
            "--role-session-name",
            "trail-test",
        ])
        .json();
    let keys = crate::harness::Keys {
        access_key_id: session["Credentials"]["AccessKeyId"]
            .as_str()
            .unwrap()
            .to_owned(),
        secret_access_key: session["Credentials"]["SecretAccessKey"]
            .as_str()
            .unwrap()
            .to_owned(),
    };
    let token = session["Credentials"]["SessionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = Command::new("aws")
        .args(["iam", "create-user", "--user-name", "member-user"])
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .env("AWS_ACCESS_KEY_ID", &keys.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &keys.secret_access_key)
        .env("AWS_SESSION_TOKEN", &token)
        .env("AWS_ENDPOINT_URL", &server.endpoint)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let org = trail["TrailARN"].as_str().map(|_| {
        server
            .aws(&["organizations", "describe-organization"])
            .json()["Organization"]["Id"]
            .as_str()
            .unwrap()
            .to_owned()
    });
    let org = org.unwrap();
    let bucket = server.data_dir().join("trails").join("org-logs");
    let member_dir = format!("AWSLogs/{org}/{member}/CloudTrail/us-east-1/");
    eventually("the member's CreateUser in the organization trail", || {
        files(&bucket, &member_dir)
            .into_iter()
            .find(|f| event_names(f).iter().any(|n| n == "CreateUser"))
    });
    // The management account's own events are under the organization too.
    assert!(!files(&bucket, &format!("AWSLogs/{org}/{management}/CloudTrail/")).is_empty());
}
