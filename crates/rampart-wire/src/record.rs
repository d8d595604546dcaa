//! How an operation's input and output appear in a CloudTrail record: `requestParameters`
//! and `responseElements` (audit-events.md §4). Members keep the API's names with the
//! first letter lower-cased (`userName`, `policyArn`, tags as `[{"key":…,"value":…}]`),
//! timestamps use the Java medium form IAM's records show (`Jul 18, 2023, 4:07:39 PM`),
//! and secrets never appear: [`Sensitive`] and [`Blob`] values (passwords, secret access
//! keys, session tokens, MFA seeds) and the members named in [`WITHHELD`] (MFA codes,
//! private keys, bearer assertions) are left out.
//!
//! The declaring macros implement [`Recorded`] for every input and output structure, enum
//! and `Operation` / `Output`, so a new member is recorded (or withheld) with no extra
//! code here.
//!
//! ```
//! use rampart_wire::iam::{CreateLoginProfileInput, Operation};
//! use rampart_wire::record::Recorded;
//! use rampart_wire::xml::Sensitive;
//! let op = Operation::CreateLoginProfile(CreateLoginProfileInput {
//!     user_name: Some("alice".into()),
//!     password: Some(Sensitive::new("hunter2hunter2".into())),
//!     password_reset_required: Some(true),
//! });
//! assert_eq!(op.recorded(), Some(serde_json::json!({"userName": "alice", "passwordResetRequired": true})));
//! ```

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::timestamp::Timestamp;
use crate::xml::{Blob, PolicyDocument, Sensitive};

/// Wire member names whose values are never recorded, whatever their type: one-time MFA
/// codes, private keys and bearer tokens passed as plain strings.
pub const WITHHELD: &[&str] = &[
    "AuthenticationCode1",
    "AuthenticationCode2",
    "TokenCode",
    "PrivateKey",
    "SAMLAssertion",
    "WebIdentityToken",
    "TradeInToken",
    "Password",
    "NewPassword",
    "OldPassword",
    "SecretAccessKey",
    "SessionToken",
    "ServicePassword",
    "Base32StringSeed",
    "QRCodePNG",
    "Otp",
];

/// A value as a CloudTrail record shows it; `None` when it is withheld.
pub trait Recorded {
    /// The recorded form.
    fn recorded(&self) -> Option<Value>;
}

/// Adds member `wire` (an API name) to a record object under its lower-camel name, unless
/// it is withheld or absent.
pub fn member<T: Recorded + ?Sized>(object: &mut Map<String, Value>, wire: &str, value: &T) {
    if WITHHELD.contains(&wire) {
        return;
    }
    if let Some(value) = value.recorded() {
        object.insert(lower_first(wire), value);
    }
}

/// `UserName` → `userName`.
#[must_use]
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Recorded for String {
    fn recorded(&self) -> Option<Value> {
        Some(Value::from(self.as_str()))
    }
}

impl Recorded for i32 {
    fn recorded(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl Recorded for i64 {
    fn recorded(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl Recorded for bool {
    fn recorded(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl Recorded for PolicyDocument {
    fn recorded(&self) -> Option<Value> {
        Some(Value::from(self.0.as_str()))
    }
}

/// Secrets are never recorded.
impl Recorded for Sensitive {
    fn recorded(&self) -> Option<Value> {
        None
    }
}

/// Blobs are MFA seeds, QR codes and reports: never recorded.
impl Recorded for Blob {
    fn recorded(&self) -> Option<Value> {
        None
    }
}

impl Recorded for Timestamp {
    fn recorded(&self) -> Option<Value> {
        Some(Value::from(java_medium(*self)))
    }
}

impl Recorded for crate::json::IsoTimestamp {
    fn recorded(&self) -> Option<Value> {
        self.0.recorded()
    }
}

impl<T: Recorded> Recorded for Option<T> {
    fn recorded(&self) -> Option<Value> {
        self.as_ref().and_then(Recorded::recorded)
    }
}

impl<T: Recorded> Recorded for Vec<T> {
    fn recorded(&self) -> Option<Value> {
        Some(Value::Array(
            self.iter().filter_map(Recorded::recorded).collect(),
        ))
    }
}

impl<V: Recorded> Recorded for BTreeMap<String, V> {
    fn recorded(&self) -> Option<Value> {
        Some(Value::Object(
            self.iter()
                .filter_map(|(k, v)| v.recorded().map(|v| (k.clone(), v)))
                .collect(),
        ))
    }
}

/// `Jul 18, 2023, 4:07:39 PM`: how IAM and STS records show dates (audit-events.md §4).
///
/// ```
/// use rampart_wire::{record::java_medium, Timestamp};
/// assert_eq!(java_medium(Timestamp(1_689_696_459)), "Jul 18, 2023, 4:07:39 PM");
/// assert_eq!(java_medium(Timestamp(1_714_521_600)), "May 1, 2024, 12:00:00 AM");
/// ```
#[must_use]
pub fn java_medium(at: Timestamp) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let iso = at.to_iso8601();
    // INVARIANT: `to_iso8601` writes `YYYY-MM-DDTHH:MM:SSZ` (a longer year for far dates),
    // so the fields are read from the end.
    let field = |from_end: usize, len: usize| -> u32 {
        let end = iso.len().saturating_sub(from_end);
        iso.get(end.saturating_sub(len)..end)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    };
    let (second, minute, hour) = (field(1, 2), field(4, 2), field(7, 2));
    let (day, month) = (field(10, 2), field(13, 2));
    let year = iso.get(..iso.len().saturating_sub(16)).unwrap_or("1970");
    let month = usize::try_from(month.saturating_sub(1))
        .ok()
        .and_then(|m| MONTHS.get(m))
        .unwrap_or(&"Jan");
    let (hour12, meridiem) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    format!("{month} {day}, {year}, {hour12}:{minute:02}:{second:02} {meridiem}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam;
    use crate::sts;

    #[test]
    fn members_are_lower_camel_and_secrets_are_left_out() {
        let op = iam::Operation::ChangePassword(iam::ChangePasswordInput {
            old_password: Sensitive::new("old-secret".into()),
            new_password: Sensitive::new("new-secret".into()),
        });
        assert_eq!(op.recorded(), Some(serde_json::json!({})));
        let op = iam::Operation::EnableMFADevice(iam::EnableMfaDeviceInput {
            user_name: "bob".into(),
            serial_number: "arn:aws:iam::123456789012:mfa/bob".into(),
            authentication_code1: "123456".into(),
            authentication_code2: "654321".into(),
        });
        assert_eq!(
            op.recorded(),
            Some(
                serde_json::json!({"userName": "bob", "serialNumber": "arn:aws:iam::123456789012:mfa/bob"})
            )
        );
        let text = serde_json::to_string(
            &sts::Output::from(sts::GetSessionTokenOutput {
                credentials: sts::Credentials {
                    access_key_id: "ASIAEXAMPLE".into(),
                    secret_access_key: Sensitive::new("the-secret".into()),
                    session_token: Sensitive::new("the-token".into()),
                    expiration: Timestamp(1_714_521_600),
                },
            })
            .recorded(),
        )
        .unwrap();
        assert!(
            text.contains("ASIAEXAMPLE") && text.contains("May 1, 2024, 12:00:00 AM"),
            "{text}"
        );
        assert!(
            !text.contains("the-secret") && !text.contains("the-token"),
            "{text}"
        );
    }

    #[test]
    fn tags_are_recorded_with_lower_case_keys() {
        let op = iam::Operation::CreateUser(iam::CreateUserInput {
            user_name: "alice".into(),
            tags: Some(vec![iam::Tag {
                key: "Email".into(),
                value: "x".into(),
            }]),
            ..Default::default()
        });
        assert_eq!(
            op.recorded(),
            Some(
                serde_json::json!({"userName": "alice", "tags": [{"key": "Email", "value": "x"}]})
            )
        );
    }
}
