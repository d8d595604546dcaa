//! The user page: summary, permissions (attached directly, inline with their JSON, and
//! via groups), groups, tags, and security credentials (console password, MFA devices,
//! access keys with their last use) — `GetUser`, `ListAttachedUserPolicies`,
//! `ListUserPolicies`, `GetUserPolicy`, `ListGroupsForUser`, `ListAttachedGroupPolicies`,
//! `ListUserTags`, `GetLoginProfile`, `ListMFADevices`, `ListAccessKeys`,
//! `GetAccessKeyLastUsed`. Its forms post to `users::act`.

use super::Answer;
use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem, output};

/// `GET /console/users/NAME`.
pub fn show(ctx: &Ctx<'_>, name: &str) -> Answer {
    let user = output!(ctx.iam("GetUser", &[("UserName", name)])?, GetUser)?.user;
    let groups = output!(
        ctx.iam("ListGroupsForUser", &[("UserName", name)])?,
        ListGroupsForUser
    )?;
    let policies = output!(
        ctx.iam("ListAttachedUserPolicies", &[("UserName", name)])?,
        ListAttachedUserPolicies
    )?;
    let base = format!("/console/users/{}", url(name));
    let csrf = ctx.csrf();
    let summary = html::section(
        "Summary",
        &format!(
            "<p>ARN <code>{}</code></p><p>Created {}</p>",
            esc(&user.arn),
            html::when(user.create_date.0)
        ),
    );
    let group_rows: Vec<Vec<String>> = groups
        .groups
        .iter()
        .map(|g| {
            vec![html::link(
                &format!("/console/groups/{}", url(&g.group_name)),
                &g.group_name,
            )]
        })
        .collect();
    let all_groups = output!(ctx.iam("ListGroups", &[])?, ListGroups)?;
    let options: Vec<(String, String)> = all_groups
        .groups
        .iter()
        .map(|g| (g.group_name.clone(), g.group_name.clone()))
        .collect();
    let groups_html = format!(
        "{}{}",
        html::table(
            "Groups",
            &["Group name"],
            &group_rows,
            "The user is in no group."
        ),
        if options.is_empty() {
            String::new()
        } else {
            html::form(
                &format!("{base}/add-to-group"),
                csrf,
                &html::select("Group", "GroupName", &options),
                "Add user to group",
                "stack",
            )
        }
    );
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
    let permissions = format!(
        "{}{}",
        html::table(
            "Permissions policies (attached directly)",
            &["Policy name", ""],
            &policy_rows,
            "No policies attached."
        ),
        html::form(
            &format!("{base}/attach-policy"),
            csrf,
            &html::input(
                "Policy ARN",
                "PolicyArn",
                "text",
                "",
                "required placeholder=\"arn:aws:iam::aws:policy/ReadOnlyAccess\""
            ),
            "Attach policy",
            "stack"
        ),
    );
    let body = format!(
        "{summary}{}{}{}{}",
        html::section(
            "Permissions",
            &format!(
                "{permissions}{}{}",
                inline_policies(ctx, name)?,
                via_groups(ctx, &groups.groups)?
            )
        ),
        html::section("Groups", &groups_html),
        tags(ctx, name)?,
        credentials(ctx, name, &base)?,
    );
    Ok(ctx.page("Users", name, &body))
}

/// The user's inline policies with their JSON.
fn inline_policies(ctx: &Ctx<'_>, name: &str) -> Result<String, Problem> {
    let names = output!(
        ctx.iam("ListUserPolicies", &[("UserName", name)])?,
        ListUserPolicies
    )?;
    let mut rows = Vec::new();
    for policy in &names.policy_names {
        let got = output!(
            ctx.iam(
                "GetUserPolicy",
                &[("UserName", name), ("PolicyName", policy)]
            )?,
            GetUserPolicy
        )?;
        let pretty = serde_json::from_str::<serde_json::Value>(&got.policy_document.0)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or(got.policy_document.0);
        rows.push(vec![format!(
            "<details><summary>{}</summary><pre>{}</pre></details>",
            esc(policy),
            esc(&pretty)
        )]);
    }
    Ok(html::table(
        "Inline policies",
        &["Policy name"],
        &rows,
        "No inline policies.",
    ))
}

/// The managed policies the user gets from its groups.
fn via_groups(ctx: &Ctx<'_>, groups: &[rampart_wire::iam::Group]) -> Result<String, Problem> {
    let mut rows = Vec::new();
    for group in groups {
        let attached = output!(
            ctx.iam(
                "ListAttachedGroupPolicies",
                &[("GroupName", &group.group_name)]
            )?,
            ListAttachedGroupPolicies
        )?;
        for p in attached.attached_policies {
            rows.push(vec![
                html::link(
                    &format!("/console/policies/view?arn={}", url(&p.policy_arn)),
                    &p.policy_name,
                ),
                html::link(
                    &format!("/console/groups/{}", url(&group.group_name)),
                    &group.group_name,
                ),
            ]);
        }
    }
    Ok(html::table(
        "Permissions policies (attached from groups)",
        &["Policy name", "Attached via"],
        &rows,
        "No policies from groups.",
    ))
}

/// The user's tags.
fn tags(ctx: &Ctx<'_>, name: &str) -> Result<String, Problem> {
    let tags = output!(
        ctx.iam("ListUserTags", &[("UserName", name)])?,
        ListUserTags
    )?;
    let rows: Vec<Vec<String>> = tags
        .tags
        .iter()
        .map(|t| vec![esc(&t.key), esc(&t.value)])
        .collect();
    Ok(html::section(
        "Tags",
        &html::table("Tags", &["Key", "Value"], &rows, "No tags."),
    ))
}

/// The user's security credentials: console password and access keys.
fn credentials(ctx: &Ctx<'_>, name: &str, base: &str) -> Result<String, Problem> {
    let csrf = ctx.csrf();
    let profile = match ctx.iam("GetLoginProfile", &[("UserName", name)]) {
        Ok(out) => Some(output!(out, GetLoginProfile)?.login_profile),
        Err(p) if p.status == 404 => None,
        Err(p) => return Err(p),
    };
    let password_fields = format!(
        "{}{}",
        html::input(
            "Console password",
            "Password",
            "password",
            "",
            "required autocomplete=\"new-password\""
        ),
        html::checkbox(
            "User must create a new password at next sign-in",
            "PasswordResetRequired",
            false
        ),
    );
    let console = match profile {
        Some(p) => format!(
            "<p>Console access: <b>Enabled</b> (since {}){}</p>{}{}",
            html::when(p.create_date.0),
            if p.password_reset_required == Some(true) {
                ", password reset required"
            } else {
                ""
            },
            html::form(
                &format!("{base}/password"),
                csrf,
                &password_fields,
                "Set console password",
                "stack"
            ),
            html::button_form(
                &format!("{base}/password-delete"),
                csrf,
                &[],
                "Disable console access"
            ),
        ),
        None => format!(
            "<p>Console access: <b>Disabled</b></p>{}",
            html::form(
                &format!("{base}/password"),
                csrf,
                &password_fields,
                "Enable console access",
                "stack"
            )
        ),
    };
    let keys = output!(
        ctx.iam("ListAccessKeys", &[("UserName", name)])?,
        ListAccessKeys
    )?;
    let rows: Vec<Vec<String>> = keys
        .access_key_metadata
        .iter()
        .map(|k| {
            let id = k.access_key_id.as_str();
            let active = k.status.as_str() == "Active";
            let toggle = html::button_form(
                &format!("{base}/key-status"),
                csrf,
                &[
                    ("AccessKeyId", id),
                    ("Status", if active { "Inactive" } else { "Active" }),
                ],
                if active { "Deactivate" } else { "Activate" },
            );
            let delete = html::button_form(
                &format!("{base}/key-delete"),
                csrf,
                &[("AccessKeyId", id)],
                "Delete",
            );
            let last_used = ctx
                .iam("GetAccessKeyLastUsed", &[("AccessKeyId", id)])
                .ok()
                .and_then(|out| output!(out, GetAccessKeyLastUsed).ok())
                .and_then(|o| o.access_key_last_used)
                .and_then(|u| {
                    u.last_used_date
                        .map(|t| format!("{} ({})", html::when(t.0), esc(&u.service_name)))
                })
                .unwrap_or_else(|| "<span class=\"muted\">Never</span>".to_owned());
            vec![
                format!("<code>{}</code>", esc(id)),
                esc(k.status.as_str()),
                html::when(k.create_date.0),
                last_used,
                format!("{toggle}{delete}"),
            ]
        })
        .collect();
    let keys_html = format!(
        "{}{}",
        html::table(
            "Access keys",
            &["Access key ID", "Status", "Created", "Last used", "Actions"],
            &rows,
            "No access keys."
        ),
        html::button_form(
            &format!("{base}/key-create"),
            csrf,
            &[],
            "Create access key"
        ),
    );
    let mfa = super::credentials::mfa_section(ctx, Some(name))?;
    Ok(html::section(
        "Security credentials",
        &format!("{console}{mfa}{keys_html}"),
    ))
}
