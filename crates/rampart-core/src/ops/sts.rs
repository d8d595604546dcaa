//! STS operations.

use rampart_wire::sts::{GetCallerIdentityOutput, Operation, Output};

use crate::auth::Caller;
use crate::error::CoreError;

/// Executes an STS operation for an authenticated, authorized caller.
pub fn execute(caller: &Caller, op: &Operation) -> Result<Output, CoreError> {
    match op {
        Operation::GetCallerIdentity(_) => Ok(Output::from(GetCallerIdentityOutput {
            user_id: caller.user_id(),
            account: caller.account.as_str().to_owned(),
            arn: caller.arn(),
        })),
        other => Err(CoreError::UnknownOperation { operation: other.name().to_owned(), version: "2011-06-15" }),
    }
}
