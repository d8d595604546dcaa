//! The CloudTrail table: `LookupEvents` is `cloudtrail:LookupEvents` on `*` (the service
//! authorization reference gives it no resource type) with no request keys.
//!
//! Needs no state; decides nothing.

use rampart_wire::cloudtrail as wire;

use super::Access;

/// The action, resource and keys of a CloudTrail operation.
pub fn access(op: &wire::Operation) -> Access {
    match op {
        wire::Operation::LookupEvents(_) => Access::new("cloudtrail:LookupEvents", "*".to_owned()),
    }
}
