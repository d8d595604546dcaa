//! Account settings — the password policy with every parameter
//! (`GetAccountPasswordPolicy`, `UpdateAccountPasswordPolicy`,
//! `DeleteAccountPasswordPolicy`) — and the credential report (`GenerateCredentialReport`,
//! `GetCredentialReport`, shown as a table and downloaded as CSV).

use super::Answer;
use crate::console::html::{self, esc};
use crate::console::{Ctx, output};

/// `GET /console/account-settings`.
pub fn settings(ctx: &Ctx<'_>) -> Answer {
    let policy = match ctx.iam("GetAccountPasswordPolicy", &[]) {
        Ok(out) => Some(output!(out, GetAccountPasswordPolicy)?.password_policy),
        Err(p) if p.status == 404 => None,
        Err(p) => return Err(p),
    };
    let p = policy.clone().unwrap_or_default();
    let current = if policy.is_some() {
        "<p>This AWS account uses the following custom password policy.</p>"
    } else {
        "<div class=\"alert info\">This AWS account uses the default password policy: at least 8 characters, three of uppercase, lowercase, numbers and symbols, not the account name or email.</div>"
    };
    let number = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
    let min = if policy.is_some() {
        p.minimum_password_length.to_string()
    } else {
        "8".to_owned()
    };
    let fields = format!(
        "{}{}{}{}{}{}{}{}{}{}",
        html::input(
            "Password minimum length",
            "MinimumPasswordLength",
            "number",
            &min,
            "min=\"6\" max=\"128\""
        ),
        html::checkbox(
            "Require at least one uppercase letter from the Latin alphabet (A-Z)",
            "RequireUppercaseCharacters",
            p.require_uppercase_characters
        ),
        html::checkbox(
            "Require at least one lowercase letter from the Latin alphabet (a-z)",
            "RequireLowercaseCharacters",
            p.require_lowercase_characters
        ),
        html::checkbox(
            "Require at least one number",
            "RequireNumbers",
            p.require_numbers
        ),
        html::checkbox(
            "Require at least one non-alphanumeric character",
            "RequireSymbols",
            p.require_symbols
        ),
        html::input(
            "Password expiration (days, empty: never)",
            "MaxPasswordAge",
            "number",
            &number(p.max_password_age),
            "min=\"1\" max=\"1095\""
        ),
        html::checkbox(
            "Password expiration requires administrator reset",
            "HardExpiry",
            p.hard_expiry == Some(true)
        ),
        html::checkbox(
            "Allow users to change their own password",
            "AllowUsersToChangePassword",
            p.allow_users_to_change_password
        ),
        html::input(
            "Prevent password reuse (remembered passwords, empty: off)",
            "PasswordReusePrevention",
            "number",
            &number(p.password_reuse_prevention),
            "min=\"1\" max=\"24\""
        ),
        "",
    );
    let mut body = format!(
        "{current}{}",
        html::form(
            "/console/account-settings",
            ctx.csrf(),
            &fields,
            "Save changes",
            "stack"
        )
    );
    if policy.is_some() {
        body.push_str(&html::button_form(
            "/console/account-settings/delete",
            ctx.csrf(),
            &[],
            "Set to IAM default",
        ));
    }
    Ok(ctx.page(
        "Account settings",
        "Account settings",
        &html::section("Password policy", &body),
    ))
}

/// `POST /console/account-settings`.
pub fn update_policy(ctx: &Ctx<'_>) -> Answer {
    let get = |name: &str| ctx.req.get(name);
    let flag = |name: &str| if get(name) == "true" { "true" } else { "false" };
    ctx.iam(
        "UpdateAccountPasswordPolicy",
        &[
            ("MinimumPasswordLength", get("MinimumPasswordLength")),
            (
                "RequireUppercaseCharacters",
                flag("RequireUppercaseCharacters"),
            ),
            (
                "RequireLowercaseCharacters",
                flag("RequireLowercaseCharacters"),
            ),
            ("RequireNumbers", flag("RequireNumbers")),
            ("RequireSymbols", flag("RequireSymbols")),
            ("MaxPasswordAge", get("MaxPasswordAge")),
            ("HardExpiry", flag("HardExpiry")),
            (
                "AllowUsersToChangePassword",
                flag("AllowUsersToChangePassword"),
            ),
            ("PasswordReusePrevention", get("PasswordReusePrevention")),
        ],
    )?;
    Ok(ctx.done("/console/account-settings", "Password policy updated."))
}

/// `POST /console/account-settings/delete`.
pub fn delete_policy(ctx: &Ctx<'_>) -> Answer {
    ctx.iam("DeleteAccountPasswordPolicy", &[])?;
    Ok(ctx.done(
        "/console/account-settings",
        "The account uses the default password policy.",
    ))
}

/// The latest report's CSV, or `None` when none was generated.
fn latest(ctx: &Ctx<'_>) -> Result<Option<(i64, String)>, crate::console::Problem> {
    match ctx.iam("GetCredentialReport", &[]) {
        Ok(out) => {
            let report = output!(out, GetCredentialReport)?;
            let csv = report
                .content
                .map(|c| String::from_utf8_lossy(&c.0).into_owned())
                .unwrap_or_default();
            Ok(Some((report.generated_time.map_or(0, |t| t.0), csv)))
        }
        Err(p) if p.status == 404 || p.status == 410 => Ok(None),
        Err(p) => Err(p),
    }
}

/// `GET /console/credential-report`.
pub fn report(ctx: &Ctx<'_>) -> Answer {
    let generate = html::button_form(
        "/console/credential-report",
        ctx.csrf(),
        &[],
        "Generate credential report",
    );
    let body = match latest(ctx)? {
        None => format!("<p>No report has been generated yet.</p>{generate}"),
        Some((generated, csv)) => {
            let mut lines = csv.lines();
            let headers: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
            let rows: Vec<Vec<String>> = lines.map(|l| l.split(',').map(esc).collect()).collect();
            format!(
                "<p>Generated {}. <a href=\"/console/credential-report.csv\">Download credentials report</a></p>{generate}{}",
                html::when(generated),
                html::table("Credential report", &headers, &rows, "No rows.")
            )
        }
    };
    Ok(ctx.page(
        "Credential report",
        "Credential report",
        &html::section("", &body),
    ))
}

/// `POST /console/credential-report`.
pub fn generate_report(ctx: &Ctx<'_>) -> Answer {
    ctx.iam("GenerateCredentialReport", &[])?;
    Ok(ctx.done("/console/credential-report", "Credential report generated."))
}

/// `GET /console/credential-report.csv`.
pub fn report_csv(ctx: &Ctx<'_>) -> Answer {
    let Some((_, csv)) = latest(ctx)? else {
        return Err(super::invalid("Generate a credential report first."));
    };
    Ok(html::respond(
        200,
        "text/csv; charset=utf-8",
        csv.into_bytes(),
        vec![(
            "content-disposition",
            "attachment; filename=\"credential_report.csv\"".to_owned(),
        )],
    ))
}
