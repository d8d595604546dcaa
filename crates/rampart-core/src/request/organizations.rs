//! AWS Organizations on the request path: its operation table in `ops::organizations`.

use rampart_wire::organizations::{Operation, Output};
use rampart_wire::{JsonService, Protocol};

use super::Service;
use crate::auth::Caller;
use crate::authz::{self, Access};
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
    type Admission = ();

    const NAME: &'static str = "organizations";
    const PROTOCOL: Protocol = Protocol::AwsJson(JsonService::Organizations);

    fn operation_name(op: &Operation) -> &'static str {
        op.name()
    }

    fn admit(_: &Engine, _: &State, _: &Caller, _: &Operation, _: i64) -> Result<(), CoreError> {
        Ok(())
    }

    fn access(state: &State, caller: &Caller, op: &Operation, _: &()) -> Option<Access> {
        Some(authz::organizations::access(state, caller, op))
    }

    fn execute(
        engine: &Engine,
        caller: &Caller,
        op: &Operation,
        _: (),
        now: i64,
    ) -> Result<Output, CoreError> {
        ops::organizations::execute::execute(engine, caller, op, now)
    }
}
