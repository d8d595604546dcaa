//! Adding accounts to an organization: create an account (`CreateAccount`: email, name,
//! the access role's name defaulting to `OrganizationAccountAccessRole`, IAM access to
//! billing) and follow its request until it is done (`DescribeCreateAccountStatus`, the page
//! refreshes itself while `IN_PROGRESS`; `ListCreateAccountStatus` for recent requests);
//! invite an existing account by ID or email (`InviteAccountToOrganization`), list the
//! organization's invitations (`ListHandshakesForOrganization`) and cancel one
//! (`CancelHandshake`); in the invited account, its pending invitations
//! (`ListHandshakesForAccount`) to accept or decline (`AcceptHandshake`,
//! `DeclineHandshake`).

use rampart_wire::organizations::{Handshake, Output};
use serde_json::json;

use super::organizations::{all, call, org_output, tabs};
use super::{Answer, invalid, member_access};
use crate::console::html::{self, esc, url};
use crate::console::{Ctx, Problem};

/// The create-account form's fields.
pub fn create_fields() -> String {
    format!(
        "{}{}{}{}",
        html::input("AWS account name", "AccountName", "text", "", "required"),
        html::input(
            "Email address of the account's owner",
            "Email",
            "email",
            "",
            "required"
        ),
        html::input(
            "IAM role name",
            "RoleName",
            "text",
            member_access::ACCESS_ROLE,
            ""
        ),
        html::select(
            "IAM user and role access to billing",
            "IamUserAccessToBilling",
            &[
                ("ALLOW".to_owned(), "Allow".to_owned()),
                ("DENY".to_owned(), "Deny".to_owned()),
            ]
        ),
    )
}

/// `GET /console/organizations/accounts/create`.
pub fn create_form(ctx: &Ctx<'_>) -> Answer {
    let recent = all(
        ctx,
        "ListCreateAccountStatus",
        &json!({}),
        |out| match out {
            Output::ListCreateAccountStatus(o) => Some((o.create_account_statuses, o.next_token)),
            _ => None,
        },
    )?;
    let rows: Vec<Vec<String>> = recent
        .iter()
        .rev()
        .take(20)
        .map(|s| {
            vec![
                html::link(
                    &format!("/console/organizations/create-status/{}", url(&s.id)),
                    s.account_name.as_deref().unwrap_or(&s.id),
                ),
                esc(s.state.as_str()),
                esc(s.account_id.as_deref().unwrap_or("")),
                s.requested_timestamp
                    .map(|t| html::when(t.0))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let body = format!(
        "{}{}{}",
        tabs("AWS accounts"),
        html::section(
            "Add an AWS account",
            &format!(
                "<p>The new account gets a root user with the email address (its owner sets a password through \
                 password recovery) and the IAM role, trusted by this management account with AdministratorAccess.</p>{}",
                html::form(
                    "/console/organizations/account",
                    ctx.csrf(),
                    &create_fields(),
                    "Create AWS account",
                    "stack"
                )
            )
        ),
        html::section(
            "Recent requests",
            &html::table(
                "Account creation requests",
                &["Account name", "Status", "Account ID", "Requested"],
                &rows,
                "No requests."
            )
        ),
    );
    Ok(ctx.page("Organizations", "Add an AWS account", &body))
}

/// `POST /console/organizations/account`: the request, then its status page.
pub fn create(ctx: &Ctx<'_>) -> Answer {
    let get = |name: &str| ctx.req.get(name).trim();
    let role = if get("RoleName").is_empty() {
        member_access::ACCESS_ROLE
    } else {
        get("RoleName")
    };
    let billing = match get("IamUserAccessToBilling") {
        "DENY" => "DENY",
        _ => "ALLOW",
    };
    let body = json!({
        "AccountName": get("AccountName"),
        "Email": get("Email"),
        "RoleName": role,
        "IamUserAccessToBilling": billing,
    });
    let created = org_output!(call(ctx, "CreateAccount", &body)?, CreateAccount)?;
    let status = created.create_account_status;
    Ok(ctx.done(
        &format!("/console/organizations/create-status/{}", url(&status.id)),
        &format!(
            "Account creation {} ({}).",
            status.state.as_str(),
            status.id
        ),
    ))
}

/// `GET /console/organizations/create-status/ID`: refreshes itself until the request is done.
pub fn status(ctx: &Ctx<'_>, id: &str) -> Answer {
    let status = org_output!(
        call(
            ctx,
            "DescribeCreateAccountStatus",
            &json!({ "CreateAccountRequestId": id })
        )?,
        DescribeCreateAccountStatus
    )?
    .create_account_status;
    let state = status.state.as_str();
    let detail = match (state, status.account_id.as_deref()) {
        ("SUCCEEDED", Some(account)) => format!(
            "<p class=\"ok\">The account was created.</p><p>Account ID <code id=\"created-account\">{}</code> · {}</p>",
            esc(account),
            html::link(
                &format!("/console/organizations/targets/{}", url(account)),
                "Open the account"
            )
        ),
        ("FAILED", _) => format!(
            "<p class=\"bad\">The account was not created: {}</p>",
            esc(status
                .failure_reason
                .as_ref()
                .map_or("unknown reason", |r| r.as_str()))
        ),
        // Still running: the page asks again in two seconds.
        _ => "<meta http-equiv=\"refresh\" content=\"2\"><p>Creating the account… this page refreshes itself.</p>".to_owned(),
    };
    let body = format!(
        "{}{}",
        tabs("AWS accounts"),
        html::section(
            "Create account status",
            &format!(
                "<p>Request <code>{}</code> · {} · <b id=\"create-state\">{}</b></p>{detail}",
                esc(&status.id),
                esc(status.account_name.as_deref().unwrap_or("")),
                esc(state)
            )
        )
    );
    Ok(ctx.page("Organizations", "AWS Organizations", &body))
}

/// The target kind of an invitation: 12 digits are an account ID, anything else an email.
fn invite_target(target: &str) -> Result<(&'static str, &str), Problem> {
    let target = target.trim();
    if target.len() == 12 && target.bytes().all(|b| b.is_ascii_digit()) {
        Ok(("ACCOUNT", target))
    } else if target.contains('@') {
        Ok(("EMAIL", target))
    } else {
        Err(invalid(
            "Enter the 12-digit account ID or the email address of the account's root user.",
        ))
    }
}

/// The party of `kind` in a handshake (the invited account, or the organization).
fn party<'h>(handshake: &'h Handshake, kind: &str) -> &'h str {
    handshake
        .parties
        .iter()
        .find(|p| p.party_type.as_str() == kind)
        .map_or("", |p| p.id.as_str())
}

/// `GET /console/organizations/invitations`.
pub fn invitations(ctx: &Ctx<'_>) -> Answer {
    let listed = super::organizations::run(ctx, "ListHandshakesForOrganization", &json!({}));
    let Ok(Output::ListHandshakesForOrganization(first)) = listed else {
        // Not the management account: this account's own invitations.
        let body = pending_invitations(ctx)?;
        return Ok(ctx.page("Organizations", "Invitations", &body));
    };
    let mut handshakes = first.handshakes;
    if first.next_token.is_some() {
        handshakes = all(
            ctx,
            "ListHandshakesForOrganization",
            &json!({}),
            |out| match out {
                Output::ListHandshakesForOrganization(o) => Some((o.handshakes, o.next_token)),
                _ => None,
            },
        )?;
    }
    let rows: Vec<Vec<String>> = handshakes
        .iter()
        .filter(|h| h.action.as_str() == "INVITE")
        .map(|h| {
            let open = matches!(h.state.as_str(), "OPEN" | "REQUESTED");
            let invited = h
                .parties
                .iter()
                .find(|p| p.party_type.as_str() != "ORGANIZATION")
                .map_or("", |p| p.id.as_str());
            vec![
                format!("<code>{}</code>", esc(&h.id)),
                esc(invited),
                esc(h.state.as_str()),
                html::when(h.requested_timestamp.0),
                if open {
                    html::button_form(
                        "/console/organizations/invitations/cancel",
                        ctx.csrf(),
                        &[("HandshakeId", &h.id)],
                        "Cancel invitation",
                    )
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let invite = html::form(
        "/console/organizations/invitations/invite",
        ctx.csrf(),
        &format!(
            "{}{}",
            html::input(
                "Email address or account ID of the AWS account to invite",
                "Target",
                "text",
                "",
                "required"
            ),
            html::input(
                "Message - optional",
                "Notes",
                "text",
                "",
                "maxlength=\"1024\""
            )
        ),
        "Send invitation",
        "stack",
    );
    let body = format!(
        "{}{}{}",
        tabs("Invitations"),
        html::section("Invite an AWS account", &invite),
        html::section(
            "",
            &html::table(
                "Invitations",
                &["Handshake", "Invited account", "Status", "Sent", ""],
                &rows,
                "No invitations."
            )
        ),
    );
    Ok(ctx.page("Organizations", "Invitations", &body))
}

/// This account's open invitations, with accept and decline (empty when there are none).
pub fn pending_invitations(ctx: &Ctx<'_>) -> Result<String, Problem> {
    let handshakes = match super::organizations::run(ctx, "ListHandshakesForAccount", &json!({})) {
        Ok(Output::ListHandshakesForAccount(o)) => o.handshakes,
        Ok(_) => return Err(Problem::unexpected()),
        Err(err) => return Ok(html::alert_error(&err.client_message())),
    };
    let mut rows = Vec::new();
    for h in handshakes.iter().filter(|h| {
        h.action.as_str() == "INVITE" && matches!(h.state.as_str(), "REQUESTED" | "OPEN")
    }) {
        let csrf = ctx.csrf();
        let notes = h
            .resources
            .iter()
            .find(|r| {
                r.resource_type
                    .as_ref()
                    .is_some_and(|t| t.as_str() == "NOTES")
            })
            .and_then(|r| r.value.as_deref())
            .unwrap_or("");
        rows.push(vec![
            format!("<code>{}</code>", esc(&h.id)),
            format!("<code>{}</code>", esc(party(h, "ORGANIZATION"))),
            esc(notes),
            html::when(h.expiration_timestamp.0),
            format!(
                "{}{}",
                html::button_form(
                    "/console/organizations/invitations/accept",
                    csrf,
                    &[("HandshakeId", &h.id)],
                    "Accept invitation"
                ),
                html::button_form(
                    "/console/organizations/invitations/decline",
                    csrf,
                    &[("HandshakeId", &h.id)],
                    "Decline invitation"
                )
            ),
        ]);
    }
    Ok(html::section(
        "Pending invitations",
        &html::table(
            "Invitations to join an organization",
            &["Handshake", "Organization", "Message", "Expires", ""],
            &rows,
            "No pending invitations.",
        ),
    ))
}

/// `POST /console/organizations/invitations/ACTION`.
pub fn act(ctx: &Ctx<'_>, action: &str) -> Answer {
    let id = ctx.req.get("HandshakeId").trim();
    let message = match action {
        "invite" => {
            let (kind, target) = invite_target(ctx.req.get("Target"))?;
            let notes = ctx.req.get("Notes").trim();
            let body = if notes.is_empty() {
                json!({ "Target": { "Id": target, "Type": kind } })
            } else {
                json!({ "Target": { "Id": target, "Type": kind }, "Notes": notes })
            };
            call(ctx, "InviteAccountToOrganization", &body)?;
            format!("Invitation sent to {target}.")
        }
        "cancel" => {
            call(ctx, "CancelHandshake", &json!({ "HandshakeId": id }))?;
            "Invitation canceled.".to_owned()
        }
        "accept" => {
            call(ctx, "AcceptHandshake", &json!({ "HandshakeId": id }))?;
            return Ok(ctx.done(
                "/console/organizations",
                "You accepted the invitation: this account is now a member of the organization.",
            ));
        }
        "decline" => {
            call(ctx, "DeclineHandshake", &json!({ "HandshakeId": id }))?;
            "Invitation declined.".to_owned()
        }
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done("/console/organizations/invitations", &message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_targets_an_account_id_or_an_email() {
        assert_eq!(
            invite_target(" 123456789012 ").unwrap(),
            ("ACCOUNT", "123456789012")
        );
        assert_eq!(
            invite_target("a@example.com").unwrap(),
            ("EMAIL", "a@example.com")
        );
        assert!(invite_target("12345").is_err());
    }
}
