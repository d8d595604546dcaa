//! AWS CloudTrail on the request path: its access table in `authz::cloudtrail`, its
//! operation in `ops::cloudtrail`.

use rampart_wire::cloudtrail::{Operation, Output};
use rampart_wire::{JsonService, Protocol};

use super::Service;
use crate::auth::Caller;
use crate::authz::{self, Access};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::ops;
use crate::state::State;

/// AWS CloudTrail.
#[derive(Debug)]
pub struct CloudTrail;

impl Service for CloudTrail {
    type Op = Operation;
    type Output = Output;
    type Admission = ();

    const NAME: &'static str = "cloudtrail";
    const PROTOCOL: Protocol = Protocol::AwsJson(JsonService::CloudTrail);

    fn operation_name(op: &Operation) -> &'static str {
        op.name()
    }

    fn admit(_: &Engine, _: &State, _: &Caller, _: &Operation, _: i64) -> Result<(), CoreError> {
        Ok(())
    }

    fn access(_: &State, _: &Caller, op: &Operation, _: &()) -> Option<Access> {
        Some(authz::cloudtrail::access(op))
    }

    fn execute(
        engine: &Engine,
        caller: &Caller,
        op: &Operation,
        _: (),
        _now: i64,
    ) -> Result<Output, CoreError> {
        match op {
            Operation::LookupEvents(input) => {
                ops::cloudtrail::lookup_events(engine, caller, input).map(Output::from)
            }
        }
    }
}
