//! Issue 2's foundation, through the `aws` CLI and boto3: identities, denial then allow,
//! bad credentials, the first IAM operations and their errors.

use crate::harness::{Keys, Server};

fn create_user_with_key(server: &Server, name: &str) -> Keys {
    server
        .aws(&["iam", "create-user", "--user-name", name])
        .json();
    let key = server
        .aws(&["iam", "create-access-key", "--user-name", name])
        .json();
    Keys {
        access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
        secret_access_key: key["AccessKey"]["SecretAccessKey"]
            .as_str()
            .unwrap()
            .to_owned(),
    }
}

#[test]
fn get_caller_identity_as_root_admin_and_fresh_user() {
    let server = Server::start();
    let admin = server.aws(&["sts", "get-caller-identity"]).json();
    let account = admin["Account"].as_str().unwrap().to_owned();
    assert_eq!(admin["Arn"], format!("arn:aws:iam::{account}:user/admin"));
    assert!(admin["UserId"].as_str().unwrap().starts_with("AIDA"));

    // A standalone account created by the CLI while the server runs is usable at once.
    let (other, root) = server.create_account("owner@example.com");
    let me = server.aws_as(&root, &["sts", "get-caller-identity"]).json();
    assert_eq!(me["Arn"], format!("arn:aws:iam::{other}:root"));
    assert_eq!(me["UserId"], other.as_str());
    assert_eq!(me["Account"], other.as_str());

    let bob = create_user_with_key(&server, "bob");
    let me = server.aws_as(&bob, &["sts", "get-caller-identity"]).json();
    assert_eq!(me["Arn"], format!("arn:aws:iam::{account}:user/bob"));
}

#[test]
fn a_user_is_denied_until_a_policy_allows() {
    let server = Server::start();
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let carol = create_user_with_key(&server, "carol");
    let denied = server.aws_as(&carol, &["iam", "list-users"]);
    let stderr = denied.expect_error("AccessDenied");
    assert!(
        stderr.contains(&format!(
            "User: arn:aws:iam::{account}:user/carol is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::{account}:user/ because no identity-based policy allows the iam:ListUsers action"
        )),
        "{stderr}"
    );
    server
        .aws(&[
            "iam",
            "attach-user-policy",
            "--user-name",
            "carol",
            "--policy-arn",
            "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
        ])
        .json();
    let users = server.aws_as(&carol, &["iam", "list-users"]).json();
    let names: Vec<&str> = users["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["UserName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["admin", "carol"]);
    // Read-only: writes stay denied.
    server
        .aws_as(&carol, &["iam", "create-user", "--user-name", "mallory"])
        .expect_error("AccessDenied");
}

#[test]
fn bad_credentials_are_refused_as_aws_does() {
    let server = Server::start();
    let admin = server.admin_keys();
    let wrong = Keys {
        secret_access_key: format!("x{}", &admin.secret_access_key[1..]),
        ..admin.clone()
    };
    server
        .aws_as(&wrong, &["sts", "get-caller-identity"])
        .expect_error("SignatureDoesNotMatch");
    let unknown = Keys {
        access_key_id: "AKIAAAAAAAAAAAAAAAAA".into(),
        ..admin.clone()
    };
    let stderr = server
        .aws_as(&unknown, &["iam", "list-users"])
        .expect_error("InvalidClientTokenId")
        .to_owned();
    assert!(
        stderr.contains("The security token included in the request is invalid."),
        "{stderr}"
    );
    // An inactive key fails like an unknown one; reactivated, it works again.
    let dave = create_user_with_key(&server, "dave");
    server
        .aws(&[
            "iam",
            "update-access-key",
            "--user-name",
            "dave",
            "--access-key-id",
            &dave.access_key_id,
            "--status",
            "Inactive",
        ])
        .json();
    server
        .aws_as(&dave, &["sts", "get-caller-identity"])
        .expect_error("InvalidClientTokenId");
    server
        .aws(&[
            "iam",
            "update-access-key",
            "--user-name",
            "dave",
            "--access-key-id",
            &dave.access_key_id,
            "--status",
            "Active",
        ])
        .json();
    server.aws_as(&dave, &["sts", "get-caller-identity"]).json();
}

#[test]
fn boto3_drives_the_first_operations_and_their_errors() {
    let server = Server::start();
    server.boto3("foundation.py", &server.admin_keys(), &[]);
}

#[test]
fn boto3_as_root_and_as_a_denied_user() {
    let server = Server::start();
    let (account, root) = server.create_account("root-owner@example.com");
    server.boto3(
        "root_and_denied.py",
        &root,
        &[("RAMPART_ACCOUNT", &account)],
    );
}

#[test]
fn boto3_policy_versions_entities_tags_aliases_and_last_used() {
    let server = Server::start();
    server.boto3("iam_more.py", &server.admin_keys(), &[]);
}

#[test]
fn boto3_console_passwords_password_policy_and_credential_report() {
    let server = Server::start();
    server.boto3("passwords_and_report.py", &server.admin_keys(), &[]);
}

#[test]
fn cli_pages_through_250_users() {
    let server = Server::start();
    // Created in one batch through boto3 to keep the test quick; paged through the CLI.
    server.boto3(
        "many_users.py",
        &server.admin_keys(),
        &[("RAMPART_USERS", "250")],
    );
    let out = server
        .aws(&[
            "iam",
            "list-users",
            "--page-size",
            "40",
            "--query",
            "Users[].UserName",
            "--output",
            "json",
        ])
        .json();
    let names: Vec<&str> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 251);
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_ascii_lowercase());
    assert_eq!(names, sorted);
    let first = server
        .aws(&["iam", "list-users", "--max-items", "100"])
        .json();
    assert_eq!(first["Users"].as_array().unwrap().len(), 100);
    assert!(first["NextToken"].is_string());
}
