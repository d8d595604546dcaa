//! Root password recovery by email (`/console/root/recover`, `/console/root/reset`). A root
//! changes its password signed in (Security credentials), never with the password alone.
//!
//! Answers never tell whether an address belongs to an account.
//!
//! Limits (`rampart_core::lockout`): reset mails per typed address and per source address;
//! invalid links and wrong security answers (which use up the link) count against the
//! source address like wrong passwords. A refused request is audited, not processed.

use rampart_core::lockout;
use rampart_core::ops::root;
use rampart_core::request::signin::RecoveryStep;
use rampart_core::request::{Origin, RequestPath};
use rampart_wire::WireResponse;

use super::html::{self, card, esc};
use super::{Console, Problem, Request};
use crate::mail::Mailer;

/// The answer while reset mails for an address or from a source are limited.
fn too_many(wait: i64) -> Problem {
    let minutes = (wait + 59) / 60;
    Problem {
        status: 429,
        title: "Too many attempts",
        message: format!(
            "Too many password reset attempts. Wait {minutes} minute{} and try again.",
            if minutes == 1 { "" } else { "s" }
        ),
    }
}

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
            let email = req.get("email");
            let locks = &console.state.lockout;
            let keys = [
                (
                    format!("recover:{}", email.trim().to_lowercase()),
                    &lockout::RECOVERY_MAILS,
                ),
                (
                    format!("recover-{}", lockout::source_key(req.origin.env.source_ip)),
                    &lockout::RECOVERY_MAILS_PER_SOURCE,
                ),
            ];
            let wait = keys
                .iter()
                .map(|(key, _)| locks.wait(key, now))
                .max()
                .unwrap_or(0);
            if wait > 0 {
                let problem = too_many(wait);
                requests.recovery_refused(
                    &req.origin,
                    RecoveryStep::Request { email },
                    &problem.message,
                );
                return failure(&problem);
            }
            // Every request counts, found or not: the answer is the same either way.
            for (key, policy) in &keys {
                locks.fail(key, policy, now);
            }
            console.recover(requests, &req.origin, email)
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
            let source = lockout::source_key(req.origin.env.source_ip);
            let locks = &console.state.lockout;
            let wait = locks.wait(&source, now);
            if wait > 0 {
                let problem = too_many(wait);
                requests.recovery_refused(
                    &req.origin,
                    RecoveryStep::Complete {
                        token: req.get("token"),
                    },
                    &problem.message,
                );
                return failure(&problem);
            }
            let answers: Vec<String> = (1..=root::SECURITY_QUESTIONS)
                .filter_map(|i| req.params.get(&format!("answer{i}")).map(str::to_owned))
                .collect();
            let result = requests.root_recovery_complete(
                &req.origin,
                req.get("token"),
                req.get("password"),
                &answers,
            );
            // A guessed link or wrong answers count like a wrong password from this address.
            if matches!(result, Err(rampart_core::CoreError::AccessDenied(_))) {
                locks.fail(&source, &lockout::PER_SOURCE, now);
            }
            match result {
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

/// How many recovery requests may wait for the mail worker; beyond it a request is refused
/// with the limit page before anything is looked up (so the refusal reveals nothing).
const QUEUE: usize = 64;

/// A recovery request handed to the mail worker.
type Job = (Origin, String);

/// The worker that looks up the address, writes the token and sends the mail, so the
/// answer to `/console/root/recover` costs the same whether or not an account uses the
/// address (issue 13: no enumeration by timing).
#[derive(Clone)]
pub struct RecoveryWorker {
    jobs: std::sync::mpsc::SyncSender<Job>,
}

impl std::fmt::Debug for RecoveryWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryWorker").finish_non_exhaustive()
    }
}

impl Console {
    /// Moves recovery requests off the response path: a thread that serves them in order
    /// through `requests`. Without it (the CLI), [`Console::recover`] sends inline.
    pub fn start_recovery_worker(
        &mut self,
        requests: std::sync::Arc<RequestPath>,
    ) -> std::io::Result<()> {
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
        let (mailer, public_url) = (self.mailer.clone(), self.public_url.clone());
        std::thread::Builder::new()
            .name("recovery-mail".to_owned())
            .spawn(move || {
                for (origin, email) in queue {
                    if let Err(err) =
                        send_recovery(&mailer, &public_url, &requests, &origin, &email)
                    {
                        tracing::error!(%err, "password recovery failed");
                    }
                }
            })?;
        self.recovery = Some(RecoveryWorker { jobs });
        Ok(())
    }

    /// Starts a recovery and mails the link; answers the same whether or not the address
    /// belongs to an account (and, with the worker, in the same time).
    pub fn recover(&self, requests: &RequestPath, origin: &Origin, email: &str) -> WireResponse {
        let queued = match &self.recovery {
            Some(worker) => match worker.jobs.try_send((origin.clone(), email.to_owned())) {
                Ok(()) => Ok(()),
                Err(std::sync::mpsc::TrySendError::Full(_)) => {
                    let problem = too_many(60);
                    requests.recovery_refused(
                        origin,
                        RecoveryStep::Request { email },
                        &problem.message,
                    );
                    return failure(&problem);
                }
                Err(std::sync::mpsc::TrySendError::Disconnected(_)) => {
                    Err(anyhow::anyhow!("the recovery mail worker has stopped"))
                }
            },
            None => self.start_recovery(requests, origin, email),
        };
        match queued {
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

    /// Creates the token and sends the mail, now.
    pub fn start_recovery(
        &self,
        requests: &RequestPath,
        origin: &Origin,
        email: &str,
    ) -> anyhow::Result<()> {
        send_recovery(&self.mailer, &self.public_url, requests, origin, email)
    }
}

/// Creates the token for `email`'s root, if any, and mails the link.
fn send_recovery(
    mailer: &Mailer,
    public_url: &str,
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
        public_url.trim_end_matches('/')
    );
    let body = format!(
        "Someone asked to reset the root user password of Rampart account {account}.\n\n\
         To choose a new password, open this link within one hour (it works once):\n\n{link}\n\n\
         If you did not ask for this, ignore this message; the password stays as it is.\n"
    );
    mailer.send(&to, "Reset your root user password", &body, now)
}
