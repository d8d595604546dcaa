//! Sign-in as AWS's console does it: **Root user** (email address → password → MFA code
//! when the root has a device) or **IAM user** (account ID or alias, IAM user name,
//! password → MFA code when the user has a device), then the forced password change
//! (reset required or expired; `HardExpiry` → contact the administrator), and sign out.
//!
//! Every password and code check goes through `request::signin` (audited `ConsoleLogin`
//! events, dummy-hash timing for unknown names) behind the lockout in `lockout` and a
//! bound on concurrent password checks.

use rampart_core::ops::iam::passwords::SignIn;
use rampart_core::request::RequestPath;
use rampart_core::request::iam::Iam;
use rampart_core::request::signin::{PasswordAccepted, SignInName, console_session};
use rampart_core::request::{Call, signin as core_signin};
use rampart_wire::WireResponse;

use super::html::{self, card, esc};
use super::session::{self, PENDING_COOKIE, PENDING_SECONDS, Pending, SESSION_COOKIE, Stage};
use super::{Console, Ctx, Problem, Request, iam_op, lockout};

/// The answer while a name or address is locked.
pub fn locked_problem(wait: i64) -> Problem {
    let minutes = (wait + 59) / 60;
    Problem {
        status: 429,
        title: "Too many attempts",
        message: format!(
            "Too many failed sign-in attempts. Wait {minutes} minute{} and try again.",
            if minutes == 1 { "" } else { "s" }
        ),
    }
}

/// Answers `/console/signin…`.
pub fn handle(console: &Console, requests: &RequestPath, req: &Request<'_>) -> WireResponse {
    match (req.method, req.path) {
        ("GET", "/console/signin") => {
            if session::cookie(req.headers, SESSION_COOKIE)
                .and_then(|key| console.state.sessions.get(key, req.now()))
                .is_some()
            {
                return html::redirect("/console/", Vec::new());
            }
            if req.get("as") == "root" {
                root_email_form(req.get("email"), None)
            } else {
                user_form(req.get("account"), req.get("username"), None)
            }
        }
        ("POST", "/console/signin") => user_sign_in(console, requests, req),
        ("POST", "/console/signin/root") => root_password_form(req.get("email"), None, 200),
        ("POST", "/console/signin/root/password") => root_sign_in(console, requests, req),
        ("POST", "/console/signin/mfa") => mfa_step(console, requests, req),
        ("POST", "/console/signin/password") => password_step(console, requests, req),
        _ => card(404, "Not found", "<p>No such page.</p>", Vec::new()),
    }
}

/// The sign-in page, shown at `/console/` to a browser without a session.
pub fn front_page(req: &Request<'_>) -> WireResponse {
    user_form(req.get("account"), "", None)
}

fn tabs(root: bool) -> String {
    let (user_cur, root_cur) = if root {
        ("", " aria-current=\"page\"")
    } else {
        (" aria-current=\"page\"", "")
    };
    format!(
        "<div class=\"tabs\"><a href=\"/console/signin\"{user_cur}>IAM user</a><a href=\"/console/signin?as=root\"{root_cur}>Root user</a></div>"
    )
}

fn error_html(error: Option<&Problem>) -> String {
    error
        .map(|p| html::alert_error(&p.message))
        .unwrap_or_default()
}

fn user_form(account: &str, user: &str, error: Option<&Problem>) -> WireResponse {
    let body = format!(
        "{tabs}{error}<form method=\"post\" action=\"/console/signin\">{account}{user}{password}\
         <button class=\"primary\">Sign in</button></form>",
        tabs = tabs(false),
        error = error_html(error),
        account = html::input(
            "Account ID or alias",
            "account",
            "text",
            account,
            "required autocomplete=\"organization\""
        ),
        user = html::input(
            "IAM user name",
            "username",
            "text",
            user,
            "required autocomplete=\"username\""
        ),
        password = html::input(
            "Password",
            "password",
            "password",
            "",
            "required autocomplete=\"current-password\""
        ),
    );
    card(
        error.map_or(200, |p| p.status),
        "Sign in as IAM user",
        &body,
        Vec::new(),
    )
}

fn root_email_form(email: &str, error: Option<&Problem>) -> WireResponse {
    let body = format!(
        "{tabs}{error}<p class=\"muted\">Account owner that performs tasks requiring unrestricted access.</p>\
         <form method=\"post\" action=\"/console/signin/root\">{email}<button class=\"primary\">Next</button></form>",
        tabs = tabs(true),
        error = error_html(error),
        email = html::input(
            "Email address",
            "email",
            "email",
            email,
            "required autocomplete=\"username\""
        ),
    );
    card(
        error.map_or(200, |p| p.status),
        "Sign in as root user",
        &body,
        Vec::new(),
    )
}

fn root_password_form(email: &str, error: Option<&Problem>, status: u16) -> WireResponse {
    let body = format!(
        "{error}<p>Email address: <b>{shown}</b></p>\
         <form method=\"post\" action=\"/console/signin/root/password\"><input type=\"hidden\" name=\"email\" value=\"{email}\">{password}\
         <button class=\"primary\">Sign in</button></form>\
         <p><a href=\"/console/root/recover\">Forgot password?</a> · <a href=\"/console/signin?as=root\">Sign in to a different account</a></p>",
        error = error_html(error),
        shown = esc(email),
        email = esc(email),
        password = html::input(
            "Password",
            "password",
            "password",
            "",
            "required autofocus autocomplete=\"current-password\""
        ),
    );
    card(status, "Root user sign in", &body, Vec::new())
}

fn mfa_form(csrf: &str, error: Option<&Problem>) -> String {
    format!(
        "{error}<p>Enter the code from the authenticator app on your MFA device.</p>\
         <form method=\"post\" action=\"/console/signin/mfa\">{csrf}{code}<button class=\"primary\">Submit</button></form>\
         <p><a href=\"/console/signin\">Cancel</a></p>",
        error = error_html(error),
        csrf = html::csrf_field(csrf),
        code = html::input(
            "MFA code",
            "code",
            "text",
            "",
            "required autofocus inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9]{6}\""
        ),
    )
}

fn change_form(csrf: &str, error: Option<&Problem>) -> String {
    format!(
        "{error}<p>Your password must be changed before you continue.</p>\
         <form method=\"post\" action=\"/console/signin/password\">{csrf}{old}{new}{confirm}<button class=\"primary\">Confirm password change</button></form>",
        error = error_html(error),
        csrf = html::csrf_field(csrf),
        old = html::input(
            "Old password",
            "old_password",
            "password",
            "",
            "required autocomplete=\"current-password\""
        ),
        new = html::input(
            "New password",
            "new_password",
            "password",
            "",
            "required autocomplete=\"new-password\""
        ),
        confirm = html::input(
            "Retype new password",
            "confirm_password",
            "password",
            "",
            "required autocomplete=\"new-password\""
        ),
    )
}

/// The lockout keys of an attempt: the typed name and the source address.
struct Keys {
    identity: String,
    source: String,
}

impl Keys {
    fn wait(&self, console: &Console, now: i64) -> i64 {
        let locks = &console.state.lockout;
        locks
            .wait(&self.identity, now)
            .max(locks.wait(&self.source, now))
    }

    fn fail(&self, console: &Console, now: i64) {
        let locks = &console.state.lockout;
        locks.fail(&self.identity, &lockout::PER_IDENTITY, now);
        locks.fail(&self.source, &lockout::PER_SOURCE, now);
    }
}

/// The typed IAM sign-in name as one key: an alias counts as the account it names.
fn user_identity(requests: &RequestPath, account: &str, user: &str) -> String {
    let account = account.trim();
    let resolved = requests
        .engine()
        .snapshot()
        .account_id_for_sign_in(account)
        .map_or_else(|| account.to_owned(), |id| id.as_str().to_owned());
    format!("user:{resolved}:{}", user.trim().to_lowercase())
}

/// Whether a sign-in error is a refused password or code (which counts towards the lockout),
/// not a busy or failing server. (Password checks are bounded by core's argon2id worker
/// pool: a full queue answers `Throttled`, shown as a 429 page.)
fn is_refusal(err: &rampart_core::CoreError) -> bool {
    matches!(err, rampart_core::CoreError::AccessDenied(_))
}

fn busy() -> Problem {
    Problem {
        status: 429,
        title: "Too many attempts",
        message: "Too many sign-in attempts are in progress. Try again in a moment.".to_owned(),
    }
}

fn user_sign_in(console: &Console, requests: &RequestPath, req: &Request<'_>) -> WireResponse {
    let now = req.now();
    let (account, user) = (req.get("account"), req.get("username"));
    let keys = Keys {
        identity: user_identity(requests, account, user),
        source: lockout::source_key(req.origin.env.source_ip),
    };
    let wait = keys.wait(console, now);
    if wait > 0 {
        let problem = locked_problem(wait);
        requests.console_login_refused(
            &req.origin,
            &SignInName::User { account, user },
            &problem.message,
        );
        return user_form(account, user, Some(&problem));
    }
    match requests.console_login(&req.origin, account, user, req.get("password")) {
        Ok(accepted) => accepted_password(console, req, accepted, keys),
        Err(rampart_core::CoreError::Throttled) => user_form(account, user, Some(&busy())),
        Err(err) => {
            if is_refusal(&err) {
                keys.fail(console, now);
            }
            user_form(account, user, Some(&err.into()))
        }
    }
}

fn root_sign_in(console: &Console, requests: &RequestPath, req: &Request<'_>) -> WireResponse {
    let now = req.now();
    let email = req.get("email");
    let keys = Keys {
        identity: format!("root:{}", email.trim().to_lowercase()),
        source: lockout::source_key(req.origin.env.source_ip),
    };
    let wait = keys.wait(console, now);
    if wait > 0 {
        let problem = locked_problem(wait);
        requests.console_login_refused(&req.origin, &SignInName::Root { email }, &problem.message);
        return root_password_form(email, Some(&problem), problem.status);
    }
    match requests.root_console_login(&req.origin, email, req.get("password")) {
        Ok(accepted) => accepted_password(console, req, accepted, keys),
        Err(rampart_core::CoreError::Throttled) => {
            let problem = busy();
            root_password_form(email, Some(&problem), problem.status)
        }
        Err(err) => {
            if is_refusal(&err) {
                keys.fail(console, now);
            }
            let problem: Problem = err.into();
            root_password_form(email, Some(&problem), problem.status)
        }
    }
}

/// After a right password: the MFA step, the password change, or the session.
fn accepted_password(
    console: &Console,
    req: &Request<'_>,
    accepted: PasswordAccepted,
    keys: Keys,
) -> WireResponse {
    let now = req.now();
    let stage = if accepted.mfa_serial.is_some() {
        Stage::Mfa
    } else {
        match accepted.outcome {
            SignIn::Ok => {
                console.state.lockout.clear(&keys.identity);
                return finish(console, req, &accepted, false, false);
            }
            SignIn::MustChangePassword => Stage::ChangePassword,
            SignIn::AdminResetRequired => return admin_reset_required(),
        }
    };
    let pending = Pending {
        accepted,
        identity: keys.identity,
        stage,
        mfa_used: false,
        expires: now + PENDING_SECONDS,
        csrf: session::token(),
    };
    let csrf = pending.csrf.clone();
    let key = console.state.sessions.start_pending(pending, now);
    let cookie = vec![(
        "set-cookie",
        session::set_cookie(PENDING_COOKIE, &key, PENDING_SECONDS, req.secure()),
    )];
    match stage {
        Stage::Mfa => card(
            200,
            "Multi-factor authentication",
            &mfa_form(&csrf, None),
            cookie,
        ),
        Stage::ChangePassword => card(200, "Change password", &change_form(&csrf, None), cookie),
    }
}

fn admin_reset_required() -> WireResponse {
    card(
        403,
        "Password expired",
        "<p>Your password has expired; an administrator must reset it. Contact your administrator.</p>",
        Vec::new(),
    )
}

/// The sign-in in progress of this browser, with its CSRF token checked.
fn current_pending(
    console: &Console,
    req: &Request<'_>,
    stage: Stage,
) -> Option<(String, Pending)> {
    let key = session::cookie(req.headers, PENDING_COOKIE)?;
    let pending = console.state.sessions.pending(key, req.now())?;
    (pending.stage == stage && session::same_token(req.get("csrf"), &pending.csrf))
        .then(|| (key.to_owned(), pending))
}

fn start_over() -> WireResponse {
    card(
        403,
        "Sign-in expired",
        "<p>This sign-in took too long or was started elsewhere. <a href=\"/console/signin\">Sign in again</a>.</p>",
        Vec::new(),
    )
}

fn mfa_step(console: &Console, requests: &RequestPath, req: &Request<'_>) -> WireResponse {
    let now = req.now();
    let Some((key, mut pending)) = current_pending(console, req, Stage::Mfa) else {
        return start_over();
    };
    let keys = Keys {
        identity: pending.identity.clone(),
        source: lockout::source_key(req.origin.env.source_ip),
    };
    let wait = keys.wait(console, now);
    if wait > 0 {
        let problem = locked_problem(wait);
        let who = SignInName::Known(&pending.accepted.caller);
        requests.console_login_refused(&req.origin, &who, &problem.message);
        return card(
            429,
            "Multi-factor authentication",
            &mfa_form(&pending.csrf, Some(&problem)),
            Vec::new(),
        );
    }
    if let Err(err) = requests.console_mfa(&req.origin, &pending.accepted, req.get("code")) {
        keys.fail(console, now);
        let problem: Problem = err.into();
        return card(
            problem.status,
            "Multi-factor authentication",
            &mfa_form(&pending.csrf, Some(&problem)),
            Vec::new(),
        );
    }
    console.state.lockout.clear(&keys.identity);
    match pending.accepted.outcome {
        SignIn::Ok => {
            console.state.sessions.end_pending(&key);
            finish(console, req, &pending.accepted, true, true)
        }
        SignIn::AdminResetRequired => {
            console.state.sessions.end_pending(&key);
            admin_reset_required()
        }
        SignIn::MustChangePassword => {
            pending.stage = Stage::ChangePassword;
            pending.mfa_used = true;
            let csrf = pending.csrf.clone();
            console.state.sessions.update_pending(&key, pending);
            card(
                200,
                "Change password",
                &change_form(&csrf, None),
                Vec::new(),
            )
        }
    }
}

fn password_step(console: &Console, requests: &RequestPath, req: &Request<'_>) -> WireResponse {
    let Some((key, pending)) = current_pending(console, req, Stage::ChangePassword) else {
        return start_over();
    };
    let form_with = |problem: Problem| {
        card(
            problem.status,
            "Change password",
            &change_form(&pending.csrf, Some(&problem)),
            Vec::new(),
        )
    };
    let new = req.get("new_password");
    if new != req.get("confirm_password") {
        return form_with(Problem {
            status: 400,
            title: "Change password",
            message: "The new passwords do not match.".to_owned(),
        });
    }
    let call = Call {
        caller: console_session(pending.accepted.caller.clone(), req.now(), pending.mfa_used),
        origin: req.origin.clone(),
    };
    let op = match iam_op(
        "ChangePassword",
        &[
            ("OldPassword", req.get("old_password")),
            ("NewPassword", new),
        ],
    ) {
        Ok(op) => op,
        Err(err) => return form_with(err.into()),
    };
    match requests.run::<Iam>(&call, &op) {
        Ok(_) => {
            console.state.sessions.end_pending(&key);
            console.state.lockout.clear(&pending.identity);
            finish(console, req, &pending.accepted, pending.mfa_used, true)
        }
        Err(rampart_core::CoreError::EntityTemporarilyUnmodifiable(_)) => admin_reset_required(),
        Err(err) => form_with(err.into()),
    }
}

/// Starts the session and says so; the page moves on to the dashboard by itself.
fn finish(
    console: &Console,
    req: &Request<'_>,
    accepted: &PasswordAccepted,
    mfa_used: bool,
    clear_pending: bool,
) -> WireResponse {
    let now = req.now();
    let caller = console_session(accepted.caller.clone(), now, mfa_used);
    let lifetime = core_signin::session_lifetime(&caller);
    let name = caller
        .user_name()
        .map_or_else(|| "the root user".to_owned(), str::to_owned);
    // A browser holds one session: signing in again ends the one it had.
    if let Some(old) = session::cookie(req.headers, SESSION_COOKIE) {
        console.state.sessions.end(old);
    }
    let key = console.state.sessions.start(caller, now);
    let mut cookies = vec![(
        "set-cookie",
        session::set_cookie(SESSION_COOKIE, &key, lifetime, req.secure()),
    )];
    if clear_pending {
        cookies.push((
            "set-cookie",
            session::set_cookie(PENDING_COOKIE, "", 0, req.secure()),
        ));
    }
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url=/console/\">\
         <title>Signed in · Rampart</title><link rel=\"stylesheet\" href=\"/console/style.css\"></head>\
         <body class=\"signin\"><main class=\"card\"><p class=\"brand\">Rampart</p><h1>Signed in</h1>\
         <p>Signed in as {}.</p><p><a href=\"/console/\">Continue to the console</a></p></main></body></html>",
        esc(&name)
    );
    html::respond(200, "text/html; charset=utf-8", html.into_bytes(), cookies)
}

/// Ends the session and clears its cookie.
pub fn sign_out(console: &Console, ctx: &Ctx<'_>) -> WireResponse {
    console.state.sessions.end(&ctx.key);
    // While switched, the way back in is the sign-in of the principal that signed in.
    let signed_in = ctx
        .session
        .switched
        .as_ref()
        .map_or(&ctx.session.caller, |s| &s.original);
    let account = signed_in.account.as_str().to_owned();
    let to = if signed_in.principal == rampart_core::auth::Principal::Root {
        "/console/signin?as=root".to_owned()
    } else {
        format!("/console/signin?account={}", html::url(&account))
    };
    html::redirect(
        &to,
        vec![(
            "set-cookie",
            session::set_cookie(SESSION_COOKIE, "", 0, ctx.req.secure()),
        )],
    )
}
