//! IAM on the request path: which sessions may call IAM at all, the operations an account
//! setting grants without a policy, and the operation table in `ops::iam`.

use rampart_wire::iam::{Operation, Output};
use rampart_wire::{Protocol, QueryService};

use super::Service;
use crate::auth::{AuthError, Caller, Principal, SessionKind};
use crate::authz::{self, Access};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::ops;
use crate::state::State;

/// AWS Identity and Access Management.
#[derive(Debug)]
pub struct Iam;

impl Service for Iam {
    type Op = Operation;
    type Output = Output;
    type Admission = ();

    const NAME: &'static str = "iam";
    const PROTOCOL: Protocol = Protocol::Query(QueryService::Iam);

    fn operation_name(op: &Operation) -> &'static str {
        op.name()
    }

    fn admit(
        _engine: &Engine,
        _state: &State,
        caller: &Caller,
        _op: &Operation,
        _now: i64,
    ) -> Result<(), CoreError> {
        admit_session(caller)
    }

    fn access(state: &State, caller: &Caller, op: &Operation, _: &()) -> Option<Access> {
        if authz::iam::implicitly_allowed(state, caller, op) {
            return None;
        }
        Some(authz::iam::access(state, caller, op))
    }

    fn execute(
        engine: &Engine,
        caller: &Caller,
        op: &Operation,
        _: (),
        now: i64,
    ) -> Result<Output, CoreError> {
        ops::iam::execute::execute(engine, caller, op, now)
    }
}

/// `GetSessionToken` credentials obtained without MFA, and federated users, cannot call IAM
/// (credentials-and-mfa.md §b): IAM answers as for an invalid token. A console sign-in
/// session is not an STS session and may call IAM with or without MFA, as in AWS.
fn admit_session(caller: &Caller) -> Result<(), CoreError> {
    let plain_session_token = caller.session.as_ref().is_some_and(|s| {
        s.kind == SessionKind::Sts
            && s.mfa_authenticated_at.is_none()
            && !s.assumed_root
            && !matches!(caller.principal, Principal::AssumedRole { .. })
            // A delegated session acts as the identity that approved it, with its rights.
            && s.sts.as_ref().is_none_or(|e| e.0.record.delegation_request.is_none())
    });
    let federated = matches!(caller.principal, Principal::FederatedUser { .. });
    if plain_session_token || federated {
        return Err(CoreError::Unauthenticated(AuthError::InvalidClientTokenId));
    }
    Ok(())
}
