//! AWS CloudTrail on the request path: its access table in `authz::cloudtrail`, its
//! operations in `ops::cloudtrail`. Trails live in a region, so admission hands the call's
//! region to authorization (the trail ARN) and execution.

use rampart_wire::cloudtrail::{Operation, Output};
use rampart_wire::{JsonService, Protocol};

use super::{Call, Service};
use crate::auth::Caller;
use crate::authz::{self, Access};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::ops;
use crate::ops::cloudtrail::trails::{self, TrailCall};
use crate::state::State;

/// AWS CloudTrail.
#[derive(Debug)]
pub struct CloudTrail;

/// What CloudTrail's admission learns: the region the call was signed for.
#[derive(Debug, Clone)]
pub struct Region(pub String);

impl Service for CloudTrail {
    type Op = Operation;
    type Output = Output;
    type Admission = Region;

    const NAME: &'static str = "cloudtrail";
    const PROTOCOL: Protocol = Protocol::AwsJson(JsonService::CloudTrail);

    fn operation_name(op: &Operation) -> &'static str {
        op.name()
    }

    fn admit(
        _: &Engine,
        _: &State,
        _: &Caller,
        _: &Operation,
        _: i64,
    ) -> Result<Region, CoreError> {
        Ok(Region(crate::model::DEFAULT_REGION.to_owned()))
    }

    fn admit_call(_: &Engine, _: &State, call: &Call, _: &Operation) -> Result<Region, CoreError> {
        Ok(Region(call.origin.env.region.clone()))
    }

    fn access(state: &State, caller: &Caller, op: &Operation, region: &Region) -> Option<Access> {
        Some(authz::cloudtrail::access(state, caller, &region.0, op))
    }

    fn execute(
        engine: &Engine,
        caller: &Caller,
        op: &Operation,
        region: Region,
        now: i64,
    ) -> Result<Output, CoreError> {
        let call = TrailCall {
            caller,
            region: &region.0,
            now,
        };
        Ok(match op {
            Operation::LookupEvents(input) => {
                ops::cloudtrail::lookup_events(engine, caller, input)?.into()
            }
            Operation::CreateTrail(input) => trails::create_trail(engine, call, input)?.into(),
            Operation::GetTrail(input) => trails::get_trail(engine, call, input)?.into(),
            Operation::DescribeTrails(input) => {
                trails::describe_trails(engine, call, input)?.into()
            }
            Operation::UpdateTrail(input) => trails::update_trail(engine, call, input)?.into(),
            Operation::DeleteTrail(input) => trails::delete_trail(engine, call, input)?.into(),
            Operation::StartLogging(input) => {
                trails::set_logging(engine, call, &input.name, true)?;
                rampart_wire::cloudtrail::StartLoggingOutput {}.into()
            }
            Operation::StopLogging(input) => {
                trails::set_logging(engine, call, &input.name, false)?;
                rampart_wire::cloudtrail::StopLoggingOutput {}.into()
            }
            Operation::GetTrailStatus(input) => {
                trails::get_trail_status(engine, call, input)?.into()
            }
            Operation::PutEventSelectors(input) => {
                trails::put_event_selectors(engine, call, input)?.into()
            }
            Operation::GetEventSelectors(input) => {
                trails::get_event_selectors(engine, call, input)?.into()
            }
            Operation::AddTags(input) => trails::add_tags(engine, call, input)?.into(),
            Operation::RemoveTags(input) => trails::remove_tags(engine, call, input)?.into(),
            Operation::ListTags(input) => trails::list_tags(engine, call, input)?.into(),
            Operation::ListTrails(input) => trails::list_trails(engine, call, input)?.into(),
        })
    }
}
