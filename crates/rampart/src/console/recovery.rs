//! Root password recovery by email (`/console/root/recover`, `/console/root/reset`). A root
//! changes its password signed in (Security credentials), never with the password alone.
//!
//! Answers never tell whether an address belongs to an account.

use rampart_core::ops::root;
use rampart_core::request::{Origin, RequestPath};
use rampart_wire::WireResponse;

use super::html::{self, card, esc};
use super::{Console, Problem, Request};

fn failure(problem: &Problem) -> WireResponse {
    card(
        problem.status,
        "Not done",
        &format!("<p>{}</p>", esc(&problem.message)),
        Vec::new(),
    )
}

/// Answers `/console/root/…`.
pub fn handle(console: &Console, requests: &RequestPath, req: &Request<'_>) -> WireResponse {
    let engine = requests.engine();
    let now = req.now();
    match (req.method, req.path) {
        ("GET", "/console/root/recover") => card(
            200,
            "Forgot password?",
            "<p>Enter the email address of the root user. If it belongs to an account, we send a link to reset the password.</p>\
             <form method=\"post\" action=\"/console/root/recover\">\
             <p class=\"field\"><label for=\"f-email\">Email address</label><input id=\"f-email\" name=\"email\" type=\"email\" autocomplete=\"username\" required></p>\
             <button class=\"primary\">Send reset link</button></form><p><a href=\"/console/signin?as=root\">Back to sign in</a></p>",
            Vec::new(),
        ),
        ("POST", "/console/root/recover") => {
            console.recover(requests, &req.origin, req.get("email"))
        }
        ("GET", "/console/root/reset") => {
            let token = req.get("token");
            let state = engine.snapshot();
            if !root::recovery_is_valid(&state, token, now) {
                return card(
                    400,
                    "Link expired",
                    "<p>This password reset link is invalid or has expired.</p>",
                    Vec::new(),
                );
            }
            let questions: String = root::recovery_questions(&state, token)
                .iter()
                .enumerate()
                .map(|(i, q)| html::input(q, &format!("answer{}", i + 1), "text", "", ""))
                .collect();
            card(
                200,
                "Choose a new root password",
                &format!(
                    "<form method=\"post\" action=\"/console/root/reset\"><input type=\"hidden\" name=\"token\" value=\"{}\">{questions}\
                     <p class=\"field\"><label for=\"f-password\">New password</label><input id=\"f-password\" type=\"password\" name=password autocomplete=\"new-password\"></p>\
                     <button class=\"primary\">Reset password</button></form>",
                    esc(token)
                ),
                Vec::new(),
            )
        }
        ("POST", "/console/root/reset") => {
            let answers: Vec<String> = (1..=root::SECURITY_QUESTIONS)
                .filter_map(|i| req.params.get(&format!("answer{i}")).map(str::to_owned))
                .collect();
            match requests.root_recovery_complete(
                &req.origin,
                req.get("token"),
                req.get("password"),
                &answers,
            ) {
                Ok(_) => card(
                    200,
                    "Password changed",
                    "<p>The root password has been changed. The link no longer works.</p><p><a href=\"/console/signin?as=root\">Sign in</a></p>",
                    Vec::new(),
                ),
                Err(err) => failure(&err.into()),
            }
        }
        _ => card(404, "Not found", "<p>No such page.</p>", Vec::new()),
    }
}

impl Console {
    /// Starts a recovery and mails the link; answers the same whether or not the address
    /// belongs to an account.
    pub fn recover(&self, requests: &RequestPath, origin: &Origin, email: &str) -> WireResponse {
        match self.start_recovery(requests, origin, email) {
            Ok(()) => card(
                200,
                "Check your email",
                "<p>If an account uses that address, a password reset link is on its way.</p>",
                Vec::new(),
            ),
            Err(err) => {
                tracing::error!(%err, "password recovery failed");
                card(
                    500,
                    "Not done",
                    "<p>The reset link could not be sent.</p>",
                    Vec::new(),
                )
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
            "Someone asked to reset the root user password of Rampart account {account}.\n\n\
             To choose a new password, open this link within one hour (it works once):\n\n{link}\n\n\
             If you did not ask for this, ignore this message; the password stays as it is.\n"
        );
        self.mailer
            .send(&to, "Reset your root user password", &body, now)
    }
}
