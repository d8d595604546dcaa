//! Organizational units and the tree: create, rename, delete, list, parents and children
//! (organizations.md §4.4).

use rampart_wire::ErrorCode;
use rampart_wire::organizations as wire;

use super::{OrgCtx, Parent, constraint, parent, put_unit};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{OrgUnitRecord, OrganizationRecord, Tag, kind};
use crate::state::State;

/// OUs nest at most five deep below the root.
const MAX_DEPTH: usize = 5;
/// Most OUs in an organization.
const MAX_UNITS: usize = 1000;

/// `ParentNotFoundException`.
pub fn parent_not_found() -> CoreError {
    CoreError::org(
        ErrorCode::ParentNotFoundException,
        "We can't find a root or OU with the ParentId that you specified.",
    )
}

fn not_found() -> CoreError {
    CoreError::org(
        ErrorCode::OrganizationalUnitNotFoundException,
        "We can't find an OU with the OrganizationalUnitId that you specified.",
    )
}

fn duplicate() -> CoreError {
    CoreError::org(
        ErrorCode::DuplicateOrganizationalUnitException,
        "An OU with the same name already exists.",
    )
}

/// The OU `id` of `org`, or `OrganizationalUnitNotFoundException`.
pub fn get<'s>(
    state: &'s State,
    org: &OrganizationRecord,
    id: &str,
) -> Result<&'s OrgUnitRecord, CoreError> {
    state
        .org_unit(id)
        .filter(|u| u.org == org.id)
        .map(AsRef::as_ref)
        .ok_or_else(not_found)
}

/// The wire OU, with its path.
pub fn to_wire(
    state: &State,
    org: &OrganizationRecord,
    unit: &OrgUnitRecord,
) -> wire::OrganizationalUnit {
    wire::OrganizationalUnit {
        id: unit.id.clone(),
        arn: org.ou_arn(&unit.id),
        name: unit.name.clone(),
        path: Some(super::entity_path(state, org, &unit.parent, &unit.id)),
    }
}

/// `CreateOrganizationalUnit`.
pub fn create(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    parent_id: &str,
    name: &str,
    tags: Vec<Tag>,
    now: i64,
) -> Result<OrgUnitRecord, CoreError> {
    ctx.require_management()?;
    let state = txn.state();
    let org = &ctx.org;
    parent(state, org, parent_id).ok_or_else(parent_not_found)?;
    if super::ou_chain(state, org, parent_id).len() >= MAX_DEPTH {
        return Err(constraint(
            "OU_DEPTH_LIMIT_EXCEEDED",
            "You attempted to create an OU tree that is too many levels deep.",
        ));
    }
    if state.org_units(&org.id).count() >= MAX_UNITS {
        return Err(constraint(
            "OU_NUMBER_LIMIT_EXCEEDED",
            "You attempted to exceed the number of OUs that you can have in an organization.",
        ));
    }
    if state
        .org_units(&org.id)
        .any(|u| u.parent == parent_id && u.name == name)
    {
        return Err(duplicate());
    }
    // The first part of an OU id repeats the root id's suffix (§1).
    let root_suffix = org.root_id.trim_start_matches("r-");
    let id = super::fresh_id(&format!("ou-{root_suffix}-"), 8, |id| {
        state.org_unit(id).is_some()
    });
    let unit = OrgUnitRecord {
        org: org.id.clone(),
        id,
        name: name.to_owned(),
        parent: parent_id.to_owned(),
        created: now,
        policies: super::default_attachments(org),
        tags,
    };
    put_unit(txn, &unit)?;
    Ok(unit)
}

/// `UpdateOrganizationalUnit`: renames (names stay unique among siblings).
pub fn rename(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    id: &str,
    name: Option<&str>,
) -> Result<OrgUnitRecord, CoreError> {
    ctx.require_management()?;
    let mut unit = get(txn.state(), &ctx.org, id)?.clone();
    if let Some(name) = name {
        if txn
            .state()
            .org_units(&ctx.org.id)
            .any(|u| u.parent == unit.parent && u.name == name && u.id != unit.id)
        {
            return Err(duplicate());
        }
        name.clone_into(&mut unit.name);
        put_unit(txn, &unit)?;
    }
    Ok(unit)
}

/// `DeleteOrganizationalUnit`: only an empty OU.
pub fn delete(txn: &mut WriteTxn<'_>, ctx: &OrgCtx, id: &str) -> Result<(), CoreError> {
    ctx.require_management()?;
    let state = txn.state();
    get(state, &ctx.org, id)?;
    let has_children = state.org_units(&ctx.org.id).any(|u| u.parent == id)
        || state.org_members(&ctx.org.id).any(|m| m.parent == id);
    if has_children {
        return Err(CoreError::org(
            ErrorCode::OrganizationalUnitNotEmptyException,
            "The specified OU is not empty. Move all accounts to another root or OU, delete all child OUs, and try the operation again.",
        ));
    }
    txn.delete(kind::ORG_UNIT, id)
}

/// The children of a parent, OUs or accounts, ordered by id.
pub fn children(
    state: &State,
    org: &OrganizationRecord,
    parent_id: &str,
    child_type: wire::ChildType,
) -> Result<Vec<wire::Child>, CoreError> {
    parent(state, org, parent_id).ok_or_else(parent_not_found)?;
    Ok(match child_type {
        wire::ChildType::OrganizationalUnit => state
            .org_units(&org.id)
            .filter(|u| u.parent == parent_id)
            .map(|u| wire::Child {
                id: u.id.clone(),
                child_type,
            })
            .collect(),
        wire::ChildType::Account => state
            .org_members(&org.id)
            .filter(|m| m.parent == parent_id)
            .map(|m| wire::Child {
                id: m.account.as_str().to_owned(),
                child_type,
            })
            .collect(),
    })
}

/// The one parent of an OU or account (`ListParents`), or `ChildNotFoundException`.
pub fn parent_of(
    state: &State,
    org: &OrganizationRecord,
    child_id: &str,
) -> Result<wire::Parent, CoreError> {
    let parent_id = match state.org_unit(child_id).filter(|u| u.org == org.id) {
        Some(unit) => unit.parent.clone(),
        None => crate::model::AccountId::parse(child_id)
            .and_then(|a| state.org_member(&a))
            .filter(|m| m.org == org.id)
            .map(|m| m.parent.clone())
            .ok_or_else(|| CoreError::org(ErrorCode::ChildNotFoundException, "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified."))?,
    };
    let parent_type = match parent(state, org, &parent_id) {
        Some(Parent::Ou(_)) => wire::ParentType::OrganizationalUnit,
        _ => wire::ParentType::Root,
    };
    Ok(wire::Parent {
        id: parent_id,
        parent_type,
    })
}
