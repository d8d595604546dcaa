//! CloudTrail's `LookupEvents` over the stored trail: one account's events, newest first,
//! filtered by at most one attribute and a time range, in pages of at most 50
//! (audit-events.md §6). Reads only; the records themselves are `audit`'s.
//!
//! The `NextToken` names the last event of the page (time and store id) and a hash of the
//! lookup's parameters, so a token reused with other parameters is refused with
//! `InvalidNextTokenException`, as AWS does.
//!
//! Trails (settings, logging, selectors, tags) are `trails`; their rules on names, ARNs and
//! buckets `names`; event selectors `selectors`.

pub mod names;
pub mod selectors;
pub mod trails;

use rampart_wire::Timestamp;
use rampart_wire::cloudtrail::{
    Event, EventCategory, LookupEventsInput, LookupEventsOutput, Resource,
};

use crate::audit::{lookup_username, resource_name};
use crate::auth::Caller;
use crate::engine::Engine;
use crate::error::CoreError;
use crate::store::{AuditCursor, AuditQuery, StoredAudit};

/// `LookupEvents` in the caller's account.
pub fn lookup_events(
    engine: &Engine,
    caller: &Caller,
    input: &LookupEventsInput,
) -> Result<LookupEventsOutput, CoreError> {
    // Rampart records management events only: there are no Insights events to return.
    if input.event_category == Some(EventCategory::Insight) {
        return Ok(LookupEventsOutput::default());
    }
    let key = input
        .attribute()
        .map(|a| (a.attribute_key.as_str(), a.attribute_value.as_str()));
    let start = input.start_time.map_or(i64::MIN, |t| t.0);
    let end = input.end_time.map_or(i64::MAX, |t| t.0);
    let fingerprint = fingerprint(key, input.start_time, input.end_time);
    let after = input
        .next_token
        .as_deref()
        .map(|token| parse_token(token, fingerprint))
        .transpose()?;
    let limit = input.page_size();
    let query = AuditQuery {
        account: caller.account.as_str(),
        start,
        end,
        key,
        after,
        // One more than a page tells whether another page follows.
        limit: limit.saturating_add(1),
    };
    let mut found = engine.lookup_audit(&query)?;
    let more = found.len() > limit;
    found.truncate(limit);
    let next_token = match found.last() {
        Some(last) if more => Some(token(last, fingerprint)),
        _ => None,
    };
    Ok(LookupEventsOutput {
        events: found.iter().map(event).collect(),
        next_token,
    })
}

/// The `Event` LookupEvents shows for a stored record: its summary fields read back from
/// the record itself, and the record as `CloudTrailEvent`.
fn event(stored: &StoredAudit) -> Event {
    let body = &stored.record.body;
    let record: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let text = |value: &serde_json::Value, key: &str| {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let identity = record
        .get("userIdentity")
        .unwrap_or(&serde_json::Value::Null);
    let username = text(identity, "type").and_then(|kind| {
        lookup_username(
            &kind,
            text(identity, "userName").as_deref(),
            &text(identity, "arn").unwrap_or_default(),
        )
    });
    let resources = record
        .get("resources")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| Resource {
            resource_type: text(r, "type"),
            resource_name: text(r, "ARN").map(|arn| resource_name(&arn).to_owned()),
        })
        .collect();
    Event {
        event_id: text(&record, "eventID"),
        event_name: text(&record, "eventName"),
        read_only: record
            .get("readOnly")
            .and_then(serde_json::Value::as_bool)
            .map(|b| b.to_string()),
        // AWS shows "" for calls without a key (console sign-ins).
        access_key_id: Some(text(identity, "accessKeyId").unwrap_or_default()),
        event_time: Some(Timestamp(stored.record.time)),
        event_source: text(&record, "eventSource"),
        username,
        resources,
        cloud_trail_event: Some(body.clone()),
    }
}

/// FNV-1a over the parameters a token must be reused with.
fn fingerprint(key: Option<(&str, &str)>, start: Option<Timestamp>, end: Option<Timestamp>) -> u64 {
    let text = format!("{:?}|{:?}|{:?}", key, start.map(|t| t.0), end.map(|t| t.0));
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn token(last: &StoredAudit, fingerprint: u64) -> String {
    let plain = format!("{}:{}:{fingerprint:016x}", last.record.time, last.id);
    data_encoding::BASE64URL_NOPAD.encode(plain.as_bytes())
}

fn parse_token(token: &str, fingerprint: u64) -> Result<AuditCursor, CoreError> {
    let invalid = || {
        CoreError::InvalidNextToken(
            "Invalid NextToken. The token must come from a previous call with the same parameters."
                .to_owned(),
        )
    };
    let plain = data_encoding::BASE64URL_NOPAD
        .decode(token.as_bytes())
        .map_err(|_| invalid())?;
    let plain = String::from_utf8(plain).map_err(|_| invalid())?;
    let mut parts = plain.split(':');
    let (Some(time), Some(id), Some(hash), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    if hash != format!("{fingerprint:016x}") {
        return Err(invalid());
    }
    Ok(AuditCursor {
        time: time.parse().map_err(|_| invalid())?,
        id: id.parse().map_err(|_| invalid())?,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rampart_wire::cloudtrail::{LookupAttribute, LookupAttributeKey, Operation};
    use rampart_wire::iam as wire;

    use super::*;
    use crate::request::cloudtrail::CloudTrail;
    use crate::request::iam::Iam;
    use crate::request::signin::root_caller;
    use crate::request::{Call, Origin, RequestPath};

    fn lookup(
        requests: &RequestPath,
        call: &Call,
        input: LookupEventsInput,
    ) -> Result<LookupEventsOutput, CoreError> {
        let rampart_wire::cloudtrail::Output::LookupEvents(out) =
            requests.run::<CloudTrail>(call, &Operation::LookupEvents(input))?
        else {
            panic!("not a LookupEvents output")
        };
        Ok(out)
    }

    fn by(key: LookupAttributeKey, value: &str) -> LookupEventsInput {
        LookupEventsInput {
            lookup_attributes: Some(vec![LookupAttribute {
                attribute_key: key,
                attribute_value: value.to_owned(),
            }]),
            ..Default::default()
        }
    }

    #[test]
    fn lookup_filters_pages_newest_first_and_stays_in_the_account() {
        let engine = Arc::new(Engine::in_memory());
        let requests = RequestPath::new(Arc::clone(&engine), None);
        let origin = Origin::cli(1_700_000_000);
        let a = requests
            .create_account(&origin, "a@example.com", "a", None)
            .unwrap();
        let b = requests
            .create_account(&origin, "b@example.com", "b", None)
            .unwrap();
        let root_a = Call::cli(root_caller(a.id.clone()), 1_700_000_100);
        let root_b = Call::cli(root_caller(b.id.clone()), 1_700_000_100);
        for (i, name) in ["u1", "u2", "u3"].iter().enumerate() {
            let mut call = root_a.clone();
            call.origin.env.now += i64::try_from(i).unwrap();
            let op = wire::Operation::CreateUser(wire::CreateUserInput {
                user_name: (*name).to_owned(),
                ..Default::default()
            });
            requests.run::<Iam>(&call, &op).unwrap();
        }
        let out = lookup(
            &requests,
            &root_a,
            by(LookupAttributeKey::EventName, "CreateUser"),
        )
        .unwrap();
        let names: Vec<_> = out
            .events
            .iter()
            .map(|e| e.resources[0].resource_name.clone().unwrap())
            .collect();
        assert_eq!(names, ["u3", "u2", "u1"]);
        assert_eq!(out.events[0].username.as_deref(), Some("root"));
        assert_eq!(out.events[0].read_only.as_deref(), Some("false"));
        let record: serde_json::Value =
            serde_json::from_str(out.events[0].cloud_trail_event.as_deref().unwrap()).unwrap();
        assert_eq!(
            record["eventID"].as_str(),
            out.events[0].event_id.as_deref()
        );

        let by_name = lookup(
            &requests,
            &root_a,
            by(LookupAttributeKey::ResourceName, "u2"),
        )
        .unwrap();
        assert_eq!(by_name.events.len(), 1);
        let by_type = lookup(
            &requests,
            &root_a,
            by(LookupAttributeKey::ResourceType, "AWS::IAM::User"),
        )
        .unwrap();
        assert_eq!(by_type.events.len(), 3);
        let by_id = lookup(
            &requests,
            &root_a,
            by(
                LookupAttributeKey::EventId,
                out.events[1].event_id.as_deref().unwrap(),
            ),
        )
        .unwrap();
        assert_eq!(by_id.events.len(), 1);

        // Paging: two, then one, then the token is refused with other parameters.
        let mut page = by(LookupAttributeKey::EventName, "CreateUser");
        page.max_results = Some(2);
        let first = lookup(&requests, &root_a, page.clone()).unwrap();
        assert_eq!(first.events.len(), 2);
        page.next_token = first.next_token.clone();
        let second = lookup(&requests, &root_a, page.clone()).unwrap();
        assert_eq!(second.events.len(), 1);
        assert_eq!(second.next_token, None);
        let mut other = by(LookupAttributeKey::EventName, "DeleteUser");
        other.next_token = first.next_token;
        let err = lookup(&requests, &root_a, other).unwrap_err();
        assert_eq!(
            err.code(),
            rampart_wire::ErrorCode::InvalidNextTokenException
        );

        // Time range, inclusive at both ends.
        let ranged = LookupEventsInput {
            start_time: Some(Timestamp(1_700_000_101)),
            end_time: Some(Timestamp(1_700_000_101)),
            ..by(LookupAttributeKey::EventName, "CreateUser")
        };
        assert_eq!(lookup(&requests, &root_a, ranged).unwrap().events.len(), 1);

        // Account b sees none of a's users.
        let out_b = lookup(
            &requests,
            &root_b,
            by(LookupAttributeKey::EventName, "CreateUser"),
        )
        .unwrap();
        assert!(out_b.events.is_empty());
    }
}
