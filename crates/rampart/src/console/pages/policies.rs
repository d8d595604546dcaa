//! Policies: the list with the AWS managed / customer managed filter and a name filter
//! (`ListPolicies`), create with the JSON editor (`CreatePolicy`; the policy engine's
//! validation messages are shown above the editor, which keeps the text), the policy page
//! (`GetPolicy`, `GetPolicyVersion`) and attach to a user, group or role
//! (`AttachUserPolicy`, `AttachGroupPolicy`, `AttachRolePolicy`). Versions, editing and
//! deletion are `policy_versions`; the visual editor is `policy_editor`.

use super::Answer;
use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem, output};

const EXAMPLE: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"iam:Get*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";

/// `GET /console/policies?scope=All|AWS|Local&filter=…`.
pub fn list(ctx: &Ctx<'_>) -> Answer {
    let scope = match ctx.req.get("scope") {
        "AWS" => "AWS",
        "Local" => "Local",
        _ => "All",
    };
    let filter = ctx.req.get("filter").trim().to_lowercase();
    let policies = output!(
        ctx.iam("ListPolicies", &[("Scope", scope), ("MaxItems", "1000")])?,
        ListPolicies
    )?;
    let rows: Vec<Vec<String>> = policies
        .policies
        .iter()
        .filter(|p| filter.is_empty() || p.policy_name.to_lowercase().contains(&filter))
        .map(|p| {
            let kind = if p.arn.starts_with("arn:aws:iam::aws:") {
                "AWS managed"
            } else {
                "Customer managed"
            };
            vec![
                html::link(
                    &format!("/console/policies/view?arn={}", url(&p.arn)),
                    &p.policy_name,
                ),
                kind.to_owned(),
                p.attachment_count.to_string(),
                esc(p.description.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    let tab = |value: &str, label: &str| {
        let current = if value == scope {
            " aria-current=\"page\""
        } else {
            ""
        };
        format!("<a href=\"/console/policies?scope={value}\"{current}>{label}</a>")
    };
    let body = format!(
        "<p><a href=\"/console/policies/create\">Create policy</a> · <a href=\"/console/policies/visual\">Create policy with the visual editor</a></p>\
         <div class=\"tabs\">{}{}{}</div>\
         <form method=\"get\" action=\"/console/policies\"><input type=\"hidden\" name=\"scope\" value=\"{scope}\">{}<button class=\"secondary\">Filter</button></form>{}",
        tab("All", "All types"),
        tab("AWS", "AWS managed"),
        tab("Local", "Customer managed"),
        html::input("Filter policies by name", "filter", "search", &filter, ""),
        html::section(
            "",
            &html::table(
                &format!("Policies ({})", rows.len()),
                &["Policy name", "Type", "Attached entities", "Description"],
                &rows,
                "No policies to display."
            )
        ),
    );
    Ok(ctx.page("Policies", "Policies", &body))
}

/// The create form, with `error` above the editor when the last attempt failed.
pub fn create_form(
    ctx: &Ctx<'_>,
    name: &str,
    description: &str,
    document: &str,
    error: Option<&Problem>,
) -> Answer {
    let document = if document.is_empty() {
        EXAMPLE
    } else {
        document
    };
    let fields = format!(
        "{}{}<p class=\"field\"><label for=\"f-PolicyDocument\">Policy editor (JSON)</label>\
         <textarea id=\"f-PolicyDocument\" name=\"PolicyDocument\" spellcheck=\"false\">{}</textarea></p>\
         <p><button class=\"secondary\" formaction=\"/console/policies/check\" formnovalidate>Check for warnings</button></p>{}{}",
        error
            .map(|p| html::alert_error(&p.message))
            .unwrap_or_default(),
        warnings_box(document),
        esc(document),
        html::input("Policy name", "PolicyName", "text", name, "required"),
        html::input(
            "Description - optional",
            "Description",
            "text",
            description,
            ""
        ),
    );
    let body = html::section(
        "Specify permissions",
        &html::form(
            "/console/policies",
            ctx.csrf(),
            &fields,
            "Create policy",
            "",
        ),
    );
    let mut page = ctx.page("Policies", "Create policy", &body);
    if let Some(problem) = error {
        page.status = problem.status;
    }
    Ok(page)
}

/// Access Analyzer-style warnings about `document` (unknown services, actions and condition
/// keys), or nothing when it has none or does not parse (the create step shows why).
fn warnings_box(document: &str) -> String {
    let Ok(policy) = rampart_policy::Policy::parse(document, rampart_policy::PolicyKind::Managed)
    else {
        return String::new();
    };
    let warnings = rampart_core::policy_lint::warnings(policy.document());
    if warnings.is_empty() {
        return String::new();
    }
    let items: String = warnings
        .iter()
        .map(|w| {
            format!(
                "<li><strong>{}</strong> (statement {}): {}</li>",
                w.code,
                w.statement + 1,
                esc(&w.detail)
            )
        })
        .collect();
    format!(
        "<div class=\"alert warning\" role=\"status\"><p>Policy warnings: IAM accepts this policy as it is, but check these names before you create it:</p><ul>{items}</ul></div>"
    )
}

/// `POST /console/policies/check`: the create page again, with the document's warnings.
pub fn check(ctx: &Ctx<'_>) -> Answer {
    create_form(
        ctx,
        ctx.req.get("PolicyName"),
        ctx.req.get("Description"),
        ctx.req.get("PolicyDocument"),
        None,
    )
}

/// `POST /console/policies`.
pub fn create(ctx: &Ctx<'_>) -> Answer {
    let (name, description, document) = (
        ctx.req.get("PolicyName"),
        ctx.req.get("Description"),
        ctx.req.get("PolicyDocument"),
    );
    match ctx.iam(
        "CreatePolicy",
        &[
            ("PolicyName", name),
            ("Description", description),
            ("PolicyDocument", document),
        ],
    ) {
        Ok(out) => {
            let policy = output!(out, CreatePolicy)?.policy;
            Ok(ctx.done(
                &format!("/console/policies/view?arn={}", url(&policy.arn)),
                &format!("Policy {name} created."),
            ))
        }
        Err(problem) => create_form(ctx, name, description, document, Some(&problem)),
    }
}

/// `GET /console/policies/view?arn=…`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    let arn = ctx.req.get("arn");
    let policy = output!(ctx.iam("GetPolicy", &[("PolicyArn", arn)])?, GetPolicy)?.policy;
    let version = output!(
        ctx.iam(
            "GetPolicyVersion",
            &[
                ("PolicyArn", arn),
                ("VersionId", &policy.default_version_id)
            ]
        )?,
        GetPolicyVersion
    )?
    .policy_version;
    let document = version.document.map(|d| d.0).unwrap_or_default();
    let pretty = serde_json::from_str::<serde_json::Value>(&document)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or(document);
    let csrf = ctx.csrf();
    let target = html::select(
        "Attach to",
        "EntityType",
        &[
            ("user".to_owned(), "IAM user".to_owned()),
            ("group".to_owned(), "User group".to_owned()),
            ("role".to_owned(), "IAM role".to_owned()),
        ],
    );
    let attach = html::form(
        "/console/policies/attach",
        csrf,
        &format!(
            "<input type=\"hidden\" name=\"PolicyArn\" value=\"{}\">{target}{}",
            esc(arn),
            html::input("Name", "EntityName", "text", "", "required")
        ),
        "Attach policy",
        "stack",
    );
    let body = format!(
        "{}{}{}",
        html::section(
            "Policy details",
            &format!(
                "<p>ARN <code>{}</code></p><p>{}</p><p>Attached entities: {}</p><p>Default version {}</p>",
                esc(&policy.arn),
                esc(policy.description.as_deref().unwrap_or("")),
                policy.attachment_count,
                esc(&policy.default_version_id)
            )
        ),
        html::section(
            "Permissions defined in this policy",
            &format!("<pre>{}</pre>", esc(&pretty))
        ),
        html::section("Attach", &attach),
    );
    let customer = !policy.arn.starts_with("arn:aws:iam::aws:");
    let managed = if customer {
        super::policy_versions::section(ctx, &policy, &pretty)?
    } else {
        String::new()
    };
    Ok(ctx.page("Policies", &policy.policy_name, &format!("{body}{managed}")))
}

/// `POST /console/policies/attach`.
pub fn attach(ctx: &Ctx<'_>) -> Answer {
    let (arn, name) = (ctx.req.get("PolicyArn"), ctx.req.get("EntityName").trim());
    match ctx.req.get("EntityType") {
        "group" => ctx.iam(
            "AttachGroupPolicy",
            &[("GroupName", name), ("PolicyArn", arn)],
        )?,
        "role" => ctx.iam(
            "AttachRolePolicy",
            &[("RoleName", name), ("PolicyArn", arn)],
        )?,
        _ => ctx.iam(
            "AttachUserPolicy",
            &[("UserName", name), ("PolicyArn", arn)],
        )?,
    };
    Ok(ctx.done(
        &format!("/console/policies/view?arn={}", url(arn)),
        "Policy attached.",
    ))
}
