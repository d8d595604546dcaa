//! The signed-in pages, one module per resource, and the route table that maps a path and
//! method to them. Each page action runs IAM, STS, Organizations, Account or CloudTrail
//! operations as the session's principal through the request path (`Ctx::iam`,
//! `Ctx::account`, `RequestPath::run`); a failure becomes a page with AWS's message.

mod account;
mod account_info;
mod alerts;
mod credentials;
mod dashboard;
mod deletion;
mod events;
mod groups;
mod member_access;
mod org_accounts;
mod org_policies;
mod org_services;
mod org_targets;
mod organizations;
mod policies;
mod policy_editor;
mod policy_versions;
mod roles;
mod switch_role;
mod user_page;
mod users;

pub use switch_role::{label as role_label, signed_in_name};

use rampart_wire::WireResponse;

use super::{Ctx, Problem};

/// The result of a page action.
pub type Answer = Result<WireResponse, Problem>;

/// Percent-decodes a path segment (IAM names may contain `@`, `+`, `=`, `,`).
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Answers a signed-in request.
pub fn route(ctx: &Ctx<'_>) -> WireResponse {
    let rest = ctx.req.path.strip_prefix("/console").unwrap_or("");
    let segments: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(decode)
        .collect();
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let (current, answer): (&'static str, Answer) = match (ctx.req.method, segs.as_slice()) {
        ("GET", []) => ("Dashboard", dashboard::show(ctx)),
        ("POST", ["alias"]) => ("Dashboard", dashboard::create_alias(ctx)),
        ("POST", ["alias", "delete"]) => ("Dashboard", dashboard::delete_alias(ctx)),
        ("GET", ["users"]) => ("Users", users::list(ctx)),
        ("POST", ["users"]) => ("Users", users::create(ctx)),
        ("GET", ["users", name]) => ("Users", user_page::show(ctx, name)),
        ("POST", ["users", name, "delete"]) => ("Users", deletion::user(ctx, name)),
        ("POST", ["users", name, action]) => ("Users", users::act(ctx, name, action)),
        ("POST", ["access-key.csv"]) => ("Users", users::key_csv(ctx)),
        ("GET", ["groups"]) => ("Groups", groups::list(ctx)),
        ("POST", ["groups"]) => ("Groups", groups::create(ctx)),
        ("GET", ["groups", name]) => ("Groups", groups::show(ctx, name)),
        ("POST", ["groups", name, "delete"]) => ("Groups", deletion::group(ctx, name)),
        ("POST", ["groups", name, action]) => ("Groups", groups::act(ctx, name, action)),
        ("GET", ["roles"]) => ("Roles", roles::list(ctx)),
        ("POST", ["roles"]) => ("Roles", roles::create(ctx)),
        ("GET", ["roles", name]) => ("Roles", roles::show(ctx, name)),
        ("POST", ["roles", name, "delete"]) => ("Roles", deletion::role(ctx, name)),
        ("POST", ["roles", name, action]) => ("Roles", roles::act(ctx, name, action)),
        ("GET", ["switch-role" | "switchrole"]) => ("Roles", switch_role::form(ctx)),
        ("POST", ["switch-role" | "switchrole"]) => ("Roles", switch_role::switch(ctx)),
        ("POST", ["switch-back"]) => ("Dashboard", switch_role::back(ctx)),
        ("GET", ["policies"]) => ("Policies", policies::list(ctx)),
        ("GET", ["policies", "create"]) => {
            ("Policies", policies::create_form(ctx, "", "", "", None))
        }
        ("POST", ["policies"]) => ("Policies", policies::create(ctx)),
        ("GET", ["policies", "view"]) => ("Policies", policies::show(ctx)),
        ("POST", ["policies", "attach"]) => ("Policies", policies::attach(ctx)),
        ("GET", ["policies", "visual"]) => ("Policies", policy_editor::form(ctx)),
        ("POST", ["policies", "visual"]) => ("Policies", policy_editor::generate(ctx)),
        ("POST", ["policies", "check"]) => ("Policies", policies::check(ctx)),
        ("POST", ["policies", action]) => ("Policies", policy_versions::act(ctx, action)),
        ("GET", ["account-settings"]) => ("Account settings", account::settings(ctx)),
        ("POST", ["account-settings"]) => ("Account settings", account::update_policy(ctx)),
        ("POST", ["account-settings", "delete"]) => {
            ("Account settings", account::delete_policy(ctx))
        }
        ("GET", ["credential-report"]) => ("Credential report", account::report(ctx)),
        ("POST", ["credential-report"]) => ("Credential report", account::generate_report(ctx)),
        ("GET", ["credential-report.csv"]) => ("Credential report", account::report_csv(ctx)),
        ("GET", ["security-credentials"]) => ("Security credentials", credentials::show(ctx)),
        ("POST", ["security-credentials", action]) => {
            ("Security credentials", credentials::act(ctx, action))
        }
        ("GET", ["organizations"]) => ("Organizations", organizations::show(ctx)),
        ("GET", ["organizations", "accounts", "create"]) => {
            ("Organizations", org_accounts::create_form(ctx))
        }
        ("GET", ["organizations", "create-status", id]) => {
            ("Organizations", org_accounts::status(ctx, id))
        }
        ("GET", ["organizations", "invitations"]) => {
            ("Organizations", org_accounts::invitations(ctx))
        }
        ("POST", ["organizations", "invitations", action]) => {
            ("Organizations", org_accounts::act(ctx, action))
        }
        ("GET", ["organizations", "targets", id]) => ("Organizations", org_targets::show(ctx, id)),
        ("POST", ["organizations", "targets", id, action]) => {
            ("Organizations", org_targets::act(ctx, id, action))
        }
        ("GET", ["organizations", "policies"]) => ("Organizations", org_policies::list(ctx)),
        ("GET", ["organizations", "policies", "create"]) => {
            ("Organizations", org_policies::create_page(ctx))
        }
        ("POST", ["organizations", "policies"]) => ("Organizations", org_policies::create(ctx)),
        ("GET", ["organizations", "policies", id]) => {
            ("Organizations", org_policies::show(ctx, id))
        }
        ("POST", ["organizations", "policies", id, action]) => {
            ("Organizations", org_policies::act(ctx, id, action))
        }
        ("GET", ["organizations", "services"]) => ("Organizations", org_services::show(ctx)),
        ("POST", ["organizations", "services", action]) => {
            ("Organizations", org_services::act(ctx, action))
        }
        ("POST", ["organizations", action]) => ("Organizations", organizations::act(ctx, action)),
        ("GET", ["account"]) => ("Account", account_info::show(ctx)),
        ("POST", ["account", action]) => ("Account", account_info::act(ctx, action)),
        ("GET", ["event-history"]) => ("Event history", events::show(ctx)),
        ("GET", ["event-history.json"]) => ("Event history", events::download(ctx)),
        ("GET", ["alerts"]) => ("Alerts", alerts::show(ctx)),
        ("POST", ["alerts", action]) => ("Alerts", alerts::act(ctx, action)),
        _ => ("Dashboard", Err(not_found())),
    };
    match answer {
        Ok(response) => response,
        Err(problem) => ctx.problem(current, &problem),
    }
}

fn not_found() -> Problem {
    Problem {
        status: 404,
        title: "Not found",
        message: "No such page.".to_owned(),
    }
}

/// A problem the console itself finds in a form.
fn invalid(message: &str) -> Problem {
    Problem {
        status: 400,
        title: "The request was not completed",
        message: message.to_owned(),
    }
}
