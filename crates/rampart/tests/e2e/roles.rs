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
    server.aws_as(&root, &["iam", "create-role", "--role-name", "Admin", "--assume-role-policy-document", &trust]).json();
    let stderr = server
        .aws_as(&root, &["sts", "assume-role", "--role-arn", &format!("arn:aws:iam::{account}:role/Admin"), "--role-session-name", "rs"])
        .expect_error("AccessDenied")
        .to_owned();
    assert!(stderr.contains("Roles may not be assumed by root accounts."), "{stderr}");
}
