//! Signing certificates, SSH public keys, OpenID Connect and SAML providers through boto3, with
//! real keys and certificates made by `openssl` and `ssh-keygen` at test time.

use crate::harness::Server;

#[test]
fn boto3_signing_certificates_ssh_keys_and_identity_providers() {
    let server = Server::start();
    let (account, root) = server.create_account("certs-owner@example.com");
    server.boto3(
        "credentials_more.py",
        &root,
        &[("RAMPART_ACCOUNT", &account)],
    );
}

#[test]
fn boto3_server_certificates_and_service_specific_credentials() {
    let server = Server::start();
    let (account, root) = server.create_account("servercerts-owner@example.com");
    server.boto3(
        "credentials_extra.py",
        &root,
        &[("RAMPART_ACCOUNT", &account)],
    );
}

/// Trust-policy principals, policy deletion with versions, the account summary, boundary
/// types, the password policy read and the password-change lockout, as AWS answers them.
#[test]
fn boto3_iam_behaviours_match_aws() {
    let server = Server::start();
    let (account, root) = server.create_account("fidelity-owner@example.com");
    server.boto3("iam_fidelity.py", &root, &[("RAMPART_ACCOUNT", &account)]);
}
