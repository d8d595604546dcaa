//! IAM temporary delegation and outbound web identity federation, end to end through boto3.

use crate::harness::Server;

#[test]
fn delegation_lifecycle_between_two_accounts_issues_a_scoped_session_and_refuses_out_of_turn_calls()
{
    let server = Server::start();
    let (partner, partner_root) = server.create_account("partner@example.com");
    let (customer, customer_root) = server.create_account("customer@example.com");
    let (_, outsider) = server.create_account("outsider@example.com");
    let data_dir = server.data_dir();
    server.boto3(
        "delegation.py",
        &partner_root,
        &[
            ("PARTNER_ACCOUNT", partner.as_str()),
            ("CUSTOMER_ACCOUNT", customer.as_str()),
            ("CUSTOMER_KEY_ID", customer_root.access_key_id.as_str()),
            ("CUSTOMER_SECRET", customer_root.secret_access_key.as_str()),
            ("OUTSIDER_KEY_ID", outsider.access_key_id.as_str()),
            ("OUTSIDER_SECRET", outsider.secret_access_key.as_str()),
            ("RAMPART_DATA_DIR", data_dir.to_str().unwrap()),
        ],
    );
}

#[test]
fn web_identity_token_verifies_against_the_served_jwks() {
    let server = Server::start();
    let (_, root) = server.create_account("jwt@example.com");
    server.boto3("web_identity.py", &root, &[]);
}
