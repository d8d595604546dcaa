//! The visual policy editor: a service, its actions (with a filter box), the resources (all,
//! or specific ARNs one per line) and request conditions (MFA, source IP) become a policy
//! document, which opens in the JSON editor of the create page for review — where the
//! policy engine's validation messages and the policy warnings show. The services and
//! actions offered are every AWS service's, from the service authorization reference. With `for=SERVICE_CONTROL_POLICY` (or RCP) the same editor
//! writes an organization policy and opens `org_policies`' editor instead; the effect may
//! then be `Deny` as well.

use std::fmt::Write as _;

use super::{Answer, invalid};
use crate::console::Ctx;
use crate::console::html;

/// The services the editor offers: (IAM service prefix, name, actions), every AWS service
/// of the service authorization reference, ordered by name.
fn services() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let mut all: Vec<_> = rampart_core::service_reference::reference()
        .services()
        .map(|s| {
            let actions = s.actions().map(|a| a.name.as_str()).collect();
            (s.prefix.as_str(), s.name.as_str(), actions)
        })
        .collect();
    all.sort_by_key(|(_, name, _)| name.to_ascii_lowercase());
    all
}

/// `GET /console/policies/visual?service=…&filter=…`.
pub fn form(ctx: &Ctx<'_>) -> Answer {
    let all = services();
    let chosen = ctx.req.get("service");
    let (prefix, title, actions) = all
        .iter()
        .find(|(p, _, _)| *p == chosen)
        .or_else(|| all.iter().find(|(p, _, _)| *p == "iam"))
        .or_else(|| all.first())
        .cloned()
        .ok_or_else(|| invalid("No service to choose from."))?;
    let filter = ctx.req.get("filter").trim().to_lowercase();
    let target = org_target(ctx.req.get("for"));
    let keep_target = target
        .map(|t| format!("<input type=\"hidden\" name=\"for\" value=\"{t}\">"))
        .unwrap_or_default();
    let effect = if target.is_some() {
        html::select(
            "Effect",
            "Effect",
            &[
                ("Deny".to_owned(), "Deny".to_owned()),
                ("Allow".to_owned(), "Allow".to_owned()),
            ],
        )
    } else {
        String::new()
    };
    let options: Vec<(String, String)> = all
        .iter()
        .map(|(p, t, _)| ((*p).to_owned(), (*t).to_owned()))
        .collect();
    let choose = format!(
        "<form method=\"get\" action=\"/console/policies/visual\">{keep_target}{}{}<button class=\"secondary\">Show actions</button></form>",
        html::select_with("Service", "service", &options, Some(prefix)),
        html::input("Filter actions", "filter", "search", &filter, ""),
    );
    let mut boxes = String::new();
    for (i, action) in actions
        .iter()
        .filter(|a| filter.is_empty() || a.to_lowercase().contains(&filter))
        .enumerate()
    {
        let _ = write!(
            boxes,
            "<p class=\"check\"><input id=\"a-{i}\" type=\"checkbox\" name=\"action-{action}\" value=\"true\">\
             <label for=\"a-{i}\"><code>{prefix}:{action}</code></label></p>"
        );
    }
    let fields = format!(
        "<input type=\"hidden\" name=\"service\" value=\"{prefix}\">{keep_target}{effect}\
         <fieldset><legend>Actions allowed ({title})</legend>{}{boxes}</fieldset>\
         <fieldset><legend>Resources</legend>{}\
         <p class=\"field\"><label for=\"f-Resources\">Specific ARNs, one per line</label><textarea id=\"f-Resources\" name=\"Resources\" spellcheck=\"false\"></textarea></p></fieldset>\
         <fieldset><legend>Request conditions</legend>{}{}</fieldset>",
        html::checkbox(
            &format!("All {title} actions ({prefix}:*)"),
            "AllActions",
            false
        ),
        html::checkbox("All resources", "AllResources", true),
        html::checkbox("MFA required", "RequireMfa", false),
        html::input(
            "Source IP (CIDR)",
            "SourceIp",
            "text",
            "",
            "placeholder=\"203.0.113.0/24\""
        ),
    );
    let body = format!(
        "{}{}",
        html::section("Service", &choose),
        html::section(
            "Specify permissions",
            &html::form("/console/policies/visual", ctx.csrf(), &fields, "Next", "")
        ),
    );
    Ok(ctx.page("Policies", "Create policy (visual editor)", &body))
}

/// The organization policy type the editor writes for, if any.
fn org_target(asked: &str) -> Option<&'static str> {
    super::organizations::POLICY_TYPES
        .iter()
        .map(|(t, _)| *t)
        .find(|t| *t == asked)
}

/// The document the visual editor's choices describe.
fn document(
    effect: &str,
    actions: Vec<String>,
    resources: Vec<String>,
    mfa: bool,
    source_ip: &str,
) -> serde_json::Value {
    let mut statement = serde_json::Map::new();
    statement.insert("Effect".to_owned(), effect.into());
    statement.insert("Action".to_owned(), actions.into());
    statement.insert("Resource".to_owned(), resources.into());
    let mut condition = serde_json::Map::new();
    if mfa {
        condition.insert(
            "Bool".to_owned(),
            serde_json::json!({ "aws:MultiFactorAuthPresent": "true" }),
        );
    }
    if !source_ip.is_empty() {
        condition.insert(
            "IpAddress".to_owned(),
            serde_json::json!({ "aws:SourceIp": source_ip }),
        );
    }
    if !condition.is_empty() {
        statement.insert("Condition".to_owned(), condition.into());
    }
    serde_json::json!({ "Version": "2012-10-17", "Statement": [statement] })
}

/// `POST /console/policies/visual`: the choices as JSON in the create page's editor.
pub fn generate(ctx: &Ctx<'_>) -> Answer {
    let prefix = ctx.req.get("service");
    let offered = services()
        .into_iter()
        .find(|(p, _, _)| *p == prefix)
        .map(|(_, _, ops)| ops)
        .ok_or_else(|| invalid("Choose a service."))?;
    let actions: Vec<String> = if ctx.req.get("AllActions") == "true" {
        vec![format!("{prefix}:*")]
    } else {
        offered
            .iter()
            .filter(|op| ctx.req.get(&format!("action-{op}")) == "true")
            .map(|op| format!("{prefix}:{op}"))
            .collect()
    };
    if actions.is_empty() {
        return Err(invalid("Choose at least one action."));
    }
    let resources: Vec<String> = if ctx.req.get("AllResources") == "true" {
        vec!["*".to_owned()]
    } else {
        ctx.req
            .get("Resources")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    if resources.is_empty() {
        return Err(invalid(
            "Choose all resources or add at least one resource ARN.",
        ));
    }
    let target = org_target(ctx.req.get("for"));
    let effect = match (target, ctx.req.get("Effect")) {
        (Some(_), "Deny") => "Deny",
        _ => "Allow",
    };
    let mut doc = document(
        effect,
        actions,
        resources,
        ctx.req.get("RequireMfa") == "true",
        ctx.req.get("SourceIp").trim(),
    );
    if target == Some("RESOURCE_CONTROL_POLICY")
        && let Some(statement) = doc
            .get_mut("Statement")
            .and_then(|s| s.get_mut(0))
            .and_then(serde_json::Value::as_object_mut)
    {
        // RCPs name their principal, always `*` (organizations.md §5.3).
        statement.insert("Principal".to_owned(), "*".into());
    }
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    // The review step is the create page's JSON editor, with the policy engine's checks.
    match target {
        Some(kind) => super::org_policies::create_form(ctx, kind, "", "", &text, None),
        None => super::policies::create_form(ctx, "", "", &text, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_visual_choices_become_one_statement() {
        let doc = document(
            "Allow",
            vec!["iam:GetUser".into()],
            vec!["arn:aws:iam::123456789012:user/*".into()],
            true,
            "203.0.113.0/24",
        );
        let statement = &doc["Statement"][0];
        assert_eq!(statement["Action"][0], "iam:GetUser");
        assert_eq!(statement["Resource"][0], "arn:aws:iam::123456789012:user/*");
        assert_eq!(
            statement["Condition"]["Bool"]["aws:MultiFactorAuthPresent"],
            "true"
        );
        assert_eq!(
            statement["Condition"]["IpAddress"]["aws:SourceIp"],
            "203.0.113.0/24"
        );
        assert!(services().iter().all(|(_, _, ops)| !ops.is_empty()));
        assert_eq!(
            org_target("SERVICE_CONTROL_POLICY"),
            Some("SERVICE_CONTROL_POLICY")
        );
        assert_eq!(org_target("anything"), None);
    }
}
