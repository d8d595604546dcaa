//! Trusted proxies (issue 13): `X-Forwarded-For` and `X-Forwarded-Proto` change
//! `aws:SourceIp`, `aws:SecureTransport` and the audit event's source address only when
//! the connection comes from a `--trusted-proxy` range; from anyone else they are ignored.

use crate::harness::{Keys, Server, amz_date, unix_now};

const FORWARDED_CLIENT: &str = "203.0.113.9";

/// A user allowed `iam:ListUsers` only from 203.0.113.0/24 and only over TLS.
fn office_user(server: &Server) -> Keys {
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*",
        "Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"},"Bool":{"aws:SecureTransport":"true"}}}]}"#;
    server
        .aws(&["iam", "create-user", "--user-name", "office"])
        .json();
    server
        .aws(&[
            "iam",
            "put-user-policy",
            "--user-name",
            "office",
            "--policy-name",
            "office",
            "--policy-document",
            policy,
        ])
        .json();
    let key = server
        .aws(&["iam", "create-access-key", "--user-name", "office"])
        .json();
    Keys {
        access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
        secret_access_key: key["AccessKey"]["SecretAccessKey"]
            .as_str()
            .unwrap()
            .to_owned(),
    }
}

fn list_users(server: &Server, keys: &Keys, forwarded: &[(&str, &str)]) -> (u16, String) {
    let form = "Action=ListUsers&Version=2010-05-08";
    server.signed_form_with_headers(keys, None, "iam", form, &amz_date(unix_now()), forwarded)
}

const SPOOFED: [(&str, &str); 2] = [
    ("X-Forwarded-For", FORWARDED_CLIENT),
    ("X-Forwarded-Proto", "https"),
];

#[test]
fn forwarding_headers_from_an_untrusted_peer_change_nothing() {
    let server = Server::start();
    let user = office_user(&server);
    let (status, body) = list_users(&server, &user, &SPOOFED);
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");
    // Another proxy range is trusted, not loopback: still ignored.
    let other = Server::start_with(&["--trusted-proxy", "10.0.0.0/8"]);
    let user = office_user(&other);
    let (status, body) = list_users(&other, &user, &SPOOFED);
    assert_eq!(status, 403, "{body}");
}

#[test]
fn a_trusted_proxy_sets_the_source_ip_and_the_scheme() {
    let server = Server::start_with(&["--trusted-proxy", "127.0.0.1/32"]);
    let user = office_user(&server);
    // Through the proxy, from the office over HTTPS: allowed.
    let (status, body) = list_users(&server, &user, &SPOOFED);
    assert_eq!(status, 200, "{body}");
    // The proxy says the client used plain HTTP: denied.
    let (status, body) = list_users(
        &server,
        &user,
        &[
            ("X-Forwarded-For", FORWARDED_CLIENT),
            ("X-Forwarded-Proto", "http"),
        ],
    );
    assert_eq!(status, 403, "{body}");
    // A client forged an office address in front of its real one; the proxy appended the
    // real one: the rightmost untrusted hop counts, so denied.
    let (status, body) = list_users(
        &server,
        &user,
        &[
            ("X-Forwarded-For", "203.0.113.50, 198.51.100.7"),
            ("X-Forwarded-Proto", "https"),
        ],
    );
    assert_eq!(status, 403, "{body}");
    // The audit trail records the forwarded address of the allowed call.
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = server.rampart(&["audit", "--account", &account, "--event-name", "ListUsers"]);
    let events = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        events.contains(&format!("\"sourceIPAddress\":\"{FORWARDED_CLIENT}\"")),
        "{events}"
    );
    assert!(
        events.contains("\"sourceIPAddress\":\"198.51.100.7\""),
        "{events}"
    );
}
