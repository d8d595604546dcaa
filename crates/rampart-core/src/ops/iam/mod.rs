//! IAM operations: users, groups, managed and inline policies, access keys.

pub mod access_keys;
pub mod credential_report;
pub mod execute;
pub mod groups;
pub mod instance_profiles;
pub mod mfa_devices;
pub mod passwords;
pub mod policies;
pub mod policy_versions;
pub mod roles;
pub mod service_linked_roles;
pub mod simulate;
pub mod tags;
pub mod users;

/// Maximum managed policies attached to one user, group or role (`PoliciesPerUser` …).
pub const MANAGED_POLICIES_PER_ENTITY: usize = 10;
/// Maximum groups a user may belong to (`GroupsPerUser`).
pub const GROUPS_PER_USER: usize = 10;
