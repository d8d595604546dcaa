//! The AWS SDK for Go v2 (Debian's `golang-github-aws-aws-sdk-go-v2-dev`, built offline in
//! GOPATH mode with Debian's Go) against the real server: its own request serializers and
//! XML/JSON/restJson error parsers, errors checked as the SDK's typed exceptions.
//! `.ci/run` installs the packages; without them this test fails rather than skips.

use std::path::Path;
use std::process::Command;

use crate::harness::Server;

/// Where Debian installs the SDK's sources (a GOPATH).
const DEBIAN_GOPATH: &str = "/usr/share/gocode";

#[test]
fn go_sdk_v2_creates_assumes_and_parses_errors_into_their_types() {
    let sdk = Path::new(DEBIAN_GOPATH).join("src/github.com/aws/aws-sdk-go-v2/service/iam");
    assert!(
        sdk.is_dir(),
        "the Go SDK v2 is missing: apt-get install golang-go golang-github-aws-aws-sdk-go-v2-dev (see .ci/run)"
    );
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/go");
    // The build cache outlives the run, so only the first run compiles the SDK.
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-sdk-v2");
    std::fs::create_dir_all(&out).unwrap();
    let binary = out.join("sdk_v2");
    let build = Command::new("go")
        .args(["build", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(&src)
        .env("GO111MODULE", "off")
        .env("GOPATH", DEBIAN_GOPATH)
        .env("GOCACHE", out.join("cache"))
        .env("GOPROXY", "off")
        .env("GOFLAGS", "")
        .env("CGO_ENABLED", "0")
        .output()
        .expect("go (Debian's golang-go) is not installed: see .ci/run");
    assert!(
        build.status.success(),
        "go build failed\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let server = Server::start();
    let keys = server.admin_keys();
    let run = Command::new(&binary)
        .env("RAMPART_ENDPOINT", &server.endpoint)
        .env("RAMPART_ACCESS_KEY_ID", &keys.access_key_id)
        .env("RAMPART_SECRET_ACCESS_KEY", &keys.secret_access_key)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "the Go SDK program failed\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), "ok");
}
