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
pub mod alerts;
pub mod cloudtrail;
pub mod iam;
pub mod organizations;
pub mod signin;
pub mod sts;

use std::net::IpAddr;
use std::sync::Arc;

use rampart_wire::Protocol;
use rampart_wire::record::Recorded;

use crate::alerts::RootAlerts;
use crate::audit::{AuditEvent, EventType};
use crate::auth::Caller;
use crate::authz::{self, Access, RequestEnv, ResourcePolicy};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::state::State;
use crate::store::AuditRecord;

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
    /// The decoded operation (a wire `Operation` enum); recorded as `requestParameters`.
    type Op: Recorded;
    /// The operation's typed output; recorded as `responseElements`.
    type Output: Recorded;
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

    /// [`Service::admit`] given the whole call: a service whose resources live in a region
    /// (CloudTrail's trails) learns the call's region here.
    fn admit_call(
        engine: &Engine,
        state: &State,
        call: &Call,
        op: &Self::Op,
    ) -> Result<Self::Admission, CoreError> {
        Self::admit(engine, state, &call.caller, op, call.origin.env.now)
    }

    /// What the call asks to do in IAM's terms; `None` when an account setting grants it
    /// without any policy.
    fn access(
        state: &State,
        caller: &Caller,
        op: &Self::Op,
        admission: &Self::Admission,
    ) -> Option<Access>;

    /// The resource-based policy that also decides the call (a role's trust policy, an
    /// organization's delegation policy).
    fn resource_policy<'s>(
        _state: &'s State,
        _caller: &Caller,
        _op: &Self::Op,
        _admission: &Self::Admission,
    ) -> Option<ResourcePolicy<'s>> {
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

/// The shared state of the request path: the engine, and whether every account's default
/// alert rule (root user activity) is in force.
pub struct RequestPath {
    engine: Arc<Engine>,
    alerts: Option<RootAlerts>,
    /// False only in the load benchmark's baseline run (see [`RequestPath::unaudited`]).
    audited: bool,
}

impl std::fmt::Debug for RequestPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestPath").finish_non_exhaustive()
    }
}

impl RequestPath {
    /// A path over `engine`; `alerts` puts the default root-activity rule in force (`None`:
    /// only the rules accounts stored, as in test mode and for the CLI's admin commands).
    pub fn new(engine: Arc<Engine>, alerts: Option<RootAlerts>) -> RequestPath {
        RequestPath {
            engine,
            alerts,
            audited: true,
        }
    }

    /// The same path recording no audit event at all: only for `bench/load.sh` to measure
    /// what the trail costs per call (the server allows it in test mode only).
    #[must_use]
    pub fn unaudited(mut self) -> RequestPath {
        self.audited = false;
        self
    }

    /// The engine the path executes on.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Runs `op` for `call`: admit → authorize → execute, then the audit event, whatever
    /// the outcome. A write's event commits in the write's own transaction (see
    /// `engine`); every other event is queued for the next batch.
    pub fn run<S: Service>(&self, call: &Call, op: &S::Op) -> Result<S::Output, CoreError> {
        if !self.audited {
            let now = call.origin.env.now;
            let admission = self.admit_authorize::<S>(call, op, &mut None)?;
            return S::execute(&self.engine, &call.caller, op, admission, now);
        }
        let mut event = AuditEvent::new(
            call,
            S::NAME,
            S::operation_name(op),
            event_type(call.origin.channel),
            None,
        );
        event.set_parameters(op.recorded(), None);
        let mut authorization = None;
        let admitted = self.admit_authorize::<S>(call, op, &mut authorization);
        if let Some(Authorization { resource, .. }) = &authorization {
            event.add_resource(resource);
        }
        let now = call.origin.env.now;
        let (result, committed) = match admitted {
            Ok(admission) if !event.read_only => match self.stored(&event, now) {
                Some(record) => self.engine.with_call_event(record, || {
                    S::execute(&self.engine, &call.caller, op, admission, now)
                }),
                None => (
                    S::execute(&self.engine, &call.caller, op, admission, now),
                    false,
                ),
            },
            Ok(admission) => (
                S::execute(&self.engine, &call.caller, op, admission, now),
                false,
            ),
            Err(err) => (Err(err), false),
        };
        match &result {
            // AWS records no response for read-only calls (audit-events.md §2).
            Ok(output) if !event.read_only => {
                event.set_parameters(event.request_parameters.clone(), output.recorded());
            }
            Ok(_) => {}
            Err(err) => {
                let code = err.code().for_protocol(S::PROTOCOL);
                event.set_error(code.code(), &err.client_message());
            }
        }
        if let Some(Authorization { decision, .. }) = &authorization
            && !decision.is_allowed()
        {
            // A denial says which statements decided it (nothing, for an implicit deny).
            event.explain_denial(decision);
        }
        // A cross-account AssumeRole is recorded in the role owner's account too.
        if let Some(copy) = event.role_owner_copy() {
            self.alert_and_queue(copy, true);
        }
        // A committed event is queued again only if its final form differs (a response, or
        // the error of a later step): it then replaces the committed one in the next batch.
        let settled = committed && result.is_ok() && event.response_elements.is_none();
        self.alert_and_queue(event, !settled);
        result
    }

    /// Admit and authorize; `authorization` learns what was decided, for the audit event.
    fn admit_authorize<S: Service>(
        &self,
        call: &Call,
        op: &S::Op,
        authorization: &mut Option<Authorization>,
    ) -> Result<S::Admission, CoreError> {
        let caller = &call.caller;
        let state = self.engine.snapshot();
        let admission = S::admit_call(&self.engine, &state, call, op)?;
        if let Some(access) = S::access(&state, caller, op, &admission) {
            let resource = S::resource_policy(&state, caller, op, &admission);
            let decided = authz::authorize(&state, caller, &access, &call.origin.env, resource);
            let allowed = decided.check();
            *authorization = Some(Authorization {
                resource: access.resource,
                decision: decided,
            });
            allowed?;
        }
        Ok(admission)
    }

    /// Records the audit event of a call of `service`'s `operation` (also for calls that
    /// failed before they could run, such as an undecodable input) and alerts on root
    /// activity. `error` is the AWS code and message the client saw.
    pub fn audit(&self, call: &Call, service: &str, operation: &str, error: Option<(&str, &str)>) {
        let event_type = event_type(call.origin.channel);
        self.record(AuditEvent::new(call, service, operation, event_type, error));
    }

    /// Appends `event` to the trail and alerts on root activity.
    fn record(&self, event: AuditEvent) {
        self.alert_and_queue(event, true);
    }

    /// Logs root activity, and queues `event` for the trail when `queue`.
    fn alert_and_queue(&self, event: AuditEvent, queue: bool) {
        if !self.audited {
            return;
        }
        let now = event.time;
        if event.is_root_activity() && self.alerts.is_some() {
            tracing::warn!(account = %event.recipient_account_id, event = %event.event_name, source = %event.source_ip_address, "root user activity");
        }
        if queue && let Some(record) = self.stored(&event, now) {
            self.engine.record_audit(record);
        }
    }

    /// The stored form of `event`, with the alert its account's rules raise (written to
    /// the outbox in the same transaction as the event).
    fn stored(&self, event: &AuditEvent, now: i64) -> Option<AuditRecord> {
        let mut record = event.record(now)?;
        record.alert = crate::alerts::route(&self.engine.snapshot(), event, self.alerts.is_some());
        Some(record)
    }
}

/// What authorization decided about a call, for its audit event.
struct Authorization {
    /// The resource the call asked to act on (`*` when none).
    resource: String,
    /// The decision and its deciding statements.
    decision: authz::Decision,
}

/// The CloudTrail event type of a call that arrived through `channel`.
fn event_type(channel: Channel) -> EventType {
    match channel {
        Channel::Api | Channel::Cli => EventType::AwsApiCall,
        Channel::Console => EventType::AwsConsoleAction,
    }
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use rampart_wire::iam as wire;

    use super::iam::Iam;
    use super::signin::user_caller;
    use super::*;

    fn audited(engine: &Engine, account: &crate::model::AccountId) -> Vec<serde_json::Value> {
        engine.flush_audit().unwrap();
        let records = engine.audit_events(account, 0, 100).unwrap();
        records
            .iter()
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect()
    }

    #[test]
    fn a_denied_call_is_not_executed_and_is_audited_with_the_denial() {
        let engine = Arc::new(Engine::in_memory());
        let requests = RequestPath::new(Arc::clone(&engine), None);
        let origin = Origin::cli(1_700_000_000);
        let account = requests
            .create_account(&origin, "root@example.com", "a", None)
            .unwrap();
        requests.first_administrator(&origin, &account.id).unwrap();
        let root = Call::cli(
            super::signin::root_caller(account.id.clone()),
            1_700_000_000,
        );
        let create = |name: &str| {
            wire::Operation::CreateUser(wire::CreateUserInput {
                user_name: name.to_owned(),
                ..Default::default()
            })
        };
        requests.run::<Iam>(&root, &create("bob")).unwrap();
        let bob = Call {
            caller: user_caller(&engine.snapshot(), &account.id, "bob").unwrap(),
            origin: origin.clone(),
        };
        let err = requests.run::<Iam>(&bob, &create("eve")).unwrap_err();
        assert!(matches!(err, CoreError::AccessDenied(_)), "{err:?}");
        assert!(engine.snapshot().user(&account.id, "eve").is_none());
        let events = audited(&engine, &account.id);
        let denied = events
            .iter()
            .find(|e| e["userIdentity"]["userName"] == "bob")
            .unwrap();
        assert_eq!(denied["eventName"], "CreateUser");
        assert_eq!(denied["errorCode"], "AccessDenied");
        assert!(
            denied["errorMessage"]
                .as_str()
                .unwrap()
                .contains("is not authorized to perform: iam:CreateUser")
        );
        assert_eq!(denied["additionalEventData"]["decision"], "ImplicitDeny");
        assert_eq!(
            denied["additionalEventData"]["decidingStatements"],
            serde_json::json!([])
        );

        // An explicit deny names the statement that decided it.
        let deny = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"AllowAll","Effect":"Allow","Action":"*","Resource":"*"},
            {"Sid":"NoNewUsers","Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}"#;
        let put = wire::Operation::PutUserPolicy(wire::PutUserPolicyInput {
            user_name: "bob".into(),
            policy_name: "guard".into(),
            policy_document: deny.into(),
        });
        requests.run::<Iam>(&root, &put).unwrap();
        requests.run::<Iam>(&bob, &create("mallory")).unwrap_err();
        let events = audited(&engine, &account.id);
        let explained = &events
            .iter()
            .find(|e| e["additionalEventData"]["decision"] == "ExplicitDeny")
            .unwrap()["additionalEventData"];
        assert_eq!(
            explained["decidingStatements"],
            serde_json::json!([{"policyType": "Identity", "policy": "user/bob/guard", "sid": "NoNewUsers"}])
        );
    }

    #[test]
    fn iam_refuses_federated_sessions_before_authorizing() {
        let engine = Arc::new(Engine::in_memory());
        let requests = RequestPath::new(Arc::clone(&engine), None);
        let origin = Origin::cli(1_700_000_000);
        let account = requests
            .create_account(&origin, "root@example.com", "a", None)
            .unwrap();
        let federated = Call {
            caller: Caller {
                account: account.id.clone(),
                principal: crate::auth::Principal::FederatedUser {
                    name: "fed".into(),
                    parent_user: None,
                },
                access_key_id: "ASIAEXAMPLE".into(),
                session: None,
            },
            origin,
        };
        let op = wire::Operation::ListUsers(wire::ListUsersInput::default());
        let err = requests.run::<Iam>(&federated, &op).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidClientTokenId);
    }
}
