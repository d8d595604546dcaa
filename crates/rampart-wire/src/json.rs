//! awsJson1.1 and restJson1: success responses (wire-protocols.md §2.2, §3)
//! and the JSON codec of typed inputs and outputs.
//!
//! [`JsonDecode`] reads a member from a request body (`null` counts as absent,
//! as botocore sends no nulls), checking the model's constraints into
//! [`JsonViolations`]; each service turns those into its own error
//! ([`JsonViolations::into_organizations_error`],
//! [`JsonViolations::into_account_error`]). [`JsonEncode`] writes outputs;
//! timestamps are epoch seconds unless wrapped in [`IsoTimestamp`]. Generic
//! only: the operation types live in the service modules.

use crate::error::{CONTENT_TYPE_AWS_JSON, CONTENT_TYPE_JSON, ErrorCode, WireError, WireResponse};
use crate::schema::{Constraint, WireType};
use crate::timestamp::Timestamp;
use serde_json::Value;

fn response(content_type: &'static str, body: Vec<u8>, request_id: &str) -> WireResponse {
    WireResponse {
        status: 200,
        content_type,
        headers: vec![("x-amzn-RequestId", request_id.to_owned())],
        body,
    }
}

/// A 200 awsJson1.1 response (`application/x-amz-json-1.1`) with `body`.
///
/// ```
/// let r = rampart_wire::json::aws_json_response(&serde_json::json!({"Roots": []}), "rid");
/// assert_eq!(r.content_type, "application/x-amz-json-1.1");
/// assert_eq!(r.body, b"{\"Roots\":[]}");
/// ```
#[must_use]
pub fn aws_json_response(body: &serde_json::Value, request_id: &str) -> WireResponse {
    response(
        CONTENT_TYPE_AWS_JSON,
        body.to_string().into_bytes(),
        request_id,
    )
}

/// A 200 restJson1 response (`application/json`) with `body`.
#[must_use]
pub fn rest_json_response(body: &serde_json::Value, request_id: &str) -> WireResponse {
    response(CONTENT_TYPE_JSON, body.to_string().into_bytes(), request_id)
}

/// A 200 restJson1 response with an empty body (operations without output, §3).
#[must_use]
pub fn rest_json_empty(request_id: &str) -> WireResponse {
    response(CONTENT_TYPE_JSON, Vec::new(), request_id)
}

/// What a JSON input violated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationKind {
    /// A required member is absent.
    Required,
    /// A JSON value of the wrong type (string for a number, …).
    Type,
    /// A string outside the model pattern.
    Pattern,
    /// A string outside the model enum.
    Enum,
    /// A string or list shorter than `min`.
    MinLength,
    /// A string or list longer than `max`.
    MaxLength,
    /// A number below `min`.
    MinValue,
    /// A number above `max`.
    MaxValue,
}

/// One violation: member path (`Tags[0].Key`), kind, and AWS's constraint wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonViolation {
    /// Member path from the body root: `ContactInformation.FullName`, `Tags[1].Key`.
    pub path: String,
    /// What was violated.
    pub kind: ViolationKind,
    /// The constraint text (`Member must not be null`, …).
    pub constraint: String,
}

/// The violations of one JSON request body, in member order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonViolations {
    /// Every violation found.
    pub items: Vec<JsonViolation>,
}

/// Organizations' wording for each `InvalidInputException` reason (the model's
/// documentation of `InvalidInputException`).
fn organizations_reason(v: &JsonViolation) -> (&'static str, &'static str) {
    let target = v.path.ends_with("TargetId");
    match v.kind {
        ViolationKind::Required => (
            "INPUT_REQUIRED",
            "You must include a value for all required parameters.",
        ),
        ViolationKind::Pattern if target => (
            "INVALID_PATTERN_TARGET_ID",
            "You specified a policy target ID that doesn't match the required pattern.",
        ),
        ViolationKind::Pattern | ViolationKind::Type => (
            "INVALID_PATTERN",
            "You provided a value that doesn't match the required pattern.",
        ),
        ViolationKind::Enum => ("INVALID_ENUM", "You specified an invalid value."),
        ViolationKind::MinLength => (
            "MIN_LENGTH_EXCEEDED",
            "You provided a string parameter that is shorter than allowed.",
        ),
        ViolationKind::MaxLength => (
            "MAX_LENGTH_EXCEEDED",
            "You provided a string parameter that is longer than allowed.",
        ),
        ViolationKind::MinValue => (
            "MIN_VALUE_EXCEEDED",
            "You provided a numeric parameter that has a smaller value than allowed.",
        ),
        ViolationKind::MaxValue => (
            "MAX_VALUE_EXCEEDED",
            "You provided a numeric parameter that has a larger value than allowed.",
        ),
    }
}

impl JsonViolations {
    /// Records a violation.
    pub fn push(&mut self, path: &str, kind: ViolationKind, constraint: impl Into<String>) {
        self.items.push(JsonViolation {
            path: path.to_owned(),
            kind,
            constraint: constraint.into(),
        });
    }

    /// Whether nothing was recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn serialization_error(&self) -> Option<WireError> {
        self.items
            .iter()
            .find(|v| v.kind == ViolationKind::Type)
            .map(|v| {
                WireError::new(
                    ErrorCode::SerializationException,
                    format!("{} at `{}`", v.constraint, v.path),
                )
            })
    }

    /// The Organizations error for the first violation (wire-protocols.md §2.3):
    /// `InvalidInputException` with the model's `Reason` (`INPUT_REQUIRED`,
    /// `INVALID_PATTERN`, `INVALID_ENUM`, `MAX_LENGTH_EXCEEDED`, …) and its documented
    /// wording; a JSON value of the wrong type is a `SerializationException`.
    #[must_use]
    pub fn into_organizations_error(self) -> WireError {
        if let Some(e) = self.serialization_error() {
            return e;
        }
        let Some(first) = self.items.first() else {
            return WireError::new(ErrorCode::InvalidInputException, "Invalid input.");
        };
        let (reason, message) = organizations_reason(first);
        WireError::new(ErrorCode::InvalidInputException, message).with_field("Reason", reason)
    }

    /// The Account API error (wire-protocols.md §3): `ValidationException` with
    /// `reason: fieldValidationFailed` and one `fieldList` entry per violation;
    /// a JSON value of the wrong type is a `SerializationException`.
    #[must_use]
    pub fn into_account_error(self) -> WireError {
        if let Some(e) = self.serialization_error() {
            return e;
        }
        let n = self.items.len();
        let noun = if n == 1 { "error" } else { "errors" };
        let texts: Vec<String> = self
            .items
            .iter()
            .map(|v| {
                format!(
                    "Value at '{}' failed to satisfy constraint: {}",
                    v.path, v.constraint
                )
            })
            .collect();
        let fields: Vec<Value> = self
            .items
            .iter()
            .map(|v| serde_json::json!({ "name": v.path, "message": v.constraint }))
            .collect();
        WireError::new(
            ErrorCode::ValidationException,
            format!("{n} validation {noun} detected: {}", texts.join("; ")),
        )
        .with_field("reason", "fieldValidationFailed")
        .with_field("fieldList", Value::Array(fields))
    }
}

/// A value decodable from a JSON request member.
pub trait JsonDecode: Sized {
    /// The wire type, compared with the botocore model.
    const TYPE: WireType;
    /// Decodes the (non-null) `value` at `path`; `None` (with a violation) on a type mismatch.
    fn decode_json(
        value: &Value,
        path: &str,
        c: Option<&'static Constraint>,
        v: &mut JsonViolations,
    ) -> Option<Self>;
}

/// A value encodable as a JSON response member.
pub trait JsonEncode {
    /// The wire type, compared with the botocore model.
    const TYPE: WireType;
    /// The JSON form.
    fn to_json(&self) -> Value;
}

fn type_violation(path: &str, expected: &str, v: &mut JsonViolations) {
    v.push(path, ViolationKind::Type, format!("Expected {expected}"));
}

/// Checks a string against a constraint (length in characters, enum, pattern).
pub fn check_json_str(raw: &str, path: &str, c: &Constraint, v: &mut JsonViolations) {
    let len = i64::try_from(raw.chars().count()).unwrap_or(i64::MAX);
    if let Some(min) = c.min.filter(|&m| len < m) {
        v.push(
            path,
            ViolationKind::MinLength,
            format!("Member must have length greater than or equal to {min}"),
        );
    }
    if let Some(max) = c.max.filter(|&m| len > m) {
        v.push(
            path,
            ViolationKind::MaxLength,
            format!("Member must have length less than or equal to {max}"),
        );
    }
    if !c.enum_values.is_empty() && !c.enum_values.contains(&raw) {
        v.push(
            path,
            ViolationKind::Enum,
            format!(
                "Member must satisfy enum value set: [{}]",
                c.enum_values.join(", ")
            ),
        );
    }
    if let Some(p) = c.pattern.filter(|p| !p.matches(raw)) {
        v.push(
            path,
            ViolationKind::Pattern,
            format!(
                "Member must satisfy regular expression pattern: {}",
                p.regex()
            ),
        );
    }
}

impl JsonDecode for String {
    const TYPE: WireType = WireType::String;
    fn decode_json(
        value: &Value,
        path: &str,
        c: Option<&'static Constraint>,
        v: &mut JsonViolations,
    ) -> Option<Self> {
        let Some(raw) = value.as_str() else {
            type_violation(path, "a string", v);
            return None;
        };
        if let Some(c) = c {
            check_json_str(raw, path, c, v);
        }
        Some(raw.to_owned())
    }
}

impl JsonDecode for i32 {
    const TYPE: WireType = WireType::Integer;
    fn decode_json(
        value: &Value,
        path: &str,
        c: Option<&'static Constraint>,
        v: &mut JsonViolations,
    ) -> Option<Self> {
        let Some(n) = value.as_i64().and_then(|n| i32::try_from(n).ok()) else {
            type_violation(path, "an integer", v);
            return None;
        };
        if let Some(c) = c {
            if let Some(min) = c.min.filter(|&m| i64::from(n) < m) {
                v.push(
                    path,
                    ViolationKind::MinValue,
                    format!("Member must have value greater than or equal to {min}"),
                );
            }
            if let Some(max) = c.max.filter(|&m| i64::from(n) > m) {
                v.push(
                    path,
                    ViolationKind::MaxValue,
                    format!("Member must have value less than or equal to {max}"),
                );
            }
        }
        Some(n)
    }
}

impl JsonDecode for bool {
    const TYPE: WireType = WireType::Boolean;
    fn decode_json(
        value: &Value,
        path: &str,
        _c: Option<&'static Constraint>,
        v: &mut JsonViolations,
    ) -> Option<Self> {
        let b = value.as_bool();
        if b.is_none() {
            type_violation(path, "a boolean", v);
        }
        b
    }
}

impl<T: JsonDecode> JsonDecode for Vec<T> {
    const TYPE: WireType = WireType::List(&T::TYPE);
    fn decode_json(
        value: &Value,
        path: &str,
        c: Option<&'static Constraint>,
        v: &mut JsonViolations,
    ) -> Option<Self> {
        let Some(items) = value.as_array() else {
            type_violation(path, "a list", v);
            return None;
        };
        let item_c = c.and_then(|c| c.item);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let here = format!("{path}[{i}]");
            if item.is_null() {
                v.push(&here, ViolationKind::Required, "Member must not be null");
                continue;
            }
            if let Some(x) = T::decode_json(item, &here, item_c, v) {
                out.push(x);
            }
        }
        if let Some(c) = c {
            let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
            if let Some(min) = c.min.filter(|&m| len < m) {
                v.push(
                    path,
                    ViolationKind::MinLength,
                    format!("Member must have length greater than or equal to {min}"),
                );
            }
            if let Some(max) = c.max.filter(|&m| len > m) {
                v.push(
                    path,
                    ViolationKind::MaxLength,
                    format!("Member must have length less than or equal to {max}"),
                );
            }
        }
        Some(out)
    }
}

/// Decodes an optional member of `obj` (absent or `null` → `None`).
pub fn decode_optional<T: JsonDecode>(
    obj: &serde_json::Map<String, Value>,
    name: &str,
    path: &str,
    c: Option<&'static Constraint>,
    v: &mut JsonViolations,
) -> Option<T> {
    match obj.get(name) {
        None | Some(Value::Null) => None,
        Some(value) => T::decode_json(value, path, c, v),
    }
}

/// Decodes a required member of `obj`: absent or `null` is a [`ViolationKind::Required`].
pub fn decode_required<T: JsonDecode + Default>(
    obj: &serde_json::Map<String, Value>,
    name: &str,
    path: &str,
    c: Option<&'static Constraint>,
    v: &mut JsonViolations,
) -> T {
    if matches!(obj.get(name), None | Some(Value::Null)) {
        v.push(path, ViolationKind::Required, "Member must not be null");
        return T::default();
    }
    decode_optional(obj, name, path, c, v).unwrap_or_default()
}

impl JsonEncode for String {
    const TYPE: WireType = WireType::String;
    fn to_json(&self) -> Value {
        Value::from(self.as_str())
    }
}

impl JsonEncode for i32 {
    const TYPE: WireType = WireType::Integer;
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl JsonEncode for bool {
    const TYPE: WireType = WireType::Boolean;
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

/// Epoch seconds, the default JSON timestamp form (§2.2).
impl JsonEncode for Timestamp {
    const TYPE: WireType = WireType::Timestamp;
    fn to_json(&self) -> Value {
        self.to_epoch_json()
    }
}

impl<T: JsonEncode> JsonEncode for Vec<T> {
    const TYPE: WireType = WireType::List(&T::TYPE);
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(JsonEncode::to_json).collect())
    }
}

/// A timestamp the model marks `timestampFormat: iso8601` (Account's
/// `AccountCreatedDate`, §3): an ISO 8601 string instead of epoch seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IsoTimestamp(pub Timestamp);

impl JsonEncode for IsoTimestamp {
    const TYPE: WireType = WireType::Timestamp;
    fn to_json(&self) -> Value {
        Value::from(self.0.to_iso8601())
    }
}

/// The body as an object, or the `SerializationException` a JSON service sends.
///
/// # Errors
/// `SerializationException` when the body is not a JSON object.
pub fn body_object(body: &Value) -> Result<&serde_json::Map<String, Value>, WireError> {
    body.as_object().ok_or_else(|| {
        WireError::new(
            ErrorCode::SerializationException,
            "Request body must be a JSON object",
        )
    })
}

/// The error for an operation a JSON service does not serve.
#[must_use]
pub fn unknown_operation(operation: &str) -> WireError {
    WireError::new(
        ErrorCode::UnknownOperationException,
        format!("Unknown operation {operation}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_carry_request_id_and_type() {
        let r = rest_json_response(&serde_json::json!({"AccountId": "123456789012"}), "r9");
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "application/json");
        assert_eq!(r.header("x-amzn-RequestId"), Some("r9"));
        assert!(rest_json_empty("r").body.is_empty());
        assert_eq!(
            crate::Timestamp(1_714_566_896).to_epoch_json(),
            serde_json::json!(1_714_566_896)
        );
    }

    #[test]
    fn violations_map_to_organizations_reasons() {
        let mut v = JsonViolations::default();
        v.push("AccountId", ViolationKind::Pattern, "p");
        v.push("Name", ViolationKind::Required, "Member must not be null");
        let e = v.into_organizations_error();
        assert_eq!(e.code, ErrorCode::InvalidInputException);
        assert_eq!(
            e.field("Reason"),
            Some(&serde_json::json!("INVALID_PATTERN"))
        );
        let mut v = JsonViolations::default();
        v.push("TargetId", ViolationKind::Pattern, "p");
        assert_eq!(
            v.into_organizations_error().field("Reason"),
            Some(&serde_json::json!("INVALID_PATTERN_TARGET_ID"))
        );
        let mut v = JsonViolations::default();
        v.push("MaxResults", ViolationKind::Type, "Expected an integer");
        assert_eq!(
            v.into_organizations_error().code,
            ErrorCode::SerializationException
        );
    }

    #[test]
    fn decoders_check_types_and_constraints() {
        static C: Constraint = Constraint::new("MaxResults").len(1, 20);
        let obj = serde_json::json!({"MaxResults": 21, "S": 5, "L": ["a", null], "N": null});
        let obj = obj.as_object().unwrap();
        let mut v = JsonViolations::default();
        assert_eq!(
            decode_optional::<i32>(obj, "MaxResults", "MaxResults", Some(&C), &mut v),
            Some(21)
        );
        assert_eq!(decode_optional::<String>(obj, "S", "S", None, &mut v), None);
        assert_eq!(
            decode_optional::<Vec<String>>(obj, "L", "L", None, &mut v),
            Some(vec!["a".into()])
        );
        assert_eq!(decode_required::<String>(obj, "N", "N", None, &mut v), "");
        let kinds: Vec<_> = v.items.iter().map(|x| (x.path.as_str(), x.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("MaxResults", ViolationKind::MaxValue),
                ("S", ViolationKind::Type),
                ("L[1]", ViolationKind::Required),
                ("N", ViolationKind::Required),
            ]
        );
        assert_eq!(
            IsoTimestamp(Timestamp(0)).to_json(),
            serde_json::json!("1970-01-01T00:00:00Z")
        );
    }
}
