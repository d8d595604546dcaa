//! Organizational units and the tree: create, rename, delete, list, parents and children
//! (organizations.md §4.4). Owns the OU operations, `ListChildren` and `ListParents`, and
//! the wire `OrganizationalUnit` (with its path).

use rampart_wire::organizations::{self as wire, Output};

use super::{Execution, OrgCtx, Parent, context, page, parent, put_unit};
use crate::engine::WriteTxn;
use crate::error::{ConstraintViolationReason, CoreError};
use crate::model::{OrgUnitRecord, OrganizationRecord, Tag};
use crate::state::State;

/// OUs nest at most five deep below the root.
const MAX_DEPTH: usize = 5;
/// Most OUs in an organization.
const MAX_UNITS: usize = 1000;

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
        .ok_or(CoreError::OrganizationalUnitNotFound)
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

/// `CreateOrganizationalUnit`, by the management account.
pub fn create_organizational_unit(
    cx: &Execution<'_>,
    input: &wire::CreateOrganizationalUnitInput,
) -> Result<Output, CoreError> {
    let tags = super::tags::from_wire(input.tags.as_deref())?;
    let unit = cx.write_in_org(|txn, ctx| {
        create(
            txn,
            ctx,
            &input.parent_id,
            &input.name,
            tags.clone(),
            cx.now,
        )
    })?;
    let state = cx.written();
    let org = context(&state, cx.account)?.org;
    Ok(wire::CreateOrganizationalUnitOutput {
        organizational_unit: to_wire(&state, &org, &unit),
    }
    .into())
}

/// `DescribeOrganizationalUnit`.
pub fn describe_organizational_unit(
    cx: &Execution<'_>,
    input: &wire::DescribeOrganizationalUnitInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let unit = get(cx.state(), &ctx.org, &input.organizational_unit_id)?;
    Ok(wire::DescribeOrganizationalUnitOutput {
        organizational_unit: to_wire(cx.state(), &ctx.org, unit),
    }
    .into())
}

/// `UpdateOrganizationalUnit`: renames (names stay unique among siblings).
pub fn update_organizational_unit(
    cx: &Execution<'_>,
    input: &wire::UpdateOrganizationalUnitInput,
) -> Result<Output, CoreError> {
    let unit = cx.write_in_org(|txn, ctx| {
        rename(
            txn,
            ctx,
            &input.organizational_unit_id,
            input.name.as_deref(),
        )
    })?;
    let state = cx.written();
    let org = context(&state, cx.account)?.org;
    Ok(wire::UpdateOrganizationalUnitOutput {
        organizational_unit: to_wire(&state, &org, &unit),
    }
    .into())
}

/// `DeleteOrganizationalUnit`: only an empty OU.
pub fn delete_organizational_unit(
    cx: &Execution<'_>,
    input: &wire::DeleteOrganizationalUnitInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| delete(txn, ctx, &input.organizational_unit_id))?;
    Ok(Output::Empty)
}

/// `ListOrganizationalUnitsForParent`.
pub fn list_organizational_units_for_parent(
    cx: &Execution<'_>,
    input: &wire::ListOrganizationalUnitsForParentInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let state = cx.state();
    parent(state, &ctx.org, &input.parent_id).ok_or(CoreError::ParentNotFound)?;
    let all: Vec<_> = state
        .org_units(&ctx.org.id)
        .filter(|u| u.parent == input.parent_id)
        .map(|u| to_wire(state, &ctx.org, u))
        .collect();
    let (organizational_units, next_token) =
        page(all, input.next_token.as_deref(), input.max_results, |u| {
            u.id.clone()
        })?;
    Ok(wire::ListOrganizationalUnitsForParentOutput {
        organizational_units,
        next_token,
    }
    .into())
}

/// `ListChildren`: the OUs or the accounts directly under a parent, ordered by id.
pub fn list_children(
    cx: &Execution<'_>,
    input: &wire::ListChildrenInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let all = children(cx.state(), &ctx.org, &input.parent_id, input.child_type)?;
    let (children, next_token) = page(all, input.next_token.as_deref(), input.max_results, |c| {
        c.id.clone()
    })?;
    Ok(wire::ListChildrenOutput {
        children,
        next_token,
    }
    .into())
}

/// `ListParents`: the one parent of an OU or account.
pub fn list_parents(
    cx: &Execution<'_>,
    input: &wire::ListParentsInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let all = vec![parent_of(cx.state(), &ctx.org, &input.child_id)?];
    let (parents, next_token) = page(all, input.next_token.as_deref(), input.max_results, |p| {
        p.id.clone()
    })?;
    Ok(wire::ListParentsOutput {
        parents,
        next_token,
    }
    .into())
}

/// Creates an OU under `parent_id` (at most five deep, at most 1,000 per organization).
fn create(
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
    parent(state, org, parent_id).ok_or(CoreError::ParentNotFound)?;
    if super::ou_chain(state, org, parent_id).len() >= MAX_DEPTH {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::OuDepthLimitExceeded,
        ));
    }
    if state.org_units(&org.id).count() >= MAX_UNITS {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::OuNumberLimitExceeded,
        ));
    }
    if state
        .org_units(&org.id)
        .any(|u| u.parent == parent_id && u.name == name)
    {
        return Err(CoreError::DuplicateOrganizationalUnit);
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

/// Renames an OU; the name stays unique among its siblings.
fn rename(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    id: &str,
    name: Option<&str>,
) -> Result<OrgUnitRecord, CoreError> {
    ctx.require_management()?;
    let mut unit = get(txn.state(), &ctx.org, id)?.clone();
    if let Some(name) = name {
        // DuplicateOrganizationalUnitException: "An OU with the same name already exists."
        // under the parent — the OU itself included, so renaming it to its own name is one.
        if txn
            .state()
            .org_units(&ctx.org.id)
            .any(|u| u.parent == unit.parent && u.name == name)
        {
            return Err(CoreError::DuplicateOrganizationalUnit);
        }
        name.clone_into(&mut unit.name);
        put_unit(txn, &unit)?;
    }
    Ok(unit)
}

/// Deletes an OU that holds no OU and no account.
fn delete(txn: &mut WriteTxn<'_>, ctx: &OrgCtx, id: &str) -> Result<(), CoreError> {
    ctx.require_management()?;
    let state = txn.state();
    get(state, &ctx.org, id)?;
    let has_children = state.org_units(&ctx.org.id).any(|u| u.parent == id)
        || state.org_members(&ctx.org.id).any(|m| m.parent == id);
    if has_children {
        return Err(CoreError::OrganizationalUnitNotEmpty);
    }
    txn.delete::<OrgUnitRecord>(id)
}

/// The children of a parent, OUs or accounts, ordered by id.
fn children(
    state: &State,
    org: &OrganizationRecord,
    parent_id: &str,
    child_type: wire::ChildType,
) -> Result<Vec<wire::Child>, CoreError> {
    parent(state, org, parent_id).ok_or(CoreError::ParentNotFound)?;
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

/// The one parent of an OU or account, or `ChildNotFoundException`.
fn parent_of(
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
            .ok_or(CoreError::ChildNotFound)?,
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

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use rampart_wire::organizations::Output;
    use serde_json::json;

    use super::super::testing::{failure, member, organization, run};
    use crate::engine::Engine;
    use crate::model::AccountId;

    fn root_id(engine: &Engine, management: &AccountId) -> String {
        engine
            .snapshot()
            .org_of(management)
            .unwrap()
            .0
            .root_id
            .clone()
    }

    fn create_ou(engine: &Engine, management: &AccountId, parent: &str, name: &str) -> String {
        let input = json!({"ParentId": parent, "Name": name});
        match run(engine, management, "CreateOrganizationalUnit", input).unwrap() {
            Output::CreateOrganizationalUnit(out) => out.organizational_unit.id,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn ous_nest_at_most_five_deep_and_carry_their_path() {
        let (engine, management) = organization();
        let mut parent = root_id(&engine, &management);
        for depth in 0..5 {
            parent = create_ou(&engine, &management, &parent, &format!("level{depth}"));
        }
        let input = json!({"ParentId": parent, "Name": "too-deep"});
        let got = failure(run(&engine, &management, "CreateOrganizationalUnit", input));
        assert_eq!(
            got,
            (
                ErrorCode::ConstraintViolationException,
                Some("OU_DEPTH_LIMIT_EXCEEDED")
            )
        );
        let input = json!({"OrganizationalUnitId": parent});
        let Output::DescribeOrganizationalUnit(out) =
            run(&engine, &management, "DescribeOrganizationalUnit", input).unwrap()
        else {
            panic!("wrong output");
        };
        let path = out.organizational_unit.path.unwrap();
        assert_eq!(path.matches("/ou-").count(), 5, "{path}");
        assert!(path.ends_with(&format!("{parent}/")), "{path}");
    }

    #[test]
    fn sibling_ous_have_unique_names_on_create_and_rename() {
        let (engine, management) = organization();
        let root = root_id(&engine, &management);
        create_ou(&engine, &management, &root, "Prod");
        let dev = create_ou(&engine, &management, &root, "Dev");
        let again = json!({"ParentId": root, "Name": "Prod"});
        let got = failure(run(&engine, &management, "CreateOrganizationalUnit", again));
        assert_eq!(got.0, ErrorCode::DuplicateOrganizationalUnitException);
        let rename = json!({"OrganizationalUnitId": dev, "Name": "Prod"});
        let got = failure(run(
            &engine,
            &management,
            "UpdateOrganizationalUnit",
            rename,
        ));
        assert_eq!(got.0, ErrorCode::DuplicateOrganizationalUnitException);
        let same = json!({"OrganizationalUnitId": dev, "Name": "Dev"});
        let got = failure(run(&engine, &management, "UpdateOrganizationalUnit", same));
        assert_eq!(got.0, ErrorCode::DuplicateOrganizationalUnitException);
    }

    #[test]
    fn an_ou_holding_an_account_cannot_be_deleted() {
        let (engine, management) = organization();
        let root = root_id(&engine, &management);
        let ou = create_ou(&engine, &management, &root, "Team");
        let dev = member(&engine, &management, "dev@example.com");
        let mv =
            json!({"AccountId": dev.as_str(), "SourceParentId": root, "DestinationParentId": ou});
        run(&engine, &management, "MoveAccount", mv).unwrap();
        let delete = json!({"OrganizationalUnitId": ou});
        let got = failure(run(
            &engine,
            &management,
            "DeleteOrganizationalUnit",
            delete.clone(),
        ));
        assert_eq!(got.0, ErrorCode::OrganizationalUnitNotEmptyException);
        let Output::ListParents(parents) = run(
            &engine,
            &management,
            "ListParents",
            json!({"ChildId": dev.as_str()}),
        )
        .unwrap() else {
            panic!("wrong output");
        };
        assert_eq!(
            parents.parents.first().map(|p| p.id.as_str()),
            Some(ou.as_str())
        );
        let back =
            json!({"AccountId": dev.as_str(), "SourceParentId": ou, "DestinationParentId": root});
        run(&engine, &management, "MoveAccount", back).unwrap();
        run(&engine, &management, "DeleteOrganizationalUnit", delete).unwrap();
    }

    #[test]
    fn listing_under_an_unknown_parent_is_parent_not_found() {
        let (engine, management) = organization();
        let input = json!({"ParentId": "ou-abcd-12345678", "ChildType": "ACCOUNT"});
        let got = failure(run(&engine, &management, "ListChildren", input));
        assert_eq!(got.0, ErrorCode::ParentNotFoundException);
        let input = json!({"ChildId": "ou-abcd-12345678"});
        let got = failure(run(&engine, &management, "ListParents", input));
        assert_eq!(got.0, ErrorCode::ChildNotFoundException);
    }
}
