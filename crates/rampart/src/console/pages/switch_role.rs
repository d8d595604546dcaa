//! Switch role: the signed-in IAM user (or role) assumes a role with STS `AssumeRole`,
//! run as the console session through the request path (so the trust policy sees the
//! session's MFA), and the console acts as the role session until it expires or the person
//! switches back. The root user cannot switch roles, as in AWS.

use rampart_core::auth;
use rampart_core::request::sts::Sts;
use rampart_wire::sts;

use super::{Answer, invalid};
use crate::console::html::{self, esc};
use crate::console::{Ctx, Problem};

/// `GET /console/switch-role?account=…&roleName=…`.
pub fn form(ctx: &Ctx<'_>) -> Answer {
    let fields = format!(
        "{}{}",
        html::input(
            "Account ID",
            "account",
            "text",
            ctx.req.get("account"),
            "required"
        ),
        html::input(
            "IAM role name",
            "roleName",
            "text",
            ctx.req.get("roleName"),
            "required"
        ),
    );
    let body = html::section(
        "Switch role",
        &format!(
            "<p>Act as a role in this or another account with the permissions of that role.</p>{}",
            html::form(
                "/console/switch-role",
                ctx.csrf(),
                &fields,
                "Switch Role",
                "stack"
            )
        ),
    );
    Ok(ctx.page("Roles", "Switch role", &body))
}

/// `POST /console/switch-role`.
pub fn switch(ctx: &Ctx<'_>) -> Answer {
    if ctx.is_root() {
        return Err(invalid(
            "The root user cannot switch roles. Sign in as an IAM user to switch roles.",
        ));
    }
    let account = ctx.req.get("account").trim();
    let role = ctx.req.get("roleName").trim();
    let caller = &ctx.session.caller;
    // AWS names the console's role session after the signed-in user.
    let session_name: String = caller
        .user_name()
        .unwrap_or("console")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "=,.@-_".contains(*c))
        .take(64)
        .collect();
    let arn = format!("arn:aws:iam::{account}:role/{role}");
    let params = rampart_wire::QueryParams::from_pairs([
        ("RoleArn", arn.as_str()),
        ("RoleSessionName", session_name.as_str()),
    ]);
    let op = sts::Operation::decode("AssumeRole", &params)?;
    let output = ctx.requests.run::<Sts>(&ctx.call, &op)?;
    let sts::Output::AssumeRole(assumed) = output else {
        return Err(Problem::unexpected());
    };
    let credentials = assumed.credentials;
    let state = ctx.requests.engine().snapshot();
    let (role_caller, _) = auth::lookup_credentials(
        &state,
        &credentials.access_key_id,
        Some(credentials.session_token.expose()),
        ctx.req.now(),
    )
    .map_err(|err| Problem {
        status: 403,
        title: "Access denied",
        message: err.to_string(),
    })?;
    ctx.console
        .state
        .sessions
        .switch_to(&ctx.key, role_caller, credentials.expiration.0);
    Ok(ctx.done(
        "/console/",
        &format!("You are now using the role {role} in account {account}."),
    ))
}

/// `POST /console/switch-back`.
pub fn back(ctx: &Ctx<'_>) -> Answer {
    ctx.console.state.sessions.switch_back(&ctx.key);
    Ok(ctx.done("/console/", "Switched back to your own identity."))
}

/// The header note while switched: which role, and the way back.
pub fn banner(ctx: &Ctx<'_>) -> String {
    if ctx.session.original.is_none() {
        return String::new();
    }
    format!(
        "<div class=\"alert info\">You are using the role <b>{}</b>. {}</div>",
        esc(&ctx.session.caller.arn()),
        html::button_form("/console/switch-back", ctx.csrf(), &[], "Switch back")
    )
}
