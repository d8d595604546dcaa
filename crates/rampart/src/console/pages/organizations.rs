//! AWS Organizations, the landing page: create the organization (`CreateOrganization`);
//! for the management account (and, read-only, a delegated administrator) the tree of the
//! root, organizational units and accounts (`DescribeOrganization`, `ListRoots`,
//! `ListOrganizationalUnitsForParent`, `ListAccountsForParent`) with a one-click switch into
//! each member through the organization's access role, the policy types of the root
//! (`EnablePolicyType`, `DisablePolicyType`), creating an OU (`CreateOrganizationalUnit`)
//! or an account (`CreateAccount`, followed on `org_accounts`' status page); for a member
//! account its organization, the access-role check and `LeaveOrganization`; for an account
//! in no organization its pending invitations. Also the Organizations call helpers the other
//! `org_*` pages share. Every call is decided by IAM (and SCPs) like any other.

use std::fmt::Write as _;

use rampart_core::CoreError;
use rampart_core::request::organizations::Organizations;
use rampart_wire::ErrorCode;
use rampart_wire::organizations::{Account, Operation, Output, Root};
use serde_json::{Value, json};

use super::{Answer, member_access, org_policies};
use crate::console::html::{self, esc, url};
use crate::console::session::COLOURS;
use crate::console::{Ctx, Problem};

/// How deep the tree is drawn (AWS allows five levels of OUs).
const MAX_DEPTH: usize = 6;

/// The policy types the console manages (authorization policies).
pub const POLICY_TYPES: &[(&str, &str)] = &[
    ("SERVICE_CONTROL_POLICY", "Service control policies"),
    ("RESOURCE_CONTROL_POLICY", "Resource control policies"),
];

/// Runs Organizations `operation` with the JSON `body` as the signed-in principal.
pub fn run(ctx: &Ctx<'_>, operation: &str, body: &Value) -> Result<Output, CoreError> {
    let op = Operation::decode(operation, body).map_err(|e| CoreError::Validation(e.message))?;
    ctx.requests.run::<Organizations>(&ctx.call, &op)
}

/// [`run`] with the error as a page problem.
pub fn call(ctx: &Ctx<'_>, operation: &str, body: &Value) -> Result<Output, Problem> {
    Ok(run(ctx, operation, body)?)
}

/// Takes the expected variant out of an Organizations output.
macro_rules! org_output {
    ($out:expr, $variant:ident) => {
        match $out {
            rampart_wire::organizations::Output::$variant(o) => Ok(o),
            _ => Err($crate::console::Problem::unexpected()),
        }
    };
}
pub(crate) use org_output;

/// Every page of a list operation: `pick` takes the items and the next token out of one
/// answer.
pub fn all<T>(
    ctx: &Ctx<'_>,
    operation: &str,
    body: &Value,
    pick: impl Fn(Output) -> Option<(Vec<T>, Option<String>)>,
) -> Result<Vec<T>, Problem> {
    let mut items = Vec::new();
    let mut body = body.clone();
    // A bound on pages, so a misbehaving token cannot loop forever.
    for _ in 0..1000 {
        let (mut page, next) =
            pick(call(ctx, operation, &body)?).ok_or_else(Problem::unexpected)?;
        items.append(&mut page);
        match (next, body.as_object_mut()) {
            (Some(token), Some(map)) => {
                map.insert("NextToken".to_owned(), token.into());
            }
            _ => break,
        }
    }
    Ok(items)
}

/// The links between the Organizations pages.
pub fn tabs(current: &str) -> String {
    let mut out = String::from("<div class=\"tabs\">");
    for (link, label) in [
        ("/console/organizations", "AWS accounts"),
        ("/console/organizations/invitations", "Invitations"),
        ("/console/organizations/policies", "Policies"),
        ("/console/organizations/services", "Services"),
    ] {
        let mark = if label == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(out, "<a href=\"{link}\"{mark}>{label}</a>");
    }
    out.push_str("</div>");
    out
}

/// The organization's tree as the management account or a delegated administrator sees it.
pub struct Tree {
    /// The root.
    pub root: Root,
    /// Every parent (root and OUs) as (id, label), for move and create-OU forms.
    pub parents: Vec<(String, String)>,
    /// Every account with its parent's id.
    pub accounts: Vec<(Account, String)>,
    /// The nested list.
    pub html: String,
}

/// Reads the whole tree; `switch` adds the one-click switch-role buttons.
pub fn tree(ctx: &Ctx<'_>, switch: bool) -> Result<Tree, Problem> {
    let roots = all(ctx, "ListRoots", &json!({}), |out| match out {
        Output::ListRoots(o) => Some((o.roots, o.next_token)),
        _ => None,
    })?;
    let root = roots.into_iter().next().ok_or_else(Problem::unexpected)?;
    let mut tree = Tree {
        parents: vec![(root.id.clone(), format!("Root ({})", root.id))],
        accounts: Vec::new(),
        html: String::new(),
        root,
    };
    let inner = subtree(ctx, &tree.root.id.clone(), 1, &mut tree, switch)?;
    tree.html = format!(
        "<ul class=\"tree\"><li>{} <code>{}</code>{inner}</li></ul>",
        html::link(
            &format!("/console/organizations/targets/{}", url(&tree.root.id)),
            "Root"
        ),
        esc(&tree.root.id)
    );
    Ok(tree)
}

fn subtree(
    ctx: &Ctx<'_>,
    parent: &str,
    depth: usize,
    tree: &mut Tree,
    switch: bool,
) -> Result<String, Problem> {
    let mut out = String::from("<ul>");
    let units = all(
        ctx,
        "ListOrganizationalUnitsForParent",
        &json!({ "ParentId": parent }),
        |out| match out {
            Output::ListOrganizationalUnitsForParent(o) => {
                Some((o.organizational_units, o.next_token))
            }
            _ => None,
        },
    )?;
    for unit in &units {
        tree.parents
            .push((unit.id.clone(), format!("{} ({})", unit.name, unit.id)));
        let inner = if depth < MAX_DEPTH {
            subtree(ctx, &unit.id, depth + 1, tree, switch)?
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<li>Organizational unit {} <code>{}</code>{inner}</li>",
            html::link(
                &format!("/console/organizations/targets/{}", url(&unit.id)),
                &unit.name
            ),
            esc(&unit.id)
        );
    }
    let accounts = all(
        ctx,
        "ListAccountsForParent",
        &json!({ "ParentId": parent }),
        |out| match out {
            Output::ListAccountsForParent(o) => Some((o.accounts, o.next_token)),
            _ => None,
        },
    )?;
    for account in accounts {
        let management = account.id == ctx.session.caller.account.as_str();
        let button = if switch && !management && account.state.as_str() == "ACTIVE" {
            switch_button(ctx, &account)
        } else if management {
            "<span class=\"muted\">management account</span>".to_owned()
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<li>Account {} <code>{}</code> <span class=\"muted\">{} · {} · {}</span> {button}</li>",
            html::link(
                &format!("/console/organizations/targets/{}", url(&account.id)),
                &account.name
            ),
            esc(&account.id),
            esc(&account.email),
            esc(account.state.as_str()),
            esc(account.joined_method.as_str()),
        );
        tree.accounts.push((account, parent.to_owned()));
    }
    out.push_str("</ul>");
    Ok(out)
}

/// The one-click switch into a member account with the organization's access role.
pub fn switch_button(ctx: &Ctx<'_>, account: &Account) -> String {
    let colour = COLOURS.get(4).map_or("99BCE3", |(v, _)| v);
    html::button_form(
        "/console/switch-role",
        ctx.csrf(),
        &[
            ("account", &account.id),
            ("roleName", member_access::ACCESS_ROLE),
            ("displayName", &account.name),
            ("color", colour),
        ],
        &format!("Switch role into {}", account.name),
    )
}

/// `GET /console/organizations`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    let organization = match run(ctx, "DescribeOrganization", &json!({})) {
        Ok(Output::DescribeOrganization(o)) => o.organization,
        Ok(_) => return Err(Problem::unexpected()),
        Err(err) if err.code() == ErrorCode::AwsOrganizationsNotInUseException => {
            return outside(ctx);
        }
        Err(err) => return Err(err.into()),
    };
    let summary = html::section(
        "Organization",
        &format!(
            "<p>Organization ID <code>{}</code> · feature set {} · management account <code>{}</code> ({})</p>",
            esc(&organization.id),
            esc(organization.feature_set.as_str()),
            esc(&organization.master_account_id),
            esc(&organization.master_account_email)
        ),
    );
    let own = ctx.session.caller.account.as_str();
    if organization.master_account_id != own {
        return member_view(ctx, &summary);
    }
    let tree = tree(ctx, true)?;
    let body = format!(
        "{}{summary}{}{}{}{}",
        tabs("AWS accounts"),
        html::section(
            "AWS accounts",
            &format!(
                "<p><a href=\"/console/organizations/accounts/create\">Add an AWS account</a> · \
                 <a href=\"/console/organizations/invitations\">Invite an existing account</a></p>{}",
                tree.html
            )
        ),
        create_forms(ctx, &tree.parents),
        policy_types(ctx, &tree.root),
        scp_list(ctx)?,
    );
    Ok(ctx.page("Organizations", "AWS Organizations", &body))
}

/// The create-OU and create-account forms of the landing page.
fn create_forms(ctx: &Ctx<'_>, parents: &[(String, String)]) -> String {
    let csrf = ctx.csrf();
    let create_ou = html::form(
        "/console/organizations/ou",
        csrf,
        &format!(
            "{}{}",
            html::select("Parent", "ParentId", parents),
            html::input("Organizational unit name", "Name", "text", "", "required")
        ),
        "Create organizational unit",
        "stack",
    );
    let create_account = html::form(
        "/console/organizations/account",
        csrf,
        &super::org_accounts::create_fields(),
        "Create AWS account",
        "stack",
    );
    format!(
        "{}{}",
        html::section("Create an AWS account", &create_account),
        html::section("Organizational units", &create_ou)
    )
}

/// The root's policy types with enable/disable buttons.
fn policy_types(ctx: &Ctx<'_>, root: &Root) -> String {
    let mut rows = Vec::new();
    for (kind, title) in POLICY_TYPES {
        let status = root
            .policy_types
            .iter()
            .find(|p| p.policy_type.as_str() == *kind)
            .map(|p| p.status.as_str().to_owned());
        let (shown, action, button) = match status.as_deref() {
            Some("ENABLED") => (
                "<span class=\"ok\">Enabled</span>",
                "disable-type",
                "Disable",
            ),
            Some(other) => (other, "enable-type", "Enable"),
            None => (
                "<span class=\"muted\">Disabled</span>",
                "enable-type",
                "Enable",
            ),
        };
        rows.push(vec![
            html::link(
                &format!("/console/organizations/policies?type={kind}"),
                title,
            ),
            shown.to_owned(),
            html::button_form(
                &format!("/console/organizations/{action}"),
                ctx.csrf(),
                &[("RootId", &root.id), ("PolicyType", kind)],
                &format!("{button} {title}"),
            ),
        ]);
    }
    html::section(
        "Policies",
        &html::table("Policy types", &["Policy type", "Status", ""], &rows, ""),
    )
}

/// The service control policies, named on the landing page.
fn scp_list(ctx: &Ctx<'_>) -> Result<String, Problem> {
    let policies = match run(
        ctx,
        "ListPolicies",
        &json!({ "Filter": "SERVICE_CONTROL_POLICY" }),
    ) {
        Ok(Output::ListPolicies(p)) => p.policies,
        Ok(_) => return Err(Problem::unexpected()),
        Err(err) => return Ok(html::alert_error(&err.client_message())),
    };
    let rows: Vec<Vec<String>> = policies.iter().map(org_policies::policy_row).collect();
    Ok(html::section(
        "Service control policies",
        &html::table(
            "Policies",
            &["Name", "Type", "Description"],
            &rows,
            "No service control policies.",
        ),
    ))
}

/// A member account's view: its organization, the access-role check, its effective
/// policies, a read-only tree when it is a delegated administrator, and leaving.
fn member_view(ctx: &Ctx<'_>, summary: &str) -> Answer {
    let own = ctx.session.caller.account.as_str();
    // A delegated administrator may read the tree (AWS: read-only Organizations access).
    let delegated = match tree(ctx, false) {
        Ok(tree) => html::section(
            "AWS accounts (read-only: this account is a delegated administrator)",
            &tree.html,
        ),
        Err(_) => String::new(),
    };
    let leave = html::section(
        "Leave the organization",
        &format!(
            "<p>A member account can leave when it has what a standalone account needs.</p>{}",
            html::button_form(
                "/console/organizations/leave",
                ctx.csrf(),
                &[],
                "Leave organization"
            )
        ),
    );
    let body = format!(
        "{summary}{}{delegated}{}{leave}",
        member_access::check(ctx)?,
        html::section(
            "This account",
            &format!(
                "<p>{}</p>",
                html::link(
                    &format!("/console/organizations/targets/{}", url(own)),
                    "Effective policies of this account"
                )
            )
        ),
    );
    Ok(ctx.page("Organizations", "AWS Organizations", &body))
}

/// An account in no organization: create one, or answer an invitation.
fn outside(ctx: &Ctx<'_>) -> Answer {
    let pending = super::org_accounts::pending_invitations(ctx)?;
    let body = format!(
        "{pending}{}",
        html::section(
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
        )
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
        "account" => return super::org_accounts::create(ctx),
        "enable-type" | "disable-type" => {
            let operation = if action == "enable-type" {
                "EnablePolicyType"
            } else {
                "DisablePolicyType"
            };
            call(
                ctx,
                operation,
                &json!({ "RootId": get("RootId"), "PolicyType": get("PolicyType") }),
            )?;
            format!(
                "{} {}.",
                get("PolicyType"),
                if action == "enable-type" {
                    "enabled"
                } else {
                    "disabled"
                }
            )
        }
        "leave" => {
            call(ctx, "LeaveOrganization", &json!({}))?;
            "This account left the organization.".to_owned()
        }
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done("/console/organizations", &message))
}
