//! Instance profiles: named containers that hand one role to EC2 instances.

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, InstanceProfileRecord, Tag, kind, name_key};
use crate::state::State;

/// Roles per instance profile (IAM quota `RolesPerInstanceProfile`).
pub const ROLES_PER_PROFILE: usize = 1;

/// The profile `name` or `NoSuchEntity`.
pub fn get(
    state: &State,
    account: &AccountId,
    name: &str,
) -> Result<InstanceProfileRecord, CoreError> {
    state
        .instance_profile(account, name)
        .map(|p| InstanceProfileRecord::clone(p))
        .ok_or_else(|| CoreError::NoSuchEntity(format!("Instance Profile {name} cannot be found.")))
}

/// Creates an instance profile.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    path: Option<&str>,
    tags: Vec<Tag>,
    now: i64,
) -> Result<InstanceProfileRecord, CoreError> {
    if txn.state().instance_profile(account, name).is_some() {
        return Err(CoreError::EntityAlreadyExists(format!(
            "Instance Profile {name} already exists."
        )));
    }
    let record = InstanceProfileRecord {
        account: account.clone(),
        name: name.to_owned(),
        id: IdKind::InstanceProfile.generate(),
        path: path.unwrap_or("/").to_owned(),
        created: now,
        roles: vec![],
        tags,
    };
    txn.put(kind::INSTANCE_PROFILE, &name_key(account, name), &record)?;
    Ok(record)
}

/// Deletes a profile that holds no role.
pub fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, name: &str) -> Result<(), CoreError> {
    let record = get(txn.state(), account, name)?;
    if !record.roles.is_empty() {
        return Err(CoreError::DeleteConflict(
            "Cannot delete entity, must remove roles from instance profile first.".to_owned(),
        ));
    }
    txn.delete(kind::INSTANCE_PROFILE, &name_key(account, name))
}

/// Puts a role into a profile.
pub fn add_role(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    profile: &str,
    role: &str,
) -> Result<(), CoreError> {
    let mut record = get(txn.state(), account, profile)?;
    let role_name = super::roles::get(txn.state(), account, role)?
        .record
        .name
        .clone();
    if record.roles.len() >= ROLES_PER_PROFILE {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for InstanceSessionsPerInstanceProfile: {ROLES_PER_PROFILE}"
        )));
    }
    record.roles.push(role_name);
    txn.put(
        kind::INSTANCE_PROFILE,
        &name_key(account, &record.name),
        &record,
    )
}

/// Takes a role out of a profile.
pub fn remove_role(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    profile: &str,
    role: &str,
) -> Result<(), CoreError> {
    let mut record = get(txn.state(), account, profile)?;
    let before = record.roles.len();
    record.roles.retain(|r| !r.eq_ignore_ascii_case(role));
    if record.roles.len() == before {
        return Err(super::roles::no_such_role(role));
    }
    txn.put(
        kind::INSTANCE_PROFILE,
        &name_key(account, &record.name),
        &record,
    )
}

/// The profiles that hold `role`.
pub fn for_role<'s>(
    state: &'s State,
    account: &AccountId,
    role: &'s str,
) -> impl Iterator<Item = &'s std::sync::Arc<InstanceProfileRecord>> {
    state
        .instance_profiles(account)
        .filter(move |p| p.roles.iter().any(|r| r.eq_ignore_ascii_case(role)))
}
