//! One policy target of the organization — the root, an OU or an account — and what can be
//! done to it. Every target: its directly attached service and resource control policies
//! (`ListPoliciesForTarget`) with attach and detach (`AttachPolicy`, `DetachPolicy`). An OU:
//! rename (`UpdateOrganizationalUnit`) and delete (`DeleteOrganizationalUnit`). An account
//! (`DescribeAccount`): move to another parent (`ListParents`, `MoveAccount`), remove
//! (`RemoveAccountFromOrganization`), close (`CloseAccount`), the one-click switch role, and
//! its effective policies: the SCPs and RCPs inherited down the path from the root (each
//! parent's `ListPoliciesForTarget`) and the management policy types' effective documents
//! (`DescribeEffectivePolicy`), which a member account may read for itself.

use std::fmt::Write as _;

use rampart_wire::organizations::{Output, Parent, PolicySummary};
use serde_json::json;

use super::organizations::{POLICY_TYPES, all, call, org_output, run, tabs};
use super::{Answer, invalid};
use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem};

/// The management policy types whose effective policy an account page shows.
const EFFECTIVE_TYPES: &[(&str, &str)] = &[
    ("TAG_POLICY", "Tag policy"),
    ("BACKUP_POLICY", "Backup policy"),
    ("AISERVICES_OPT_OUT_POLICY", "AI services opt-out policy"),
];

/// What kind of target an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Root,
    Unit,
    Account,
}

fn kind(id: &str) -> Option<Kind> {
    if id.starts_with("r-") {
        Some(Kind::Root)
    } else if id.starts_with("ou-") {
        Some(Kind::Unit)
    } else if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Some(Kind::Account)
    } else {
        None
    }
}

fn base(id: &str) -> String {
    format!("/console/organizations/targets/{}", url(id))
}

/// The policies of `kind` attached directly to `target`.
fn direct(ctx: &Ctx<'_>, target: &str, policy_type: &str) -> Result<Vec<PolicySummary>, Problem> {
    all(
        ctx,
        "ListPoliciesForTarget",
        &json!({ "TargetId": target, "Filter": policy_type }),
        |out| match out {
            Output::ListPoliciesForTarget(o) => Some((o.policies, o.next_token)),
            _ => None,
        },
    )
}

/// The directly attached policies of each type, with detach buttons and an attach form.
fn policies_section(ctx: &Ctx<'_>, target: &str) -> Result<String, Problem> {
    let csrf = ctx.csrf();
    let mut out = String::new();
    for (policy_type, title) in POLICY_TYPES {
        let Ok(attached) = direct(ctx, target, policy_type) else {
            // The type is not enabled: nothing to attach.
            continue;
        };
        let rows: Vec<Vec<String>> = attached
            .iter()
            .map(|p| {
                vec![
                    html::link(
                        &format!("/console/organizations/policies/{}", url(&p.id)),
                        &p.name,
                    ),
                    html::button_form(
                        &format!("{}/detach", base(target)),
                        csrf,
                        &[("PolicyId", &p.id)],
                        &format!("Detach {}", p.name),
                    ),
                ]
            })
            .collect();
        let available = all(
            ctx,
            "ListPolicies",
            &json!({ "Filter": policy_type }),
            |out| match out {
                Output::ListPolicies(o) => Some((o.policies, o.next_token)),
                _ => None,
            },
        )?;
        let options: Vec<(String, String)> = available
            .iter()
            .filter(|p| !attached.iter().any(|a| a.id == p.id))
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect();
        let attach = if options.is_empty() {
            String::new()
        } else {
            html::form(
                &format!("{}/attach", base(target)),
                csrf,
                &html::select("Policy", "PolicyId", &options),
                "Attach policy",
                "stack",
            )
        };
        let _ = write!(
            out,
            "{}",
            html::section(
                title,
                &format!(
                    "{}{attach}",
                    html::table("Directly attached", &["Name", ""], &rows, "None.")
                )
            )
        );
    }
    Ok(out)
}

/// `GET /console/organizations/targets/ID`.
pub fn show(ctx: &Ctx<'_>, id: &str) -> Answer {
    let kind = kind(id).ok_or_else(super::not_found)?;
    let (title, details) = match kind {
        Kind::Root => (
            "Root".to_owned(),
            format!("<p>Root <code>{}</code></p>", esc(id)),
        ),
        Kind::Unit => unit_details(ctx, id)?,
        Kind::Account => match account_details(ctx, id) {
            Ok(found) => found,
            // A member account sees only its own effective policies.
            Err(_) if id == ctx.session.caller.account.as_str() => {
                let body = effective_documents(ctx, id)?;
                return Ok(ctx.page("Organizations", &format!("Account {id}"), &body));
            }
            Err(problem) => return Err(problem),
        },
    };
    let inherited = if kind == Kind::Account {
        format!("{}{}", inherited(ctx, id)?, effective_documents(ctx, id)?)
    } else {
        String::new()
    };
    let body = format!(
        "{}{details}{}{inherited}",
        tabs("AWS accounts"),
        policies_section(ctx, id)?
    );
    Ok(ctx.page("Organizations", &title, &body))
}

fn unit_details(ctx: &Ctx<'_>, id: &str) -> Result<(String, String), Problem> {
    let unit = org_output!(
        call(
            ctx,
            "DescribeOrganizationalUnit",
            &json!({ "OrganizationalUnitId": id })
        )?,
        DescribeOrganizationalUnit
    )?
    .organizational_unit;
    let csrf = ctx.csrf();
    let details = html::section(
        "Organizational unit",
        &format!(
            "<p>ID <code>{}</code> · ARN <code>{}</code></p>{}{}",
            esc(&unit.id),
            esc(&unit.arn),
            html::form(
                &format!("{}/rename", base(id)),
                csrf,
                &html::input(
                    "Organizational unit name",
                    "Name",
                    "text",
                    &unit.name,
                    "required"
                ),
                "Rename",
                "stack"
            ),
            html::button_form(
                &format!("{}/delete", base(id)),
                csrf,
                &[],
                "Delete organizational unit"
            ),
        ),
    );
    Ok((unit.name, details))
}

fn account_details(ctx: &Ctx<'_>, id: &str) -> Result<(String, String), Problem> {
    let account = org_output!(
        call(ctx, "DescribeAccount", &json!({ "AccountId": id }))?,
        DescribeAccount
    )?
    .account;
    let csrf = ctx.csrf();
    let parent = parents(ctx, id)?
        .into_iter()
        .next()
        .map(|p| p.id)
        .unwrap_or_default();
    let tree = super::organizations::tree(ctx, false)?;
    let destinations: Vec<(String, String)> = tree
        .parents
        .into_iter()
        .filter(|(p, _)| *p != parent)
        .collect();
    let management = id == ctx.session.caller.account.as_str();
    let mut actions = html::form(
        &format!("{}/move", base(id)),
        csrf,
        &format!(
            "<input type=\"hidden\" name=\"SourceParentId\" value=\"{}\">{}",
            esc(&parent),
            html::select("Move to", "DestinationParentId", &destinations)
        ),
        "Move",
        "stack",
    );
    if !management {
        let _ = write!(
            actions,
            "<p>{}{}</p>{}",
            super::organizations::switch_button(ctx, &account),
            html::button_form(
                &format!("{}/remove", base(id)),
                csrf,
                &[],
                "Remove from organization"
            ),
            html::form(
                &format!("{}/close", base(id)),
                csrf,
                &html::input(
                    &format!(
                        "Closing is permanent after 90 days. To confirm, enter the account ID ({id})"
                    ),
                    "confirm",
                    "text",
                    "",
                    "required autocomplete=\"off\""
                ),
                "Close account",
                "stack"
            ),
        );
    }
    let details = html::section(
        "Account",
        &format!(
            "<p>Account ID <code>{}</code> · {} · {} · joined {} ({})</p><p>Parent <code>{}</code></p>{actions}",
            esc(&account.id),
            esc(&account.email),
            esc(account.state.as_str()),
            html::when(account.joined_timestamp.0),
            esc(account.joined_method.as_str()),
            esc(&parent),
        ),
    );
    Ok((account.name, details))
}

fn parents(ctx: &Ctx<'_>, child: &str) -> Result<Vec<Parent>, Problem> {
    all(
        ctx,
        "ListParents",
        &json!({ "ChildId": child }),
        |out| match out {
            Output::ListParents(o) => Some((o.parents, o.next_token)),
            _ => None,
        },
    )
}

/// The path from the root down to `account`'s parent.
fn path_to(ctx: &Ctx<'_>, account: &str) -> Result<Vec<String>, Problem> {
    let mut path = Vec::new();
    let mut child = account.to_owned();
    // OUs nest at most five deep: the bound only guards against a cycle.
    for _ in 0..8 {
        let Some(parent) = parents(ctx, &child)?.into_iter().next() else {
            break;
        };
        path.push(parent.id.clone());
        if parent.parent_type.as_str() == "ROOT" {
            break;
        }
        child = parent.id;
    }
    path.reverse();
    Ok(path)
}

/// The SCPs and RCPs that apply to `account`: inherited from each parent, then direct.
fn inherited(ctx: &Ctx<'_>, account: &str) -> Result<String, Problem> {
    let mut levels = path_to(ctx, account)?;
    levels.push(account.to_owned());
    let mut rows = Vec::new();
    for target in &levels {
        for (policy_type, title) in POLICY_TYPES {
            let Ok(policies) = direct(ctx, target, policy_type) else {
                continue;
            };
            for p in policies {
                rows.push(vec![
                    html::link(
                        &format!("/console/organizations/policies/{}", url(&p.id)),
                        &p.name,
                    ),
                    (*title).to_owned(),
                    if target == account {
                        "Directly attached".to_owned()
                    } else {
                        format!("Inherited from <code>{}</code>", esc(target))
                    },
                ]);
            }
        }
    }
    Ok(html::section(
        "Effective policies",
        &format!(
            "<p>An action is allowed in this account only when every level from the root down allows it \
             and nothing denies it.</p>{}",
            html::table(
                "Policies that apply to this account",
                &["Policy", "Type", "Attached"],
                &rows,
                "No policies apply."
            )
        ),
    ))
}

/// The effective documents of the management policy types.
fn effective_documents(ctx: &Ctx<'_>, account: &str) -> Result<String, Problem> {
    let mut out = String::new();
    for (policy_type, title) in EFFECTIVE_TYPES {
        let shown = match run(
            ctx,
            "DescribeEffectivePolicy",
            &json!({ "PolicyType": policy_type, "TargetId": account }),
        ) {
            Ok(Output::DescribeEffectivePolicy(o)) => {
                format!("<pre>{}</pre>", esc(&o.effective_policy.policy_content))
            }
            Ok(_) => return Err(Problem::unexpected()),
            Err(err) => format!("<p class=\"muted\">{}</p>", esc(&err.client_message())),
        };
        let _ = write!(out, "<h3>{}</h3>{shown}", esc(title));
    }
    Ok(html::section("Effective management policies", &out))
}

/// `POST /console/organizations/targets/ID/ACTION`.
pub fn act(ctx: &Ctx<'_>, id: &str, action: &str) -> Answer {
    let get = |name: &str| ctx.req.get(name).trim().to_owned();
    let mut to = base(id);
    let message = match action {
        "attach" | "detach" => {
            let operation = if action == "attach" {
                "AttachPolicy"
            } else {
                "DetachPolicy"
            };
            call(
                ctx,
                operation,
                &json!({ "PolicyId": get("PolicyId"), "TargetId": id }),
            )?;
            if action == "attach" {
                "Policy attached."
            } else {
                "Policy detached."
            }
        }
        "rename" => {
            call(
                ctx,
                "UpdateOrganizationalUnit",
                &json!({ "OrganizationalUnitId": id, "Name": get("Name") }),
            )?;
            "Organizational unit renamed."
        }
        "delete" => {
            call(
                ctx,
                "DeleteOrganizationalUnit",
                &json!({ "OrganizationalUnitId": id }),
            )?;
            to = "/console/organizations".to_owned();
            "Organizational unit deleted."
        }
        "move" => {
            if get("DestinationParentId").is_empty() {
                return Err(invalid("Choose where to move the account."));
            }
            call(
                ctx,
                "MoveAccount",
                &json!({
                    "AccountId": id,
                    "SourceParentId": get("SourceParentId"),
                    "DestinationParentId": get("DestinationParentId"),
                }),
            )?;
            "Account moved."
        }
        "remove" => {
            call(
                ctx,
                "RemoveAccountFromOrganization",
                &json!({ "AccountId": id }),
            )?;
            to = "/console/organizations".to_owned();
            "Account removed from the organization."
        }
        "close" => {
            if ctx.req.get("confirm").trim() != id {
                return Err(invalid(
                    "Enter the account ID exactly to confirm the closure.",
                ));
            }
            call(ctx, "CloseAccount", &json!({ "AccountId": id }))?;
            "Account closure started: the account is suspended."
        }
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done(&to, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_ids_name_their_kind() {
        assert_eq!(kind("r-ab12"), Some(Kind::Root));
        assert_eq!(kind("ou-ab12-abcdefgh"), Some(Kind::Unit));
        assert_eq!(kind("123456789012"), Some(Kind::Account));
        assert_eq!(kind("p-FullAWSAccess"), None);
        assert_eq!(kind("12345"), None);
    }
}
