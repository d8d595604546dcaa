//! The one request path every client takes — the API pipeline, the console and the CLI's
//! admin commands: an authenticated [`Call`] and a decoded operation go through
//! admit → authorize → execute → audit, in that order, for every service.
//!
//! A [`Service`] says, per operation, what the caller must satisfy before authorization
//! (session restrictions, MFA codes checked but not yet consumed), what the call asks to do
//! in IAM's terms (action, resource, condition keys), which resource policy applies, and
//! how to carry it out. [`RequestPath::run`] orders those steps the same way for all of
//! them and records the audit event; no service authorizes or audits itself.
//! Authentication (SigV4, console sign-in) and the wire codecs stay with the clients.

pub mod account;
pub mod admin;
pub mod iam;
pub mod organizations;
pub mod signin;
pub mod sts;

use std::net::IpAddr;
use std::sync::Arc;

use rampart_wire::{ErrorCode, Protocol};

use crate::alerts::RootAlerts;
use crate::audit::{AuditEvent, EventType};
use crate::auth::Caller;
use crate::authz::{self, Access, RequestEnv, ResourcePolicy};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::state::State;

/// How a call reached Rampart: it decides the audit event's type and source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// A signed API request (SDKs, the aws CLI).
    Api,
    /// A page action in the web console.
    Console,
    /// A `rampart` admin command run on the server's machine.
    Cli,
}

/// One authenticated call: who makes it, and the facts that do not come from its input.
#[derive(Debug, Clone)]
pub struct Call {
    /// The authenticated principal.
    pub caller: Caller,
    /// Where, when and how the call was made.
    pub origin: Origin,
}

/// The facts about a call that come from neither its caller nor its input.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Time, source address, transport and region, for conditions and the audit event.
    pub env: RequestEnv,
    /// The request id the client sees.
    pub request_id: String,
    /// The client's `User-Agent`.
    pub user_agent: String,
    /// How the call arrived.
    pub channel: Channel,
}

impl Call {
    /// A call made on the server's machine by an admin command, as `caller`.
    pub fn cli(caller: Caller, now: i64) -> Call {
        Call {
            caller,
            origin: Origin::cli(now),
        }
    }
}

impl Origin {
    /// An admin command run on the server's machine.
    pub fn cli(now: i64) -> Origin {
        Origin {
            env: RequestEnv {
                now,
                source_ip: IpAddr::from([127, 0, 0, 1]),
                secure_transport: false,
                region: crate::model::DEFAULT_REGION.to_owned(),
            },
            request_id: crate::random::request_id(),
            user_agent: concat!("rampart-cli/", env!("CARGO_PKG_VERSION")).to_owned(),
            channel: Channel::Cli,
        }
    }
}

/// One AWS service as the request path sees it.
pub trait Service {
    /// The decoded operation (a wire `Operation` enum).
    type Op;
    /// The operation's typed output.
    type Output;
    /// What the pre-authorization checks learned that authorization and execution need
    /// (STS: the MFA code presented and checked, to be consumed by the operation's write).
    type Admission;

    /// The signing name, which is also the audit event source (`iam`, `sts`, …).
    const NAME: &'static str;
    /// The protocol the service's errors are spelled in.
    const PROTOCOL: Protocol;

    /// The operation's AWS name.
    fn operation_name(op: &Self::Op) -> &'static str;

    /// Checks that depend on the caller and come before authorization. Pure: nothing is
    /// written here, so a denied call changes nothing.
    fn admit(
        engine: &Engine,
        state: &State,
        caller: &Caller,
        op: &Self::Op,
        now: i64,
    ) -> Result<Self::Admission, CoreError>;

    /// What the call asks to do in IAM's terms; `None` when an account setting grants it
    /// without any policy.
    fn access(
        state: &State,
        caller: &Caller,
        op: &Self::Op,
        admission: &Self::Admission,
    ) -> Option<Access>;

    /// The resource-based policy that also decides the call (a role's trust policy).
    fn resource_policy<'s>(_state: &'s State, _op: &Self::Op) -> Option<ResourcePolicy<'s>> {
        None
    }

    /// Carries the call out; writes go through one engine transaction each.
    fn execute(
        engine: &Engine,
        caller: &Caller,
        op: &Self::Op,
        admission: Self::Admission,
        now: i64,
    ) -> Result<Self::Output, CoreError>;
}

/// The shared state of the request path: the engine and the root activity alerts.
pub struct RequestPath {
    engine: Arc<Engine>,
    alerts: Option<RootAlerts>,
}

impl std::fmt::Debug for RequestPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestPath").finish_non_exhaustive()
    }
}

impl RequestPath {
    /// A path over `engine`; `alerts` watches root activity (`None`: no alerts, as in
    /// test mode).
    pub fn new(engine: Arc<Engine>, alerts: Option<RootAlerts>) -> RequestPath {
        RequestPath { engine, alerts }
    }

    /// The engine the path executes on.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Runs `op` for `call`: admit → authorize → execute, then the audit event, whatever
    /// the outcome.
    pub fn run<S: Service>(&self, call: &Call, op: &S::Op) -> Result<S::Output, CoreError> {
        let result = self.admit_authorize_execute::<S>(call, op);
        let error = result.as_ref().err().map(|err| {
            let code = spelled(err.code(), S::PROTOCOL);
            (code.code().to_owned(), err.client_message())
        });
        self.audit(
            call,
            S::NAME,
            S::operation_name(op),
            error.as_ref().map(|(c, m)| (c.as_str(), m.as_str())),
        );
        result
    }

    fn admit_authorize_execute<S: Service>(
        &self,
        call: &Call,
        op: &S::Op,
    ) -> Result<S::Output, CoreError> {
        let caller = &call.caller;
        let now = call.origin.env.now;
        let state = self.engine.snapshot();
        let admission = S::admit(&self.engine, &state, caller, op, now)?;
        if let Some(access) = S::access(&state, caller, op, &admission) {
            let resource = S::resource_policy(&state, op);
            authz::authorize(&state, caller, &access, &call.origin.env, resource).check()?;
        }
        S::execute(&self.engine, caller, op, admission, now)
    }

    /// Records the audit event of a call of `service`'s `operation` (also for calls that
    /// failed before they could run, such as an undecodable input) and alerts on root
    /// activity. `error` is the AWS code and message the client saw.
    pub fn audit(&self, call: &Call, service: &str, operation: &str, error: Option<(&str, &str)>) {
        let event_type = match call.origin.channel {
            Channel::Api | Channel::Cli => EventType::AwsApiCall,
            Channel::Console => EventType::AwsConsoleAction,
        };
        self.record(AuditEvent::new(call, service, operation, event_type, error));
    }

    /// Appends `event` to the trail and alerts on root activity.
    fn record(&self, event: AuditEvent) {
        let now = event.time;
        if event.is_root_activity()
            && let Some(alerts) = &self.alerts
        {
            alerts.observe(&self.engine.snapshot(), &event, now);
        }
        if let Some(record) = event.record(now) {
            self.engine.record_audit(record);
        }
    }
}

/// The code a protocol answers `code` with: the JSON protocols spell some shared errors
/// differently from awsQuery.
pub fn spelled(code: ErrorCode, protocol: Protocol) -> ErrorCode {
    match (protocol, code) {
        (Protocol::AwsJson, ErrorCode::AccessDenied) => ErrorCode::AccessDeniedException,
        (Protocol::RestJson, ErrorCode::AccessDenied) => ErrorCode::AccountApiAccessDeniedException,
        (Protocol::RestJson, ErrorCode::ValidationError | ErrorCode::InvalidInput) => {
            ErrorCode::ValidationException
        }
        (Protocol::RestJson, ErrorCode::ServiceFailure | ErrorCode::InternalFailure) => {
            ErrorCode::InternalServerException
        }
        (_, other) => other,
    }
}
