//! The console's pages: root password recovery by email, the root password change and IAM
//! user sign-in.
//!
//! A client of the core's request path like the API: each page action goes through
//! `RequestPath` (sign-in actions are the console's authentication step and are audited as
//! `AwsConsoleSignIn` events). Pages are plain HTML forms that work without JavaScript.

use rampart_core::CoreError;
use rampart_core::ops::root;
use rampart_core::request::{Origin, RequestPath};
use rampart_wire::WireResponse;

use crate::mail::Mailer;

/// What the console needs besides the engine.
#[derive(Debug, Clone)]
pub struct Console {
    /// Where recovery mail goes.
    pub mailer: Mailer,
    /// The base URL links point at (`http://127.0.0.1:4566`).
    pub public_url: String,
}

fn page(status: u16, title: &str, body: &str) -> WireResponse {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t} · Rampart</title></head><body><h1>{t}</h1>{body}</body></html>",
        t = escape(title)
    );
    WireResponse {
        status,
        content_type: "text/html; charset=utf-8",
        headers: vec![],
        body: html.into_bytes(),
    }
}

/// HTML-escapes text.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn form(body: &[u8], query: &str) -> Result<rampart_wire::QueryParams, WireResponse> {
    let mut params = rampart_wire::QueryParams::parse(query.as_bytes())
        .map_err(|_| page(400, "Bad request", "<p>Malformed query.</p>"))?;
    params
        .extend_from(body)
        .map_err(|_| page(400, "Bad request", "<p>Malformed form.</p>"))?;
    Ok(params)
}

fn failure(err: &CoreError) -> WireResponse {
    if matches!(err, CoreError::Store(_) | CoreError::Internal(_)) {
        tracing::error!(%err, "console action failed");
    }
    page(
        err.code().http_status(),
        "Not done",
        &format!("<p>{}</p>", escape(&err.client_message())),
    )
}

impl Console {
    /// Answers a request under `/console/`.
    pub fn handle(
        &self,
        requests: &RequestPath,
        origin: &Origin,
        method: &str,
        path: &str,
        query: &str,
        body: &[u8],
    ) -> WireResponse {
        let engine = requests.engine();
        let now = origin.env.now;
        // Pages are rare and may follow a CLI command in another process: read fresh state.
        if let Err(err) = engine.refresh() {
            tracing::error!(%err, "snapshot refresh failed");
        }
        let params = match form(body, query) {
            Ok(params) => params,
            Err(response) => return response,
        };
        let get = |name: &str| params.get(name).unwrap_or("").to_owned();
        match (method, path) {
            ("GET", "/console/" | "/console") => page(
                200,
                "Root user",
                "<form method=post action=/console/root/recover><p>Forgot the root password? Email: <input name=email> <button>Send reset link</button></p></form>\
                 <form method=post action=/console/root/password><p>Change the root password: email <input name=email> current <input type=password name=old_password> new <input type=password name=new_password> <button>Change</button></p></form>",
            ),
            ("POST", "/console/root/recover") => self.recover(requests, origin, &get("email")),
            ("GET", "/console/root/reset") => {
                let token = get("token");
                let state = engine.snapshot();
                if !root::recovery_is_valid(&state, &token, now) {
                    return page(
                        400,
                        "Link expired",
                        "<p>This password reset link is invalid or has expired.</p>",
                    );
                }
                let questions: String = root::recovery_questions(&state, &token)
                    .iter()
                    .enumerate()
                    .map(|(i, q)| format!("<p>{} <input name=answer{}></p>", escape(q), i + 1))
                    .collect();
                page(
                    200,
                    "Choose a new root password",
                    &format!(
                        "<form method=post action=/console/root/reset><input type=hidden name=token value=\"{}\">{questions}<p>New password <input type=password name=password> <button>Set</button></p></form>",
                        escape(&token)
                    ),
                )
            }
            ("POST", "/console/root/reset") => {
                let answers: Vec<String> = (1..=root::SECURITY_QUESTIONS)
                    .filter_map(|i| params.get(&format!("answer{i}")).map(str::to_owned))
                    .collect();
                match requests.root_recovery_complete(
                    origin,
                    &get("token"),
                    &get("password"),
                    &answers,
                ) {
                    Ok(_) => page(
                        200,
                        "Password changed",
                        "<p>The root password has been changed. The link no longer works.</p>",
                    ),
                    Err(err) => failure(&err),
                }
            }
            ("POST", "/console/signin") => {
                use rampart_core::ops::iam::passwords::SignIn;
                match requests.console_login(
                    origin,
                    &get("account"),
                    &get("username"),
                    &get("password"),
                ) {
                    Ok(SignIn::Ok) => page(
                        200,
                        "Signed in",
                        &format!("<p>Signed in as {}.</p>", escape(&get("username"))),
                    ),
                    Ok(SignIn::MustChangePassword) => page(
                        200,
                        "Choose a new password",
                        "<p>Your password must be changed before you continue (use ChangePassword).</p>",
                    ),
                    Ok(SignIn::AdminResetRequired) => page(
                        403,
                        "Password expired",
                        "<p>Your password has expired; an administrator must reset it.</p>",
                    ),
                    Err(err) => failure(&err),
                }
            }
            ("POST", "/console/root/password") => {
                match requests.root_password_change(
                    origin,
                    &get("email"),
                    &get("old_password"),
                    &get("new_password"),
                ) {
                    Ok(_) => page(
                        200,
                        "Password changed",
                        "<p>The root password has been changed.</p>",
                    ),
                    Err(err) => failure(&err),
                }
            }
            _ => page(404, "Not found", "<p>No such page.</p>"),
        }
    }

    /// Starts a recovery and mails the link; answers the same whether or not the address
    /// belongs to an account.
    pub fn recover(&self, requests: &RequestPath, origin: &Origin, email: &str) -> WireResponse {
        match self.start_recovery(requests, origin, email) {
            Ok(()) => page(
                200,
                "Check your email",
                "<p>If an account uses that address, a password reset link is on its way.</p>",
            ),
            Err(err) => {
                tracing::error!(%err, "password recovery failed");
                page(500, "Not done", "<p>The reset link could not be sent.</p>")
            }
        }
    }

    /// Creates the token and sends the mail.
    pub fn start_recovery(
        &self,
        requests: &RequestPath,
        origin: &Origin,
        email: &str,
    ) -> anyhow::Result<()> {
        let now = origin.env.now;
        let Some((account, to, token)) = requests.root_recovery_request(origin, email)? else {
            return Ok(());
        };
        let link = format!(
            "{}/console/root/reset?token={token}",
            self.public_url.trim_end_matches('/')
        );
        let body = format!(
            "Someone asked to reset the root user password of AWS account {account}.\n\n\
             To choose a new password, open this link within one hour (it works once):\n\n{link}\n\n\
             If you did not ask for this, ignore this message; the password stays as it is.\n"
        );
        self.mailer
            .send(&to, "Reset your root user password", &body, now)
    }
}
