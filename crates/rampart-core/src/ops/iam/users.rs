//! IAM users.

use std::sync::Arc;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, Tag, UserRecord, kind, name_key};
use crate::state::{State, UserEntry};

/// AWS's message for a missing user.
pub fn no_such_user(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The user with name {name} cannot be found."))
}

/// The user `name` or `NoSuchEntity`.
pub fn get<'s>(
    state: &'s State,
    account: &AccountId,
    name: &str,
) -> Result<&'s Arc<UserEntry>, CoreError> {
    state.user(account, name).ok_or_else(|| no_such_user(name))
}

/// Creates a user.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    path: Option<&str>,
    tags: Vec<Tag>,
    permissions_boundary: Option<&str>,
    now: i64,
) -> Result<UserRecord, CoreError> {
    if txn.state().user(account, name).is_some() {
        return Err(CoreError::EntityAlreadyExists(format!(
            "User with name {name} already exists."
        )));
    }
    if let Some(arn) = permissions_boundary {
        super::policies::get(txn.state(), arn)?;
    }
    let record = UserRecord {
        account: account.clone(),
        name: name.to_owned(),
        id: IdKind::User.generate(),
        path: path.unwrap_or("/").to_owned(),
        created: now,
        tags,
        groups: vec![],
        attached_policies: vec![],
        inline_policies: vec![],
        permissions_boundary: permissions_boundary.map(str::to_owned),
        login_profile: None,
        password_history: vec![],
        password_last_used: None,
    };
    txn.put(kind::USER, &name_key(account, name), &record)?;
    Ok(record)
}

/// Deletes a user that owns nothing, or answers `DeleteConflict` naming what is left.
pub fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, name: &str) -> Result<(), CoreError> {
    let user = get(txn.state(), account, name)?;
    let record = &user.record;
    // AWS checks dependents in this order and names the first one found.
    let conflict = if record.login_profile.is_some() {
        Some("Cannot delete entity, must delete login profile first.")
    } else if !txn
        .state()
        .access_keys_of(account, Some(&record.name))
        .is_empty()
    {
        Some("Cannot delete entity, must delete access keys first.")
    } else if !txn
        .state()
        .signing_certificates_of(account, Some(&record.name))
        .is_empty()
    {
        Some("Cannot delete entity, must delete signing certificates first.")
    } else if !txn
        .state()
        .ssh_public_keys_of(account, &record.name)
        .is_empty()
    {
        Some("Cannot delete entity, must delete SSH public keys first.")
    } else if !txn
        .state()
        .service_credentials_of(account, Some(&record.name))
        .is_empty()
    {
        Some("Cannot delete entity, must delete service specific credentials first.")
    } else if txn
        .state()
        .mfa_devices_of(account, &crate::model::MfaOwner::User(record.name.clone()))
        .next()
        .is_some()
    {
        Some("Cannot delete entity, must delete MFA device first.")
    } else if !record.inline_policies.is_empty() {
        Some("Cannot delete entity, must delete policies first.")
    } else if !record.attached_policies.is_empty() {
        Some("Cannot delete entity, must detach all policies first.")
    } else if !record.groups.is_empty() {
        Some("Cannot delete entity, must remove users from group first.")
    } else {
        None
    };
    if let Some(message) = conflict {
        return Err(CoreError::DeleteConflict(message.to_owned()));
    }
    txn.delete(kind::USER, &name_key(account, name))
}

/// Replaces a user's record after `change` edits a copy of it.
pub fn update(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    change: impl FnOnce(&mut UserRecord) -> Result<(), CoreError>,
) -> Result<UserRecord, CoreError> {
    let mut record = get(txn.state(), account, name)?.record.clone();
    change(&mut record)?;
    txn.put(kind::USER, &name_key(account, &record.name), &record)?;
    Ok(record)
}

/// Users of an account whose path starts with `path_prefix`, in IAM's order.
pub fn list<'s>(
    state: &'s State,
    account: &AccountId,
    path_prefix: Option<&'s str>,
) -> impl Iterator<Item = &'s Arc<UserEntry>> {
    state
        .users(account)
        .filter(move |u| path_prefix.is_none_or(|prefix| u.record.path.starts_with(prefix)))
}
