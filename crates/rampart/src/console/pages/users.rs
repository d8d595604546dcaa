//! Users: the list (`ListUsers`, `ListGroupsForUser`, `ListMFADevices`), create with a
//! console password (`CreateUser`, `CreateLoginProfile`, `AddUserToGroup`,
//! `AttachUserPolicy` — with "must create a new password" the `IAMUserChangePassword`
//! policy is attached, as AWS's console does), the user page's actions (groups, attached
//! policies, access keys — create with the secret shown once and a .csv download,
//! deactivate, activate, delete — and the console password: set, remove). The user page
//! itself is `user_page`.

use std::fmt::Write as _;

use super::{Answer, invalid};
use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem, output};

/// AWS's managed policy that lets a user change their own password.
const CHANGE_PASSWORD_POLICY: &str = "arn:aws:iam::aws:policy/IAMUserChangePassword";

pub(super) fn user_link(name: &str) -> String {
    html::link(&format!("/console/users/{}", url(name)), name)
}

/// Days since `unix`, as the console shows ages.
fn age_days(now: i64, unix: i64) -> String {
    let days = (now - unix).max(0) / 86_400;
    if days == 1 {
        "1 day".to_owned()
    } else {
        format!("{days} days")
    }
}

/// One row of the user list: the user and what the console shows about them.
fn user_row(ctx: &Ctx<'_>, user: &rampart_wire::iam::User) -> Result<Vec<String>, Problem> {
    let name = user.user_name.as_str();
    let now = ctx.req.now();
    let groups = output!(
        ctx.iam("ListGroupsForUser", &[("UserName", name)])?,
        ListGroupsForUser
    )?;
    let mfa = output!(
        ctx.iam("ListMFADevices", &[("UserName", name)])?,
        ListMFADevices
    )?;
    let console = match ctx.iam("GetLoginProfile", &[("UserName", name)]) {
        Ok(_) => "Enabled",
        Err(p) if p.status == 404 => "Disabled",
        Err(p) => return Err(p),
    };
    let keys = output!(
        ctx.iam("ListAccessKeys", &[("UserName", name)])?,
        ListAccessKeys
    )?;
    let oldest_active = keys
        .access_key_metadata
        .iter()
        .filter(|k| k.status.as_str() == "Active")
        .map(|k| k.create_date.0)
        .min();
    let mut last_activity = user.password_last_used.map(|t| t.0);
    for key in &keys.access_key_metadata {
        let used = output!(
            ctx.iam(
                "GetAccessKeyLastUsed",
                &[("AccessKeyId", &key.access_key_id)]
            )?,
            GetAccessKeyLastUsed
        )?;
        let at = used
            .access_key_last_used
            .and_then(|u| u.last_used_date)
            .map(|t| t.0);
        last_activity = last_activity.max(at);
    }
    let none = || "<span class=\"muted\">None</span>".to_owned();
    Ok(vec![
        user_link(name),
        esc(&groups
            .groups
            .iter()
            .map(|g| g.group_name.as_str())
            .collect::<Vec<_>>()
            .join(", ")),
        last_activity.map_or_else(none, html::when),
        if mfa.mfa_devices.is_empty() {
            none()
        } else {
            "Virtual".to_owned()
        },
        console.to_owned(),
        user.password_last_used.map_or_else(
            || "<span class=\"muted\">Never</span>".to_owned(),
            |t| html::when(t.0),
        ),
        oldest_active.map_or_else(none, |t| age_days(now, t)),
        html::when(user.create_date.0),
    ])
}

/// `GET /console/users`.
pub fn list(ctx: &Ctx<'_>) -> Answer {
    let users = output!(ctx.iam("ListUsers", &[("MaxItems", "1000")])?, ListUsers)?;
    let rows = users
        .users
        .iter()
        .map(|u| user_row(ctx, u))
        .collect::<Result<Vec<_>, _>>()?;
    let table = html::table(
        &format!("Users ({})", users.users.len()),
        &[
            "User name",
            "Groups",
            "Last activity",
            "MFA",
            "Console access",
            "Console last sign-in",
            "Active key age",
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
        "mfa-create" => return super::credentials::mfa_create(ctx, Some(name)),
        "mfa-enable" => return super::credentials::mfa_enable(ctx, Some(name)),
        "mfa-remove" => {
            let serial = get("SerialNumber");
            ctx.iam(
                "DeactivateMFADevice",
                &[("UserName", name), ("SerialNumber", serial)],
            )?;
            ctx.iam("DeleteVirtualMFADevice", &[("SerialNumber", serial)])?;
            "MFA device removed."
        }
        "mfa-resync" => {
            ctx.iam(
                "ResyncMFADevice",
                &[
                    ("UserName", name),
                    ("SerialNumber", get("SerialNumber")),
                    ("AuthenticationCode1", get("AuthenticationCode1").trim()),
                    ("AuthenticationCode2", get("AuthenticationCode2").trim()),
                ],
            )?;
            "MFA device resynchronized."
        }
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
