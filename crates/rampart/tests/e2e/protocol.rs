//! What SDKs will not send: stale signatures, malformed bodies, unknown actions, no auth.
//! Each must get the AWS error document, never a panic or a dropped connection.

use crate::harness::{Keys, Server, amz_date, unix_now};

fn assert_error_document(body: &str, code: &str) {
    assert!(body.starts_with("<ErrorResponse xmlns=\""), "{body}");
    assert!(
        body.contains(&format!("<Code>{code}</Code>")),
        "expected {code}: {body}"
    );
    assert!(body.contains("<RequestId>"), "{body}");
}

#[test]
fn a_request_dated_twenty_minutes_ago_is_rejected() {
    let server = Server::start();
    let keys = server.admin_keys();
    let form = "Action=GetCallerIdentity&Version=2011-06-15";
    let (status, body) = server.signed_form(&keys, "sts", form, &amz_date(unix_now()));
    assert_eq!(status, 200, "{body}");
    let (status, body) = server.signed_form(&keys, "sts", form, &amz_date(unix_now() - 20 * 60));
    assert_eq!(status, 403, "{body}");
    assert_error_document(&body, "SignatureDoesNotMatch");
    assert!(body.contains("Signature expired:"), "{body}");
    let (status, body) = server.signed_form(
        &keys,
        "iam",
        "Action=ListUsers&Version=2010-05-08",
        &amz_date(unix_now() + 20 * 60),
    );
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("Signature not yet current:"), "{body}");
}

#[test]
fn malformed_bodies_and_unknown_actions_get_aws_errors() {
    let server = Server::start();
    let keys = server.admin_keys();
    let now = amz_date(unix_now());
    let cases: &[(&str, u16, &str)] = &[
        (
            "Action=FlyToTheMoon&Version=2010-05-08",
            400,
            "InvalidAction",
        ),
        ("Action=ListUsers&Version=1999-01-01", 400, "InvalidAction"),
        (
            "Action=ListUsers&Version=2010-05-08&MaxItems=lots",
            400,
            "ValidationError",
        ),
        (
            "Action=ListUsers&Version=2010-05-08&MaxItems=0",
            400,
            "ValidationError",
        ),
        (
            "Action=CreateUser&Version=2010-05-08",
            400,
            "ValidationError",
        ),
        (
            "Action=CreateUser&Version=2010-05-08&UserName=a&UserName=b",
            400,
            "InvalidParameterValue",
        ),
        (
            "Action=CreateUser&Version=2010-05-08&UserName=%ZZ",
            400,
            "MalformedQueryString",
        ),
        (
            "Action=CreateUser&Version=2010-05-08&UserName=%FF%FE",
            400,
            "MalformedQueryString",
        ),
        (
            "Action=CreatePolicy&Version=2010-05-08&PolicyName=p&PolicyDocument=%7B",
            400,
            "MalformedPolicyDocument",
        ),
        (
            "Action=UpdateAccountPasswordPolicy&Version=2010-05-08&MinimumPasswordLength=5",
            400,
            "ValidationError",
        ),
        (
            "Action=UpdateAccountPasswordPolicy&Version=2010-05-08&PasswordReusePrevention=25",
            400,
            "ValidationError",
        ),
    ];
    for (form, status, code) in cases {
        let (got_status, body) = server.signed_form(&keys, "iam", form, &now);
        assert_eq!(got_status, *status, "{form}: {body}");
        assert_error_document(&body, code);
    }
    // The server is still healthy and nothing was created.
    let users = server.aws(&["iam", "list-users"]).json();
    assert_eq!(users["Users"].as_array().unwrap().len(), 1);
}

#[test]
fn unsigned_and_garbled_requests_get_aws_errors() {
    let server = Server::start();
    let form = b"Action=ListUsers&Version=2010-05-08";
    let (status, body) = server.raw(
        "POST",
        "/",
        &[("content-type", "application/x-www-form-urlencoded")],
        form,
    );
    assert_eq!(status, 403);
    assert_error_document(&body, "MissingAuthenticationToken");
    let (status, body) = server.raw(
        "POST",
        "/",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("authorization", "AWS4-HMAC-SHA256 Credential=AKIA"),
        ],
        form,
    );
    assert_eq!(status, 400, "{body}");
    assert_error_document(&body, "IncompleteSignature");
    let (status, body) = server.raw(
        "POST",
        "/",
        &[("content-type", "application/x-www-form-urlencoded")],
        b"\xff\xfe\x00garbage",
    );
    assert!((400..500).contains(&status), "{status} {body}");
    assert!(body.contains("<Code>"), "{body}");
    let (status, body) = server.raw(
        "GET",
        "/?Action=GetCallerIdentity&Version=2011-06-15",
        &[],
        b"",
    );
    assert_eq!(status, 403);
    assert_error_document(&body, "MissingAuthenticationToken");
}

/// awsJson services spell the authentication errors `…Exception`, all 400 (sigv4.md §3).
#[test]
fn organizations_answers_authentication_errors_in_its_json_spelling() {
    let server = Server::start();
    let target = [
        ("content-type", "application/x-amz-json-1.1"),
        (
            "x-amz-target",
            "AWSOrganizationsV20161128.DescribeOrganization",
        ),
    ];
    let json_error = |status: u16, body: &str, code: &str| {
        assert_eq!(status, 400, "{body}");
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["__type"], code, "{body}");
    };
    let (status, body) = server.raw("POST", "/", &target, b"{}");
    json_error(status, &body, "MissingAuthenticationTokenException");
    let mut garbled = target.to_vec();
    garbled.push(("authorization", "AWS4-HMAC-SHA256 Credential=AKIA"));
    let (status, body) = server.raw("POST", "/", &garbled, b"{}");
    json_error(status, &body, "IncompleteSignatureException");
    let admin = server.admin_keys();
    let wrong_secret = Keys {
        secret_access_key: "A".repeat(40),
        ..admin.clone()
    };
    server
        .aws_as(&wrong_secret, &["organizations", "describe-organization"])
        .expect_error("InvalidSignatureException");
    let unknown = Keys {
        access_key_id: "AKIAAAAAAAAAAAAAAAAA".into(),
        ..admin
    };
    server
        .aws_as(&unknown, &["organizations", "describe-organization"])
        .expect_error("UnrecognizedClientException");
}

/// A body over the limit is refused in the protocol the request was sent in.
#[test]
fn an_oversized_body_is_answered_in_the_protocol_it_was_sent_in() {
    let server = Server::start();
    let big = vec![b' '; (1 << 20) + 1];
    let (status, body) = server.raw(
        "POST",
        "/",
        &[("content-type", "application/x-www-form-urlencoded")],
        &big,
    );
    assert_eq!(status, 400, "{body}");
    assert_error_document(&body, "InvalidInput");
    let (status, body) = server.raw(
        "POST",
        "/",
        &[
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", "AWSOrganizationsV20161128.ListAccounts"),
        ],
        &big,
    );
    assert_eq!(status, 400, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["__type"], "InvalidInputException", "{body}");
    let (status, body) = server.raw(
        "POST",
        "/getAlternateContact",
        &[("content-type", "application/json")],
        &big,
    );
    assert_eq!(status, 400, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        v["message"].as_str().unwrap().contains("too large"),
        "{body}"
    );
}
