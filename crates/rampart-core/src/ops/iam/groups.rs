//! IAM groups: `CreateGroup`, `GetGroup` (with its members), `ListGroups`, `UpdateGroup`
//! (members follow a rename), `DeleteGroup` (refused while it has members or policies),
//! membership and `ListGroupsForUser`; the group's wire form.

use std::sync::Arc;

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::users::{self, wire_user};
use super::{Cx, GROUPS_PER_USER};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, GroupRecord, IdKind, name_key};
use crate::ops::paging::{self, page};
use crate::state::{GroupEntry, State, UserEntry};

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

/// The wire form of a group.
pub fn wire_group(record: &GroupRecord) -> wire::Group {
    wire::Group {
        path: record.path.clone(),
        group_name: record.name.clone(),
        group_id: record.id.clone(),
        arn: record.arn(),
        create_date: Timestamp(record.created),
    }
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
    txn.put(&record)?;
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
    txn.put(&record)?;
    Ok(record)
}

/// Deletes a group that has no members and no policies, or answers `DeleteConflict`
/// naming the first of those found (members, inline policies, attached policies).
pub fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, name: &str) -> Result<(), CoreError> {
    let group = get(txn.state(), account, name)?.record.clone();
    let conflict = if members(txn.state(), account, &group.name).next().is_some() {
        Some("Cannot delete entity, must remove users from group first.")
    } else if !group.inline_policies.is_empty() {
        Some("Cannot delete entity, must delete policies first.")
    } else if !group.attached_policies.is_empty() {
        Some("Cannot delete entity, must detach all policies first.")
    } else {
        None
    };
    if let Some(message) = conflict {
        return Err(CoreError::DeleteConflict(message.to_owned()));
    }
    txn.delete::<GroupRecord>(&name_key(account, &group.name))
}

/// Adds a user to a group; adding a member twice is not an error, as in IAM.
pub fn add_user(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    group: &str,
    user: &str,
) -> Result<(), CoreError> {
    // IAM reports a missing user before a missing group (moto's test_iam_groups.py records it).
    users::get(txn.state(), account, user)?;
    let group_name = get(txn.state(), account, group)?.record.name.clone();
    users::update(txn, account, user, |record| {
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

/// Takes a user out of a group; a user that is not a member is `NoSuchEntity`, as in IAM.
pub fn remove_user(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    group: &str,
    user: &str,
) -> Result<(), CoreError> {
    users::get(txn.state(), account, user)?;
    let group_name = get(txn.state(), account, group)?.record.name.clone();
    users::update(txn, account, user, |record| {
        let before = record.groups.len();
        record
            .groups
            .retain(|g| !g.eq_ignore_ascii_case(&group_name));
        if record.groups.len() == before {
            return Err(users::no_such_user(user));
        }
        Ok(())
    })?;
    Ok(())
}

/// The users that belong to `group`.
pub fn members<'s>(
    state: &'s State,
    account: &AccountId,
    group: &'s str,
) -> impl Iterator<Item = &'s Arc<UserEntry>> {
    state.group_members(account, group)
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
        users::update(txn, account, &member, |user| {
            for group in &mut user.groups {
                if group.eq_ignore_ascii_case(&current.name) {
                    group.clone_from(&target);
                }
            }
            Ok(())
        })?;
    }
    txn.delete::<GroupRecord>(&name_key(account, &current.name))?;
    txn.put(&record)
}

/// `CreateGroup`.
pub fn create_group(cx: &Cx<'_>, i: &wire::CreateGroupInput) -> Result<Output, CoreError> {
    let record =
        cx.write(|txn| create(txn, cx.account(), &i.group_name, i.path.as_deref(), cx.now))?;
    let group = wire_group(&record);
    Ok(wire::CreateGroupOutput { group }.into())
}

/// `GetGroup`: the group and a page of its members.
pub fn get_group(cx: &Cx<'_>, i: &wire::GetGroupInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let group = get(&state, cx.account(), &i.group_name)?;
    let all: Vec<_> = members(&state, cx.account(), &group.record.name)
        .map(Arc::clone)
        .collect();
    let (chunk, is_truncated, marker) = page(all, i.marker.as_deref(), i.max_items, |u| {
        u.record.name.to_ascii_lowercase()
    })?;
    Ok(wire::GetGroupOutput {
        group: wire_group(&group.record),
        users: chunk.iter().map(|u| wire_user(&u.record)).collect(),
        is_truncated,
        marker,
    }
    .into())
}

/// `ListGroups`.
pub fn list_groups(cx: &Cx<'_>, i: &wire::ListGroupsInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let prefix = i.path_prefix.as_deref();
    let start = paging::start_key(i.marker.as_deref())?;
    // From the marker on, so a page costs O(page) whatever the account's size.
    let from = (state.groups_from(cx.account(), start.as_deref()))
        .filter(|g| prefix.is_none_or(|p| g.record.path.starts_with(p)));
    let (chunk, is_truncated, marker) =
        paging::page_from(from, start.as_deref(), i.max_items, |g| {
            g.record.name.to_ascii_lowercase()
        });
    Ok(wire::ListGroupsOutput {
        groups: chunk.iter().map(|g| wire_group(&g.record)).collect(),
        is_truncated,
        marker,
    }
    .into())
}

/// `UpdateGroup`.
pub fn update_group(cx: &Cx<'_>, i: &wire::UpdateGroupInput) -> Result<Output, CoreError> {
    cx.write(|txn| {
        let new_name = i.new_group_name.as_deref();
        rename(
            txn,
            cx.account(),
            &i.group_name,
            new_name,
            i.new_path.as_deref(),
        )
    })?;
    Ok(Output::Empty)
}

/// `DeleteGroup`.
pub fn delete_group(cx: &Cx<'_>, i: &wire::DeleteGroupInput) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account(), &i.group_name))?;
    Ok(Output::Empty)
}

/// `AddUserToGroup`.
pub fn add_user_to_group(cx: &Cx<'_>, i: &wire::AddUserToGroupInput) -> Result<Output, CoreError> {
    cx.write(|txn| add_user(txn, cx.account(), &i.group_name, &i.user_name))?;
    Ok(Output::Empty)
}

/// `RemoveUserFromGroup`.
pub fn remove_user_from_group(
    cx: &Cx<'_>,
    i: &wire::RemoveUserFromGroupInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| remove_user(txn, cx.account(), &i.group_name, &i.user_name))?;
    Ok(Output::Empty)
}

/// `ListGroupsForUser`.
pub fn list_groups_for_user(
    cx: &Cx<'_>,
    i: &wire::ListGroupsForUserInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let user = users::get(&state, cx.account(), &i.user_name)?;
    let all: Vec<_> = (user.record.groups.iter())
        .filter_map(|g| state.group(cx.account(), g))
        .map(Arc::clone)
        .collect();
    let (chunk, is_truncated, marker) = page(all, i.marker.as_deref(), i.max_items, |g| {
        g.record.name.to_ascii_lowercase()
    })?;
    Ok(wire::ListGroupsForUserOutput {
        groups: chunk.iter().map(|g| wire_group(&g.record)).collect(),
        is_truncated,
        marker,
    }
    .into())
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::{self as wire, Operation as Op};

    use super::super::fixture::{ALLOW_ALL, Fixture};
    use crate::error::CoreError;

    fn add(f: &Fixture, group: &str, user: &str) {
        f.run(Op::AddUserToGroup(wire::AddUserToGroupInput {
            group_name: group.into(),
            user_name: user.into(),
        }))
        .unwrap();
    }

    fn delete_conflict(f: &Fixture) -> String {
        let err = f
            .run(Op::DeleteGroup(wire::DeleteGroupInput {
                group_name: "devs".into(),
            }))
            .unwrap_err();
        match err {
            CoreError::DeleteConflict(message) => message,
            other => panic!("expected DeleteConflict, got {other:?}"),
        }
    }

    #[test]
    fn delete_group_refuses_members_then_inline_then_attached_policies() {
        let f = Fixture::new();
        f.group("devs");
        f.user("alice");
        add(&f, "devs", "alice");
        f.run(Op::PutGroupPolicy(wire::PutGroupPolicyInput {
            group_name: "devs".into(),
            policy_name: "all".into(),
            policy_document: ALLOW_ALL.into(),
        }))
        .unwrap();
        let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        f.run(Op::AttachGroupPolicy(wire::AttachGroupPolicyInput {
            group_name: "devs".into(),
            policy_arn: admin.into(),
        }))
        .unwrap();

        let members = "Cannot delete entity, must remove users from group first.";
        assert_eq!(delete_conflict(&f), members);
        f.run(Op::RemoveUserFromGroup(wire::RemoveUserFromGroupInput {
            group_name: "devs".into(),
            user_name: "alice".into(),
        }))
        .unwrap();
        assert_eq!(
            delete_conflict(&f),
            "Cannot delete entity, must delete policies first."
        );
        f.run(Op::DeleteGroupPolicy(wire::DeleteGroupPolicyInput {
            group_name: "devs".into(),
            policy_name: "all".into(),
        }))
        .unwrap();
        assert_eq!(
            delete_conflict(&f),
            "Cannot delete entity, must detach all policies first."
        );
        f.run(Op::DetachGroupPolicy(wire::DetachGroupPolicyInput {
            group_name: "devs".into(),
            policy_arn: admin.into(),
        }))
        .unwrap();
        f.run(Op::DeleteGroup(wire::DeleteGroupInput {
            group_name: "devs".into(),
        }))
        .unwrap();
        assert!(f.state().group(f.account(), "devs").is_none());
    }

    #[test]
    fn update_group_rename_carries_its_members() {
        let f = Fixture::new();
        f.group("devs");
        f.user("alice");
        add(&f, "devs", "alice");
        f.run(Op::UpdateGroup(wire::UpdateGroupInput {
            group_name: "devs".into(),
            new_group_name: Some("engineers".into()),
            ..Default::default()
        }))
        .unwrap();
        let state = f.state();
        assert!(state.group(f.account(), "devs").is_none());
        let alice = state.user(f.account(), "alice").unwrap();
        assert_eq!(alice.record.groups, vec!["engineers".to_owned()]);
    }

    #[test]
    fn removing_a_user_that_is_not_a_member_is_no_such_entity() {
        let f = Fixture::new();
        f.group("devs");
        f.user("alice");
        let err = f
            .run(Op::RemoveUserFromGroup(wire::RemoveUserFromGroupInput {
                group_name: "devs".into(),
                user_name: "alice".into(),
            }))
            .unwrap_err();
        assert!(matches!(err, CoreError::NoSuchEntity(_)), "{err:?}");
    }

    #[test]
    fn a_user_joins_at_most_ten_groups_and_joining_twice_is_no_error() {
        let f = Fixture::new();
        f.user("alice");
        for n in 0..10 {
            f.group(&format!("g{n}"));
            add(&f, &format!("g{n}"), "alice");
        }
        add(&f, "g0", "alice");
        f.group("g10");
        let err = f
            .run(Op::AddUserToGroup(wire::AddUserToGroupInput {
                group_name: "g10".into(),
                user_name: "alice".into(),
            }))
            .unwrap_err();
        assert!(matches!(err, CoreError::LimitExceeded(_)), "{err:?}");
    }
}
