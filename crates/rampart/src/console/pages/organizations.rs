//! AWS Organizations for the management account: create the organization
//! (`CreateOrganization`), the tree of the root, organizational units and accounts
//! (`DescribeOrganization`, `ListRoots`, `ListOrganizationalUnitsForParent`,
//! `ListAccountsForParent`), the service control policies (`ListPolicies`), and creating
//! an organizational unit (`CreateOrganizationalUnit`) or a member account
//! (`CreateAccount`) — Organizations calls decided by IAM like any other.

use std::fmt::Write as _;

use rampart_core::request::organizations::Organizations;
use rampart_wire::ErrorCode;
use rampart_wire::organizations::{Operation, Output};
use serde_json::{Value, json};

use super::Answer;
use crate::console::html::{self, esc};
use crate::console::{Ctx, Problem};

/// How deep the tree is drawn (AWS allows five levels of OUs).
const MAX_DEPTH: usize = 6;

fn run(ctx: &Ctx<'_>, operation: &str, body: &Value) -> Result<Output, rampart_core::CoreError> {
    let op = Operation::decode(operation, body)
        .map_err(|e| rampart_core::CoreError::Validation(e.message))?;
    ctx.requests.run::<Organizations>(&ctx.call, &op)
}

fn call(ctx: &Ctx<'_>, operation: &str, body: &Value) -> Result<Output, Problem> {
    Ok(run(ctx, operation, body)?)
}

/// One parent's OUs and accounts, as nested lists; `parents` collects (id, label) for the
/// create-OU form.
fn subtree(
    ctx: &Ctx<'_>,
    parent: &str,
    depth: usize,
    parents: &mut Vec<(String, String)>,
) -> Result<String, Problem> {
    let mut out = String::from("<ul>");
    let Output::ListAccountsForParent(accounts) =
        call(ctx, "ListAccountsForParent", &json!({ "ParentId": parent }))?
    else {
        return Err(Problem::unexpected());
    };
    for account in &accounts.accounts {
        let _ = write!(
            out,
            "<li>Account <b>{}</b> <code>{}</code> <span class=\"muted\">{} · {}</span></li>",
            esc(&account.name),
            esc(&account.id),
            esc(&account.email),
            esc(account.state.as_str())
        );
    }
    let Output::ListOrganizationalUnitsForParent(units) = call(
        ctx,
        "ListOrganizationalUnitsForParent",
        &json!({ "ParentId": parent }),
    )?
    else {
        return Err(Problem::unexpected());
    };
    for unit in &units.organizational_units {
        parents.push((unit.id.clone(), format!("{} ({})", unit.name, unit.id)));
        let inner = if depth < MAX_DEPTH {
            subtree(ctx, &unit.id, depth + 1, parents)?
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<li>Organizational unit <b>{}</b> <code>{}</code>{inner}</li>",
            esc(&unit.name),
            esc(&unit.id)
        );
    }
    out.push_str("</ul>");
    Ok(out)
}

/// `GET /console/organizations`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    let organization = match run(ctx, "DescribeOrganization", &json!({})) {
        Ok(Output::DescribeOrganization(o)) => o.organization,
        Ok(_) => return Err(Problem::unexpected()),
        Err(err) if err.code() == ErrorCode::AwsOrganizationsNotInUseException => {
            let body = html::section(
                "Create an organization",
                &format!(
                    "<p>This account is not a member of an organization. Creating one makes it the management account.</p>{}",
                    html::button_form(
                        "/console/organizations/create",
                        ctx.csrf(),
                        &[],
                        "Create an organization"
                    )
                ),
            );
            return Ok(ctx.page("Organizations", "AWS Organizations", &body));
        }
        Err(err) => return Err(err.into()),
    };
    let Output::ListRoots(roots) = call(ctx, "ListRoots", &json!({}))? else {
        return Err(Problem::unexpected());
    };
    let mut parents = Vec::new();
    let mut tree = String::new();
    for root in &roots.roots {
        parents.push((root.id.clone(), format!("Root ({})", root.id)));
        let inner = subtree(ctx, &root.id, 1, &mut parents)?;
        let _ = write!(
            tree,
            "<p><b>Root</b> <code>{}</code></p>{inner}",
            esc(&root.id)
        );
    }
    let Output::ListPolicies(policies) = call(
        ctx,
        "ListPolicies",
        &json!({ "Filter": "SERVICE_CONTROL_POLICY" }),
    )?
    else {
        return Err(Problem::unexpected());
    };
    let rows: Vec<Vec<String>> = policies
        .policies
        .iter()
        .map(|p| {
            vec![
                esc(&p.name),
                format!("<code>{}</code>", esc(&p.id)),
                if p.aws_managed {
                    "AWS managed".to_owned()
                } else {
                    "Customer managed".to_owned()
                },
                esc(&p.description),
            ]
        })
        .collect();
    let csrf = ctx.csrf();
    let create_ou = html::form(
        "/console/organizations/ou",
        csrf,
        &format!(
            "{}{}",
            html::select("Parent", "ParentId", &parents),
            html::input("Organizational unit name", "Name", "text", "", "required")
        ),
        "Create organizational unit",
        "stack",
    );
    let create_account = html::form(
        "/console/organizations/account",
        csrf,
        &format!(
            "{}{}",
            html::input("AWS account name", "AccountName", "text", "", "required"),
            html::input(
                "Email address of the account's owner",
                "Email",
                "email",
                "",
                "required"
            )
        ),
        "Create AWS account",
        "stack",
    );
    let body = format!(
        "{}{}{}{}",
        html::section(
            "Organization",
            &format!(
                "<p>Organization ID <code>{}</code> · feature set {} · management account <code>{}</code> ({})</p>",
                esc(&organization.id),
                esc(organization.feature_set.as_str()),
                esc(&organization.master_account_id),
                esc(&organization.master_account_email)
            )
        ),
        html::section("AWS accounts", &format!("{tree}{create_account}")),
        html::section("Organizational units", &create_ou),
        html::section(
            "Service control policies",
            &html::table(
                "Policies",
                &["Name", "ID", "Type", "Description"],
                &rows,
                "No service control policies."
            )
        ),
    );
    Ok(ctx.page("Organizations", "AWS Organizations", &body))
}

/// `POST /console/organizations/ACTION`.
pub fn act(ctx: &Ctx<'_>, action: &str) -> Answer {
    let get = |name: &str| ctx.req.get(name).trim().to_owned();
    let message = match action {
        "create" => {
            call(ctx, "CreateOrganization", &json!({ "FeatureSet": "ALL" }))?;
            "Organization created.".to_owned()
        }
        "ou" => {
            call(
                ctx,
                "CreateOrganizationalUnit",
                &json!({ "ParentId": get("ParentId"), "Name": get("Name") }),
            )?;
            format!("Organizational unit {} created.", get("Name"))
        }
        "account" => {
            let Output::CreateAccount(created) = call(
                ctx,
                "CreateAccount",
                &json!({ "AccountName": get("AccountName"), "Email": get("Email") }),
            )?
            else {
                return Err(Problem::unexpected());
            };
            let status = created.create_account_status;
            format!(
                "Account creation {}: {}",
                status.state.as_str(),
                status
                    .account_id
                    .as_deref()
                    .unwrap_or("the account ID appears when it completes")
            )
        }
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done("/console/organizations", &message))
}
