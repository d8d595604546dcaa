//! Deleting a user, group or role as AWS's console does: the person types the name to
//! confirm, then everything IAM refuses to delete around (console password, access keys,
//! MFA devices, memberships, attached and inline policies) is removed first, each an IAM
//! call as the signed-in principal, and finally `DeleteUser` / `DeleteGroup` / `DeleteRole`.
//! Anything else that still holds the entity (an SSH key, an instance profile) makes IAM
//! answer `DeleteConflict`, shown as such.

use super::{Answer, invalid};
use crate::console::html;
use crate::console::{Ctx, Problem, output};

/// The confirmation form shown on an entity's page.
pub fn form(ctx: &Ctx<'_>, action: &str, kind: &str, name: &str) -> String {
    html::section(
        &format!("Delete {kind}"),
        &html::form(
            action,
            ctx.csrf(),
            &html::input(
                &format!("To confirm deletion, enter the {kind} name ({name})"),
                "confirm",
                "text",
                "",
                "required autocomplete=\"off\"",
            ),
            "Delete",
            "stack",
        ),
    )
}

fn confirmed(ctx: &Ctx<'_>, name: &str) -> Result<(), Problem> {
    if ctx.req.get("confirm").trim() == name {
        Ok(())
    } else {
        Err(invalid("Enter the name exactly to confirm the deletion."))
    }
}

/// `POST /console/users/NAME/delete`.
pub fn user(ctx: &Ctx<'_>, name: &str) -> Answer {
    confirmed(ctx, name)?;
    let user = [("UserName", name)];
    match ctx.iam("DeleteLoginProfile", &user) {
        Err(p) if p.status != 404 => return Err(p),
        _ => {}
    }
    let keys = output!(ctx.iam("ListAccessKeys", &user)?, ListAccessKeys)?;
    for key in &keys.access_key_metadata {
        ctx.iam(
            "DeleteAccessKey",
            &[("UserName", name), ("AccessKeyId", &key.access_key_id)],
        )?;
    }
    let devices = output!(ctx.iam("ListMFADevices", &user)?, ListMFADevices)?;
    for device in &devices.mfa_devices {
        let serial = device.serial_number.as_str();
        ctx.iam(
            "DeactivateMFADevice",
            &[("UserName", name), ("SerialNumber", serial)],
        )?;
        ctx.iam("DeleteVirtualMFADevice", &[("SerialNumber", serial)])?;
    }
    let groups = output!(ctx.iam("ListGroupsForUser", &user)?, ListGroupsForUser)?;
    for group in &groups.groups {
        ctx.iam(
            "RemoveUserFromGroup",
            &[("UserName", name), ("GroupName", &group.group_name)],
        )?;
    }
    let attached = output!(
        ctx.iam("ListAttachedUserPolicies", &user)?,
        ListAttachedUserPolicies
    )?;
    for policy in &attached.attached_policies {
        ctx.iam(
            "DetachUserPolicy",
            &[("UserName", name), ("PolicyArn", &policy.policy_arn)],
        )?;
    }
    let inline = output!(ctx.iam("ListUserPolicies", &user)?, ListUserPolicies)?;
    for policy in &inline.policy_names {
        ctx.iam(
            "DeleteUserPolicy",
            &[("UserName", name), ("PolicyName", policy)],
        )?;
    }
    ctx.iam("DeleteUser", &user)?;
    Ok(ctx.done("/console/users", &format!("User {name} deleted.")))
}

/// `POST /console/groups/NAME/delete`.
pub fn group(ctx: &Ctx<'_>, name: &str) -> Answer {
    confirmed(ctx, name)?;
    let group = [("GroupName", name)];
    let members = output!(ctx.iam("GetGroup", &group)?, GetGroup)?;
    for user in &members.users {
        ctx.iam(
            "RemoveUserFromGroup",
            &[("GroupName", name), ("UserName", &user.user_name)],
        )?;
    }
    let attached = output!(
        ctx.iam("ListAttachedGroupPolicies", &group)?,
        ListAttachedGroupPolicies
    )?;
    for policy in &attached.attached_policies {
        ctx.iam(
            "DetachGroupPolicy",
            &[("GroupName", name), ("PolicyArn", &policy.policy_arn)],
        )?;
    }
    let inline = output!(ctx.iam("ListGroupPolicies", &group)?, ListGroupPolicies)?;
    for policy in &inline.policy_names {
        ctx.iam(
            "DeleteGroupPolicy",
            &[("GroupName", name), ("PolicyName", policy)],
        )?;
    }
    ctx.iam("DeleteGroup", &group)?;
    Ok(ctx.done("/console/groups", &format!("User group {name} deleted.")))
}

/// `POST /console/roles/NAME/delete`.
pub fn role(ctx: &Ctx<'_>, name: &str) -> Answer {
    confirmed(ctx, name)?;
    let role = [("RoleName", name)];
    let attached = output!(
        ctx.iam("ListAttachedRolePolicies", &role)?,
        ListAttachedRolePolicies
    )?;
    for policy in &attached.attached_policies {
        ctx.iam(
            "DetachRolePolicy",
            &[("RoleName", name), ("PolicyArn", &policy.policy_arn)],
        )?;
    }
    let inline = output!(ctx.iam("ListRolePolicies", &role)?, ListRolePolicies)?;
    for policy in &inline.policy_names {
        ctx.iam(
            "DeleteRolePolicy",
            &[("RoleName", name), ("PolicyName", policy)],
        )?;
    }
    ctx.iam("DeleteRole", &role)?;
    Ok(ctx.done("/console/roles", &format!("Role {name} deleted.")))
}
