//! IAM operations: users, groups, managed and inline policies, access keys, signing
//! certificates, SSH public keys and identity providers.

pub mod access_keys;
pub mod credential_report;
pub mod execute;
pub mod groups;
pub mod instance_profiles;
pub mod mfa_devices;
pub mod oidc_providers;
pub mod passwords;
pub mod policies;
pub mod policy_versions;
pub mod roles;
pub mod root_access;
pub mod saml_providers;
pub mod server_certificates;
pub mod service_credentials;
pub mod service_linked_roles;
pub mod signing_certificates;
pub mod simulate;
pub mod ssh_public_keys;
pub mod tags;
pub mod users;

/// Maximum managed policies attached to one user, group or role (`PoliciesPerUser` …).
pub const MANAGED_POLICIES_PER_ENTITY: usize = 10;
/// Maximum groups a user may belong to (`GroupsPerUser`).
pub const GROUPS_PER_USER: usize = 10;
