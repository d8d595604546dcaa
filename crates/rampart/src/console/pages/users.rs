//! Users: the list (`ListUsers`, `ListGroupsForUser`, `ListMFADevices`), create with a
//! console password (`CreateUser`, `CreateLoginProfile`, `AddUserToGroup`,
//! `AttachUserPolicy` — with "must create a new password" the `IAMUserChangePassword`
//! policy is attached, as AWS's console does), and the user page: groups, attached
//! policies, access keys (create — the secret shown once, with a .csv download —,
//! deactivate, activate, delete) and the console password (set, remove).

use std::fmt::Write as _;

use super::{Answer, invalid};
use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem, output};

/// AWS's managed policy that lets a user change their own password.
const CHANGE_PASSWORD_POLICY: &str = "arn:aws:iam::aws:policy/IAMUserChangePassword";

fn user_link(name: &str) -> String {
    html::link(&format!("/console/users/{}", url(name)), name)
}

/// `GET /console/users`.
pub fn list(ctx: &Ctx<'_>) -> Answer {
    let users = output!(ctx.iam("ListUsers", &[("MaxItems", "1000")])?, ListUsers)?;
    let mut rows = Vec::new();
    for user in &users.users {
        let name = user.user_name.as_str();
        let groups = output!(
            ctx.iam("ListGroupsForUser", &[("UserName", name)])?,
            ListGroupsForUser
        )?;
        let mfa = output!(
            ctx.iam("ListMFADevices", &[("UserName", name)])?,
            ListMFADevices
        )?;
        rows.push(vec![
            user_link(name),
            esc(&groups
                .groups
                .iter()
                .map(|g| g.group_name.as_str())
                .collect::<Vec<_>>()
                .join(", ")),
            if mfa.mfa_devices.is_empty() {
                "<span class=\"muted\">None</span>".to_owned()
            } else {
                "Virtual".to_owned()
            },
            user.password_last_used.map_or_else(
                || "<span class=\"muted\">Never</span>".to_owned(),
                |t| html::when(t.0),
            ),
            html::when(user.create_date.0),
        ]);
    }
    let table = html::table(
        &format!("Users ({})", users.users.len()),
        &[
            "User name",
            "Groups",
            "MFA",
            "Console last sign-in",
            "Creation time",
        ],
        &rows,
        "No users to display.",
    );
    let groups = output!(ctx.iam("ListGroups", &[])?, ListGroups)?;
    let mut group_options = vec![(String::new(), "(none)".to_owned())];
    group_options.extend(
        groups
            .groups
            .iter()
            .map(|g| (g.group_name.clone(), g.group_name.clone())),
    );
    let fields = format!(
        "{}{}{}{}{}",
        html::input("User name", "UserName", "text", "", "required"),
        html::checkbox("Provide user access to the console", "console", true),
        html::input(
            "Console password",
            "Password",
            "password",
            "",
            "autocomplete=\"new-password\""
        ),
        html::checkbox(
            "Users must create a new password at next sign-in",
            "PasswordResetRequired",
            true
        ),
        html::select("Add user to group", "GroupName", &group_options),
    );
    let create = html::section(
        "Create user",
        &html::form(
            "/console/users",
            ctx.csrf(),
            &fields,
            "Create user",
            "stack",
        ),
    );
    Ok(ctx.page(
        "Users",
        "Users",
        &format!("{}{create}", html::section("", &table)),
    ))
}

/// `POST /console/users`.
pub fn create(ctx: &Ctx<'_>) -> Answer {
    let name = ctx.req.get("UserName");
    let console = ctx.req.get("console") == "true";
    let password = ctx.req.get("Password");
    if console && password.is_empty() {
        return Err(invalid(
            "Enter a console password, or clear the console access option.",
        ));
    }
    ctx.iam("CreateUser", &[("UserName", name)])?;
    if console {
        let reset = ctx.req.get("PasswordResetRequired") == "true";
        ctx.iam(
            "CreateLoginProfile",
            &[
                ("UserName", name),
                ("Password", password),
                (
                    "PasswordResetRequired",
                    if reset { "true" } else { "false" },
                ),
            ],
        )?;
        if reset {
            ctx.iam(
                "AttachUserPolicy",
                &[("UserName", name), ("PolicyArn", CHANGE_PASSWORD_POLICY)],
            )?;
        }
    }
    let group = ctx.req.get("GroupName");
    if !group.is_empty() {
        ctx.iam(
            "AddUserToGroup",
            &[("UserName", name), ("GroupName", group)],
        )?;
    }
    Ok(ctx.done(
        &format!("/console/users/{}", url(name)),
        &format!("User {name} created."),
    ))
}

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
        "{summary}{}{}{}",
        html::section("Permissions", &permissions),
        html::section("Groups", &groups_html),
        credentials(ctx, name, &base)?,
    );
    Ok(ctx.page("Users", name, &body))
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
            vec![
                format!("<code>{}</code>", esc(id)),
                esc(k.status.as_str()),
                html::when(k.create_date.0),
                format!("{toggle}{delete}"),
            ]
        })
        .collect();
    let keys_html = format!(
        "{}{}",
        html::table(
            "Access keys",
            &["Access key ID", "Status", "Created", "Actions"],
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
    Ok(html::section(
        "Security credentials",
        &format!("{console}{keys_html}"),
    ))
}

/// `POST /console/users/NAME/ACTION`.
pub fn act(ctx: &Ctx<'_>, name: &str, action: &str) -> Answer {
    let base = format!("/console/users/{}", url(name));
    let get = |field: &str| ctx.req.get(field);
    let message = match action {
        "add-to-group" => {
            ctx.iam(
                "AddUserToGroup",
                &[("UserName", name), ("GroupName", get("GroupName"))],
            )?;
            "User added to the group."
        }
        "attach-policy" => {
            ctx.iam(
                "AttachUserPolicy",
                &[("UserName", name), ("PolicyArn", get("PolicyArn").trim())],
            )?;
            "Policy attached."
        }
        "detach-policy" => {
            ctx.iam(
                "DetachUserPolicy",
                &[("UserName", name), ("PolicyArn", get("PolicyArn"))],
            )?;
            "Policy removed."
        }
        "password" => {
            let reset = if get("PasswordResetRequired") == "true" {
                "true"
            } else {
                "false"
            };
            let pairs = [
                ("UserName", name),
                ("Password", get("Password")),
                ("PasswordResetRequired", reset),
            ];
            match ctx.iam("GetLoginProfile", &[("UserName", name)]) {
                Ok(_) => ctx.iam("UpdateLoginProfile", &pairs)?,
                Err(p) if p.status == 404 => ctx.iam("CreateLoginProfile", &pairs)?,
                Err(p) => return Err(p),
            };
            "Console password set."
        }
        "password-delete" => {
            ctx.iam("DeleteLoginProfile", &[("UserName", name)])?;
            "Console access disabled."
        }
        "key-status" => {
            ctx.iam(
                "UpdateAccessKey",
                &[
                    ("UserName", name),
                    ("AccessKeyId", get("AccessKeyId")),
                    ("Status", get("Status")),
                ],
            )?;
            "Access key updated."
        }
        "key-delete" => {
            ctx.iam(
                "DeleteAccessKey",
                &[("UserName", name), ("AccessKeyId", get("AccessKeyId"))],
            )?;
            "Access key deleted."
        }
        "key-create" => return created_key(ctx, Some(name), &base),
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done(&base, message))
}

/// Creates an access key (for `user`, or the caller's own) and shows its secret once.
pub fn created_key(ctx: &Ctx<'_>, user: Option<&str>, back: &str) -> Answer {
    let pairs: Vec<(&str, &str)> = user.map(|u| vec![("UserName", u)]).unwrap_or_default();
    let key = output!(ctx.iam("CreateAccessKey", &pairs)?, CreateAccessKey)?.access_key;
    let id = key.access_key_id.as_str();
    let secret = key.secret_access_key.expose();
    let mut body = String::new();
    let _ = write!(
        body,
        "<div class=\"alert warning\" role=\"alert\">This is the only time the secret access key can be viewed or downloaded. \
         You cannot recover it later; you can create a new access key at any time.</div>\
         <p>Access key <code>{}</code></p><p>Secret access key <code>{}</code></p>{}<p><a href=\"{}\">Done</a></p>",
        esc(id),
        esc(secret),
        html::button_form(
            "/console/access-key.csv",
            ctx.csrf(),
            &[("AccessKeyId", id), ("SecretAccessKey", secret)],
            "Download .csv file"
        ),
        esc(back),
    );
    Ok(ctx.page(
        if user.is_some() {
            "Users"
        } else {
            "Security credentials"
        },
        "Retrieve access key",
        &body,
    ))
}

/// `POST /console/access-key.csv`: the key just shown, as AWS's console downloads it.
pub fn key_csv(ctx: &Ctx<'_>) -> Answer {
    let field = |name: &str| ctx.req.get(name).replace(['"', ',', '\n', '\r'], "");
    let csv = format!(
        "Access key ID,Secret access key\n{},{}\n",
        field("AccessKeyId"),
        field("SecretAccessKey")
    );
    Ok(crate::console::html::respond(
        200,
        "text/csv; charset=utf-8",
        csv.into_bytes(),
        vec![(
            "content-disposition",
            format!(
                "attachment; filename=\"{}_accessKeys.csv\"",
                field("AccessKeyId")
            ),
        )],
    ))
}
