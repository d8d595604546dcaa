//! Access advisor through boto3: calls made as a user and as a role session, then the
//! service last accessed reports (service and action level, with entities), the policies
//! granting a service, the Organizations access report, and their errors.

use crate::harness::Server;

#[test]
fn boto3_reads_last_accessed_services_and_actions_from_real_calls() {
    let server = Server::start();
    server.boto3("access_advisor.py", &server.admin_keys(), &[]);
}
