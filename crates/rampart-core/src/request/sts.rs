//! STS on the request path: an MFA code is checked before authorization (so trust
//! policies see `aws:MultiFactorAuthPresent`) and consumed by the operation's own write,
//! after authorization, so a denied call burns no code.

use rampart_wire::sts::{Operation, Output};
use rampart_wire::{Protocol, QueryService};

use super::Service;
use crate::auth::Caller;
use crate::authz::{self, Access, ResourcePolicy};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::ops::sts::{self, PresentedMfa};
use crate::state::State;

/// AWS Security Token Service.
#[derive(Debug)]
pub struct Sts;

impl Service for Sts {
    type Op = Operation;
    type Output = Output;
    type Admission = Option<PresentedMfa>;

    const NAME: &'static str = "sts";
    const PROTOCOL: Protocol = Protocol::Query(QueryService::Sts);

    fn operation_name(op: &Operation) -> &'static str {
        op.name()
    }

    fn admit(
        engine: &Engine,
        state: &State,
        caller: &Caller,
        op: &Operation,
        now: i64,
    ) -> Result<Option<PresentedMfa>, CoreError> {
        sts::check_mfa(engine, state, caller, op, now)
    }

    fn access(
        _state: &State,
        caller: &Caller,
        op: &Operation,
        mfa: &Option<PresentedMfa>,
    ) -> Option<Access> {
        Some(authz::sts::access(caller, op, mfa.is_some()))
    }

    fn resource_policy<'s>(
        state: &'s State,
        _caller: &Caller,
        op: &Operation,
        _admission: &Self::Admission,
    ) -> Option<ResourcePolicy<'s>> {
        authz::sts::resource_policy(state, op)
    }

    fn execute(
        engine: &Engine,
        caller: &Caller,
        op: &Operation,
        mfa: Option<PresentedMfa>,
        now: i64,
    ) -> Result<Output, CoreError> {
        sts::execute(engine, caller, op, mfa, now)
    }
}
