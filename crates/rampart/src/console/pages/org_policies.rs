//! Organization policies (service and resource control policies): the list per type with
//! the type's status in the root (`ListRoots`, `ListPolicies`, `EnablePolicyType`), create
//! with the same editors as IAM policies — the JSON editor that shows the policy engine's
//! messages and the visual editor of `policy_editor` — and the seeds' deny-member-root SCP as
//! a one-click example (`CreatePolicy`); the policy page: edit (`DescribePolicy`,
//! `UpdatePolicy`), targets with detach and attach to the root, an OU or an account
//! (`ListTargetsForPolicy`, `AttachPolicy`, `DetachPolicy`), delete (`DeletePolicy`).

use rampart_wire::organizations::{Output, PolicySummary};
use serde_json::json;

use super::organizations::{POLICY_TYPES, all, call, org_output, tabs};
use super::{Answer, invalid};
use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem};

/// The seeds' SCP that denies everything to the member accounts' root users.
pub const DENY_ROOT: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"DenyRootUser\",\n      \"Effect\": \"Deny\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\",\n      \"Condition\": {\n        \"StringLike\": {\n          \"aws:PrincipalArn\": \"arn:aws:iam::*:root\"\n        }\n      }\n    }\n  ]\n}";

/// The starting document of a new policy of `policy_type`.
fn starter(policy_type: &str) -> &'static str {
    if policy_type == "RESOURCE_CONTROL_POLICY" {
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Deny\",\n      \"Principal\": \"*\",\n      \"Action\": \"sts:AssumeRole\",\n      \"Resource\": \"*\",\n      \"Condition\": {\n        \"BoolIfExists\": { \"aws:SecureTransport\": \"false\" }\n      }\n    }\n  ]\n}"
    } else {
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Deny\",\n      \"Action\": \"organizations:LeaveOrganization\",\n      \"Resource\": \"*\"\n    }\n  ]\n}"
    }
}

/// The policy type a request names (SCP unless RCP).
fn policy_type(asked: &str) -> (&'static str, &'static str) {
    POLICY_TYPES
        .iter()
        .find(|(t, _)| *t == asked)
        .or_else(|| POLICY_TYPES.first())
        .copied()
        .unwrap_or(("SERVICE_CONTROL_POLICY", "Service control policies"))
}

/// A policy's row in a policy table: its link, who manages it, its description.
pub fn policy_row(p: &PolicySummary) -> Vec<String> {
    vec![
        html::link(
            &format!("/console/organizations/policies/{}", url(&p.id)),
            &p.name,
        ),
        if p.aws_managed {
            "AWS managed".to_owned()
        } else {
            "Customer managed".to_owned()
        },
        esc(&p.description),
    ]
}

/// `GET /console/organizations/policies?type=…`.
pub fn list(ctx: &Ctx<'_>) -> Answer {
    let (kind, title) = policy_type(ctx.req.get("type"));
    let roots = org_output!(call(ctx, "ListRoots", &json!({}))?, ListRoots)?.roots;
    let root = roots.first().ok_or_else(Problem::unexpected)?;
    let enabled = root
        .policy_types
        .iter()
        .any(|p| p.policy_type.as_str() == kind && p.status.as_str() == "ENABLED");
    let mut types = String::from("<div class=\"tabs\">");
    for (t, label) in POLICY_TYPES {
        let mark = if *t == kind {
            " aria-current=\"page\""
        } else {
            ""
        };
        types.push_str(&format!(
            "<a href=\"/console/organizations/policies?type={t}\"{mark}>{label}</a>"
        ));
    }
    types.push_str("</div>");
    let content = if enabled {
        let policies = all(
            ctx,
            "ListPolicies",
            &json!({ "Filter": kind }),
            |out| match out {
                Output::ListPolicies(o) => Some((o.policies, o.next_token)),
                _ => None,
            },
        )?;
        let rows: Vec<Vec<String>> = policies.iter().map(policy_row).collect();
        format!(
            "<p><a href=\"/console/organizations/policies/create?type={kind}\">Create policy</a> · \
             <a href=\"/console/policies/visual?for={kind}\">Create policy with the visual editor</a> · \
             <a href=\"/console/organizations/policies/create?type={kind}&amp;example=deny-root\">Example: deny the member accounts' root user</a></p>{}",
            html::table(
                title,
                &["Name", "Type", "Description"],
                &rows,
                "No policies."
            )
        )
    } else {
        format!(
            "<p>{title} are not enabled in this organization's root.</p>{}",
            html::button_form(
                "/console/organizations/enable-type",
                ctx.csrf(),
                &[("RootId", &root.id), ("PolicyType", kind)],
                &format!("Enable {title}"),
            )
        )
    };
    let body = format!(
        "{}{types}{}",
        tabs("Policies"),
        html::section(title, &content)
    );
    Ok(ctx.page("Organizations", "Policies", &body))
}

/// `GET /console/organizations/policies/create?type=…&example=deny-root`.
pub fn create_page(ctx: &Ctx<'_>) -> Answer {
    let (kind, _) = policy_type(ctx.req.get("type"));
    if ctx.req.get("example") == "deny-root" {
        return create_form(
            ctx,
            kind,
            "DenyRootUser",
            "Denies every action to the root user of member accounts",
            DENY_ROOT,
            None,
        );
    }
    create_form(ctx, kind, "", "", starter(kind), None)
}

/// The create form for `kind`, with `error` above the editor when the last attempt failed
/// (the same JSON editor as IAM policies; the visual editor opens here for review).
pub fn create_form(
    ctx: &Ctx<'_>,
    kind: &str,
    name: &str,
    description: &str,
    document: &str,
    error: Option<&Problem>,
) -> Answer {
    let (kind, title) = policy_type(kind);
    let fields = format!(
        "<input type=\"hidden\" name=\"Type\" value=\"{kind}\">{}{}{}{}",
        error
            .map(|p| html::alert_error(&p.message))
            .unwrap_or_default(),
        editor(document),
        html::input("Policy name", "Name", "text", name, "required"),
        html::input(
            "Description - optional",
            "Description",
            "text",
            description,
            ""
        ),
    );
    let body = format!(
        "{}{}",
        tabs("Policies"),
        html::section(
            &format!("New policy: {title}"),
            &format!(
                "<p><a href=\"/console/policies/visual?for={kind}\">Visual editor</a> · \
                 <a href=\"/console/organizations/policies/create?type={kind}&amp;example=deny-root\">Example: deny the member accounts' root user</a></p>{}",
                html::form(
                    "/console/organizations/policies",
                    ctx.csrf(),
                    &fields,
                    "Create policy",
                    ""
                )
            )
        )
    );
    let mut page = ctx.page("Organizations", "Create policy", &body);
    if let Some(problem) = error {
        page.status = problem.status;
    }
    Ok(page)
}

fn editor(document: &str) -> String {
    format!(
        "<p class=\"field\"><label for=\"f-PolicyDocument\">Policy editor (JSON)</label>\
         <textarea id=\"f-PolicyDocument\" name=\"PolicyDocument\" spellcheck=\"false\">{}</textarea></p>",
        esc(document)
    )
}

/// `POST /console/organizations/policies`.
pub fn create(ctx: &Ctx<'_>) -> Answer {
    let get = |n: &str| ctx.req.get(n);
    let (kind, _) = policy_type(get("Type"));
    let (name, description, document) = (
        get("Name").trim(),
        get("Description"),
        get("PolicyDocument"),
    );
    let body = json!({
        "Content": document,
        "Description": description,
        "Name": name,
        "Type": kind,
    });
    match call(ctx, "CreatePolicy", &body) {
        Ok(Output::CreatePolicy(created)) => Ok(ctx.done(
            &format!(
                "/console/organizations/policies/{}",
                url(&created.policy.policy_summary.id)
            ),
            &format!("Policy {name} created."),
        )),
        Ok(_) => Err(Problem::unexpected()),
        Err(problem) => create_form(ctx, kind, name, description, document, Some(&problem)),
    }
}

/// `GET /console/organizations/policies/ID`.
pub fn show(ctx: &Ctx<'_>, id: &str) -> Answer {
    let policy = org_output!(
        call(ctx, "DescribePolicy", &json!({ "PolicyId": id }))?,
        DescribePolicy
    )?
    .policy;
    let summary = &policy.policy_summary;
    let csrf = ctx.csrf();
    let base = format!("/console/organizations/policies/{}", url(id));
    let pretty = serde_json::from_str::<serde_json::Value>(&policy.content)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| policy.content.clone());
    let content = if summary.aws_managed {
        format!("<pre>{}</pre>", esc(&pretty))
    } else {
        html::form(
            &format!("{base}/update"),
            csrf,
            &format!(
                "{}{}",
                editor(&pretty),
                html::input(
                    "Description",
                    "Description",
                    "text",
                    &summary.description,
                    ""
                )
            ),
            "Save changes",
            "",
        )
    };
    let targets = all(
        ctx,
        "ListTargetsForPolicy",
        &json!({ "PolicyId": id }),
        |out| match out {
            Output::ListTargetsForPolicy(o) => Some((o.targets, o.next_token)),
            _ => None,
        },
    )?;
    let rows: Vec<Vec<String>> = targets
        .iter()
        .map(|t| {
            vec![
                html::link(
                    &format!("/console/organizations/targets/{}", url(&t.target_id)),
                    &t.name,
                ),
                format!("<code>{}</code>", esc(&t.target_id)),
                esc(t.target_type.as_str()),
                html::button_form(
                    &format!("{base}/detach"),
                    csrf,
                    &[("TargetId", &t.target_id)],
                    &format!("Detach from {}", t.name),
                ),
            ]
        })
        .collect();
    let tree = super::organizations::tree(ctx, false)?;
    let mut options: Vec<(String, String)> = tree.parents.clone();
    for (account, _) in &tree.accounts {
        options.push((
            account.id.clone(),
            format!("Account {} ({})", account.name, account.id),
        ));
    }
    options.retain(|(id, _)| !targets.iter().any(|t| t.target_id == *id));
    let attach = html::form(
        &format!("{base}/attach"),
        csrf,
        &html::select(
            "Target (root, organizational unit or account)",
            "TargetId",
            &options,
        ),
        "Attach policy",
        "stack",
    );
    let delete = if summary.aws_managed {
        String::new()
    } else {
        html::section(
            "Delete",
            &html::button_form(&format!("{base}/delete"), csrf, &[], "Delete policy"),
        )
    };
    let body = format!(
        "{}{}{}{}{delete}",
        tabs("Policies"),
        html::section(
            "Policy details",
            &format!(
                "<p>ID <code>{}</code> · {} · {}</p><p>{}</p>",
                esc(&summary.id),
                esc(summary.policy_type.as_str()),
                if summary.aws_managed {
                    "AWS managed"
                } else {
                    "Customer managed"
                },
                esc(&summary.description)
            )
        ),
        html::section("Content", &content),
        html::section(
            "Targets",
            &format!(
                "{}{attach}",
                html::table(
                    "Attached to",
                    &["Name", "ID", "Type", ""],
                    &rows,
                    "Not attached."
                )
            )
        ),
    );
    Ok(ctx.page("Organizations", &summary.name, &body))
}

/// `POST /console/organizations/policies/ID/ACTION`.
pub fn act(ctx: &Ctx<'_>, id: &str, action: &str) -> Answer {
    let get = |n: &str| ctx.req.get(n).trim().to_owned();
    let base = format!("/console/organizations/policies/{}", url(id));
    let message = match action {
        "update" => {
            call(
                ctx,
                "UpdatePolicy",
                &json!({
                    "PolicyId": id,
                    "Content": ctx.req.get("PolicyDocument"),
                    "Description": ctx.req.get("Description"),
                }),
            )?;
            "Policy updated."
        }
        "attach" | "detach" => {
            let target = get("TargetId");
            if target.is_empty() {
                return Err(invalid("Choose a target."));
            }
            let operation = if action == "attach" {
                "AttachPolicy"
            } else {
                "DetachPolicy"
            };
            call(
                ctx,
                operation,
                &json!({ "PolicyId": id, "TargetId": target }),
            )?;
            if action == "attach" {
                "Policy attached."
            } else {
                "Policy detached."
            }
        }
        "delete" => {
            call(ctx, "DeletePolicy", &json!({ "PolicyId": id }))?;
            return Ok(ctx.done("/console/organizations/policies", "Policy deleted."));
        }
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done(&base, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deny_root_example_denies_everything_to_root_principals() {
        let doc: serde_json::Value = serde_json::from_str(DENY_ROOT).unwrap();
        let statement = &doc["Statement"][0];
        assert_eq!(statement["Effect"], "Deny");
        assert_eq!(statement["Action"], "*");
        assert_eq!(
            statement["Condition"]["StringLike"]["aws:PrincipalArn"],
            "arn:aws:iam::*:root"
        );
        for kind in ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"] {
            assert!(serde_json::from_str::<serde_json::Value>(starter(kind)).is_ok());
        }
        assert_eq!(policy_type("nonsense").0, "SERVICE_CONTROL_POLICY");
        assert_eq!(
            policy_type("RESOURCE_CONTROL_POLICY").0,
            "RESOURCE_CONTROL_POLICY"
        );
    }
}
