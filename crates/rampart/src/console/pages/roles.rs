//! Roles: the list (`ListRoles`), creation as the seeds walk it (trusted entity "AWS
//! account" with the account ID, an optional external ID and an MFA requirement →
//! permissions policy → name → `CreateRole` + `AttachRolePolicy`), and the role page: the
//! trust relationship editor (`UpdateAssumeRolePolicy`), attached policies
//! (`ListAttachedRolePolicies`, `AttachRolePolicy`, `DetachRolePolicy`) and the link that
//! switches the console to the role (`signin::switch_role`, STS `AssumeRole`).

use super::{Answer, invalid};
use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem, output};

fn role_link(name: &str) -> String {
    html::link(&format!("/console/roles/{}", url(name)), name)
}

/// The accounts a trust policy names, for the list.
fn trusted(document: &str) -> String {
    let Ok(policy) = serde_json::from_str::<serde_json::Value>(document) else {
        return String::new();
    };
    let statements = match policy.get("Statement") {
        Some(serde_json::Value::Array(list)) => list.clone(),
        Some(other) => vec![other.clone()],
        None => Vec::new(),
    };
    let mut names = Vec::new();
    for statement in statements {
        let principals = statement
            .get("Principal")
            .and_then(serde_json::Value::as_object);
        for (kind, value) in principals.into_iter().flatten() {
            let values = match value {
                serde_json::Value::Array(list) => list.clone(),
                other => vec![other.clone()],
            };
            for v in values.iter().filter_map(serde_json::Value::as_str) {
                names.push(format!("{kind}: {v}"));
            }
        }
    }
    names.join(", ")
}

/// `GET /console/roles`.
pub fn list(ctx: &Ctx<'_>) -> Answer {
    let roles = output!(ctx.iam("ListRoles", &[("MaxItems", "1000")])?, ListRoles)?;
    let rows: Vec<Vec<String>> = roles
        .roles
        .iter()
        .map(|r| {
            let document = r
                .assume_role_policy_document
                .as_ref()
                .map(|d| d.0.as_str())
                .unwrap_or("");
            vec![
                role_link(&r.role_name),
                esc(&trusted(document)),
                r.role_last_used
                    .as_ref()
                    .and_then(|u| u.last_used_date)
                    .map_or_else(
                        || "<span class=\"muted\">-</span>".to_owned(),
                        |t| html::when(t.0),
                    ),
                html::when(r.create_date.0),
            ]
        })
        .collect();
    let table = html::table(
        &format!("Roles ({})", roles.roles.len()),
        &[
            "Role name",
            "Trusted entities",
            "Last activity",
            "Creation time",
        ],
        &rows,
        "No roles to display.",
    );
    let own = ctx.session.caller.account.as_str();
    // In a member account, "another AWS account" starts as the management account: the
    // invited-account walkthrough creates OrganizationAccountAccessRole for it.
    let management = super::member_access::management_account(ctx);
    let preset = management.as_deref().filter(|m| *m != own);
    let (account, note, policy, name) = match preset {
        Some(m) => (
            m,
            format!(
                "<p class=\"alert info\">This account is a member of an organization. The trusted account is pre-filled \
                 with its management account <code>{}</code>, so that the management account's administrators can \
                 reach this account through the role.</p>",
                esc(m)
            ),
            "arn:aws:iam::aws:policy/AdministratorAccess",
            super::member_access::ACCESS_ROLE,
        ),
        None => (own, String::new(), "", ""),
    };
    let fields = format!(
        "<h3>Trusted entity type: AWS account</h3>{note}<p>Another AWS account (or this account, {own}).</p>{}{}{}{}<h3>Add permissions</h3>{}<h3>Name and review</h3>{}{}",
        html::input(
            "Account ID",
            "TrustedAccount",
            "text",
            account,
            "required pattern=\"[0-9]{12}\""
        ),
        html::checkbox("Require external ID", "RequireExternalId", false),
        html::input("External ID", "ExternalId", "text", "", ""),
        html::checkbox("Require MFA", "RequireMfa", false),
        html::input(
            "Permissions policy ARN - optional",
            "PolicyArn",
            "text",
            policy,
            "placeholder=\"arn:aws:iam::aws:policy/ReadOnlyAccess\""
        ),
        html::input("Role name", "RoleName", "text", name, "required"),
        html::input("Description - optional", "Description", "text", "", ""),
    );
    let create = html::section(
        "Create role",
        &html::form(
            "/console/roles",
            ctx.csrf(),
            &fields,
            "Create role",
            "stack",
        ),
    );
    Ok(ctx.page(
        "Roles",
        "Roles",
        &format!("{}{create}", html::section("", &table)),
    ))
}

/// The trust policy the create form describes.
fn trust_policy(account: &str, external_id: Option<&str>, mfa: bool) -> String {
    let mut condition = serde_json::Map::new();
    if let Some(id) = external_id {
        condition.insert(
            "StringEquals".to_owned(),
            serde_json::json!({ "sts:ExternalId": id }),
        );
    }
    if mfa {
        condition.insert(
            "Bool".to_owned(),
            serde_json::json!({ "aws:MultiFactorAuthPresent": "true" }),
        );
    }
    let mut statement = serde_json::Map::new();
    statement.insert("Effect".to_owned(), "Allow".into());
    statement.insert(
        "Principal".to_owned(),
        serde_json::json!({ "AWS": format!("arn:aws:iam::{account}:root") }),
    );
    statement.insert("Action".to_owned(), "sts:AssumeRole".into());
    if !condition.is_empty() {
        statement.insert("Condition".to_owned(), serde_json::Value::Object(condition));
    }
    serde_json::to_string_pretty(
        &serde_json::json!({ "Version": "2012-10-17", "Statement": [statement] }),
    )
    .unwrap_or_default()
}

/// `POST /console/roles`.
pub fn create(ctx: &Ctx<'_>) -> Answer {
    let get = |name: &str| ctx.req.get(name).trim();
    let external = (get("RequireExternalId") == "true").then(|| get("ExternalId"));
    if external == Some("") {
        return Err(invalid(
            "Enter the external ID the trusted account must present.",
        ));
    }
    let account = get("TrustedAccount");
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("The account ID must be 12 digits."));
    }
    let document = trust_policy(account, external, get("RequireMfa") == "true");
    let name = get("RoleName");
    ctx.iam(
        "CreateRole",
        &[
            ("RoleName", name),
            ("AssumeRolePolicyDocument", &document),
            ("Description", get("Description")),
        ],
    )?;
    if !get("PolicyArn").is_empty() {
        ctx.iam(
            "AttachRolePolicy",
            &[("RoleName", name), ("PolicyArn", get("PolicyArn"))],
        )?;
    }
    Ok(ctx.done(
        &format!("/console/roles/{}", url(name)),
        &format!("Role {name} created."),
    ))
}

/// `GET /console/roles/NAME`.
pub fn show(ctx: &Ctx<'_>, name: &str) -> Answer {
    let role = output!(ctx.iam("GetRole", &[("RoleName", name)])?, GetRole)?.role;
    let policies = output!(
        ctx.iam("ListAttachedRolePolicies", &[("RoleName", name)])?,
        ListAttachedRolePolicies
    )?;
    let base = format!("/console/roles/{}", url(name));
    let csrf = ctx.csrf();
    let document = role
        .assume_role_policy_document
        .map(|d| d.0)
        .unwrap_or_default();
    let pretty = serde_json::from_str::<serde_json::Value>(&document)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or(document);
    let account = ctx.session.caller.account.as_str();
    let switch = format!(
        "/console/switchrole?account={}&roleName={}&displayName={}",
        url(account),
        url(name),
        url(name)
    );
    let summary = format!(
        "<p>ARN <code>{}</code></p><p>{}</p><p>Maximum session duration {} hour(s)</p>\
         <p>Link to switch roles in console<br><a class=\"mono\" href=\"{}\">{}{}</a></p>",
        esc(&role.arn),
        esc(role.description.as_deref().unwrap_or("")),
        role.max_session_duration.unwrap_or(3600) / 3600,
        esc(&switch),
        esc(ctx.console.public_url.trim_end_matches('/')),
        esc(&switch),
    );
    let rows: Vec<Vec<String>> = policies
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
            "Permissions policies",
            &["Policy name", ""],
            &rows,
            "No policies attached."
        ),
        html::form(
            &format!("{base}/attach-policy"),
            csrf,
            &html::input("Policy ARN", "PolicyArn", "text", "", "required"),
            "Attach policy",
            "stack"
        ),
    );
    let trust = html::form(
        &format!("{base}/trust"),
        csrf,
        &format!(
            "<p class=\"field\"><label for=\"f-PolicyDocument\">Trusted entities (JSON)</label>\
             <textarea id=\"f-PolicyDocument\" name=\"PolicyDocument\" spellcheck=\"false\">{}</textarea></p>",
            esc(&pretty)
        ),
        "Update policy",
        "",
    );
    let body = format!(
        "{}{}{}",
        html::section("Summary", &summary),
        html::section("Permissions", &permissions),
        html::section("Trust relationships", &trust),
    );
    let delete = super::deletion::form(
        ctx,
        &format!("/console/roles/{}/delete", url(name)),
        "role",
        name,
    );
    Ok(ctx.page("Roles", name, &format!("{body}{delete}")))
}

/// `POST /console/roles/NAME/ACTION`.
pub fn act(ctx: &Ctx<'_>, name: &str, action: &str) -> Answer {
    let get = |field: &str| ctx.req.get(field);
    let message = match action {
        "attach-policy" => {
            ctx.iam(
                "AttachRolePolicy",
                &[("RoleName", name), ("PolicyArn", get("PolicyArn").trim())],
            )?;
            "Policy attached."
        }
        "detach-policy" => {
            ctx.iam(
                "DetachRolePolicy",
                &[("RoleName", name), ("PolicyArn", get("PolicyArn"))],
            )?;
            "Policy removed."
        }
        "trust" => {
            ctx.iam(
                "UpdateAssumeRolePolicy",
                &[
                    ("RoleName", name),
                    ("PolicyDocument", get("PolicyDocument")),
                ],
            )
            .map_err(|p| Problem {
                title: "Trust policy not updated",
                ..p
            })?;
            "Trust policy updated."
        }
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done(&format!("/console/roles/{}", url(name)), message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trust_policy_names_the_account_and_its_conditions() {
        let doc = trust_policy("123456789012", Some("ext-1"), true);
        let value: serde_json::Value = serde_json::from_str(&doc).unwrap();
        let statement = &value["Statement"][0];
        assert_eq!(
            statement["Principal"]["AWS"],
            "arn:aws:iam::123456789012:root"
        );
        assert_eq!(
            statement["Condition"]["StringEquals"]["sts:ExternalId"],
            "ext-1"
        );
        assert_eq!(
            statement["Condition"]["Bool"]["aws:MultiFactorAuthPresent"],
            "true"
        );
        assert_eq!(trusted(&doc), "AWS: arn:aws:iam::123456789012:root");
        let plain: serde_json::Value =
            serde_json::from_str(&trust_policy("123456789012", None, false)).unwrap();
        assert!(plain["Statement"][0].get("Condition").is_none());
    }
}
