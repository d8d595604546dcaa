//! Virtual MFA, MFA-authenticated sessions and the root user's MFA.

use crate::harness::Server;

#[test]
fn boto3_virtual_mfa_enable_sessions_replay_and_resync() {
    let server = Server::start();
    server.boto3("mfa.py", &server.admin_keys(), &[]);
}

#[test]
fn boto3_root_mfa_is_managed_only_by_root() {
    let server = Server::start();
    let (account, root) = server.create_account("mfa-root@example.com");
    server.boto3("root_mfa.py", &root, &[("RAMPART_ACCOUNT", &account)]);
}
