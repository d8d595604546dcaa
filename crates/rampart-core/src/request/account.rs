//! The Account API on the request path: its operation table in `ops::account`.

use rampart_wire::Protocol;
use rampart_wire::account::{Operation, Output};

use super::Service;
use crate::auth::Caller;
use crate::authz::{self, Access};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::ops;
use crate::state::State;

/// AWS Account Management.
#[derive(Debug)]
pub struct Account;

impl Service for Account {
    type Op = Operation;
    type Output = Output;
    type Admission = ();

    const NAME: &'static str = "account";
    const PROTOCOL: Protocol = Protocol::RestJson;

    fn operation_name(op: &Operation) -> &'static str {
        op.name()
    }

    fn admit(_: &Engine, _: &State, _: &Caller, _: &Operation, _: i64) -> Result<(), CoreError> {
        Ok(())
    }

    fn access(_state: &State, caller: &Caller, op: &Operation, _: &()) -> Option<Access> {
        Some(authz::account::access(caller, op))
    }

    fn execute(
        engine: &Engine,
        caller: &Caller,
        op: &Operation,
        _: (),
        now: i64,
    ) -> Result<Output, CoreError> {
        ops::account::execute(engine, caller, op, now)
    }
}
