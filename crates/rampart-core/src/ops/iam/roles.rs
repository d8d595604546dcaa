//! IAM roles: `CreateRole`, `GetRole`, `ListRoles`, `DeleteRole` (refused while it has
//! policies or instance profiles), `UpdateRole*`, the trust policy, permissions boundaries
//! and tags; the role's wire form. Service-linked roles are protected here.

use std::sync::Arc;

use rampart_policy::PolicyKind;
use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};
use rampart_wire::xml::PolicyDocument;

use super::tags::{self, Taggable};
use super::{Cx, policies};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, RoleRecord, Tag, name_key};
use crate::ops::paging;
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

/// The wire form of a role.
pub fn wire_role(record: &RoleRecord) -> wire::Role {
    wire::Role {
        path: record.path.clone(),
        role_name: record.name.clone(),
        role_id: record.id.clone(),
        arn: record.arn(),
        create_date: Timestamp(record.created),
        assume_role_policy_document: Some(PolicyDocument(record.trust_policy.clone())),
        description: record.description.clone(),
        max_session_duration: Some(i32::try_from(record.max_session_duration).unwrap_or(3600)),
        permissions_boundary: record
            .permissions_boundary
            .as_deref()
            .map(policies::wire_boundary),
        tags: tags::to_wire(&record.tags),
        role_last_used: Some(wire::RoleLastUsed::default()),
    }
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
    let trust = policies::validate(new.trust_policy, PolicyKind::Trust)?;
    if txn.state().role(account, new.name).is_some() {
        return Err(CoreError::EntityAlreadyExists(format!(
            "Role with name {} already exists.",
            new.name
        )));
    }
    if let Some(arn) = new.permissions_boundary {
        policies::get(txn.state(), arn)?;
    }
    super::trust_principals::check_exist(txn.state(), &trust)?;
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
    txn.put(&record)?;
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
    txn.put(&record)?;
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
    let (arn, id) = (role.record.arn(), role.record.id.clone());
    txn.delete::<RoleRecord>(&name_key(account, name))?;
    super::trust_principals::replace(txn, &arn, &id)
}

impl Taggable for RoleRecord {
    fn tags(state: &State, account: &AccountId, id: &str) -> Result<Vec<Tag>, CoreError> {
        Ok(get(state, account, id)?.record.tags.clone())
    }

    fn retag(
        txn: &mut WriteTxn<'_>,
        account: &AccountId,
        id: &str,
        change: impl FnOnce(&mut Vec<Tag>) -> Result<(), CoreError>,
    ) -> Result<(), CoreError> {
        update(txn, account, id, |record| change(&mut record.tags))?;
        Ok(())
    }
}

/// `CreateRole`.
pub fn create_role(cx: &Cx<'_>, i: &wire::CreateRoleInput) -> Result<Output, CoreError> {
    let new = NewRole {
        name: &i.role_name,
        path: i.path.as_deref(),
        trust_policy: &i.assume_role_policy_document,
        description: i.description.as_deref(),
        max_session_duration: i.max_session_duration.map(i64::from),
        permissions_boundary: i.permissions_boundary.as_deref(),
        tags: tags::from_wire(i.tags.as_deref())?,
    };
    let record = cx.write(|txn| create(txn, cx.account(), &new, cx.now))?;
    let role = wire_role(&record);
    Ok(wire::CreateRoleOutput { role }.into())
}

/// `GetRole`.
pub fn get_role(cx: &Cx<'_>, i: &wire::GetRoleInput) -> Result<Output, CoreError> {
    let role = wire_role(&get(&cx.state(), cx.account(), &i.role_name)?.record);
    Ok(wire::GetRoleOutput { role }.into())
}

/// `ListRoles`: without last-used details and tags, as AWS answers it.
pub fn list_roles(cx: &Cx<'_>, i: &wire::ListRolesInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let prefix = i.path_prefix.as_deref();
    let start = paging::start_key(i.marker.as_deref())?;
    // From the marker on, so a page costs O(page) whatever the account's size.
    let from = (state.roles_from(cx.account(), start.as_deref()))
        .filter(|r| prefix.is_none_or(|p| r.record.path.starts_with(p)));
    let (chunk, is_truncated, marker) =
        paging::page_from(from, start.as_deref(), i.max_items, |r| {
            r.record.name.to_ascii_lowercase()
        });
    let roles = (chunk.iter())
        // Not returned by ListRoles: PermissionsBoundary, RoleLastUsed, Tags (IAM API
        // reference, ListRoles).
        .map(|r| wire::Role {
            permissions_boundary: None,
            role_last_used: None,
            tags: vec![],
            ..wire_role(&r.record)
        })
        .collect();
    Ok(wire::ListRolesOutput {
        roles,
        is_truncated,
        marker,
    }
    .into())
}

/// `DeleteRole`.
pub fn delete_role(cx: &Cx<'_>, i: &wire::DeleteRoleInput) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account(), &i.role_name))?;
    Ok(Output::Empty)
}

/// `UpdateRole`: the description and/or the maximum session duration.
pub fn update_role(cx: &Cx<'_>, i: &wire::UpdateRoleInput) -> Result<Output, CoreError> {
    cx.write(|txn| {
        update(txn, cx.account(), &i.role_name, |record| {
            if let Some(description) = &i.description {
                record.description = Some(description.clone());
            }
            if let Some(max) = i.max_session_duration {
                record.max_session_duration = i64::from(max);
            }
            Ok(())
        })
    })?;
    Ok(wire::UpdateRoleOutput::default().into())
}

/// `UpdateRoleDescription`.
pub fn update_role_description(
    cx: &Cx<'_>,
    i: &wire::UpdateRoleDescriptionInput,
) -> Result<Output, CoreError> {
    let record = cx.write(|txn| {
        update(txn, cx.account(), &i.role_name, |record| {
            record.description = Some(i.description.clone());
            Ok(())
        })
    })?;
    let role = wire_role(&record);
    Ok(wire::UpdateRoleDescriptionOutput { role }.into())
}

/// `UpdateAssumeRolePolicy`: a new trust policy, validated as one.
pub fn update_assume_role_policy(
    cx: &Cx<'_>,
    i: &wire::UpdateAssumeRolePolicyInput,
) -> Result<Output, CoreError> {
    let trust = policies::validate(&i.policy_document, PolicyKind::Trust)?;
    cx.write(|txn| {
        super::trust_principals::check_exist(txn.state(), &trust)?;
        update(txn, cx.account(), &i.role_name, |record| {
            record.trust_policy = i.policy_document.clone();
            Ok(())
        })
    })?;
    Ok(Output::Empty)
}

/// `PutRolePermissionsBoundary`.
pub fn put_role_permissions_boundary(
    cx: &Cx<'_>,
    i: &wire::PutRolePermissionsBoundaryInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        policies::check_boundary(txn.state(), cx.account(), &i.permissions_boundary)?;
        update(txn, cx.account(), &i.role_name, |record| {
            record.permissions_boundary = Some(i.permissions_boundary.clone());
            Ok(())
        })
    })?;
    Ok(Output::Empty)
}

/// `DeleteRolePermissionsBoundary`.
pub fn delete_role_permissions_boundary(
    cx: &Cx<'_>,
    i: &wire::DeleteRolePermissionsBoundaryInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        update(txn, cx.account(), &i.role_name, |record| {
            record.permissions_boundary = None;
            Ok(())
        })
    })?;
    Ok(Output::Empty)
}
