//! A customer managed policy's versions and edits: the version list
//! (`ListPolicyVersions`), set default (`SetDefaultPolicyVersion`), delete a version
//! (`DeletePolicyVersion`), edit in the JSON editor (`CreatePolicyVersion` set as default;
//! AWS keeps five versions, so the console asks to delete one first), and delete the policy
//! (its non-default versions, then `DeletePolicy`; attached policies are refused by IAM).

use super::Answer;
use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem, output};

/// The versions, edit and delete sections of a customer managed policy's page.
pub fn section(
    ctx: &Ctx<'_>,
    policy: &rampart_wire::iam::ManagedPolicy,
    document: &str,
) -> Result<String, Problem> {
    let arn = policy.arn.as_str();
    let csrf = ctx.csrf();
    let versions = output!(
        ctx.iam("ListPolicyVersions", &[("PolicyArn", arn)])?,
        ListPolicyVersions
    )?;
    let rows: Vec<Vec<String>> = versions
        .versions
        .iter()
        .map(|v| {
            let id = v.version_id.as_str();
            let actions = if v.is_default_version {
                "<b>Default</b>".to_owned()
            } else {
                format!(
                    "{}{}",
                    html::button_form(
                        "/console/policies/set-default",
                        csrf,
                        &[("PolicyArn", arn), ("VersionId", id)],
                        "Set as default"
                    ),
                    html::button_form(
                        "/console/policies/delete-version",
                        csrf,
                        &[("PolicyArn", arn), ("VersionId", id)],
                        "Delete version"
                    )
                )
            };
            vec![esc(id), html::when(v.create_date.0), actions]
        })
        .collect();
    let edit = html::form(
        "/console/policies/edit",
        csrf,
        &format!(
            "<input type=\"hidden\" name=\"PolicyArn\" value=\"{}\">\
             <p class=\"field\"><label for=\"f-PolicyDocument\">Policy editor (JSON)</label>\
             <textarea id=\"f-PolicyDocument\" name=\"PolicyDocument\" spellcheck=\"false\">{}</textarea></p>",
            esc(arn),
            esc(document)
        ),
        "Save changes",
        "",
    );
    let delete = html::button_form(
        "/console/policies/delete",
        csrf,
        &[("PolicyArn", arn)],
        "Delete policy",
    );
    Ok(format!(
        "{}{}{}",
        html::section(
            "Policy versions",
            &html::table(
                "Policy versions",
                &["Version", "Created", ""],
                &rows,
                "No versions."
            )
        ),
        html::section("Edit policy", &edit),
        html::section(
            "Delete policy",
            &format!("<p>Detach the policy from every user, group and role first.</p>{delete}")
        ),
    ))
}

fn back(arn: &str) -> String {
    format!("/console/policies/view?arn={}", url(arn))
}

/// `POST /console/policies/ACTION` for versions, edits and deletion.
pub fn act(ctx: &Ctx<'_>, action: &str) -> Answer {
    let arn = ctx.req.get("PolicyArn");
    let version = ctx.req.get("VersionId");
    let message = match action {
        "set-default" => {
            ctx.iam(
                "SetDefaultPolicyVersion",
                &[("PolicyArn", arn), ("VersionId", version)],
            )?;
            "Default version set."
        }
        "delete-version" => {
            ctx.iam(
                "DeletePolicyVersion",
                &[("PolicyArn", arn), ("VersionId", version)],
            )?;
            "Policy version deleted."
        }
        "edit" => {
            ctx.iam(
                "CreatePolicyVersion",
                &[
                    ("PolicyArn", arn),
                    ("PolicyDocument", ctx.req.get("PolicyDocument")),
                    ("SetAsDefault", "true"),
                ],
            )?;
            "Policy updated: the new version is the default."
        }
        "delete" => {
            let versions = output!(
                ctx.iam("ListPolicyVersions", &[("PolicyArn", arn)])?,
                ListPolicyVersions
            )?;
            for v in versions.versions.iter().filter(|v| !v.is_default_version) {
                ctx.iam(
                    "DeletePolicyVersion",
                    &[("PolicyArn", arn), ("VersionId", &v.version_id)],
                )?;
            }
            ctx.iam("DeletePolicy", &[("PolicyArn", arn)])?;
            return Ok(ctx.done("/console/policies?scope=Local", "Policy deleted."));
        }
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done(&back(arn), message))
}
