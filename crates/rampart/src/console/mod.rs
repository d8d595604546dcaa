//! The web console at `/console/`: sign-in with server-side sessions, and pages that are
//! clients of the core's request path like the API.
//!
//! Every page action builds the wire operation input an SDK would send (decoded from
//! AWS's own member names, so the same validation applies) and runs it through
//! `RequestPath::run` as the signed-in principal: authorize → execute → audit, so an IAM
//! user sees and does exactly what their policies allow and a denial is a page with AWS's
//! message. Sign-in itself is the console's authentication step (`request::signin`).
//!
//! Modules: `html` (escaping, layout, headers, stylesheet), `session` (sessions, cookies,
//! CSRF tokens), `lockout` (brute-force limits), `signin` (sign-in, MFA step, forced
//! password change, sign out), `recovery` (root password recovery by email), `pages`
//! (one module per resource). Plain HTML forms; no JavaScript.
//!
//! Sessions and lockout counters live in this process's memory: a restart signs everyone
//! out and forgets failures, and each node of a cluster keeps its own.

mod html;
mod pages;
mod recovery;
mod session;
mod signin;

use std::sync::Arc;

use rampart_core::CoreError;
use rampart_core::auth::Principal;
use rampart_core::lockout;
use rampart_core::request::iam::Iam;
use rampart_core::request::{Call, Origin, RequestPath};
use rampart_wire::iam::{Operation, Output};
use rampart_wire::{QueryParams, WireError, WireResponse};

use crate::mail::Mailer;
use html::Shell;
use session::{Session, Sessions};

/// What the console needs besides the engine, and its in-memory sessions.
#[derive(Debug, Clone)]
pub struct Console {
    /// Where recovery mail goes.
    pub mailer: Mailer,
    /// The base URL links point at (`http://127.0.0.1:4566`).
    pub public_url: String,
    state: Arc<State>,
    /// Where recovery requests go when they are served off the response path.
    recovery: Option<recovery::RecoveryWorker>,
}

/// Sessions and lockout counters of this process.
#[derive(Debug, Default)]
struct State {
    sessions: Sessions,
    lockout: lockout::Lockout,
}

/// One console request as the pages see it.
pub struct Request<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The path, from `/console`.
    pub path: &'a str,
    /// Query and form parameters together.
    pub params: QueryParams,
    /// The request headers (cookies, `Origin`).
    pub headers: &'a [(String, String)],
    /// Time, address and request id.
    pub origin: Origin,
}

impl Request<'_> {
    /// A parameter, or `""`.
    pub fn get(&self, name: &str) -> &str {
        self.params.get(name).unwrap_or("")
    }

    /// The request's time.
    pub fn now(&self) -> i64 {
        self.origin.env.now
    }

    /// Whether cookies must be `Secure`.
    pub fn secure(&self) -> bool {
        self.origin.env.secure_transport
    }
}

/// Why a page action did not happen, shown on a page.
#[derive(Debug, Clone)]
pub struct Problem {
    /// HTTP status.
    pub status: u16,
    /// The page title.
    pub title: &'static str,
    /// The message (AWS's wording for AWS errors).
    pub message: String,
}

impl From<CoreError> for Problem {
    fn from(err: CoreError) -> Problem {
        if matches!(err, CoreError::Store(_) | CoreError::Internal(_)) {
            tracing::error!(%err, "console action failed");
        }
        let title = match err {
            CoreError::AccessDenied(_) => "Access denied",
            _ => "The request was not completed",
        };
        Problem {
            status: err.code().http_status(),
            title,
            message: err.client_message(),
        }
    }
}

impl From<WireError> for Problem {
    fn from(err: WireError) -> Problem {
        Problem {
            status: err.code.http_status(),
            title: "The request was not completed",
            message: err.message,
        }
    }
}

impl Problem {
    pub(crate) fn unexpected() -> Problem {
        Problem {
            status: 500,
            title: "The request was not completed",
            message: "The service answered in an unexpected way.".to_owned(),
        }
    }
}

/// A signed-in request: the session and the call it makes.
pub struct Ctx<'a> {
    /// The console.
    pub console: &'a Console,
    /// The request path pages run operations on.
    pub requests: &'a RequestPath,
    /// The request.
    pub req: &'a Request<'a>,
    /// The session.
    pub session: Session,
    /// The session cookie's token.
    pub key: String,
    /// The call every operation of this request is made as.
    pub call: Call,
}

/// Takes the expected variant out of an IAM output.
macro_rules! output {
    ($out:expr, $variant:ident) => {
        match $out {
            rampart_wire::iam::Output::$variant(o) => Ok(o),
            _ => Err($crate::console::Problem::unexpected()),
        }
    };
}
pub(crate) use output;

/// Decodes an IAM operation from AWS member names, as the API would: empty values are
/// absent members.
pub fn iam_op(action: &str, pairs: &[(&str, &str)]) -> Result<Operation, WireError> {
    let params = QueryParams::from_pairs(
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (*k, *v)),
    );
    Operation::decode(action, &params)
}

impl Ctx<'_> {
    /// Runs IAM `action` with `pairs` as the signed-in principal.
    pub fn iam(&self, action: &str, pairs: &[(&str, &str)]) -> Result<Output, Problem> {
        let op = iam_op(action, pairs)?;
        Ok(self.requests.run::<Iam>(&self.call, &op)?)
    }

    /// Runs Account API `operation` with the JSON `body` as the signed-in principal.
    pub fn account(
        &self,
        operation: &str,
        body: &serde_json::Value,
    ) -> Result<rampart_wire::account::Output, Problem> {
        let op = rampart_wire::account::Operation::decode(operation, body)?;
        Ok(self
            .requests
            .run::<rampart_core::request::account::Account>(&self.call, &op)?)
    }

    /// The page shell for this session.
    pub fn shell(&self, current: &'static str) -> Shell {
        let caller = &self.session.caller;
        let identity = match &caller.principal {
            Principal::Root => "Root user".to_owned(),
            Principal::User { name, .. } => format!("{name} (IAM user)"),
            Principal::AssumedRole {
                role_name,
                session_name,
                ..
            } => format!("{role_name}/{session_name} (role)"),
            Principal::FederatedUser { name, .. } => format!("{name} (federated user)"),
        };
        let role = self.session.switched.as_ref().map(|s| html::RoleBadge {
            label: pages::role_label(&s.choice),
            colour: s.choice.colour.clone(),
            back_to: pages::signed_in_name(&s.original),
        });
        Shell {
            identity,
            account: caller.account.as_str().to_owned(),
            csrf: self.session.csrf.clone(),
            current,
            can_switch: self
                .session
                .switched
                .as_ref()
                .map_or(&caller.principal, |s| &s.original.principal)
                != &Principal::Root,
            role,
        }
    }

    /// A page of the signed-in console.
    pub fn page(&self, current: &'static str, title: &str, body: &str) -> WireResponse {
        html::page(
            200,
            &self.shell(current),
            title,
            self.session.flash.as_deref(),
            body,
        )
    }

    /// The page of a failed action.
    pub fn problem(&self, current: &'static str, problem: &Problem) -> WireResponse {
        let body = format!(
            "{}<p><a href=\"{}\">Back</a></p>",
            html::alert_error(&problem.message),
            back_link(current)
        );
        // The flash still shows: "Back to …" or a role session's end may land on a denial.
        html::page(
            problem.status,
            &self.shell(current),
            problem.title,
            self.session.flash.as_deref(),
            &body,
        )
    }

    /// After a successful action: a message for the next page and a redirect to `to`.
    pub fn done(&self, to: &str, message: &str) -> WireResponse {
        self.console.state.sessions.flash(&self.key, message);
        html::redirect(to, Vec::new())
    }

    /// The CSRF token of this session's forms.
    pub fn csrf(&self) -> &str {
        &self.session.csrf
    }

    /// Whether the signed-in principal is the root user.
    pub fn is_root(&self) -> bool {
        self.session.caller.principal == Principal::Root
    }
}

fn back_link(current: &str) -> &'static str {
    match current {
        "Users" => "/console/users",
        "Groups" => "/console/groups",
        "Roles" => "/console/roles",
        "Policies" => "/console/policies",
        "Account settings" => "/console/account-settings",
        "Credential report" => "/console/credential-report",
        "Security credentials" => "/console/security-credentials",
        "Event history" => "/console/event-history",
        "Alerts" => "/console/alerts",
        "Account" => "/console/account",
        "Organizations" => "/console/organizations",
        "Switch role" => "/console/switchrole",
        _ => "/console/",
    }
}

/// Whether a browser says the request comes from another site: its `Origin` names another
/// host, or Fetch Metadata says `cross-site`. Clients that send neither (scripts, the CLI)
/// pass this check; signed-in forms also need the session's CSRF token.
fn cross_site(headers: &[(String, String)]) -> bool {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if header("sec-fetch-site").is_some_and(|v| v.eq_ignore_ascii_case("cross-site")) {
        return true;
    }
    match (header("origin"), header("host")) {
        (Some(origin), Some(host)) => {
            let origin_host = origin
                .split_once("://")
                .map_or(origin, |(_, rest)| rest)
                .trim_end_matches('/');
            !origin_host.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
        _ => false,
    }
}

impl Console {
    /// A console mailing through `mailer` with links to `public_url`.
    pub fn new(mailer: Mailer, public_url: String) -> Console {
        Console {
            mailer,
            public_url,
            state: Arc::new(State::default()),
            recovery: None,
        }
    }

    /// Whether `headers` carry the cookie of a live session (the session is not touched).
    pub fn has_session(&self, headers: &[(String, String)], now: i64) -> bool {
        session::cookie(headers, session::SESSION_COOKIE)
            .is_some_and(|key| self.state.sessions.is_live(key, now))
    }

    /// Answers a request under `/console/`.
    #[expect(
        clippy::too_many_arguments,
        reason = "the parts of one HTTP request, as the pipeline read them"
    )]
    pub fn handle(
        &self,
        requests: &RequestPath,
        origin: &Origin,
        method: &str,
        path: &str,
        query: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> WireResponse {
        // Pages are rare and may follow a CLI command in another process: read fresh state.
        if let Err(err) = requests.engine().refresh() {
            tracing::error!(%err, "snapshot refresh failed");
        }
        let mut params = match QueryParams::parse(query.as_bytes()) {
            Ok(params) => params,
            Err(_) => return bad_request(),
        };
        if method == "POST" && params.extend_from(body).is_err() {
            return bad_request();
        }
        let mut origin = origin.clone();
        origin.user_agent = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("user-agent"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let req = Request {
            method,
            path,
            params,
            headers,
            origin,
        };
        if method == "POST" && cross_site(headers) {
            return html::card(
                403,
                "Request refused",
                "<p>This form was sent from another site, so it was refused.</p>",
                Vec::new(),
            );
        }
        if let Some(response) = self.public(requests, &req) {
            return response;
        }
        self.signed_in(requests, &req)
    }

    /// Pages that need no session: the stylesheet, sign-in, recovery.
    fn public(&self, requests: &RequestPath, req: &Request<'_>) -> Option<WireResponse> {
        let response = match (req.method, req.path) {
            ("GET", "/console/style.css") => html::respond(
                200,
                "text/css; charset=utf-8",
                html::STYLESHEET.as_bytes().to_vec(),
                Vec::new(),
            ),
            (_, p) if p.starts_with("/console/signin") => signin::handle(self, requests, req),
            (_, p) if p.starts_with("/console/root/") => recovery::handle(self, requests, req),
            _ => return None,
        };
        Some(response)
    }

    /// Everything else needs a live session, and a state-changing form its CSRF token.
    fn signed_in(&self, requests: &RequestPath, req: &Request<'_>) -> WireResponse {
        let now = req.now();
        let found = session::cookie(req.headers, session::SESSION_COOKIE)
            .and_then(|key| Some((key.to_owned(), self.state.sessions.get(key, now)?)));
        let Some((key, session)) = found else {
            // The console's front page is the sign-in page until someone signs in.
            if req.method == "GET" && matches!(req.path, "/console" | "/console/") {
                return signin::front_page(req);
            }
            return html::redirect("/console/signin", Vec::new());
        };
        if req.method == "POST" && !session::same_token(req.get("csrf"), &session.csrf) {
            return html::card(
                403,
                "Request refused",
                "<p>The form's security token is missing or out of date. Reload the page and try again.</p>",
                Vec::new(),
            );
        }
        let call = Call {
            caller: session.caller.clone(),
            origin: req.origin.clone(),
        };
        let ctx = Ctx {
            console: self,
            requests,
            req,
            session,
            key,
            call,
        };
        if req.path == "/console/signout" && req.method == "POST" {
            return signin::sign_out(self, &ctx);
        }
        pages::route(&ctx)
    }
}

fn bad_request() -> WireResponse {
    html::card(
        400,
        "Bad request",
        "<p>The request could not be read.</p>",
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn posts_from_another_origin_are_cross_site() {
        assert!(cross_site(&headers(&[
            ("Origin", "http://evil.example"),
            ("Host", "127.0.0.1:4566")
        ])));
        assert!(cross_site(&headers(&[("Sec-Fetch-Site", "cross-site")])));
        assert!(!cross_site(&headers(&[
            ("Origin", "http://127.0.0.1:4566"),
            ("Host", "127.0.0.1:4566")
        ])));
        assert!(!cross_site(&headers(&[])));
    }

    #[test]
    fn iam_ops_decode_from_aws_member_names_with_the_api_validation() {
        let op = iam_op("CreateUser", &[("UserName", "alice"), ("Path", "")]).unwrap();
        assert_eq!(op.name(), "CreateUser");
        assert!(iam_op("CreateUser", &[("UserName", "bad name!")]).is_err());
        assert!(iam_op("CreateUser", &[]).is_err());
    }
}
