//! Access advisor through boto3: calls made as a user and as a role session, then the
//! service last accessed reports (service and action level, with entities), the policies
//! granting a service, the Organizations access report, and their errors; the STS token
//! version preference; delegation request summaries.

use crate::harness::Server;

#[test]
fn boto3_reads_last_accessed_services_and_actions_from_real_calls() {
    let server = Server::start();
    server.boto3("access_advisor.py", &server.admin_keys(), &[]);
}

#[test]
fn boto3_sts_preferences_select_the_global_endpoints_token_version() {
    let server = Server::start();
    server.boto3("sts_preferences.py", &server.admin_keys(), &[]);
}

#[test]
fn boto3_summarizes_a_delegation_request_for_its_partner_and_customer() {
    let server = Server::start();
    let (partner, partner_root) = server.create_account("partner@example.com");
    let (customer, customer_root) = server.create_account("customer@example.com");
    let (_, outsider) = server.create_account("outsider@example.com");
    server.boto3(
        "human_summary.py",
        &partner_root,
        &[
            ("PARTNER_ACCOUNT", partner.as_str()),
            ("CUSTOMER_ACCOUNT", customer.as_str()),
            ("CUSTOMER_KEY_ID", customer_root.access_key_id.as_str()),
            ("CUSTOMER_SECRET", customer_root.secret_access_key.as_str()),
            ("OUTSIDER_KEY_ID", outsider.access_key_id.as_str()),
            ("OUTSIDER_SECRET", outsider.secret_access_key.as_str()),
        ],
    );
}
