//! AWS Organizations on the request path: its operation table in `ops::organizations`.

use rampart_wire::organizations::{Operation, Output};
use rampart_wire::{JsonService, Protocol};

use super::Service;
use crate::auth::Caller;
use crate::authz::{self, Access, ResourcePolicy};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::ops;
use crate::state::State;

/// AWS Organizations.
#[derive(Debug)]
pub struct Organizations;

impl Service for Organizations {
    type Op = Operation;
    type Output = Output;
    /// Whether the organization's delegation policy decides the call too (a member calling
    /// what only a delegated administrator of Organizations may: `resource_policy`).
    type Admission = bool;

    const NAME: &'static str = "organizations";
    const PROTOCOL: Protocol = Protocol::AwsJson(JsonService::Organizations);

    fn operation_name(op: &Operation) -> &'static str {
        op.name()
    }

    fn admit(
        _: &Engine,
        state: &State,
        caller: &Caller,
        op: &Operation,
        _: i64,
    ) -> Result<bool, CoreError> {
        Ok(ops::organizations::resource_policy::needs_delegation(
            state, caller, op,
        ))
    }

    fn access(state: &State, caller: &Caller, op: &Operation, _: &bool) -> Option<Access> {
        Some(authz::organizations::access(state, caller, op))
    }

    fn resource_policy<'s>(
        state: &'s State,
        caller: &Caller,
        _: &Operation,
        delegated: &bool,
    ) -> Option<ResourcePolicy<'s>> {
        if !*delegated {
            return None;
        }
        ops::organizations::resource_policy::delegation_policy(state, caller)
    }

    fn execute(
        engine: &Engine,
        caller: &Caller,
        op: &Operation,
        delegated: bool,
        now: i64,
    ) -> Result<Output, CoreError> {
        ops::organizations::execute::execute(engine, caller, op, delegated, now)
    }
}
