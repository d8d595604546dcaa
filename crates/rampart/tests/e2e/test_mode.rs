//! Test mode for suites written against moto or LocalStack.

use std::process::Command;

use crate::harness::{Keys, Server};

#[test]
fn boto3_suite_with_made_up_keys_runs_against_test_mode() {
    let server = Server::start_with(&["--test-mode"]);
    let unused = Keys {
        access_key_id: String::new(),
        secret_access_key: String::new(),
    };
    server.boto3("test_mode.py", &unused, &[]);
}

#[test]
fn test_mode_user_caller_is_an_administrator_who_may_assume_roles() {
    let server = Server::start_with(&["--test-mode", "--test-mode-caller", "user"]);
    let unused = Keys {
        access_key_id: String::new(),
        secret_access_key: String::new(),
    };
    server.boto3("test_mode_user.py", &unused, &[]);
}

/// moto 5.2.1's own IAM, STS, Organizations and Account tests in moto's server mode: every
/// failure must be one `docs/moto-differences.md` lists (and every listed test must still fail).
/// Downloads moto's source distribution from PyPI on first run (about 9 MB, cached in the
/// target directory); the suite itself takes about a minute.
#[test]
fn moto_suite_passes_except_the_documented_differences() {
    let server = Server::start_with(&["--test-mode", "--test-mode-caller", "user"]);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let differences = root.join("docs/moto-differences.md");
    let cache = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("moto-suite");
    let unused = Keys {
        access_key_id: String::new(),
        secret_access_key: String::new(),
    };
    server.boto3(
        "moto_suite.py",
        &unused,
        &[
            ("MOTO_CACHE", cache.to_str().unwrap()),
            ("MOTO_DIFFERENCES", differences.to_str().unwrap()),
        ],
    );
}

#[test]
fn normal_mode_refuses_made_up_keys_and_has_no_reset() {
    let server = Server::start();
    let made_up = Keys {
        access_key_id: "testing".into(),
        secret_access_key: "testing".into(),
    };
    server
        .aws_as(&made_up, &["sts", "get-caller-identity"])
        .expect_error("InvalidClientTokenId");
    let (status, _) = server.raw("POST", "/moto-api/reset", &[], b"");
    assert_ne!(status, 200);
    assert_eq!(
        server.aws(&["iam", "list-users"]).json()["Users"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn test_mode_is_refused_on_a_non_loopback_address() {
    let dir = crate::harness::TempDir::new();
    let out = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args([
            "serve",
            "--test-mode",
            "--listen",
            "0.0.0.0:0",
            "--data-dir",
        ])
        .arg(dir.0.join("data"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--test-mode-allow-remote"));
}
