//! AWS CloudTrail on the request path: `LookupEvents`, authorized as
//! `cloudtrail:LookupEvents` on `*` (the service authorization reference lists no resource
//! type for it), executed by `ops::cloudtrail`.

use rampart_wire::Protocol;
use rampart_wire::cloudtrail::{Operation, Output};

use super::Service;
use crate::auth::Caller;
use crate::authz::Access;
use crate::engine::Engine;
use crate::error::CoreError;
use crate::ops;
use crate::state::State;

/// AWS CloudTrail.
#[derive(Debug)]
pub struct CloudTrail;

/// What a CloudTrail operation asks to do, in IAM's terms.
pub fn access(op: &Operation) -> Access {
    let action = match op {
        Operation::LookupEvents(_) => "cloudtrail:LookupEvents",
    };
    Access {
        action: action.to_owned(),
        resource: "*".to_owned(),
        keys: Vec::new(),
    }
}

impl Service for CloudTrail {
    type Op = Operation;
    type Output = Output;
    type Admission = ();

    const NAME: &'static str = "cloudtrail";
    const PROTOCOL: Protocol = Protocol::AwsJson;

    fn operation_name(op: &Operation) -> &'static str {
        op.name()
    }

    fn admit(_: &Engine, _: &State, _: &Caller, _: &Operation, _: i64) -> Result<(), CoreError> {
        Ok(())
    }

    fn access(_: &State, _: &Caller, op: &Operation, _: &()) -> Option<Access> {
        Some(access(op))
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
