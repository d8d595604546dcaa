//! Switch role: the signed-in IAM user assumes a role with STS `AssumeRole`, run as the
//! console session through the request path (so the trust policy sees the session's MFA,
//! and the role session carries it), and the console acts as the role session until it
//! expires or the person goes back. As in AWS: the form takes an account ID or alias, the
//! role name, a display name and one of five colours; `/console/switchrole?account=…&
//! roleName=…&displayName=…&color=…` pre-fills it; the session is named after the user; the
//! last five roles are offered again; the switch and the way back are `SwitchRole` and
//! `ExitRole` sign-in events. The root user cannot switch roles.

use std::fmt::Write as _;

use rampart_core::auth::{self, Caller};
use rampart_core::request::sts::Sts;
use rampart_wire::sts;

use super::{Answer, invalid};
use crate::console::html::{self, esc};
use crate::console::session::{COLOURS, RoleChoice};
use crate::console::{Ctx, Problem};

/// The longest display name AWS accepts.
const DISPLAY_NAME_MAX: usize = 64;

/// `GET /console/switchrole` (and `/console/switch-role`): the form, pre-filled from the
/// query, and the role history.
pub fn form(ctx: &Ctx<'_>) -> Answer {
    let get = |name: &str| ctx.req.get(name).trim();
    let colour = colour_or_default(get("color"));
    let mut swatches = String::new();
    for (value, name) in COLOURS {
        let checked = if *value == colour { " checked" } else { "" };
        let _ = write!(
            swatches,
            "<span class=\"swatch\"><input type=\"radio\" id=\"c-{value}\" name=\"color\" value=\"{value}\"{checked}>\
             <label for=\"c-{value}\"><span class=\"dot role-{value}\"></span>{name}</label></span>"
        );
    }
    let fields = format!(
        "{}{}{}<fieldset><legend>Color</legend>{swatches}</fieldset>",
        html::input(
            "Account ID or alias",
            "account",
            "text",
            get("account"),
            "required"
        ),
        html::input(
            "IAM role name",
            "roleName",
            "text",
            get("roleName"),
            "required"
        ),
        html::input(
            "Display name - optional",
            "displayName",
            "text",
            get("displayName"),
            "maxlength=\"64\""
        ),
    );
    let body = format!(
        "{}{}",
        html::section(
            "Switch role",
            &format!(
                "<p>Act as a role in this or another account with the permissions of that role only. \
                 Your administrator gives you the account and the role name.</p>{}",
                html::form(
                    "/console/switch-role",
                    ctx.csrf(),
                    &fields,
                    "Switch Role",
                    "stack"
                )
            ),
        ),
        history(ctx),
    );
    Ok(ctx.page("Roles", "Switch role", &body))
}

/// The role history: one button per recent role.
fn history(ctx: &Ctx<'_>) -> String {
    let owner = ctx
        .session
        .switched
        .as_ref()
        .map_or(&ctx.session.caller, |s| &s.original)
        .arn();
    let recent = ctx.console.state.sessions.history(&owner);
    if recent.is_empty() {
        return String::new();
    }
    let mut items = String::new();
    for choice in &recent {
        let _ = write!(
            items,
            "<li><span class=\"dot role-{}\"></span>{}</li>",
            esc(&choice.colour),
            html::button_form(
                "/console/switch-role",
                ctx.csrf(),
                &[
                    ("account", &choice.account),
                    ("roleName", &choice.role),
                    ("displayName", &choice.display_name),
                    ("color", &choice.colour),
                ],
                &label(choice),
            )
        );
    }
    html::section(
        "Role history",
        &format!("<ul class=\"history\">{items}</ul>"),
    )
}

/// How a role shows in the navigation bar and the history: `DisplayName @ account`.
pub fn label(choice: &RoleChoice) -> String {
    format!("{} @ {}", choice.display_name, choice.account)
}

/// The colour asked for, or the first of AWS's five.
fn colour_or_default(asked: &str) -> &'static str {
    COLOURS
        .iter()
        .find(|(value, _)| value.eq_ignore_ascii_case(asked))
        .or_else(|| COLOURS.first())
        .map_or("99BCE3", |(value, _)| value)
}

/// The role session name AWS gives a console switch: the signed-in user's name, in the
/// characters a session name may hold.
fn session_name(caller: &Caller) -> String {
    let name: String = caller
        .user_name()
        .unwrap_or("console")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(*c))
        .take(64)
        .collect();
    if name.len() < 2 {
        "console".to_owned()
    } else {
        name
    }
}

/// `POST /console/switch-role`.
pub fn switch(ctx: &Ctx<'_>) -> Answer {
    // A switched session switches again from the principal that signed in, as AWS does.
    let signed_in = ctx
        .session
        .switched
        .as_ref()
        .map_or(&ctx.session.caller, |s| &s.original);
    if signed_in.principal == auth::Principal::Root {
        return Err(invalid(
            "The root user cannot switch roles. Sign in as an IAM user to switch roles.",
        ));
    }
    let get = |name: &str| ctx.req.get(name).trim();
    let role = get("roleName");
    let display = get("displayName");
    if display.chars().count() > DISPLAY_NAME_MAX {
        return Err(invalid("The display name can have up to 64 characters."));
    }
    let state = ctx.requests.engine().snapshot();
    let account = state
        .account_id_for_sign_in(get("account"))
        .map(|id| id.as_str().to_owned())
        .ok_or_else(|| invalid("Enter a 12-digit account ID or an account alias."))?;
    let choice = RoleChoice {
        account: account.clone(),
        role: role.to_owned(),
        display_name: if display.is_empty() {
            role.to_owned()
        } else {
            display.to_owned()
        },
        colour: colour_or_default(get("color")).to_owned(),
    };
    let call = rampart_core::request::Call {
        caller: signed_in.clone(),
        origin: ctx.call.origin.clone(),
    };
    let arn = format!("arn:aws:iam::{account}:role/{role}");
    let name = session_name(signed_in);
    let params = rampart_wire::QueryParams::from_pairs([
        ("RoleArn", arn.as_str()),
        ("RoleSessionName", name.as_str()),
    ]);
    let assumed = sts::Operation::decode("AssumeRole", &params)
        .map_err(|err| rampart_core::CoreError::Validation(err.message))
        .and_then(|op| ctx.requests.run::<Sts>(&call, &op));
    let origin = &ctx.call.origin;
    let output = match assumed {
        Ok(output) => output,
        Err(err) => {
            ctx.requests
                .console_switch_role(origin, signed_in, &signed_in.arn(), false, Err(&err));
            return Err(err.into());
        }
    };
    let sts::Output::AssumeRole(assumed) = output else {
        return Err(Problem::unexpected());
    };
    let credentials = assumed.credentials;
    let state = ctx.requests.engine().snapshot();
    let (role_caller, _) = auth::lookup_credentials(
        &state,
        ctx.requests.engine().master(),
        &credentials.access_key_id,
        Some(credentials.session_token.expose()),
        ctx.req.now(),
    )
    .map_err(|err| Problem {
        status: 403,
        title: "Access denied",
        message: err.to_string(),
    })?;
    ctx.requests
        .console_switch_role(origin, &role_caller, &signed_in.arn(), false, Ok(()));
    let message = format!("You are now using {}.", label(&choice));
    ctx.console
        .state
        .sessions
        .switch_to(&ctx.key, role_caller, credentials.expiration.0, choice);
    Ok(ctx.done("/console/", &message))
}

/// `POST /console/switch-back`.
pub fn back(ctx: &Ctx<'_>) -> Answer {
    let Some(switched) = &ctx.session.switched else {
        return Ok(ctx.done("/console/", "You are using your own identity."));
    };
    ctx.requests.console_switch_role(
        &ctx.call.origin,
        &ctx.session.caller,
        &switched.original.arn(),
        true,
        Ok(()),
    );
    ctx.console.state.sessions.switch_back(&ctx.key);
    Ok(ctx.done(
        "/console/",
        &format!(
            "Back to {}: you are using your own identity again.",
            signed_in_name(&switched.original)
        ),
    ))
}

/// The name "Back to …" shows: the user name.
pub fn signed_in_name(caller: &Caller) -> String {
    caller.user_name().unwrap_or("root user").to_owned()
}

#[cfg(test)]
mod tests {
    use rampart_core::model::AccountId;
    use rampart_core::request::signin;

    use super::*;

    #[test]
    fn colours_are_aws_five_and_unknown_ones_fall_back_to_the_first() {
        assert_eq!(COLOURS.len(), 5);
        assert_eq!(colour_or_default("b7ca9d"), "B7CA9D");
        assert_eq!(colour_or_default("000000"), "F2B0A9");
        assert_eq!(colour_or_default(""), "F2B0A9");
    }

    #[test]
    fn the_label_is_display_name_at_account() {
        let choice = RoleChoice {
            account: "210987654321".into(),
            role: "OrganizationAccountAccessRole".into(),
            display_name: "Prod admin".into(),
            colour: "F2B0A9".into(),
        };
        assert_eq!(label(&choice), "Prod admin @ 210987654321");
    }

    #[test]
    fn the_session_is_named_after_the_user() {
        let root = signin::root_caller(AccountId::parse("123456789012").unwrap());
        assert_eq!(session_name(&root), "console");
        let mut user = root.clone();
        user.principal = auth::Principal::User {
            name: "alice+ops".into(),
            id: "AIDA".into(),
            arn: "arn:aws:iam::123456789012:user/alice+ops".into(),
        };
        assert_eq!(session_name(&user), "alice+ops");
    }
}
