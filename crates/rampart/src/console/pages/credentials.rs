//! My security credentials, for whoever is signed in: change password (users:
//! `ChangePassword`; root: the root password change of `request::signin`), the virtual MFA
//! wizard (device name → `CreateVirtualMFADevice` → QR code and secret key → two
//! consecutive codes → `EnableMFADevice`; remove: `DeactivateMFADevice` +
//! `DeleteVirtualMFADevice`), and the principal's own access keys (`ListAccessKeys`,
//! `CreateAccessKey` for users, `DeleteAccessKey`; root is warned against having any).

use super::{Answer, invalid};
use crate::console::html::{self, esc};
use crate::console::{Ctx, Problem, output};

/// The `UserName` IAM's MFA operations take for the signed-in principal (root: the account id).
fn own_name(ctx: &Ctx<'_>) -> String {
    ctx.session.caller.user_name().map_or_else(
        || ctx.session.caller.account.as_str().to_owned(),
        str::to_owned,
    )
}

fn user_pairs(ctx: &Ctx<'_>) -> Vec<(&'static str, String)> {
    ctx.session
        .caller
        .user_name()
        .map(|n| vec![("UserName", n.to_owned())])
        .unwrap_or_default()
}

/// The MFA devices of `target` (an IAM user's name; `None`: the signed-in principal) with
/// remove and resync forms, and the first step of the wizard.
pub(super) fn mfa_section(ctx: &Ctx<'_>, target: Option<&str>) -> Result<String, Problem> {
    let csrf = ctx.csrf();
    let base = wizard_base(target);
    let pairs: Vec<(&str, String)> = match target {
        Some(user) => vec![("UserName", user.to_owned())],
        None => user_pairs(ctx),
    };
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let devices = output!(ctx.iam("ListMFADevices", &borrowed)?, ListMFADevices)?;
    let code = |label: &str, name: &str| {
        html::input(
            label,
            name,
            "text",
            "",
            "required inputmode=\"numeric\" autocomplete=\"off\" pattern=\"[0-9]{6}\"",
        )
    };
    let rows: Vec<Vec<String>> = devices
        .mfa_devices
        .iter()
        .map(|d| {
            let serial = d.serial_number.as_str();
            let resync = format!(
                "<details><summary>Resync</summary>{}</details>",
                html::form(
                    &format!("{base}/mfa-resync"),
                    csrf,
                    &format!(
                        "<input type=\"hidden\" name=\"SerialNumber\" value=\"{}\">{}{}",
                        esc(serial),
                        code("MFA code 1", "AuthenticationCode1"),
                        code("MFA code 2", "AuthenticationCode2")
                    ),
                    "Resync",
                    "stack",
                )
            );
            vec![
                format!("<code>{}</code>", esc(serial)),
                "Virtual".to_owned(),
                html::when(d.enable_date.0),
                format!(
                    "{}{resync}",
                    html::button_form(
                        &format!("{base}/mfa-remove"),
                        csrf,
                        &[("SerialNumber", serial)],
                        "Remove"
                    )
                ),
            ]
        })
        .collect();
    let assign = html::form(
        &format!("{base}/mfa-create"),
        csrf,
        &html::input(
            "Device name",
            "VirtualMFADeviceName",
            "text",
            "",
            "required maxlength=\"64\"",
        ),
        "Assign MFA device",
        "stack",
    );
    Ok(format!(
        "{}<h3>Assign MFA device</h3><p class=\"muted\">Use an authenticator app on a phone or computer.</p>{assign}",
        html::table(
            "Multi-factor authentication (MFA)",
            &["Identifier", "Type", "Created on", ""],
            &rows,
            "No MFA devices. Assign an MFA device to improve the security of your account."
        )
    ))
}

/// `GET /console/security-credentials`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    let csrf = ctx.csrf();
    let pairs = user_pairs(ctx);
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mfa = mfa_section(ctx, None)?;
    let password = html::form(
        "/console/security-credentials/password",
        csrf,
        &format!(
            "{}{}{}",
            html::input(
                "Current password",
                "old_password",
                "password",
                "",
                "required autocomplete=\"current-password\""
            ),
            html::input(
                "New password",
                "new_password",
                "password",
                "",
                "required autocomplete=\"new-password\""
            ),
            html::input(
                "Confirm new password",
                "confirm_password",
                "password",
                "",
                "required autocomplete=\"new-password\""
            ),
        ),
        "Update password",
        "stack",
    );
    let keys = output!(ctx.iam("ListAccessKeys", &borrowed)?, ListAccessKeys)?;
    let key_rows: Vec<Vec<String>> = keys
        .access_key_metadata
        .iter()
        .map(|k| {
            vec![
                format!("<code>{}</code>", esc(&k.access_key_id)),
                esc(k.status.as_str()),
                html::when(k.create_date.0),
                html::button_form(
                    "/console/security-credentials/key-delete",
                    csrf,
                    &[("AccessKeyId", &k.access_key_id)],
                    "Delete",
                ),
            ]
        })
        .collect();
    let key_intro = if ctx.is_root() {
        "<div class=\"alert warning\">Root user access keys provide unrestricted access to the whole account. AWS recommends that you delete them and use IAM users or roles instead.</div>".to_owned()
    } else {
        html::button_form(
            "/console/security-credentials/key-create",
            csrf,
            &[],
            "Create access key",
        )
    };
    let body = format!(
        "<p>ARN <code>{}</code></p>{}{}{}",
        esc(&ctx.session.caller.arn()),
        html::section("Console password", &password),
        html::section("Multi-factor authentication (MFA)", &mfa),
        html::section(
            "Access keys",
            &format!(
                "{key_intro}{}",
                html::table(
                    "Access keys",
                    &["Access key ID", "Status", "Created", ""],
                    &key_rows,
                    "No access keys."
                )
            )
        ),
    );
    Ok(ctx.page("Security credentials", "My security credentials", &body))
}

/// `POST /console/security-credentials/ACTION`.
pub fn act(ctx: &Ctx<'_>, action: &str) -> Answer {
    let back = "/console/security-credentials";
    let get = |name: &str| ctx.req.get(name);
    let message = match action {
        "password" => return change_password(ctx),
        "mfa-create" => return mfa_create(ctx, None),
        "mfa-enable" => return mfa_enable(ctx, None),
        "mfa-resync" => {
            let own = own_name(ctx);
            ctx.iam(
                "ResyncMFADevice",
                &[
                    ("UserName", own.as_str()),
                    ("SerialNumber", get("SerialNumber")),
                    ("AuthenticationCode1", get("AuthenticationCode1").trim()),
                    ("AuthenticationCode2", get("AuthenticationCode2").trim()),
                ],
            )?;
            "MFA device resynchronized."
        }
        "mfa-remove" => {
            let mut pairs = user_pairs(ctx);
            pairs.push(("SerialNumber", get("SerialNumber").to_owned()));
            let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            ctx.iam("DeactivateMFADevice", &borrowed)?;
            ctx.iam(
                "DeleteVirtualMFADevice",
                &[("SerialNumber", get("SerialNumber"))],
            )?;
            "MFA device removed."
        }
        "key-create" if !ctx.is_root() => return super::users::created_key(ctx, None, back),
        "key-delete" => {
            ctx.iam("DeleteAccessKey", &[("AccessKeyId", get("AccessKeyId"))])?;
            "Access key deleted."
        }
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done(back, message))
}

fn change_password(ctx: &Ctx<'_>) -> Answer {
    let (old, new) = (ctx.req.get("old_password"), ctx.req.get("new_password"));
    if new != ctx.req.get("confirm_password") {
        return Err(invalid("The new passwords do not match."));
    }
    if ctx.is_root() {
        let state = ctx.requests.engine().snapshot();
        let email = state
            .account(&ctx.session.caller.account)
            .map(|a| a.email.clone())
            .unwrap_or_default();
        ctx.requests
            .root_password_change(&ctx.req.origin, &email, old, new)
            .map_err(Problem::from)?;
    } else {
        ctx.iam(
            "ChangePassword",
            &[("OldPassword", old), ("NewPassword", new)],
        )?;
    }
    Ok(ctx.done("/console/security-credentials", "Password updated."))
}

/// Where the wizard for `target` (an IAM user's name; `None`: the signed-in principal)
/// posts and returns to.
fn wizard_base(target: Option<&str>) -> String {
    match target {
        Some(user) => format!("/console/users/{}", crate::console::html::url(user)),
        None => "/console/security-credentials".to_owned(),
    }
}

/// Step 2 of the wizard: the new device's QR code and secret key, and the two codes.
pub(super) fn mfa_create(ctx: &Ctx<'_>, target: Option<&str>) -> Answer {
    let name = ctx.req.get("VirtualMFADeviceName");
    let device = output!(
        ctx.iam("CreateVirtualMFADevice", &[("VirtualMFADeviceName", name)])?,
        CreateVirtualMFADevice
    )?
    .virtual_mfa_device;
    let qr = device
        .qr_code_png
        .map(|b| data_encoding::BASE64.encode(&b.0))
        .unwrap_or_default();
    let seed = device
        .base32_string_seed
        .map(|b| String::from_utf8_lossy(&b.0).into_owned())
        .unwrap_or_default();
    let fields = format!(
        "<input type=\"hidden\" name=\"SerialNumber\" value=\"{}\">{}{}",
        esc(&device.serial_number),
        html::input(
            "MFA code 1",
            "AuthenticationCode1",
            "text",
            "",
            "required inputmode=\"numeric\" autocomplete=\"off\" pattern=\"[0-9]{6}\""
        ),
        html::input(
            "MFA code 2",
            "AuthenticationCode2",
            "text",
            "",
            "required inputmode=\"numeric\" autocomplete=\"off\" pattern=\"[0-9]{6}\""
        ),
    );
    let body = html::section(
        "Set up device",
        &format!(
            "<ol><li>Install a compatible authenticator app on your phone or computer.</li>\
             <li>Open the app and scan the QR code, or enter the secret key.<br>\
             <img class=\"qr\" alt=\"QR code for the MFA device\" src=\"data:image/png;base64,{qr}\">\
             <details><summary>Show secret key</summary><p><code id=\"secret-key\">{}</code></p></details></li>\
             <li>Enter two consecutive codes from the app.</li></ol>{}",
            esc(&seed),
            html::form(
                &format!("{}/mfa-enable", wizard_base(target)),
                ctx.csrf(),
                &fields,
                "Add MFA",
                "stack"
            ),
        ),
    );
    let current = if target.is_some() {
        "Users"
    } else {
        "Security credentials"
    };
    Ok(ctx.page(current, "Assign MFA device", &body))
}

/// Step 3: the two codes enable the device; a failure removes the unassigned device so the
/// wizard can start again with a fresh secret.
pub(super) fn mfa_enable(ctx: &Ctx<'_>, target: Option<&str>) -> Answer {
    let serial = ctx.req.get("SerialNumber");
    let own = target.map_or_else(|| own_name(ctx), str::to_owned);
    let result = ctx.iam(
        "EnableMFADevice",
        &[
            ("UserName", own.as_str()),
            ("SerialNumber", serial),
            (
                "AuthenticationCode1",
                ctx.req.get("AuthenticationCode1").trim(),
            ),
            (
                "AuthenticationCode2",
                ctx.req.get("AuthenticationCode2").trim(),
            ),
        ],
    );
    if let Err(problem) = result {
        let _ = ctx.iam("DeleteVirtualMFADevice", &[("SerialNumber", serial)]);
        return Err(Problem {
            message: format!(
                "{} Assign the MFA device again to get a new secret.",
                problem.message
            ),
            ..problem
        });
    }
    Ok(ctx.done(&wizard_base(target), "MFA device assigned."))
}
