//! The API side of the request path: route → authenticate (SigV4) → decode, then the
//! core's one `RequestPath::run` (admit → authorize → execute → audit) that the console and
//! the CLI call too, then encode.
//!
//! Each step has a typed result; the first failure becomes the AWS error document of the
//! protocol the request was routed to. Handlers never see HTTP, and no operation
//! authorizes itself.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use rampart_core::CoreError;
use rampart_core::auth::{self, Caller};
use rampart_core::authz::RequestEnv;
use rampart_core::engine::Engine;
use rampart_core::model::KeyUsageRecord;
use rampart_core::ops;
use rampart_core::ops::test_mode::TestCaller;
use rampart_core::request::account::Account;
use rampart_core::request::cloudtrail::CloudTrail;
use rampart_core::request::iam::Iam;
use rampart_core::request::organizations::Organizations;
use rampart_core::request::sts::Sts;
use rampart_core::request::{Call, Channel, Origin, RequestPath, Service};
use rampart_sigv4::{HttpRequest, SigV4Error, SigV4ErrorKind, SigningKeyCache};
use rampart_wire::{
    ErrorCode, JsonService, Protocol, QueryService, Route, WireError, WireResponse, cloudtrail,
    iam, organizations, sts,
};

use super::proxy::Client;
use crate::clock;
use crate::console::Console;
use crate::server::test_partition;

/// A request as the listener read it.
#[derive(Debug)]
pub struct RawRequest {
    /// HTTP method.
    pub method: String,
    /// Raw path, still percent-encoded.
    pub path: String,
    /// Raw query string without `?`.
    pub query: String,
    /// Headers in arrival order.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Bytes,
    /// The connection's peer (a proxy, when one is in front).
    pub peer: SocketAddr,
    /// The client: the peer, or what a trusted proxy said about it.
    pub client: Client,
}

/// A failed step: the AWS error to answer with (code, message and any extra fields).
struct Failure(WireError);

impl Failure {
    fn new(code: ErrorCode, message: impl Into<String>) -> Failure {
        Failure(WireError::new(code, message))
    }
}

impl From<WireError> for Failure {
    fn from(err: WireError) -> Failure {
        Failure(err)
    }
}

impl From<CoreError> for Failure {
    fn from(err: CoreError) -> Failure {
        if matches!(err, CoreError::Store(_) | CoreError::Internal(_)) {
            tracing::error!(%err, "operation failed");
        }
        let failure = WireError::new(err.code(), err.client_message());
        match err.reason() {
            Some(reason) => Failure(failure.with_field("Reason", reason)),
            None => Failure(failure),
        }
    }
}

impl From<SigV4Error> for Failure {
    fn from(err: SigV4Error) -> Failure {
        // Exhaustive: a new kind of SigV4 failure must be given its wire code here.
        let code = match err.kind() {
            SigV4ErrorKind::MalformedQueryString => ErrorCode::MalformedQueryString,
            SigV4ErrorKind::MissingAuthenticationToken => ErrorCode::MissingAuthenticationToken,
            SigV4ErrorKind::IncompleteSignature => ErrorCode::IncompleteSignature,
            SigV4ErrorKind::RequestExpired => ErrorCode::RequestExpired,
            SigV4ErrorKind::SignatureDoesNotMatch => ErrorCode::SignatureDoesNotMatch,
        };
        Failure::new(code, err.to_string())
    }
}

impl From<auth::AuthError> for Failure {
    fn from(err: auth::AuthError) -> Failure {
        let code = match err {
            auth::AuthError::InvalidClientTokenId => ErrorCode::InvalidClientTokenId,
            auth::AuthError::ExpiredToken => ErrorCode::ExpiredToken,
        };
        Failure::new(code, err.to_string())
    }
}

/// Who signed a request, for which region, and the request's time.
struct Authenticated {
    caller: Caller,
    region: String,
    now: i64,
}

/// The server's side of the request path: routing, SigV4 authentication and the wire
/// codecs around the one [`RequestPath`] every client shares.
pub struct Pipeline {
    path: Arc<RequestPath>,
    signing_keys: SigningKeyCache,
    console: Console,
    /// `Some` in test mode: who a never-issued key stands for.
    test_mode: Option<TestCaller>,
}

impl Pipeline {
    /// A pipeline over `path`, with the console's pages served by `console`.
    pub fn new(
        path: Arc<RequestPath>,
        console: Console,
        test_mode: Option<TestCaller>,
    ) -> Pipeline {
        Pipeline {
            path,
            signing_keys: SigningKeyCache::default(),
            console,
            test_mode,
        }
    }

    fn engine(&self) -> &Engine {
        self.path.engine()
    }

    /// Answers one request. Never panics on bad input: every failure is an AWS error.
    /// May wait for a durable commit or the store: run it on a blocking thread.
    pub fn handle(&self, raw: &RawRequest) -> WireResponse {
        // INVARIANT: with `may_wait`, every path answers.
        self.answer(raw, true).unwrap_or_else(|| {
            tracing::error!("a request that may wait went unanswered");
            rampart_wire::render_error(
                rampart_wire::route::fallback_protocol(&raw.path, &[]),
                ErrorCode::InternalFailure,
                "An internal error occurred.",
                "00000000-0000-4000-8000-000000000000",
            )
        })
    }

    /// Answers `raw` on the calling (async) thread if it is a signed read that never
    /// waits: an operation of [`never_waits`] by a caller the snapshot already knows, so
    /// neither a commit, the store, nor a refresh from it is involved. `None` when it
    /// might wait: then run [`Pipeline::handle`] on a blocking thread (a thread hop costs
    /// more than the whole of a read).
    pub fn handle_read(&self, raw: &RawRequest) -> Option<WireResponse> {
        // Test mode may create accounts for never-issued keys, and the console writes
        // sessions: only the API, outside test mode.
        if self.test_mode.is_some() || raw.method != "POST" || raw.path != "/" {
            return None;
        }
        self.answer(raw, false)
    }

    /// Answers `raw`; without `may_wait`, `None` as soon as answering could wait.
    fn answer(&self, raw: &RawRequest, may_wait: bool) -> Option<WireResponse> {
        let request_id = rampart_core::random::request_id();
        if self.test_mode.is_some() && raw.method == "POST" && raw.path == "/moto-api/reset" {
            let response = match ops::test_mode::reset(self.engine(), clock::now()) {
                Ok(()) => rampart_wire::json::rest_json_response(
                    &serde_json::json!({"status": "ok"}),
                    &request_id,
                ),
                Err(err) => Failure::from(err).0.render(Protocol::RestJson, &request_id),
            };
            return Some(with_request_id(response, &request_id));
        }
        if let Some(response) = super::outbound::discovery(self.engine(), &raw.method, &raw.path) {
            return Some(with_request_id(response, &request_id));
        }
        if raw.path == "/console" || raw.path.starts_with("/console/") {
            let origin = origin(
                raw,
                &request_id,
                clock::now(),
                String::new(),
                Channel::Console,
            );
            let response = self.console.handle(
                &self.path,
                &origin,
                &raw.method,
                &raw.path,
                &raw.query,
                &raw.headers,
                &raw.body,
            );
            return Some(with_request_id(response, &request_id));
        }
        if is_browser_visit(raw) {
            // A person who opens the endpoint in a browser gets the console.
            return Some(rampart_wire::WireResponse {
                status: 302,
                content_type: "text/html; charset=utf-8",
                headers: vec![("location", "/console/".to_owned())],
                body: Vec::new(),
            });
        }
        let headers: Vec<(&str, &str)> = raw
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let route =
            match rampart_wire::classify(&raw.method, &raw.path, &raw.query, &headers, &raw.body) {
                Ok(route) => route,
                Err(err) => {
                    let protocol = rampart_wire::route::fallback_protocol(&raw.path, &headers);
                    return Some(with_request_id(
                        err.render(protocol, &request_id),
                        &request_id,
                    ));
                }
            };
        if !may_wait && !never_waits(&route) {
            return None;
        }
        let protocol = route.protocol();
        let response = match self.run(raw, &headers, &route, &request_id, may_wait) {
            Ok(Some(response)) => response,
            Ok(None) => return None,
            Err(Failure(err)) => err.render(protocol, &request_id),
        };
        Some(with_request_id(response, &request_id))
    }

    /// Authenticates, then decodes and hands the operation to the request path.
    fn run(
        &self,
        raw: &RawRequest,
        headers: &[(&str, &str)],
        route: &Route,
        request_id: &str,
        may_wait: bool,
    ) -> Result<Option<WireResponse>, Failure> {
        let now = clock::now();
        let http = HttpRequest {
            method: &raw.method,
            path: &raw.path,
            query: &raw.query,
            headers,
            body: &raw.body,
        };
        let Some((caller, region)) = self.authenticate(&http, route, now, may_wait)? else {
            return Ok(None);
        };
        let who = Authenticated {
            caller,
            region,
            now,
        };
        if self.test_mode.is_some()
            && let Some(partition) = test_partition::foreign_partition(&who.region)
        {
            return self
                .in_partition(raw, headers, partition, who, request_id)
                .map(Some);
        }
        self.dispatch(raw, route, who, request_id).map(Some)
    }

    /// Test mode, a request signed for a region of another partition: its ARN values are
    /// read as `aws` ones and the answer names that partition (see `test_partition`).
    fn in_partition(
        &self,
        raw: &RawRequest,
        headers: &[(&str, &str)],
        partition: &str,
        who: Authenticated,
        request_id: &str,
    ) -> Result<WireResponse, Failure> {
        let query = test_partition::request_to_aws(raw.query.as_bytes(), partition);
        let query = String::from_utf8_lossy(&query);
        let body = test_partition::request_to_aws(&raw.body, partition);
        let route = rampart_wire::classify(&raw.method, &raw.path, &query, headers, &body)?;
        let answer = self.dispatch(raw, &route, who, request_id);
        match answer {
            Ok(mut response) => {
                response.body = test_partition::response_from_aws(&response.body, partition);
                Ok(response)
            }
            Err(Failure(mut err)) => {
                let message = test_partition::response_from_aws(err.message.as_bytes(), partition);
                err.message = String::from_utf8_lossy(&message).into_owned();
                Err(Failure(err))
            }
        }
    }

    /// Decodes the routed operation and hands it to the request path as `caller`.
    fn dispatch(
        &self,
        raw: &RawRequest,
        route: &Route,
        who: Authenticated,
        request_id: &str,
    ) -> Result<WireResponse, Failure> {
        let Authenticated {
            caller,
            region,
            now,
        } = who;
        let user_agent = raw
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("user-agent"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let mut origin = origin(raw, request_id, now, user_agent, Channel::Api);
        origin.env.region = region;
        let call = Call { caller, origin };
        match route {
            Route::Query {
                service: QueryService::Iam,
                action,
                params,
            } => self.serve::<Iam>(
                &call,
                route,
                iam::Operation::decode(action, params),
                |out, op| out.encode(op.name(), request_id),
            ),
            Route::Query {
                service: QueryService::Sts,
                action,
                params,
            } => self.serve::<Sts>(
                &call,
                route,
                sts::Operation::decode(action, params),
                |out, op| out.encode(op.name(), request_id),
            ),
            Route::RestJson { operation, body } => self.serve::<Account>(
                &call,
                route,
                rampart_wire::account::Operation::decode(operation, body),
                |out, _| out.encode(request_id),
            ),
            Route::Json {
                service: JsonService::Organizations,
                operation,
                body,
            } => self.serve::<Organizations>(
                &call,
                route,
                organizations::Operation::decode(operation, body),
                |out, _| out.encode(request_id),
            ),
            Route::Json {
                service: JsonService::CloudTrail,
                operation,
                body,
            } => self.serve::<CloudTrail>(
                &call,
                route,
                cloudtrail::Operation::decode_checked(operation, body),
                |out, _| out.encode(request_id),
            ),
        }
    }

    /// Authenticates a signed request: the caller and the region it was signed for.
    fn authenticate(
        &self,
        http: &HttpRequest<'_>,
        route: &Route,
        now: i64,
        may_wait: bool,
    ) -> Result<Option<(Caller, String)>, Failure> {
        // Test mode holds a never-issued key to no clock window (moto's suites freeze
        // time); `verify` still applies the window to every key Rampart issued.
        let signed = match self.test_mode {
            Some(_) => rampart_sigv4::parse(http)?,
            None => rampart_sigv4::parse_at(http, now)?,
        };
        signed.check_scope(|region| !region.is_empty(), route.signing_name())?;
        let token = signed.security_token.as_deref();
        let mut snapshot = self.engine().snapshot();
        // A session's token is the session (any node opens it); only a long-term key
        // needs the snapshot.
        if token.is_none() && !snapshot.key_was_issued(&signed.access_key_id) {
            if !may_wait {
                return Ok(None);
            }
            // A key created by another process (the CLI, another node) may not have reached
            // this snapshot yet: pull once before refusing it.
            if let Err(err) = self.engine().refresh() {
                tracing::error!(%err, "snapshot refresh failed");
            }
            snapshot = self.engine().snapshot();
        }
        let master = self.engine().master();
        let looked_up =
            auth::lookup_credentials(&snapshot, master, &signed.access_key_id, token, now);
        let caller = match looked_up {
            Ok((caller, secret)) => {
                rampart_sigv4::verify(http, &signed, secret.expose(), now, &self.signing_keys)?;
                caller
            }
            // Test mode: a key Rampart never issued is the default account's root; like
            // moto, the signature over an unknown secret is not checked.
            Err(err) if let Some(as_whom) = self.test_mode => {
                ops::test_mode::foreign_key_caller(self.engine(), &signed.access_key_id, as_whom)?
                    .ok_or(err)?
            }
            Err(err) => return Err(err.into()),
        };
        if caller.session.is_none() {
            let usage = KeyUsageRecord {
                at: now,
                service: signed.service.clone(),
                region: signed.region.clone(),
            };
            self.engine().note_key_use(&caller.access_key_id, usage);
        }
        Ok(Some((caller, signed.region)))
    }

    /// Decoded input in, the request path (admit, authorize, execute, audit), encoded
    /// output out.
    fn serve<S: Service>(
        &self,
        call: &Call,
        route: &Route,
        decoded: Result<S::Op, WireError>,
        encode: impl FnOnce(&S::Output, &S::Op) -> WireResponse,
    ) -> Result<WireResponse, Failure> {
        let op = match decoded {
            Ok(op) => op,
            Err(err) => {
                // The audit trail records the code as the client receives it.
                self.audit_failure(call, route, &err.clone().for_protocol(S::PROTOCOL));
                return Err(Failure(err));
            }
        };
        let output = self.path.run::<S>(call, &op)?;
        Ok(encode(&output, &op))
    }

    /// The audit event of a call that failed before it reached the request path.
    fn audit_failure(&self, call: &Call, route: &Route, err: &WireError) {
        self.path.audit(
            call,
            route.signing_name(),
            route.operation(),
            Some((err.code.code(), &err.message)),
        );
    }

    /// Whether a request may send a body up to the full limit, decided from its head
    /// alone: test mode; a console request with a live session; an API request whose
    /// signature parses, is within its time window and names credentials that exist.
    /// (The signature itself covers the body, so it is checked once the body is read.)
    /// Anyone else is held to the small limit, so a client without credentials cannot
    /// make the server buffer a megabyte per connection.
    pub fn may_send_large_body(
        &self,
        method: &str,
        path: &str,
        query: &str,
        headers: &[(String, String)],
    ) -> bool {
        let now = clock::now();
        if self.test_mode.is_some() {
            return true;
        }
        if path == "/console" || path.starts_with("/console/") {
            return self.console.has_session(headers, now);
        }
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let head = HttpRequest {
            method,
            path,
            query,
            headers: &pairs,
            body: b"",
        };
        let Ok(signed) = rampart_sigv4::parse_at(&head, now) else {
            return false;
        };
        let token = signed.security_token.as_deref();
        let known = |engine: &Engine| {
            let snapshot = engine.snapshot();
            auth::lookup_credentials(
                &snapshot,
                engine.master(),
                &signed.access_key_id,
                token,
                now,
            )
            .is_ok()
        };
        if known(self.engine()) {
            return true;
        }
        // A key made by another process may not be in this snapshot yet.
        if let Err(err) = self.engine().refresh() {
            tracing::error!(%err, "snapshot refresh failed");
        }
        known(self.engine())
    }

    /// The answer to a body over the size limit, in the protocol the request would have
    /// been routed to (from its path and headers; the body was never read).
    pub fn body_too_large(&self, path: &str, headers: &[(&str, &str)]) -> WireResponse {
        let request_id = rampart_core::random::request_id();
        let protocol = rampart_wire::route::fallback_protocol(path, headers);
        let response = WireError::new(ErrorCode::InvalidInput, "The request body is too large.")
            .render(protocol, &request_id);
        with_request_id(response, &request_id)
    }
}

/// Ensures the `x-amzn-RequestId` header is present (aws-sdk-rust reads only the header).
/// Whether `route` is an operation that only reads the snapshot and queues its audit
/// event: nothing it does waits for a commit or the store. Deliberately a short list of
/// the calls made at high rates; anything else runs on a blocking thread. (An STS call
/// with an MFA code spends the code durably, so it waits.)
fn never_waits(route: &Route) -> bool {
    let Route::Query {
        service,
        action,
        params,
    } = route
    else {
        return false;
    };
    let without_mfa = || params.get("TokenCode").is_none() && params.get("SerialNumber").is_none();
    match service {
        QueryService::Sts => match action.as_str() {
            "GetCallerIdentity" | "GetAccessKeyInfo" => true,
            "AssumeRole" | "GetSessionToken" => without_mfa(),
            _ => false,
        },
        QueryService::Iam => matches!(
            action.as_str(),
            "GetUser" | "ListUsers" | "GetRole" | "ListRoles" | "ListAccessKeys"
        ),
    }
}

fn with_request_id(mut response: WireResponse, request_id: &str) -> WireResponse {
    if response.header("x-amzn-RequestId").is_none() {
        response
            .headers
            .push(("x-amzn-RequestId", request_id.to_owned()));
    }
    response
}

/// A plain `GET /` from a browser (HTML accepted, no signature, no query API call).
fn is_browser_visit(raw: &RawRequest) -> bool {
    let header = |name: &str| {
        raw.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    raw.method == "GET"
        && raw.path == "/"
        && raw.query.is_empty()
        && header("authorization").is_none()
        && header("accept").is_some_and(|a| a.contains("text/html"))
}

/// The facts of a request that come from the connection: time, address, channel.
fn origin(
    raw: &RawRequest,
    request_id: &str,
    now: i64,
    user_agent: String,
    channel: Channel,
) -> Origin {
    Origin {
        env: RequestEnv {
            now,
            source_ip: raw.client.ip,
            secure_transport: raw.client.secure,
            region: rampart_core::model::DEFAULT_REGION.to_owned(),
        },
        request_id: request_id.to_owned(),
        user_agent,
        channel,
    }
}
