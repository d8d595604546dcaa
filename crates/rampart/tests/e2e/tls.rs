//! HTTPS (issue 13): `init --self-signed-cert` makes a certificate and a profile that
//! trusts it, `serve` speaks TLS with it, the aws CLI (`--ca-bundle`) and boto3 (`verify=`)
//! work over it, `aws:SecureTransport` is true only over TLS, console cookies are `Secure`
//! and HSTS is sent only over TLS, and the connection limits hold for TLS handshakes.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::harness::{Keys, Server};

const ROOT_EMAIL: &str = "tls-root@example.com";
const ROOT_PASSWORD: &str = "Tls-Root-Passw0rd!";

fn root_args() -> [&'static str; 4] {
    ["--root-email", ROOT_EMAIL, "--root-password", ROOT_PASSWORD]
}

/// A user whose only policy allows `iam:ListUsers` and denies everything that does not
/// come over TLS (AWS's documented `aws:SecureTransport` pattern).
fn tls_only_user(server: &Server, admin_args: &[&str]) -> Keys {
    let admin = server.admin_keys();
    let policy = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"},
        {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
    let run = |args: &[&str]| {
        let mut all = admin_args.to_vec();
        all.extend_from_slice(args);
        server.aws_as(&admin, &all).json()
    };
    run(&["iam", "create-user", "--user-name", "tls-only"]);
    run(&[
        "iam",
        "put-user-policy",
        "--user-name",
        "tls-only",
        "--policy-name",
        "tls-only",
        "--policy-document",
        policy,
    ]);
    let key = run(&["iam", "create-access-key", "--user-name", "tls-only"]);
    Keys {
        access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
        secret_access_key: key["AccessKey"]["SecretAccessKey"]
            .as_str()
            .unwrap()
            .to_owned(),
    }
}

fn tls_clients(server: &Server, ca_bundle: Option<&std::path::Path>) {
    let ca = ca_bundle.map(|p| p.to_str().unwrap().to_owned());
    let mut env = vec![("ROOT_EMAIL", ROOT_EMAIL), ("ROOT_PASSWORD", ROOT_PASSWORD)];
    if let Some(ca) = &ca {
        env.push(("RAMPART_CA_BUNDLE", ca.as_str()));
    }
    server.boto3("tls_clients.py", &server.admin_keys(), &env);
}

#[test]
fn https_serves_the_aws_cli_and_boto3_with_the_self_signed_certificate() {
    let server = Server::start_https(&root_args(), &[]);
    assert!(
        server.endpoint.starts_with("https://"),
        "{}",
        server.endpoint
    );
    let key = std::fs::metadata(server.data_dir().join("tls-key.pem")).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&key.permissions()) & 0o777,
        0o600
    );
    // The profile `init` wrote points at https:// and trusts the certificate.
    let config = std::fs::read_to_string(server.dir.0.join("aws-config")).unwrap();
    assert!(config.contains("ca_bundle = /"), "{config}");
    let me = server.aws(&["sts", "get-caller-identity"]).json();
    assert!(me["Arn"].as_str().unwrap().ends_with(":user/admin"), "{me}");
    // Explicit keys and --ca-bundle, as a user of another profile would.
    let ca = server.ca_bundle();
    let ca = ca.to_str().unwrap();
    let listed = server
        .aws_as(
            &server.admin_keys(),
            &["--ca-bundle", ca, "iam", "list-users"],
        )
        .json();
    assert!(listed["Users"].as_array().is_some(), "{listed}");
    // Without it, the CLI refuses the certificate.
    let refused = server.aws_as(&server.admin_keys(), &["iam", "list-users"]);
    assert!(
        !refused.success && refused.stderr.contains("SSL"),
        "{}",
        refused.stderr
    );
    tls_clients(&server, Some(&server.ca_bundle()));
}

#[test]
fn secure_transport_is_true_over_tls_and_false_over_plain_http() {
    let https = Server::start_https(&[], &[]);
    let ca = https.ca_bundle();
    let ca = ca.to_str().unwrap().to_owned();
    let user = tls_only_user(&https, &["--ca-bundle", &ca]);
    let allowed = https
        .aws_as(&user, &["--ca-bundle", &ca, "iam", "list-users"])
        .json();
    assert!(allowed["Users"].as_array().is_some(), "{allowed}");

    let http = Server::start();
    let user = tls_only_user(&http, &[]);
    let denied = http.aws_as(&user, &["iam", "list-users"]);
    let message = denied.expect_error("AccessDenied");
    assert!(message.contains("explicit deny"), "{message}");
}

#[test]
fn console_cookies_are_secure_and_hsts_is_sent_only_over_tls() {
    let https = Server::start_https(&root_args(), &[]);
    tls_clients(&https, Some(&https.ca_bundle()));
    let http = Server::start_with_init_args(&root_args());
    tls_clients(&http, None);
}

#[test]
fn a_stalled_tls_handshake_is_closed_after_the_header_timeout_and_others_are_served() {
    let server = Server::start_https(&[], &["--header-timeout-secs", "1"]);
    // Connected, no ClientHello: closed by the server.
    let mut silent = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut buf = [0u8; 64];
    let read = silent.read(&mut buf);
    assert!(
        matches!(read, Ok(0))
            || matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset),
        "the server kept a silent TLS connection open: {read:?}"
    );
    // Plain HTTP to the TLS port is refused without disturbing the server.
    let mut plain = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    plain
        .write_all(b"GET /console/ HTTP/1.1\r\nhost: x\r\n\r\n")
        .unwrap();
    plain
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer);
    assert!(
        !String::from_utf8_lossy(&answer).contains("HTTP/1.1 200"),
        "plain HTTP was served on the TLS port"
    );
    let me = server.aws(&["sts", "get-caller-identity"]).json();
    assert!(me["Account"].as_str().is_some(), "{me}");
}
