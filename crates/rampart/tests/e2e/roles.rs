//! Roles and STS sessions (AssumeRole, GetSessionToken) through boto3 and the `aws` CLI.

use crate::harness::Server;

#[test]
fn boto3_roles_assume_role_and_session_tokens() {
    let server = Server::start();
    server.boto3("roles_and_sessions.py", &server.admin_keys(), &[]);
}

#[test]
fn root_may_not_assume_roles() {
    let server = Server::start();
    let (account, root) = server.create_account("roles-root@example.com");
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    server
        .aws_as(
            &root,
            &[
                "iam",
                "create-role",
                "--role-name",
                "Admin",
                "--assume-role-policy-document",
                &trust,
            ],
        )
        .json();
    let stderr = server
        .aws_as(
            &root,
            &[
                "sts",
                "assume-role",
                "--role-arn",
                &format!("arn:aws:iam::{account}:role/Admin"),
                "--role-session-name",
                "rs",
            ],
        )
        .expect_error("AccessDenied")
        .to_owned();
    assert!(
        stderr.contains("Roles may not be assumed by root accounts."),
        "{stderr}"
    );
}

#[test]
fn an_expired_session_is_refused_with_expired_token() {
    let mut server = Server::start();
    let admin = server.admin_keys();
    let out = server
        .aws(&["sts", "get-session-token", "--duration-seconds", "900"])
        .json();
    let creds = &out["Credentials"];
    let session = crate::harness::Keys {
        access_key_id: creds["AccessKeyId"].as_str().unwrap().to_owned(),
        secret_access_key: creds["SecretAccessKey"].as_str().unwrap().to_owned(),
    };
    let token = creds["SessionToken"].as_str().unwrap().to_owned();
    let form = "Action=GetCallerIdentity&Version=2011-06-15";
    let now = crate::harness::unix_now();
    let (status, body) = server.signed_form_with_token(
        &session,
        Some(&token),
        "sts",
        form,
        &crate::harness::amz_date(now),
    );
    assert_eq!(status, 200, "{body}");
    // The same data directory, served by a process whose clock is two hours ahead.
    server.kill9();
    server.serve_env = vec![("RAMPART_CLOCK_OFFSET_SECONDS".into(), "7200".into())];
    let port = server.port;
    server.spawn(port);
    let later = crate::harness::amz_date(now + 7200);
    let (status, body) = server.signed_form_with_token(&session, Some(&token), "sts", form, &later);
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("<Code>ExpiredToken</Code>"), "{body}");
    assert!(
        body.contains("The security token included in the request is expired"),
        "{body}"
    );
    // Long-term keys are unaffected.
    let (status, body) = server.signed_form(&admin, "sts", form, &later);
    assert_eq!(status, 200, "{body}");
}
