//! CloudTrail (awsJson1.1, target prefix
//! `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`, signing name `cloudtrail`):
//! the typed input and output of `LookupEvents` (here) and of the trail operations
//! (`trails`), decoded and encoded with the model's members and constraints
//! (audit-events.md §6).
//!
//! Decode failures are CloudTrail's own errors, one per member: a bad `MaxResults` is
//! `InvalidMaxResultsException`, a bad `LookupAttributes` list (more than one item, an
//! unknown key, an empty or over-long value) `InvalidLookupAttributesException`, a bad
//! `EventCategory` `InvalidEventCategoryException`, a start time after the end time
//! `InvalidTimeRangeException`; a value of the wrong JSON type is a
//! `SerializationException`. Whether a `NextToken` continues a query is the core's
//! question (the token is opaque here). Timestamps are epoch seconds both ways.
//!
//! ```
//! use rampart_wire::cloudtrail::{LookupEventsOutput, Operation, Output};
//! use rampart_wire::Protocol;
//! let body = serde_json::json!({
//!     "LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": "root"}],
//!     "StartTime": 1714521600, "EndTime": 1714653000, "MaxResults": 10});
//! let Operation::LookupEvents(input) = Operation::decode("LookupEvents", &body).unwrap() else {
//!     unreachable!()
//! };
//! assert_eq!(input.max_results, Some(10));
//! let r = Output::from(LookupEventsOutput::default()).encode("rid");
//! assert_eq!(r.body, br#"{"Events":[]}"#);
//! let e = Operation::decode("LookupEvents", &serde_json::json!({"MaxResults": 51})).unwrap_err();
//! let r = e.render(Protocol::AwsJson(rampart_wire::JsonService::CloudTrail), "rid");
//! assert_eq!(r.header("x-amzn-ErrorType"), Some("InvalidMaxResultsException"));
//! ```

use crate::error::{ErrorCode, WireError};
use crate::json::{JsonDecode, JsonViolations, ViolationKind};
use crate::schema::{Constraint, WireType};
use crate::timestamp::Timestamp;

mod trails;
pub use trails::*;

/// The most events one `LookupEvents` page returns, and the default page size.
pub const MAX_RESULTS_LIMIT: i32 = 50;

// ---- Model shapes' constraints (names are the botocore shape names) ----
const MAX_RESULTS: Constraint = Constraint::new("MaxResults").len(1, 50);
const LOOKUP_ATTRIBUTE_VALUE: Constraint = Constraint::new("LookupAttributeValue").len(1, 2000);

wire_enum! {
    /// What a lookup attribute filters on (`LookupAttributeKey`).
    LookupAttributeKey "LookupAttributeKey" {
        EventId = "EventId",
        EventName = "EventName",
        ReadOnly = "ReadOnly",
        Username = "Username",
        ResourceType = "ResourceType",
        ResourceName = "ResourceName",
        EventSource = "EventSource",
        AccessKeyId = "AccessKeyId",
    }
}
wire_enum! {
    /// The event category (`EventCategory`): only Insights events are a category of their own.
    EventCategory "EventCategory" {
        Insight = "insight",
    }
}

/// Epoch seconds as botocore sends them (an integer, or a number with a fraction, which
/// is truncated); an ISO 8601 string is accepted too, as CloudTrail does.
impl JsonDecode for Timestamp {
    const TYPE: WireType = WireType::Timestamp;
    fn decode_json(
        value: &serde_json::Value,
        path: &str,
        _c: Option<&'static Constraint>,
        v: &mut JsonViolations,
    ) -> Option<Self> {
        let seconds = value
            .as_i64()
            .or_else(|| value.as_f64().filter(|f| f.is_finite()).map(truncate))
            .map(Timestamp)
            .or_else(|| value.as_str().and_then(Timestamp::parse_iso8601));
        if seconds.is_none() {
            v.push(path, ViolationKind::Type, "Expected a timestamp");
        }
        seconds
    }
}

#[expect(
    clippy::cast_possible_truncation,
    reason = "epoch seconds with a fraction: the fraction is dropped on purpose, and the cast saturates"
)]
fn truncate(seconds: f64) -> i64 {
    seconds.trunc() as i64
}

json_input! {
    /// One filter of `LookupEvents` (`LookupAttribute`).
    LookupAttribute "LookupAttribute" {
        req attribute_key: LookupAttributeKey = "AttributeKey", Some(&LookupAttributeKey::CONSTRAINT);
        req attribute_value: String = "AttributeValue", Some(&LOOKUP_ATTRIBUTE_VALUE);
    }
}
json_input! {
    /// Input of `LookupEvents`.
    LookupEventsInput "LookupEventsRequest" {
        opt lookup_attributes: Vec<LookupAttribute> = "LookupAttributes", None;
        opt start_time: Timestamp = "StartTime", None;
        opt end_time: Timestamp = "EndTime", None;
        opt event_category: EventCategory = "EventCategory", Some(&EventCategory::CONSTRAINT);
        opt max_results: i32 = "MaxResults", Some(&MAX_RESULTS);
        opt next_token: String = "NextToken", None;
    }
}

impl LookupEventsInput {
    /// The one lookup attribute, if any (decoding refuses more than one).
    #[must_use]
    pub fn attribute(&self) -> Option<&LookupAttribute> {
        self.lookup_attributes.as_ref().and_then(|a| a.first())
    }

    /// The page size: `MaxResults`, or 50.
    #[must_use]
    pub fn page_size(&self) -> usize {
        let size = self.max_results.unwrap_or(MAX_RESULTS_LIMIT);
        usize::try_from(size.clamp(1, MAX_RESULTS_LIMIT)).unwrap_or(1)
    }
}

json_structure! {
    /// A resource an event names (`Resource`): `AWS::IAM::User` / `alice`.
    Resource "Resource" {
        opt resource_type: String = "ResourceType";
        opt resource_name: String = "ResourceName";
    }
}
json_structure! {
    /// One event of the history (`Event`); `CloudTrailEvent` is the whole record as a
    /// JSON string, `ReadOnly` the string `true` / `false`.
    Event "Event" {
        opt event_id: String = "EventId";
        opt event_name: String = "EventName";
        opt read_only: String = "ReadOnly";
        opt access_key_id: String = "AccessKeyId";
        opt event_time: Timestamp = "EventTime";
        opt event_source: String = "EventSource";
        opt username: String = "Username";
        req resources: Vec<Resource> = "Resources";
        opt cloud_trail_event: String = "CloudTrailEvent";
    }
}
json_structure! {
    /// Output of `LookupEvents`: newest event first; `NextToken` only when more remain.
    LookupEventsOutput "LookupEventsResponse" {
        req events: Vec<Event> = "Events";
        opt next_token: String = "NextToken";
    }
}

/// The CloudTrail error for the first decoding violation: each member has its own
/// exception (the model's `errors` of `LookupEvents`).
#[must_use]
pub fn decode_error(violations: JsonViolations) -> WireError {
    if let Some(v) = violations
        .items
        .iter()
        .find(|v| v.kind == ViolationKind::Type)
    {
        return WireError::new(
            ErrorCode::SerializationException,
            format!("{} at `{}`", v.constraint, v.path),
        );
    }
    let Some(first) = violations.items.first() else {
        return invalid_lookup_attributes();
    };
    let path = first.path.as_str();
    if path.starts_with("MaxResults") {
        invalid_max_results()
    } else if path.starts_with("EventCategory") {
        WireError::new(
            ErrorCode::InvalidEventCategoryException,
            "Event category is not valid. The only valid value is insight.",
        )
    } else if path.starts_with("LookupAttributes") {
        invalid_lookup_attributes()
    } else if path == "Name" || path == "TrailName" {
        WireError::new(
            ErrorCode::TrailNotProvidedException,
            "Trail name or ARN must be specified.",
        )
    } else if path.starts_with("TagsList") {
        WireError::new(
            ErrorCode::InvalidTagParameterException,
            format!("Tag keys are 1 to 128 characters and values 1 to 256 ({path})"),
        )
    } else if path.starts_with("EventSelectors") || path.starts_with("AdvancedEventSelectors") {
        WireError::new(
            ErrorCode::InvalidEventSelectorsException,
            format!("Event selectors are not valid: {}", first.constraint),
        )
    } else {
        WireError::new(
            ErrorCode::InvalidParameterException,
            format!("{} at `{path}`", first.constraint),
        )
    }
}

fn invalid_max_results() -> WireError {
    WireError::new(
        ErrorCode::InvalidMaxResultsException,
        "MaxResults is not valid. Specify a value from 1 through 50.",
    )
}

fn invalid_lookup_attributes() -> WireError {
    WireError::new(
        ErrorCode::InvalidLookupAttributesException,
        "Lookup attributes are not valid. Specify at most one attribute with a key of \
         EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource \
         or AccessKeyId and a value of 1 to 2000 characters.",
    )
}

/// `InvalidNextTokenException`, for a token that does not continue a query with the same
/// parameters.
#[must_use]
pub fn invalid_next_token() -> WireError {
    WireError::new(
        ErrorCode::InvalidNextTokenException,
        "Invalid NextToken. The token must come from a previous call with the same parameters.",
    )
}

/// The checks the model cannot express: at most one lookup attribute (the model's
/// documentation: "the list can contain only one item") and a start time no later than
/// the end time.
fn check_lookup(input: LookupEventsInput) -> Result<LookupEventsInput, WireError> {
    if input
        .lookup_attributes
        .as_ref()
        .is_some_and(|a| a.len() > 1)
    {
        return Err(invalid_lookup_attributes());
    }
    if let (Some(start), Some(end)) = (input.start_time, input.end_time)
        && start > end
    {
        return Err(WireError::new(
            ErrorCode::InvalidTimeRangeException,
            "Start time must be earlier than or equal to end time.",
        ));
    }
    Ok(input)
}

json_operations! {
    decode_error: decode_error;
    respond: crate::json::aws_json_response;
    empty: crate::organizations::empty_response;
    with_output {
        LookupEvents(LookupEventsInput => LookupEventsOutput),
        CreateTrail(CreateTrailInput => CreateTrailOutput),
        GetTrail(TrailNameInput => GetTrailOutput),
        DescribeTrails(DescribeTrailsInput => DescribeTrailsOutput),
        UpdateTrail(UpdateTrailInput => UpdateTrailOutput),
        DeleteTrail(TrailNameInput => DeleteTrailOutput),
        StartLogging(TrailNameInput => StartLoggingOutput),
        StopLogging(TrailNameInput => StopLoggingOutput),
        GetTrailStatus(TrailNameInput => GetTrailStatusOutput),
        PutEventSelectors(PutEventSelectorsInput => PutEventSelectorsOutput),
        GetEventSelectors(GetEventSelectorsInput => GetEventSelectorsOutput),
        AddTags(TagsInput => AddTagsOutput),
        RemoveTags(TagsInput => RemoveTagsOutput),
        ListTags(ListTagsInput => ListTagsOutput),
        ListTrails(ListTrailsInput => ListTrailsOutput),
    }
    without_output {
    }
}

impl Operation {
    /// Decodes `operation` and applies the rules the model states only in prose (one
    /// lookup attribute at most, start before end).
    ///
    /// # Errors
    /// As [`Operation::decode`], plus `InvalidLookupAttributesException` and
    /// `InvalidTimeRangeException`.
    pub fn decode_checked(operation: &str, body: &serde_json::Value) -> Result<Self, WireError> {
        match Self::decode(operation, body)? {
            Self::LookupEvents(input) => check_lookup(input).map(Self::LookupEvents),
            other => Ok(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Protocol;
    use serde_json::json;

    fn code(body: serde_json::Value) -> ErrorCode {
        Operation::decode_checked("LookupEvents", &body)
            .unwrap_err()
            .code
    }

    #[test]
    fn lookup_events_decodes_the_captured_cli_body() {
        let body = json!({"LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": "root"}],
            "StartTime": 1714521600, "EndTime": 1714653000.5, "MaxResults": 10, "NextToken": "t"});
        let Operation::LookupEvents(input) =
            Operation::decode_checked("LookupEvents", &body).unwrap()
        else {
            panic!("not LookupEvents")
        };
        let attribute = input.attribute().unwrap();
        assert_eq!(attribute.attribute_key, LookupAttributeKey::Username);
        assert_eq!(attribute.attribute_value, "root");
        assert_eq!(input.start_time, Some(Timestamp(1714521600)));
        assert_eq!(input.end_time, Some(Timestamp(1714653000)));
        assert_eq!(input.page_size(), 10);
        assert_eq!(input.next_token.as_deref(), Some("t"));
        let Operation::LookupEvents(empty) =
            Operation::decode_checked("LookupEvents", &json!({})).unwrap()
        else {
            panic!("not LookupEvents")
        };
        assert_eq!(empty.page_size(), 50);
    }

    #[test]
    fn each_bad_member_has_its_own_exception() {
        assert_eq!(
            code(json!({"MaxResults": 51})),
            ErrorCode::InvalidMaxResultsException
        );
        assert_eq!(
            code(json!({"MaxResults": 0})),
            ErrorCode::InvalidMaxResultsException
        );
        let two = json!({"LookupAttributes": [
            {"AttributeKey": "Username", "AttributeValue": "a"},
            {"AttributeKey": "EventName", "AttributeValue": "b"}]});
        assert_eq!(code(two), ErrorCode::InvalidLookupAttributesException);
        let unknown =
            json!({"LookupAttributes": [{"AttributeKey": "Nope", "AttributeValue": "a"}]});
        assert_eq!(code(unknown), ErrorCode::InvalidLookupAttributesException);
        let empty =
            json!({"LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": ""}]});
        assert_eq!(code(empty), ErrorCode::InvalidLookupAttributesException);
        let missing = json!({"LookupAttributes": [{"AttributeKey": "Username"}]});
        assert_eq!(code(missing), ErrorCode::InvalidLookupAttributesException);
        assert_eq!(
            code(json!({"StartTime": 20, "EndTime": 10})),
            ErrorCode::InvalidTimeRangeException
        );
        assert_eq!(
            code(json!({"EventCategory": "data"})),
            ErrorCode::InvalidEventCategoryException
        );
        assert_eq!(
            code(json!({"MaxResults": "5"})),
            ErrorCode::SerializationException
        );
        assert_eq!(
            code(json!({"StartTime": true})),
            ErrorCode::SerializationException
        );
        let ok = json!({"StartTime": 10, "EndTime": 10});
        assert!(Operation::decode_checked("LookupEvents", &ok).is_ok());
        let r = Operation::decode_checked("CreateEventDataStore", &json!({}))
            .unwrap_err()
            .render(Protocol::AwsJson(crate::JsonService::CloudTrail), "rid");
        assert_eq!(
            r.header("x-amzn-ErrorType"),
            Some("UnknownOperationException")
        );
    }

    #[test]
    fn lookup_events_output_encodes_epoch_times_and_string_read_only() {
        let out = LookupEventsOutput {
            events: vec![Event {
                event_id: Some("e".into()),
                event_name: Some("CreateUser".into()),
                read_only: Some("false".into()),
                access_key_id: Some("AKIA".into()),
                event_time: Some(Timestamp(1714566896)),
                event_source: Some("iam.amazonaws.com".into()),
                username: Some("root".into()),
                resources: vec![Resource {
                    resource_type: Some("AWS::IAM::User".into()),
                    resource_name: Some("alice".into()),
                }],
                cloud_trail_event: Some("{}".into()),
            }],
            next_token: Some("n".into()),
        };
        let r = Output::from(out).encode("rid");
        assert_eq!(r.content_type, "application/x-amz-json-1.1");
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            body,
            json!({"Events": [{"EventId": "e", "EventName": "CreateUser", "ReadOnly": "false",
                "AccessKeyId": "AKIA", "EventTime": 1714566896, "EventSource": "iam.amazonaws.com",
                "Username": "root", "Resources": [{"ResourceType": "AWS::IAM::User", "ResourceName": "alice"}],
                "CloudTrailEvent": "{}"}], "NextToken": "n"})
        );
    }
}
