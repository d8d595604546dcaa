//! The AWS SDK for JavaScript v3 (`@aws-sdk/client-iam`, `-sts`, `-organizations`, pinned in
//! `tests/e2e/js/package-lock.json`) against the real server: it serializes requests and
//! parses XML, JSON and errors with its own code, not botocore's.

use std::path::Path;
use std::process::Command;

use crate::harness::Server;

#[test]
fn javascript_sdk_v3_creates_assumes_and_parses_errors_into_their_classes() {
    let server = Server::start();
    let keys = server.admin_keys();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/js");
    if !dir.join("node_modules").is_dir() {
        // `.ci/run` installs these first; a fresh checkout installs them here.
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .status()
            .expect("npm");
        assert!(status.success(), "npm ci in {} failed", dir.display());
    }
    let out = Command::new("node")
        .arg(dir.join("sdk_v3.mjs"))
        .env("RAMPART_ENDPOINT", &server.endpoint)
        .env("RAMPART_ACCESS_KEY_ID", &keys.access_key_id)
        .env("RAMPART_SECRET_ACCESS_KEY", &keys.secret_access_key)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "sdk_v3.mjs failed\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
