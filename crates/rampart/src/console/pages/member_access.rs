//! How a member account is reached from its organization's management account: the
//! organization's access role (`OrganizationAccountAccessRole`, which `CreateAccount` makes
//! and an invited account's administrator creates by hand). Owns the check the Account and
//! Organizations pages show in a member account — does the role exist, does its trust policy
//! let the management account assume it, does it carry `AdministratorAccess` (`GetRole`,
//! `ListAttachedRolePolicies`) — and the management account lookup (`DescribeOrganization`)
//! the role wizard pre-fills.

use rampart_core::request::organizations::Organizations;
use rampart_wire::organizations::{Operation, Output};
use serde_json::Value;

use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem, output};

/// The role the seeds use to reach member accounts.
pub const ACCESS_ROLE: &str = "OrganizationAccountAccessRole";
/// The policy the access role carries.
pub const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// The management account of the caller's organization, when it is in one and may ask.
pub fn management_account(ctx: &Ctx<'_>) -> Option<String> {
    let op = Operation::decode("DescribeOrganization", &serde_json::json!({})).ok()?;
    match ctx.requests.run::<Organizations>(&ctx.call, &op) {
        Ok(Output::DescribeOrganization(o)) => Some(o.organization.master_account_id),
        _ => None,
    }
}

/// The values of a policy element that may be a string or a list of strings.
fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether a trust policy lets `account` (its root, i.e. any of its principals allowed by
/// their own policies) assume the role: an `Allow` statement for `sts:AssumeRole` whose AWS
/// principal is the account. Conditions (MFA) may narrow it; they do not make it fail.
pub fn trusts(document: &str, account: &str) -> bool {
    let Ok(policy) = serde_json::from_str::<Value>(document) else {
        return false;
    };
    let statements = match policy.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect::<Vec<_>>(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    let root = format!("arn:aws:iam::{account}:root");
    statements.iter().any(|statement| {
        let allows = statement.get("Effect").and_then(Value::as_str) == Some("Allow");
        let action = strings(statement.get("Action")).iter().any(|a| {
            matches!(
                a.to_ascii_lowercase().as_str(),
                "sts:assumerole" | "sts:*" | "*"
            )
        });
        let principal = strings(statement.get("Principal").and_then(|p| p.get("AWS")))
            .iter()
            .any(|p| *p == root || *p == account);
        allows && action && principal
    })
}

/// One line of the check: passed or not, and what it says.
fn finding(pass: bool, text: &str) -> String {
    format!(
        "<li class=\"{}\"><b>{}</b></li>",
        if pass { "pass" } else { "fail" },
        esc(text)
    )
}

/// The check of the organization's access role, for a member account (empty elsewhere).
pub fn check(ctx: &Ctx<'_>) -> Result<String, Problem> {
    let own = ctx.session.caller.account.as_str();
    let Some(management) = management_account(ctx).filter(|m| m != own) else {
        return Ok(String::new());
    };
    let create = format!(
        "<p><a href=\"/console/roles\">Create the role</a>: trusted account <code>{}</code>, \
         policy AdministratorAccess, name {ACCESS_ROLE}.</p>",
        esc(&management)
    );
    let role = match ctx.iam("GetRole", &[("RoleName", ACCESS_ROLE)]) {
        Ok(out) => output!(out, GetRole)?.role,
        Err(p) if p.status == 404 => {
            let body = format!(
                "<ul class=\"findings\">{}</ul>{create}",
                finding(
                    false,
                    &format!("{ACCESS_ROLE} does not exist in this account")
                )
            );
            return Ok(section(&management, &body));
        }
        Err(p) => return Ok(section(&management, &html::alert_error(&p.message))),
    };
    let document = role
        .assume_role_policy_document
        .map(|d| d.0)
        .unwrap_or_default();
    let attached = output!(
        ctx.iam("ListAttachedRolePolicies", &[("RoleName", ACCESS_ROLE)])?,
        ListAttachedRolePolicies
    )?;
    let admin = attached
        .attached_policies
        .iter()
        .any(|p| p.policy_arn == ADMINISTRATOR_ACCESS);
    let trusted = trusts(&document, &management);
    let mut body = format!(
        "<ul class=\"findings\">{}{}{}</ul>",
        finding(true, &format!("{ACCESS_ROLE} exists")),
        finding(
            trusted,
            &if trusted {
                format!("It trusts the management account {management}")
            } else {
                format!("It does not trust the management account {management}")
            }
        ),
        finding(
            admin,
            if admin {
                "AdministratorAccess is attached"
            } else {
                "AdministratorAccess is not attached"
            }
        ),
    );
    body.push_str(&html::link(
        &format!("/console/roles/{}", url(ACCESS_ROLE)),
        "Open the role",
    ));
    Ok(section(&management, &body))
}

fn section(management: &str, body: &str) -> String {
    html::section(
        "Access from the management account",
        &format!(
            "<p>This account is a member of an organization whose management account is <code>{}</code>. \
             Its administrators reach this account by switching to the role {ACCESS_ROLE}.</p>{body}",
            esc(management)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trust_policy_for_the_management_root_or_id_is_trusted() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
        assert!(trusts(doc, "111122223333"));
        assert!(!trusts(doc, "444455556666"));
        let by_id = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["444455556666","111122223333"]},"Action":["sts:AssumeRole"]}}"#;
        assert!(trusts(by_id, "111122223333"));
    }

    #[test]
    fn a_deny_another_action_or_bad_json_is_not_trust() {
        let deny = r#"{"Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#;
        assert!(!trusts(deny, "111122223333"));
        let other = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:TagSession"}]}"#;
        assert!(!trusts(other, "111122223333"));
        assert!(!trusts("not json", "111122223333"));
    }
}
