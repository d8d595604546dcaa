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

impl super::RequestPath {
    /// Up to `limit` of the caller's events matching `attribute` (CloudTrail's one lookup
    /// attribute), newest first, as the console's Event history reads them: `LookupEvents`
    /// pages of 50 run through [`super::RequestPath::run`], so each page is authorized as
    /// `cloudtrail:LookupEvents` and audited like an API call.
    pub fn lookup_events(
        &self,
        call: &super::Call,
        attribute: Option<rampart_wire::cloudtrail::LookupAttribute>,
        limit: usize,
    ) -> Result<Vec<serde_json::Value>, CoreError> {
        use rampart_wire::cloudtrail::LookupEventsInput;
        let mut events = Vec::new();
        let mut next_token = None;
        while events.len() < limit {
            let page = Operation::LookupEvents(LookupEventsInput {
                lookup_attributes: attribute.clone().map(|a| vec![a]),
                next_token: next_token.take(),
                ..Default::default()
            });
            let Output::LookupEvents(out) = self.run::<CloudTrail>(call, &page)? else {
                return Err(CoreError::Internal(
                    "LookupEvents answered another output".into(),
                ));
            };
            events.extend(
                out.events
                    .iter()
                    .filter_map(|e| e.cloud_trail_event.as_deref())
                    .filter_map(|json| serde_json::from_str(json).ok()),
            );
            match out.next_token {
                Some(token) => next_token = Some(token),
                None => break,
            }
        }
        events.truncate(limit);
        Ok(events)
    }
}
