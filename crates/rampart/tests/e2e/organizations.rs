//! Organizations end to end (issue 6): a created member and its OrganizationAccountAccessRole,
//! an invited standalone account, SCP guard rails and centralized root access, through the
//! `aws` CLI and boto3; (issue 15) enabling all features across member accounts, the
//! delegation policy, delegated services, effective-policy validation, GovCloud accounts and
//! responsibility transfers.

use crate::harness::Server;

#[test]
fn boto3_organization_created_member_and_error_codes() {
    let server = Server::start();
    server.boto3("organizations.py", &server.admin_keys(), &[]);
}

#[test]
fn invited_member_guard_rails_and_assume_root() {
    let server = Server::start();
    // A standalone account with a root key creates the organization: it is the management account.
    let (mgmt, mgmt_root) = server.create_account("mgmt@example.com");
    let (member, member_root) = server.create_account("member@example.com");
    server
        .aws_as(&member_root, &["organizations", "describe-organization"])
        .expect_error("AWSOrganizationsNotInUseException");
    let org = server
        .aws_as(
            &mgmt_root,
            &[
                "organizations",
                "create-organization",
                "--feature-set",
                "ALL",
            ],
        )
        .json();
    assert_eq!(org["Organization"]["MasterAccountId"], mgmt.as_str());
    let target = format!("Id={member},Type=ACCOUNT");
    let invite = server
        .aws_as(
            &mgmt_root,
            &[
                "organizations",
                "invite-account-to-organization",
                "--target",
                &target,
                "--notes",
                "join us",
            ],
        )
        .json();
    let handshake = invite["Handshake"]["Id"].as_str().unwrap().to_owned();
    assert_eq!(invite["Handshake"]["State"], "REQUESTED");
    server
        .aws_as(
            &mgmt_root,
            &[
                "organizations",
                "invite-account-to-organization",
                "--target",
                &target,
            ],
        )
        .expect_error("DuplicateHandshakeException");
    let listed = server
        .aws_as(
            &member_root,
            &["organizations", "list-handshakes-for-account"],
        )
        .json();
    assert_eq!(listed["Handshakes"][0]["Id"], handshake.as_str());
    // Only the recipient accepts; the sender may only cancel.
    server
        .aws_as(
            &mgmt_root,
            &[
                "organizations",
                "accept-handshake",
                "--handshake-id",
                &handshake,
            ],
        )
        .expect_error("AccessDeniedException");
    let accepted = server
        .aws_as(
            &member_root,
            &[
                "organizations",
                "accept-handshake",
                "--handshake-id",
                &handshake,
            ],
        )
        .json();
    assert_eq!(accepted["Handshake"]["State"], "ACCEPTED");
    server
        .aws_as(
            &member_root,
            &[
                "organizations",
                "accept-handshake",
                "--handshake-id",
                &handshake,
            ],
        )
        .expect_error("HandshakeConstraintViolationException");
    server
        .aws_as(
            &mgmt_root,
            &[
                "organizations",
                "cancel-handshake",
                "--handshake-id",
                &handshake,
            ],
        )
        .expect_error("InvalidHandshakeTransitionException");
    server
        .aws_as(&member_root, &["organizations", "leave-organization"])
        .json();
    server
        .aws_as(&member_root, &["organizations", "describe-organization"])
        .expect_error("AWSOrganizationsNotInUseException");
    // Invite again, decline once, then join for good.
    let again = server
        .aws_as(
            &mgmt_root,
            &[
                "organizations",
                "invite-account-to-organization",
                "--target",
                &target,
            ],
        )
        .json();
    let h2 = again["Handshake"]["Id"].as_str().unwrap().to_owned();
    server
        .aws_as(
            &member_root,
            &["organizations", "decline-handshake", "--handshake-id", &h2],
        )
        .json();
    server
        .aws_as(
            &member_root,
            &["organizations", "decline-handshake", "--handshake-id", &h2],
        )
        .expect_error("HandshakeAlreadyInStateException");
    let third = server
        .aws_as(
            &mgmt_root,
            &[
                "organizations",
                "invite-account-to-organization",
                "--target",
                "Id=member@example.com,Type=EMAIL",
            ],
        )
        .json();
    let h3 = third["Handshake"]["Id"].as_str().unwrap().to_owned();
    server
        .aws_as(
            &member_root,
            &["organizations", "accept-handshake", "--handshake-id", &h3],
        )
        .json();
    server
        .aws_as(&mgmt_root, &["organizations", "create-organization"])
        .expect_error("AlreadyInOrganizationException");
    server.boto3(
        "org_guardrails.py",
        &mgmt_root,
        &[
            ("MEMBER_ACCOUNT", &member),
            ("MEMBER_KEY_ID", &member_root.access_key_id),
            ("MEMBER_SECRET", &member_root.secret_access_key),
        ],
    );
}

#[test]
fn all_features_handshake_delegation_policy_and_transfers() {
    let server = Server::start();
    // Four standalone accounts: the management account, two to invite, another organization.
    let (mgmt, mgmt_root) = server.create_account("mgmt@example.com");
    let (a, a_root) = server.create_account("a@example.com");
    let (b, b_root) = server.create_account("b@example.com");
    let (other, other_root) = server.create_account("other@example.com");
    server.boto3(
        "org_features.py",
        &mgmt_root,
        &[
            ("MGMT_ACCOUNT", &mgmt),
            ("A_ACCOUNT", &a),
            ("A_KEY_ID", &a_root.access_key_id),
            ("A_SECRET", &a_root.secret_access_key),
            ("B_ACCOUNT", &b),
            ("B_KEY_ID", &b_root.access_key_id),
            ("B_SECRET", &b_root.secret_access_key),
            ("OTHER_ACCOUNT", &other),
            ("OTHER_KEY_ID", &other_root.access_key_id),
            ("OTHER_SECRET", &other_root.secret_access_key),
        ],
    );
}
