//! Services of the organization: trusted access (`ListAWSServiceAccessForOrganization`,
//! `EnableAWSServiceAccess`, `DisableAWSServiceAccess`) and delegated administrators
//! (`ListDelegatedAdministrators`, `RegisterDelegatedAdministrator`,
//! `DeregisterDelegatedAdministrator`). A delegated administrator sees the lists read-only,
//! as AWS allows; the forms are the management account's.

use rampart_wire::organizations::Output;
use serde_json::json;

use super::Answer;
use super::organizations::{all, call, tabs};
use crate::console::Ctx;
use crate::console::html::{self, esc};

/// The service principals the organization features of Rampart use (organizations.md §6).
const SERVICES: &[(&str, &str)] = &[
    ("iam.amazonaws.com", "IAM (centralized root access)"),
    ("account.amazonaws.com", "AWS Account Management"),
    ("cloudtrail.amazonaws.com", "CloudTrail"),
    ("sso.amazonaws.com", "IAM Identity Center"),
];

fn service_options() -> Vec<(String, String)> {
    SERVICES
        .iter()
        .map(|(p, t)| ((*p).to_owned(), format!("{t} ({p})")))
        .collect()
}

/// `GET /console/organizations/services`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    let csrf = ctx.csrf();
    let management = super::member_access::management_account(ctx)
        .is_some_and(|m| m == ctx.session.caller.account.as_str());
    let enabled = all(
        ctx,
        "ListAWSServiceAccessForOrganization",
        &json!({}),
        |out| match out {
            Output::ListAWSServiceAccessForOrganization(o) => {
                Some((o.enabled_service_principals, o.next_token))
            }
            _ => None,
        },
    )?;
    let rows: Vec<Vec<String>> = enabled
        .iter()
        .map(|s| {
            vec![
                format!("<code>{}</code>", esc(&s.service_principal)),
                html::when(s.date_enabled.0),
                if management {
                    html::button_form(
                        "/console/organizations/services/disable",
                        csrf,
                        &[("ServicePrincipal", &s.service_principal)],
                        &format!("Disable trusted access for {}", s.service_principal),
                    )
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let enable = if management {
        html::form(
            "/console/organizations/services/enable",
            csrf,
            &html::select("Service", "ServicePrincipal", &service_options()),
            "Enable trusted access",
            "stack",
        )
    } else {
        String::new()
    };
    // One list per service, so each row names the service it is delegated for.
    let mut admin_rows = Vec::new();
    for (service, _) in SERVICES {
        let admins = all(
            ctx,
            "ListDelegatedAdministrators",
            &json!({ "ServicePrincipal": service }),
            |out| match out {
                Output::ListDelegatedAdministrators(o) => {
                    Some((o.delegated_administrators, o.next_token))
                }
                _ => None,
            },
        )?;
        for admin in admins {
            admin_rows.push(vec![
                format!("{} <code>{}</code>", esc(&admin.name), esc(&admin.id)),
                format!("<code>{}</code>", esc(service)),
                html::when(admin.delegation_enabled_date.0),
                if management {
                    html::button_form(
                        "/console/organizations/services/deregister",
                        csrf,
                        &[("AccountId", &admin.id), ("ServicePrincipal", service)],
                        &format!("Deregister {}", admin.id),
                    )
                } else {
                    String::new()
                },
            ]);
        }
    }
    let register = if management {
        html::form(
            "/console/organizations/services/register",
            csrf,
            &format!(
                "{}{}",
                html::input(
                    "Member account ID",
                    "AccountId",
                    "text",
                    "",
                    "required pattern=\"[0-9]{12}\""
                ),
                html::select("Service", "ServicePrincipal", &service_options())
            ),
            "Register delegated administrator",
            "stack",
        )
    } else {
        String::new()
    };
    let body = format!(
        "{}{}{}",
        tabs("Services"),
        html::section(
            "Trusted access",
            &format!(
                "{}{enable}",
                html::table(
                    "Services with trusted access",
                    &["Service principal", "Enabled", ""],
                    &rows,
                    "No service has trusted access."
                )
            )
        ),
        html::section(
            "Delegated administrators",
            &format!(
                "{}{register}",
                html::table(
                    "Delegated administrators",
                    &["Account", "Service principal", "Delegated", ""],
                    &admin_rows,
                    "No delegated administrators."
                )
            )
        ),
    );
    Ok(ctx.page("Organizations", "Services", &body))
}

/// `POST /console/organizations/services/ACTION`.
pub fn act(ctx: &Ctx<'_>, action: &str) -> Answer {
    let principal = ctx.req.get("ServicePrincipal").trim();
    let account = ctx.req.get("AccountId").trim();
    let (operation, body, message) = match action {
        "enable" => (
            "EnableAWSServiceAccess",
            json!({ "ServicePrincipal": principal }),
            format!("Trusted access enabled for {principal}."),
        ),
        "disable" => (
            "DisableAWSServiceAccess",
            json!({ "ServicePrincipal": principal }),
            format!("Trusted access disabled for {principal}."),
        ),
        "register" => (
            "RegisterDelegatedAdministrator",
            json!({ "AccountId": account, "ServicePrincipal": principal }),
            format!("Account {account} is a delegated administrator for {principal}."),
        ),
        "deregister" => (
            "DeregisterDelegatedAdministrator",
            json!({ "AccountId": account, "ServicePrincipal": principal }),
            format!("Account {account} is no longer a delegated administrator for {principal}."),
        ),
        _ => return Err(super::not_found()),
    };
    call(ctx, operation, &body)?;
    Ok(ctx.done("/console/organizations/services", &message))
}
