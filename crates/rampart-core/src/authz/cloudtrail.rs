//! The CloudTrail table: each operation is `cloudtrail:<Action>`. `LookupEvents`,
//! `DescribeTrails` and `ListTrails` name no resource (`*`, as the service authorization
//! reference gives them none); every other operation names the trail ARN
//! `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`: the ARN given, or the caller's trail of
//! that name (in the call's region, else its multi-region trail of that name), or the ARN
//! the name would have in the call's region (`CreateTrail`, unknown names).
//!
//! Reads the snapshot to resolve names; decides nothing.

use rampart_wire::cloudtrail as wire;

use super::Access;
use crate::auth::Caller;
use crate::model::PARTITION;
use crate::state::State;

/// The action, resource and keys of a CloudTrail operation called in `region`.
pub fn access(state: &State, caller: &Caller, region: &str, op: &wire::Operation) -> Access {
    use wire::Operation as Op;
    let trail = |name: &str| {
        Access::new(
            &format!("cloudtrail:{}", op.name()),
            trail_arn(state, caller, region, name),
        )
    };
    let any = || Access::new(&format!("cloudtrail:{}", op.name()), "*".to_owned());
    match op {
        Op::LookupEvents(_) | Op::DescribeTrails(_) | Op::ListTrails(_) => any(),
        Op::CreateTrail(i) => trail(&i.name).with_tags(
            i.tags_list
                .iter()
                .flatten()
                .map(|t| (t.key.as_str(), t.value.as_deref().unwrap_or(""))),
        ),
        Op::UpdateTrail(i) => trail(&i.name),
        Op::GetTrail(i)
        | Op::DeleteTrail(i)
        | Op::StartLogging(i)
        | Op::StopLogging(i)
        | Op::GetTrailStatus(i) => trail(&i.name),
        Op::PutEventSelectors(i) => trail(&i.trail_name),
        Op::GetEventSelectors(i) => trail(&i.trail_name),
        Op::AddTags(i) => trail(&i.resource_id).with_tags(
            i.tags_list
                .iter()
                .map(|t| (t.key.as_str(), t.value.as_deref().unwrap_or(""))),
        ),
        Op::RemoveTags(i) => trail(&i.resource_id),
        Op::ListTags(i) => match i.resource_id_list.first() {
            Some(first) => trail(first),
            None => any(),
        },
    }
}

/// The ARN a `Name` member stands for (see the module documentation).
fn trail_arn(state: &State, caller: &Caller, region: &str, name: &str) -> String {
    if name.starts_with("arn:") {
        return name.to_owned();
    }
    let own = || state.trails_of(&caller.account).filter(|t| t.name == name);
    own()
        .find(|t| t.home_region == region)
        .or_else(|| own().find(|t| t.multi_region))
        .map_or_else(
            || {
                format!(
                    "arn:{PARTITION}:cloudtrail:{region}:{}:trail/{name}",
                    caller.account
                )
            },
            |t| t.arn.clone(),
        )
}
