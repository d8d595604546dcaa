//! IAM roles: the trust policy, session duration, attachments and inline policies.

use std::sync::Arc;

use rampart_policy::PolicyKind;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, RoleRecord, Tag, kind, name_key};
use crate::state::{RoleEntry, State};

pub use crate::arns::parse_role_arn;

/// AWS's message for a missing role.
pub fn no_such_role(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The role with name {name} cannot be found."))
}

/// The role `name` or `NoSuchEntity`.
pub fn get<'s>(
    state: &'s State,
    account: &AccountId,
    name: &str,
) -> Result<&'s Arc<RoleEntry>, CoreError> {
    state.role(account, name).ok_or_else(|| no_such_role(name))
}

/// What `CreateRole` is given.
#[derive(Debug, Clone)]
pub struct NewRole<'a> {
    /// Role name.
    pub name: &'a str,
    /// Path, `/` when absent.
    pub path: Option<&'a str>,
    /// The trust policy.
    pub trust_policy: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// Maximum session duration, seconds (default 3600).
    pub max_session_duration: Option<i64>,
    /// Permissions boundary ARN.
    pub permissions_boundary: Option<&'a str>,
    /// Tags.
    pub tags: Vec<Tag>,
}

/// Creates a role.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    new: &NewRole<'_>,
    now: i64,
) -> Result<RoleRecord, CoreError> {
    super::policies::validate(new.trust_policy, PolicyKind::Trust)?;
    if txn.state().role(account, new.name).is_some() {
        return Err(CoreError::EntityAlreadyExists(format!(
            "Role with name {} already exists.",
            new.name
        )));
    }
    if let Some(arn) = new.permissions_boundary {
        super::policies::get(txn.state(), arn)?;
    }
    let record = RoleRecord {
        account: account.clone(),
        name: new.name.to_owned(),
        id: IdKind::Role.generate(),
        path: new.path.unwrap_or("/").to_owned(),
        created: now,
        trust_policy: new.trust_policy.to_owned(),
        description: new.description.map(str::to_owned),
        max_session_duration: new.max_session_duration.unwrap_or(3600),
        permissions_boundary: new.permissions_boundary.map(str::to_owned),
        tags: new.tags.clone(),
        attached_policies: vec![],
        inline_policies: vec![],
    };
    txn.put(kind::ROLE, &name_key(account, new.name), &record)?;
    Ok(record)
}

/// Replaces a role's record after `change` edits a copy of it. Service-linked roles are
/// AWS's: account principals cannot change them.
pub fn update(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    change: impl FnOnce(&mut RoleRecord) -> Result<(), CoreError>,
) -> Result<RoleRecord, CoreError> {
    let mut record = get(txn.state(), account, name)?.record.clone();
    if super::service_linked_roles::is_service_linked(&record) {
        return Err(super::service_linked_roles::protected(&record.name));
    }
    change(&mut record)?;
    txn.put(kind::ROLE, &name_key(account, &record.name), &record)?;
    Ok(record)
}

/// Deletes a role that has no policies left.
pub fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, name: &str) -> Result<(), CoreError> {
    delete_any(txn, account, name, false)
}

/// Deletes a role; `service_linked_ok` lets the service-linked-role path through.
pub fn delete_any(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    service_linked_ok: bool,
) -> Result<(), CoreError> {
    let role = get(txn.state(), account, name)?;
    if !service_linked_ok && super::service_linked_roles::is_service_linked(&role.record) {
        return Err(super::service_linked_roles::protected(&role.record.name));
    }
    if !role.record.inline_policies.is_empty() {
        return Err(CoreError::DeleteConflict(
            "Cannot delete entity, must delete policies first.".to_owned(),
        ));
    }
    if !role.record.attached_policies.is_empty() {
        return Err(CoreError::DeleteConflict(
            "Cannot delete entity, must detach all policies first.".to_owned(),
        ));
    }
    if super::instance_profiles::for_role(txn.state(), account, name)
        .next()
        .is_some()
    {
        return Err(CoreError::DeleteConflict(
            "Cannot delete entity, must remove roles from instance profile first.".to_owned(),
        ));
    }
    txn.delete(kind::ROLE, &name_key(account, name))
}
