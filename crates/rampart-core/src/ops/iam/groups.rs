//! IAM groups and membership.

use std::sync::Arc;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, GroupRecord, IdKind, kind, name_key};
use crate::state::{GroupEntry, State};

use super::GROUPS_PER_USER;

/// The group `name` or `NoSuchEntity`.
pub fn get<'s>(
    state: &'s State,
    account: &AccountId,
    name: &str,
) -> Result<&'s Arc<GroupEntry>, CoreError> {
    state.group(account, name).ok_or_else(|| {
        CoreError::NoSuchEntity(format!("The group with name {name} cannot be found."))
    })
}

/// Creates a group.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    path: Option<&str>,
    now: i64,
) -> Result<GroupRecord, CoreError> {
    if txn.state().group(account, name).is_some() {
        return Err(CoreError::EntityAlreadyExists(format!(
            "Group with name {name} already exists."
        )));
    }
    let record = GroupRecord {
        account: account.clone(),
        name: name.to_owned(),
        id: IdKind::Group.generate(),
        path: path.unwrap_or("/").to_owned(),
        created: now,
        attached_policies: vec![],
        inline_policies: vec![],
    };
    txn.put(kind::GROUP, &name_key(account, name), &record)?;
    Ok(record)
}

/// Replaces a group's record after `change` edits a copy of it.
pub fn update(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    change: impl FnOnce(&mut GroupRecord) -> Result<(), CoreError>,
) -> Result<GroupRecord, CoreError> {
    let mut record = get(txn.state(), account, name)?.record.clone();
    change(&mut record)?;
    txn.put(kind::GROUP, &name_key(account, &record.name), &record)?;
    Ok(record)
}

/// Adds a user to a group; adding a member twice is not an error, as in IAM.
pub fn add_user(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    group: &str,
    user: &str,
) -> Result<(), CoreError> {
    let group_name = get(txn.state(), account, group)?.record.name.clone();
    super::users::update(txn, account, user, |record| {
        if record
            .groups
            .iter()
            .any(|g| g.eq_ignore_ascii_case(&group_name))
        {
            return Ok(());
        }
        if record.groups.len() >= GROUPS_PER_USER {
            return Err(CoreError::LimitExceeded(format!(
                "Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}"
            )));
        }
        record.groups.push(group_name.clone());
        Ok(())
    })?;
    Ok(())
}

/// The users that belong to `group`.
pub fn members<'s>(
    state: &'s State,
    account: &AccountId,
    group: &'s str,
) -> impl Iterator<Item = &'s Arc<crate::state::UserEntry>> {
    state.users(account).filter(move |u| {
        u.record
            .groups
            .iter()
            .any(|g| g.eq_ignore_ascii_case(group))
    })
}

/// `UpdateGroup`: a new name and/or path; members follow the group to its new name.
pub fn rename(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    new_name: Option<&str>,
    new_path: Option<&str>,
) -> Result<(), CoreError> {
    let current = get(txn.state(), account, name)?.record.clone();
    let target = new_name.unwrap_or(&current.name).to_owned();
    if !target.eq_ignore_ascii_case(&current.name) && txn.state().group(account, &target).is_some()
    {
        return Err(CoreError::EntityAlreadyExists(format!(
            "Group with name {target} already exists."
        )));
    }
    let mut record = current.clone();
    record.name = target.clone();
    if let Some(path) = new_path {
        record.path = path.to_owned();
    }
    let members: Vec<String> = members(txn.state(), account, &current.name)
        .map(|u| u.record.name.clone())
        .collect();
    for member in members {
        super::users::update(txn, account, &member, |user| {
            for group in &mut user.groups {
                if group.eq_ignore_ascii_case(&current.name) {
                    group.clone_from(&target);
                }
            }
            Ok(())
        })?;
    }
    txn.delete(kind::GROUP, &name_key(account, &current.name))?;
    txn.put(kind::GROUP, &name_key(account, &target), &record)
}
