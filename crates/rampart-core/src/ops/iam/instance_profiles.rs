//! Instance profiles, named containers that hand one role to EC2 instances: create, get,
//! list (also per role), delete (refused while holding a role), the role they hold, tags,
//! and their wire form (with the role inside).

use std::sync::Arc;

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use super::roles::{self, wire_role};
use super::tags::{self, Taggable};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, InstanceProfileRecord, Tag, name_key};
use crate::ops::paging::page;
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
    txn.put(&record)?;
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
    txn.delete::<InstanceProfileRecord>(&name_key(account, name))
}

/// Puts a role into a profile.
pub fn add_role(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    profile: &str,
    role: &str,
) -> Result<(), CoreError> {
    let mut record = get(txn.state(), account, profile)?;
    let role_name = roles::get(txn.state(), account, role)?.record.name.clone();
    if record.roles.len() >= ROLES_PER_PROFILE {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for InstanceSessionsPerInstanceProfile: {ROLES_PER_PROFILE}"
        )));
    }
    record.roles.push(role_name);
    txn.put(&record)
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
        return Err(roles::no_such_role(role));
    }
    txn.put(&record)
}

/// The profiles that hold `role`.
pub fn for_role<'s>(
    state: &'s State,
    account: &AccountId,
    role: &'s str,
) -> impl Iterator<Item = &'s Arc<InstanceProfileRecord>> {
    state
        .instance_profiles(account)
        .filter(move |p| p.roles.iter().any(|r| r.eq_ignore_ascii_case(role)))
}

/// The wire form of a profile, with the role it holds.
pub fn wire_instance_profile(
    state: &State,
    record: &InstanceProfileRecord,
) -> wire::InstanceProfile {
    wire::InstanceProfile {
        path: record.path.clone(),
        instance_profile_name: record.name.clone(),
        instance_profile_id: record.id.clone(),
        arn: record.arn(),
        create_date: Timestamp(record.created),
        roles: (record.roles.iter())
            .filter_map(|r| state.role(&record.account, r))
            .map(|r| wire_role(&r.record))
            .collect(),
        tags: (!record.tags.is_empty()).then(|| tags::to_wire(&record.tags)),
    }
}

impl Taggable for InstanceProfileRecord {
    fn tags(state: &State, account: &AccountId, id: &str) -> Result<Vec<Tag>, CoreError> {
        Ok(get(state, account, id)?.tags)
    }

    fn retag(
        txn: &mut WriteTxn<'_>,
        account: &AccountId,
        id: &str,
        change: impl FnOnce(&mut Vec<Tag>) -> Result<(), CoreError>,
    ) -> Result<(), CoreError> {
        let mut profile = get(txn.state(), account, id)?;
        change(&mut profile.tags)?;
        txn.put(&profile)
    }
}

/// One page of profiles, in name order, on the wire.
type ProfilePage = (Vec<wire::InstanceProfile>, bool, Option<String>);

fn profile_page(
    state: &State,
    all: Vec<Arc<InstanceProfileRecord>>,
    marker: Option<&str>,
    max_items: Option<i32>,
) -> Result<ProfilePage, CoreError> {
    let (chunk, is_truncated, marker) =
        page(all, marker, max_items, |p| p.name.to_ascii_lowercase())?;
    let profiles = (chunk.iter())
        .map(|p| wire_instance_profile(state, p))
        .collect();
    Ok((profiles, is_truncated, marker))
}

/// `CreateInstanceProfile`.
pub fn create_instance_profile(
    cx: &Cx<'_>,
    i: &wire::CreateInstanceProfileInput,
) -> Result<Output, CoreError> {
    let tags = tags::from_wire(i.tags.as_deref())?;
    let record = cx.write(|txn| {
        let name = &i.instance_profile_name;
        create(
            txn,
            cx.account(),
            name,
            i.path.as_deref(),
            tags.clone(),
            cx.now,
        )
    })?;
    let instance_profile = wire_instance_profile(&cx.state(), &record);
    Ok(wire::CreateInstanceProfileOutput { instance_profile }.into())
}

/// `GetInstanceProfile`.
pub fn get_instance_profile(
    cx: &Cx<'_>,
    i: &wire::GetInstanceProfileInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let record = get(&state, cx.account(), &i.instance_profile_name)?;
    // GetInstanceProfile names an empty tag list; the listings leave it out.
    let instance_profile = wire::InstanceProfile {
        tags: Some(tags::to_wire(&record.tags)),
        ..wire_instance_profile(&state, &record)
    };
    Ok(wire::GetInstanceProfileOutput { instance_profile }.into())
}

/// `ListInstanceProfiles`.
pub fn list_instance_profiles(
    cx: &Cx<'_>,
    i: &wire::ListInstanceProfilesInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let prefix = i.path_prefix.as_deref();
    let all: Vec<_> = (state.instance_profiles(cx.account()))
        .filter(|p| prefix.is_none_or(|prefix| p.path.starts_with(prefix)))
        .map(Arc::clone)
        .collect();
    let (instance_profiles, is_truncated, marker) =
        profile_page(&state, all, i.marker.as_deref(), i.max_items)?;
    Ok(wire::ListInstanceProfilesOutput {
        instance_profiles,
        is_truncated,
        marker,
    }
    .into())
}

/// `ListInstanceProfilesForRole`.
pub fn list_instance_profiles_for_role(
    cx: &Cx<'_>,
    i: &wire::ListInstanceProfilesForRoleInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let role = roles::get(&state, cx.account(), &i.role_name)?;
    let all: Vec<_> = for_role(&state, cx.account(), &role.record.name)
        .map(Arc::clone)
        .collect();
    let (instance_profiles, is_truncated, marker) =
        profile_page(&state, all, i.marker.as_deref(), i.max_items)?;
    Ok(wire::ListInstanceProfilesForRoleOutput {
        instance_profiles,
        is_truncated,
        marker,
    }
    .into())
}

/// `DeleteInstanceProfile`.
pub fn delete_instance_profile(
    cx: &Cx<'_>,
    i: &wire::DeleteInstanceProfileInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account(), &i.instance_profile_name))?;
    Ok(Output::Empty)
}

/// `AddRoleToInstanceProfile`.
pub fn add_role_to_instance_profile(
    cx: &Cx<'_>,
    i: &wire::AddRoleToInstanceProfileInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| add_role(txn, cx.account(), &i.instance_profile_name, &i.role_name))?;
    Ok(Output::Empty)
}

/// `RemoveRoleFromInstanceProfile`.
pub fn remove_role_from_instance_profile(
    cx: &Cx<'_>,
    i: &wire::RemoveRoleFromInstanceProfileInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| remove_role(txn, cx.account(), &i.instance_profile_name, &i.role_name))?;
    Ok(Output::Empty)
}
