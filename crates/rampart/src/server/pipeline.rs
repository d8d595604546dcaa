//! The request path, one function: route → authenticate → decode → authorize → execute →
//! encode. Every call from every client goes through `Pipeline::handle`.
//!
//! Each step has a typed result; the first failure becomes the AWS error document of the
//! protocol the request was routed to. Handlers never see HTTP, and no operation
//! authorizes itself.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use rampart_core::CoreError;
use rampart_core::audit::{AuditEvent, UserIdentity};
use rampart_core::auth::{self, Caller};
use rampart_core::authz::{self, RequestEnv};
use rampart_core::engine::Engine;
use rampart_core::model::KeyUsageRecord;
use rampart_core::ops;
use rampart_sigv4::{HttpRequest, SigV4Error, SigV4ErrorKind, SigningKeyCache};
use rampart_wire::{
    ErrorCode, JsonService, Protocol, QueryService, Route, WireError, WireResponse, iam,
    organizations, sts,
};

use crate::clock;
use crate::console::Console;

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
    /// The client's address.
    pub peer: SocketAddr,
}

/// What the request path learned that the audit event needs.
#[derive(Debug, Default)]
struct Trace {
    now: i64,
    caller: Option<Caller>,
    region: String,
}

/// Root activity alert mails go out at most this often per account.
const ROOT_ALERT_INTERVAL: i64 = 3600;

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

/// The shared state of the request path.
pub struct Pipeline {
    engine: Arc<Engine>,
    signing_keys: SigningKeyCache,
    console: Console,
    test_mode: bool,
    root_alerts: std::sync::Mutex<std::collections::HashMap<rampart_core::model::AccountId, i64>>,
}

impl Pipeline {
    /// A pipeline over `engine`, with the root user's pages served by `console`.
    pub fn new(engine: Arc<Engine>, console: Console, test_mode: bool) -> Pipeline {
        Pipeline {
            engine,
            signing_keys: SigningKeyCache::default(),
            console,
            test_mode,
            root_alerts: Default::default(),
        }
    }

    /// Answers one request. Never panics on bad input: every failure is an AWS error.
    pub fn handle(&self, raw: &RawRequest) -> WireResponse {
        let request_id = request_id();
        if self.test_mode && raw.method == "POST" && raw.path == "/moto-api/reset" {
            let response = match ops::test_mode::reset(&self.engine, clock::now()) {
                Ok(()) => rampart_wire::json::rest_json_response(
                    &serde_json::json!({"status": "ok"}),
                    &request_id,
                ),
                Err(err) => Failure::from(err).0.render(Protocol::RestJson, &request_id),
            };
            return with_request_id(response, &request_id);
        }
        if raw.path == "/console" || raw.path.starts_with("/console/") {
            let response = self.console.handle(
                &self.engine,
                &raw.method,
                &raw.path,
                &raw.query,
                &raw.body,
                clock::now(),
            );
            return with_request_id(response, &request_id);
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
                    return with_request_id(err.render(protocol, &request_id), &request_id);
                }
            };
        let protocol = route.protocol();
        let mut trace = Trace::default();
        let (response, error) = match self.run(raw, &headers, &route, &request_id, &mut trace) {
            Ok(response) => (response, None),
            Err(Failure(err)) => {
                // The audit trail records the code as the client received it.
                let err = err.for_protocol(protocol);
                (err.render(protocol, &request_id), Some(err))
            }
        };
        // 6. Audit: every call an authenticated caller made, allowed or denied.
        if let Some(caller) = &trace.caller {
            self.audit(raw, &route, caller, &trace, error.as_ref(), &request_id);
        }
        with_request_id(response, &request_id)
    }

    /// Records the audit event of one call and alerts on root activity.
    fn audit(
        &self,
        raw: &RawRequest,
        route: &Route,
        caller: &Caller,
        trace: &Trace,
        error: Option<&WireError>,
        request_id: &str,
    ) {
        let operation = route.operation().to_owned();
        let event = AuditEvent {
            event_version: "1.08",
            user_identity: UserIdentity::of(caller),
            event_time: rampart_wire::Timestamp(trace.now).to_iso8601(),
            event_source: format!("{}.amazonaws.com", route.signing_name()),
            read_only: rampart_core::audit::is_read_only(&operation),
            event_name: operation,
            aws_region: trace.region.clone(),
            source_ip_address: raw.peer.ip().to_string(),
            user_agent: raw
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("user-agent"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            error_code: error.map(|e| e.code.code().to_owned()),
            error_message: error.map(|e| e.message.clone()),
            request_id: request_id.to_owned(),
            recipient_account_id: caller.account.as_str().to_owned(),
            event_type: "AwsApiCall",
        };
        if event.is_root_activity() && !self.test_mode {
            self.alert_root_activity(caller, &event, trace.now);
        }
        if let Some(record) = event.record(trace.now) {
            self.engine.record_audit(record);
        }
    }

    /// Root activity is what security teams watch for: a log line every time, and a mail to
    /// the root's address at most once an hour per account.
    fn alert_root_activity(&self, caller: &Caller, event: &AuditEvent, now: i64) {
        tracing::warn!(account = %caller.account, event = %event.event_name, source = %event.source_ip_address, "root user activity");
        let due = match self.root_alerts.lock() {
            Ok(mut last) => {
                let due = last
                    .get(&caller.account)
                    .is_none_or(|at| now - at >= ROOT_ALERT_INTERVAL);
                if due {
                    last.insert(caller.account.clone(), now);
                }
                due
            }
            Err(_) => false,
        };
        if !due {
            return;
        }
        if let Some(email) = self
            .engine
            .snapshot()
            .account(&caller.account)
            .map(|a| a.email.clone())
        {
            let body = format!(
                "The root user of AWS account {} called {} ({}) from {} at {}.\n\n\
                 If this was not you, change the root password and review the account's audit trail\n\
                 (`rampart audit --account {}`). Alerts are sent at most once an hour.\n",
                caller.account,
                event.event_name,
                event.event_source,
                event.source_ip_address,
                event.event_time,
                caller.account
            );
            if let Err(err) =
                self.console
                    .mailer
                    .send(&email, "Root user activity in your account", &body, now)
            {
                tracing::error!(%err, "sending the root activity alert failed");
            }
        }
    }

    fn run(
        &self,
        raw: &RawRequest,
        headers: &[(&str, &str)],
        route: &Route,
        request_id: &str,
        trace: &mut Trace,
    ) -> Result<WireResponse, Failure> {
        let now = clock::now();
        trace.now = now;
        // 1. Authenticate.
        let http = HttpRequest {
            method: &raw.method,
            path: &raw.path,
            query: &raw.query,
            headers,
            body: &raw.body,
        };
        let signed = rampart_sigv4::parse_at(&http, now)?;
        signed.check_scope(|region| !region.is_empty(), route.signing_name())?;
        let token = signed.security_token.as_deref();
        let mut snapshot = self.engine.snapshot();
        if !snapshot.key_was_issued(&signed.access_key_id) {
            // A key created by another process (the CLI, another node) may not have reached
            // this snapshot yet: pull once before refusing it.
            if let Err(err) = self.engine.refresh() {
                tracing::error!(%err, "snapshot refresh failed");
            }
            snapshot = self.engine.snapshot();
        }
        let caller = match auth::lookup_credentials(&snapshot, &signed.access_key_id, token, now) {
            Ok((caller, secret)) => {
                rampart_sigv4::verify(&http, &signed, secret.expose(), now, &self.signing_keys)?;
                caller
            }
            // Test mode: a key Rampart never issued is the default account's root; like
            // moto, the signature over an unknown secret is not checked.
            Err(err) if self.test_mode => {
                ops::test_mode::foreign_key_caller(&self.engine, &signed.access_key_id)?
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
            self.engine.note_key_use(&caller.access_key_id, usage);
        }
        trace.caller = Some(caller.clone());
        trace.region = signed.region.clone();
        let env = RequestEnv {
            now,
            source_ip: raw.peer.ip(),
            secure_transport: false,
            region: signed.region.clone(),
        };
        // 2. Decode, 3. authorize, 4. execute, 5. encode.
        match route {
            Route::Query {
                service: QueryService::Iam,
                action,
                params,
            } => {
                let op = iam::Operation::decode(action, params)?;
                restrict_session_token(&caller)?;
                if !authz::iam_implicitly_allowed(&snapshot, &caller, &op) {
                    let access = authz::iam_access(&snapshot, &caller, &op);
                    authz::authorize(&snapshot, &caller, &access, &env)?;
                }
                let output = ops::iam::execute::execute(&self.engine, &caller, &op, now)?;
                Ok(output.encode(op.name(), request_id))
            }
            Route::Query {
                service: QueryService::Sts,
                action,
                params,
            } => {
                let op = sts::Operation::decode(action, params)?;
                let mfa = ops::sts::verify_mfa(&self.engine, &caller, &op, now)?;
                self.authorize_sts(&snapshot, &caller, &op, mfa, &env)?;
                let output = ops::sts::execute(&self.engine, &caller, &op, mfa, now)?;
                Ok(output.encode(op.name(), request_id))
            }
            Route::RestJson { operation, body } => {
                let op = rampart_wire::account::Operation::decode(operation, body)?;
                let access = authz::account_access(&caller, &op);
                authz::authorize(&snapshot, &caller, &access, &env)?;
                let output = ops::account::execute(&self.engine, &caller, &op)?;
                Ok(output.encode(request_id))
            }
            Route::Json {
                service: JsonService::Organizations,
                operation,
                body,
            } => {
                let op = organizations::Operation::decode(operation, body)?;
                let access = authz::organizations_access(&snapshot, &caller, &op);
                authz::authorize(&snapshot, &caller, &access, &env)?;
                let output = ops::organizations::execute::execute(&self.engine, &caller, &op, now)?;
                Ok(output.encode(request_id))
            }
            Route::Json { operation, .. } => Err(Failure::new(
                ErrorCode::UnknownOperationException,
                format!("Operation {operation} is not supported by this server."),
            )),
        }
    }

    fn authorize_sts(
        &self,
        snapshot: &rampart_core::state::State,
        caller: &Caller,
        op: &sts::Operation,
        mfa: bool,
        env: &RequestEnv,
    ) -> Result<(), Failure> {
        let access = authz::sts_access(caller, op, mfa);
        let trust = authz::sts_resource_policy(snapshot, op)
            .map(|(policy, account)| authz::ResourcePolicy { policy, account });
        authz::authorize_with(snapshot, caller, &access, env, trust)?;
        Ok(())
    }

    /// The answer to a body over the size limit, in the protocol the request would have
    /// been routed to (from its path and headers; the body was never read).
    pub fn body_too_large(&self, path: &str, headers: &[(&str, &str)]) -> WireResponse {
        let request_id = request_id();
        let protocol = rampart_wire::route::fallback_protocol(path, headers);
        let response = WireError::new(ErrorCode::InvalidInput, "The request body is too large.")
            .render(protocol, &request_id);
        with_request_id(response, &request_id)
    }
}

/// `GetSessionToken` credentials obtained without MFA, and federated users, cannot call IAM
/// (credentials-and-mfa.md §b): IAM answers as for an invalid token.
fn restrict_session_token(caller: &Caller) -> Result<(), Failure> {
    let plain_session_token = caller.session.as_ref().is_some_and(|s| {
        s.mfa_authenticated_at.is_none()
            && !s.assumed_root
            && !matches!(caller.principal, auth::Principal::AssumedRole { .. })
    });
    // Federated users never call IAM (credentials-and-mfa.md §b).
    let federated = matches!(caller.principal, auth::Principal::FederatedUser { .. });
    if plain_session_token || federated {
        return Err(auth::AuthError::InvalidClientTokenId.into());
    }
    Ok(())
}

/// Ensures the `x-amzn-RequestId` header is present (aws-sdk-rust reads only the header).
fn with_request_id(mut response: WireResponse, request_id: &str) -> WireResponse {
    if response.header("x-amzn-RequestId").is_none() {
        response
            .headers
            .push(("x-amzn-RequestId", request_id.to_owned()));
    }
    response
}

/// A random UUID v4 string, AWS's request id format.
fn request_id() -> String {
    let mut bytes = [0u8; 16];
    rampart_core::random::fill(&mut bytes);
    if let Some(b) = bytes.get_mut(6) {
        *b = (*b & 0x0f) | 0x40;
    }
    if let Some(b) = bytes.get_mut(8) {
        *b = (*b & 0x3f) | 0x80;
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let part = |range: std::ops::Range<usize>| hex.get(range).unwrap_or("");
    format!(
        "{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    )
}
