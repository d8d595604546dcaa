//! The AWS managed policy catalogue through boto3: policies beyond the handful Rampart used
//! to ship attach, list, page and evaluate.

use crate::harness::Server;

#[test]
fn boto3_attaches_security_audit_and_view_only_access_to_a_role() {
    let server = Server::start();
    server.boto3("managed_catalogue.py", &server.admin_keys(), &[]);
}
