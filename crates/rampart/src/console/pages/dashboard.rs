//! The IAM dashboard: security recommendations (the computation `rampart status` prints),
//! resource counts (`GetAccountSummary`), the IAM users' sign-in URL and the account alias
//! (`ListAccountAliases`, `CreateAccountAlias`, `DeleteAccountAlias`).

use std::fmt::Write as _;

use rampart_core::security;

use super::Answer;
use crate::console::html::{self, esc};
use crate::console::{Ctx, output};

/// What each security check is called on the dashboard, and the advice when it fails.
fn describe(check: &str) -> (&'static str, &'static str) {
    match check {
        "root-access-keys" => (
            "Root user has no active access keys",
            "Delete the root user's access keys in Security credentials; use IAM users or roles instead. Found:",
        ),
        "root-mfa" => (
            "Add MFA for root user",
            "Assign an MFA device to the root user in Security credentials.",
        ),
        "iam-users" => (
            "Create IAM users",
            "Use IAM users for everyday work instead of the root user.",
        ),
        "groups" => (
            "Use groups to assign permissions",
            "Attach policies to groups and add users to them.",
        ),
        "password-policy" => (
            "Apply an IAM password policy",
            "Set the password policy in Account settings.",
        ),
        "console-users-without-mfa" => (
            "Require MFA for users with console access",
            "Users with a console password and no MFA device:",
        ),
        "unused-credentials" => (
            "Remove unused credentials",
            "Active access keys not used for 45 days:",
        ),
        _ => ("Security check", ""),
    }
}

/// `GET /console/`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    let summary = output!(ctx.iam("GetAccountSummary", &[])?, GetAccountSummary)?;
    let account = &ctx.session.caller.account;
    let engine = ctx.requests.engine();
    // The same computation as `rampart status`, shown to whoever may read the summary.
    let findings = security::status(&engine.snapshot(), account, ctx.req.now(), |id| {
        engine.key_last_used(id).map(|u| u.at)
    });
    let mut recs = String::from("<ul class=\"findings\">");
    for finding in findings
        .iter()
        .filter(|f| f.check != "iam-users" && f.check != "groups")
    {
        let (title, advice) = describe(finding.check);
        let detail = if finding.ok {
            format!(
                "<span class=\"ok\">OK</span> <span class=\"muted\">{}</span>",
                esc(&finding.detail)
            )
        } else {
            // The lists (which users, which keys) say what to fix; the rest is the advice.
            let listed = matches!(
                finding.check,
                "console-users-without-mfa" | "unused-credentials" | "root-access-keys"
            );
            format!(
                "<br><span class=\"muted\">{}{}</span>",
                esc(advice),
                if listed {
                    format!(" {}", esc(&finding.detail))
                } else {
                    String::new()
                }
            )
        };
        let _ = write!(
            recs,
            "<li class=\"{}\"><b>{}</b> {detail}</li>",
            if finding.ok { "pass" } else { "fail" },
            esc(title)
        );
    }
    recs.push_str("</ul>");
    let count = |key: &str| summary.summary_map.get(key).copied().unwrap_or(0);
    let mut counts = String::from("<div class=\"counts\">");
    for (label, key, link) in [
        ("Users", "Users", "/console/users"),
        ("Groups", "Groups", "/console/groups"),
        ("Roles", "Roles", "/console/roles"),
        (
            "Customer managed policies",
            "Policies",
            "/console/policies?scope=Local",
        ),
        ("MFA devices in use", "MFADevicesInUse", ""),
    ] {
        let number = if link.is_empty() {
            format!("<b>{}</b>", count(key))
        } else {
            format!("<b><a href=\"{link}\">{}</a></b>", count(key))
        };
        let _ = write!(counts, "<div>{number}{}</div>", esc(label));
    }
    counts.push_str("</div>");
    let body = format!(
        "<div class=\"grid\">{}{}</div>{}",
        html::section("Security recommendations", &recs),
        html::section("IAM resources", &counts),
        aws_account(ctx)?,
    );
    Ok(ctx.page("Dashboard", "IAM Dashboard", &body))
}

fn aws_account(ctx: &Ctx<'_>) -> Result<String, crate::console::Problem> {
    let aliases = output!(ctx.iam("ListAccountAliases", &[])?, ListAccountAliases)?;
    let account = ctx.session.caller.account.as_str();
    let alias = aliases.account_aliases.first();
    let base = ctx.console.public_url.trim_end_matches('/');
    let url = format!(
        "{base}/console/signin?account={}",
        html::url(alias.map_or(account, String::as_str))
    );
    let alias_forms = match alias {
        Some(alias) => format!(
            "<p>Account alias: <b>{}</b> {}</p>",
            esc(alias),
            html::button_form(
                "/console/alias/delete",
                ctx.csrf(),
                &[("AccountAlias", alias)],
                "Delete"
            )
        ),
        None => html::form(
            "/console/alias",
            ctx.csrf(),
            &html::input("Account alias", "AccountAlias", "text", "", "required"),
            "Create",
            "stack",
        ),
    };
    Ok(html::section(
        "AWS Account",
        &format!(
            "<p>Account ID <code>{}</code></p><p>Sign-in URL for IAM users in this account<br><a class=\"mono\" href=\"{href}\">{text}</a></p>{alias_forms}",
            esc(account),
            href = esc(&url),
            text = esc(&url),
        ),
    ))
}

/// `POST /console/alias`.
pub fn create_alias(ctx: &Ctx<'_>) -> Answer {
    ctx.iam(
        "CreateAccountAlias",
        &[("AccountAlias", ctx.req.get("AccountAlias"))],
    )?;
    Ok(ctx.done("/console/", "Account alias created."))
}

/// `POST /console/alias/delete`.
pub fn delete_alias(ctx: &Ctx<'_>) -> Answer {
    ctx.iam(
        "DeleteAccountAlias",
        &[("AccountAlias", ctx.req.get("AccountAlias"))],
    )?;
    Ok(ctx.done("/console/", "Account alias deleted."))
}
