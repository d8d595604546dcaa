//! Inline policies of users, groups and roles: `Put*Policy` (validated, within the entity's
//! aggregate size quota), `Get*Policy`, `Delete*Policy` and `List*Policies`.

use rampart_policy::{InlineEntity, PolicyKind};
use rampart_wire::iam::{self as wire, Output};
use rampart_wire::xml::PolicyDocument;

use super::{Cx, groups, policies, roles, users};
use crate::error::CoreError;
use crate::ops::paging::page;

/// An inline policy of a user, group or role (`entity`), as IAM's Get*Policy returns it.
fn find(
    list: &[(String, String)],
    name: &str,
    entity: &str,
) -> Result<(String, PolicyDocument), CoreError> {
    list.iter()
        .find(|(existing, _)| existing == name)
        .map(|(n, document)| (n.clone(), PolicyDocument(document.clone())))
        .ok_or_else(|| no_such_policy(name, entity))
}

fn no_such_policy(name: &str, entity: &str) -> CoreError {
    CoreError::NoSuchEntity(format!(
        "The {entity} policy with name {name} cannot be found."
    ))
}

/// Removes the inline policy `name`; one the entity does not have is `NoSuchEntity`.
fn remove(list: &mut Vec<(String, String)>, name: &str, entity: &str) -> Result<(), CoreError> {
    let before = list.len();
    list.retain(|(existing, _)| existing != name);
    if list.len() == before {
        return Err(no_such_policy(name, entity));
    }
    Ok(())
}

/// One page of inline policy names, as IAM's List*Policies returns them.
fn names(
    list: &[(String, String)],
    marker: Option<&str>,
    max_items: Option<i32>,
) -> Result<(Vec<String>, bool, Option<String>), CoreError> {
    let all = list.iter().map(|(n, _)| n.clone()).collect();
    page(all, marker, max_items, Clone::clone)
}

/// `PutUserPolicy`.
pub fn put_user_policy(cx: &Cx<'_>, i: &wire::PutUserPolicyInput) -> Result<Output, CoreError> {
    policies::validate(&i.policy_document, PolicyKind::Identity)?;
    cx.write(|txn| {
        users::update(txn, cx.account(), &i.user_name, |record| {
            let list = &mut record.inline_policies;
            let document = &i.policy_document;
            policies::put_inline(list, &i.policy_name, document, InlineEntity::User)
        })
    })?;
    Ok(Output::Empty)
}

/// `GetUserPolicy`.
pub fn get_user_policy(cx: &Cx<'_>, i: &wire::GetUserPolicyInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let user = users::get(&state, cx.account(), &i.user_name)?;
    let (policy_name, policy_document) =
        find(&user.record.inline_policies, &i.policy_name, "user")?;
    Ok(wire::GetUserPolicyOutput {
        user_name: user.record.name.clone(),
        policy_name,
        policy_document,
    }
    .into())
}

/// `DeleteUserPolicy`.
pub fn delete_user_policy(
    cx: &Cx<'_>,
    i: &wire::DeleteUserPolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        users::update(txn, cx.account(), &i.user_name, |record| {
            remove(&mut record.inline_policies, &i.policy_name, "user")
        })
    })?;
    Ok(Output::Empty)
}

/// `ListUserPolicies`.
pub fn list_user_policies(
    cx: &Cx<'_>,
    i: &wire::ListUserPoliciesInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let user = users::get(&state, cx.account(), &i.user_name)?;
    let (policy_names, is_truncated, marker) = names(
        &user.record.inline_policies,
        i.marker.as_deref(),
        i.max_items,
    )?;
    Ok(wire::ListUserPoliciesOutput {
        policy_names,
        is_truncated,
        marker,
    }
    .into())
}

/// `PutGroupPolicy`.
pub fn put_group_policy(cx: &Cx<'_>, i: &wire::PutGroupPolicyInput) -> Result<Output, CoreError> {
    policies::validate(&i.policy_document, PolicyKind::Identity)?;
    cx.write(|txn| {
        groups::update(txn, cx.account(), &i.group_name, |record| {
            let list = &mut record.inline_policies;
            let document = &i.policy_document;
            policies::put_inline(list, &i.policy_name, document, InlineEntity::Group)
        })
    })?;
    Ok(Output::Empty)
}

/// `GetGroupPolicy`.
pub fn get_group_policy(cx: &Cx<'_>, i: &wire::GetGroupPolicyInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let group = groups::get(&state, cx.account(), &i.group_name)?;
    let (policy_name, policy_document) =
        find(&group.record.inline_policies, &i.policy_name, "group")?;
    Ok(wire::GetGroupPolicyOutput {
        group_name: group.record.name.clone(),
        policy_name,
        policy_document,
    }
    .into())
}

/// `DeleteGroupPolicy`.
pub fn delete_group_policy(
    cx: &Cx<'_>,
    i: &wire::DeleteGroupPolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        groups::update(txn, cx.account(), &i.group_name, |record| {
            remove(&mut record.inline_policies, &i.policy_name, "group")
        })
    })?;
    Ok(Output::Empty)
}

/// `ListGroupPolicies`.
pub fn list_group_policies(
    cx: &Cx<'_>,
    i: &wire::ListGroupPoliciesInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let group = groups::get(&state, cx.account(), &i.group_name)?;
    let (policy_names, is_truncated, marker) = names(
        &group.record.inline_policies,
        i.marker.as_deref(),
        i.max_items,
    )?;
    Ok(wire::ListGroupPoliciesOutput {
        policy_names,
        is_truncated,
        marker,
    }
    .into())
}

/// `PutRolePolicy`.
pub fn put_role_policy(cx: &Cx<'_>, i: &wire::PutRolePolicyInput) -> Result<Output, CoreError> {
    policies::validate(&i.policy_document, PolicyKind::Identity)?;
    cx.write(|txn| {
        roles::update(txn, cx.account(), &i.role_name, |record| {
            let list = &mut record.inline_policies;
            let document = &i.policy_document;
            policies::put_inline(list, &i.policy_name, document, InlineEntity::Role)
        })
    })?;
    Ok(Output::Empty)
}

/// `GetRolePolicy`.
pub fn get_role_policy(cx: &Cx<'_>, i: &wire::GetRolePolicyInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let role = roles::get(&state, cx.account(), &i.role_name)?;
    let (policy_name, policy_document) =
        find(&role.record.inline_policies, &i.policy_name, "role")?;
    Ok(wire::GetRolePolicyOutput {
        role_name: role.record.name.clone(),
        policy_name,
        policy_document,
    }
    .into())
}

/// `DeleteRolePolicy`.
pub fn delete_role_policy(
    cx: &Cx<'_>,
    i: &wire::DeleteRolePolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        roles::update(txn, cx.account(), &i.role_name, |record| {
            remove(&mut record.inline_policies, &i.policy_name, "role")
        })
    })?;
    Ok(Output::Empty)
}

/// `ListRolePolicies`.
pub fn list_role_policies(
    cx: &Cx<'_>,
    i: &wire::ListRolePoliciesInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let role = roles::get(&state, cx.account(), &i.role_name)?;
    let (policy_names, is_truncated, marker) = names(
        &role.record.inline_policies,
        i.marker.as_deref(),
        i.max_items,
    )?;
    Ok(wire::ListRolePoliciesOutput {
        policy_names,
        is_truncated,
        marker,
    }
    .into())
}
