//! Groups: list (`ListGroups`), create (`CreateGroup`), and the group page with its users
//! (`GetGroup`, `AddUserToGroup`, `RemoveUserFromGroup`) and attached policies
//! (`ListAttachedGroupPolicies`, `AttachGroupPolicy`, `DetachGroupPolicy`).

use super::Answer;
use crate::console::html::{self, url};
use crate::console::{Ctx, output};

/// `GET /console/groups`.
pub fn list(ctx: &Ctx<'_>) -> Answer {
    let groups = output!(ctx.iam("ListGroups", &[("MaxItems", "1000")])?, ListGroups)?;
    let rows: Vec<Vec<String>> = groups
        .groups
        .iter()
        .map(|g| {
            vec![
                html::link(
                    &format!("/console/groups/{}", url(&g.group_name)),
                    &g.group_name,
                ),
                html::when(g.create_date.0),
            ]
        })
        .collect();
    let table = html::table(
        &format!("User groups ({})", groups.groups.len()),
        &["Group name", "Creation time"],
        &rows,
        "No groups to display.",
    );
    let create = html::form(
        "/console/groups",
        ctx.csrf(),
        &html::input("User group name", "GroupName", "text", "", "required"),
        "Create group",
        "stack",
    );
    let body = format!(
        "{}{}",
        html::section("", &table),
        html::section("Create user group", &create)
    );
    Ok(ctx.page("Groups", "User groups", &body))
}

/// `POST /console/groups`.
pub fn create(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.req.get("GroupName");
    ctx.iam("CreateGroup", &[("GroupName", name)])?;
    Ok(ctx.done(
        &format!("/console/groups/{}", url(name)),
        &format!("User group {name} created."),
    ))
}

/// `GET /console/groups/NAME`.
pub fn show(ctx: &Ctx<'_>, name: &str) -> Answer {
    let group = output!(ctx.iam("GetGroup", &[("GroupName", name)])?, GetGroup)?;
    let policies = output!(
        ctx.iam("ListAttachedGroupPolicies", &[("GroupName", name)])?,
        ListAttachedGroupPolicies
    )?;
    let base = format!("/console/groups/{}", url(name));
    let csrf = ctx.csrf();
    let user_rows: Vec<Vec<String>> = group
        .users
        .iter()
        .map(|u| {
            vec![
                html::link(
                    &format!("/console/users/{}", url(&u.user_name)),
                    &u.user_name,
                ),
                html::button_form(
                    &format!("{base}/remove-user"),
                    csrf,
                    &[("UserName", &u.user_name)],
                    "Remove",
                ),
            ]
        })
        .collect();
    let users = output!(ctx.iam("ListUsers", &[("MaxItems", "1000")])?, ListUsers)?;
    let options: Vec<(String, String)> = users
        .users
        .iter()
        .filter(|u| !group.users.iter().any(|m| m.user_name == u.user_name))
        .map(|u| (u.user_name.clone(), u.user_name.clone()))
        .collect();
    let add = if options.is_empty() {
        String::new()
    } else {
        html::form(
            &format!("{base}/add-user"),
            csrf,
            &html::select("User", "UserName", &options),
            "Add users",
            "stack",
        )
    };
    let policy_rows: Vec<Vec<String>> = policies
        .attached_policies
        .iter()
        .map(|p| {
            vec![
                html::link(
                    &format!("/console/policies/view?arn={}", url(&p.policy_arn)),
                    &p.policy_name,
                ),
                html::button_form(
                    &format!("{base}/detach-policy"),
                    csrf,
                    &[("PolicyArn", &p.policy_arn)],
                    "Remove",
                ),
            ]
        })
        .collect();
    let attach = html::form(
        &format!("{base}/attach-policy"),
        csrf,
        &html::input(
            "Policy ARN",
            "PolicyArn",
            "text",
            "",
            "required placeholder=\"arn:aws:iam::aws:policy/ReadOnlyAccess\"",
        ),
        "Attach policy",
        "stack",
    );
    let body = format!(
        "{}{}",
        html::section(
            "Users",
            &format!(
                "{}{add}",
                html::table(
                    "Users in this group",
                    &["User name", ""],
                    &user_rows,
                    "No users in this group."
                )
            )
        ),
        html::section(
            "Permissions",
            &format!(
                "{}{attach}",
                html::table(
                    "Permissions policies",
                    &["Policy name", ""],
                    &policy_rows,
                    "No policies attached."
                )
            )
        ),
    );
    Ok(ctx.page("Groups", name, &body))
}

/// `POST /console/groups/NAME/ACTION`.
pub fn act(ctx: &Ctx<'_>, name: &str, action: &str) -> Answer {
    let get = |field: &str| ctx.req.get(field);
    let message = match action {
        "add-user" => {
            ctx.iam(
                "AddUserToGroup",
                &[("GroupName", name), ("UserName", get("UserName"))],
            )?;
            "User added."
        }
        "remove-user" => {
            ctx.iam(
                "RemoveUserFromGroup",
                &[("GroupName", name), ("UserName", get("UserName"))],
            )?;
            "User removed."
        }
        "attach-policy" => {
            ctx.iam(
                "AttachGroupPolicy",
                &[("GroupName", name), ("PolicyArn", get("PolicyArn").trim())],
            )?;
            "Policy attached."
        }
        "detach-policy" => {
            ctx.iam(
                "DetachGroupPolicy",
                &[("GroupName", name), ("PolicyArn", get("PolicyArn"))],
            )?;
            "Policy removed."
        }
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done(&format!("/console/groups/{}", url(name)), message))
}
