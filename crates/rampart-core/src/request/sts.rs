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
use crate::ops::sts::{self, StsAdmission};
use crate::state::State;

/// AWS Security Token Service.
#[derive(Debug)]
pub struct Sts;

impl Service for Sts {
    type Op = Operation;
    type Output = Output;
    type Admission = StsAdmission;

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
    ) -> Result<StsAdmission, CoreError> {
        Ok(StsAdmission {
            mfa: sts::check_mfa(engine, state, caller, op, now)?,
            region: crate::model::DEFAULT_REGION.to_owned(),
        })
    }

    // The Region the call was signed for decides the version of the tokens it issues.
    fn admit_call(
        engine: &Engine,
        state: &State,
        call: &super::Call,
        op: &Operation,
    ) -> Result<StsAdmission, CoreError> {
        Ok(StsAdmission {
            mfa: sts::check_mfa(engine, state, &call.caller, op, call.origin.env.now)?,
            region: call.origin.env.region.clone(),
        })
    }

    fn access(
        _state: &State,
        caller: &Caller,
        op: &Operation,
        admission: &StsAdmission,
    ) -> Option<Access> {
        Some(authz::sts::access(caller, op, admission.mfa.is_some()))
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
        admission: StsAdmission,
        now: i64,
    ) -> Result<Output, CoreError> {
        sts::execute(engine, caller, op, admission, now)
    }
}
