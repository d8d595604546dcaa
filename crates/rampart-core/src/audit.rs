//! The audit trail: one CloudTrail-style event per authenticated call, allowed or not,
//! whichever client made it (API, console, admin command). This module owns the record's
//! fields; the request path (`request`) decides when one is written.
//!
//! Events are buffered in memory and appended to the store in batches (every refresh tick
//! and at shutdown), so recording one costs the request path no disk I/O. A crash can lose
//! the events of the last fraction of a second; it cannot lose acknowledged writes, which
//! the store makes durable before answering.

use serde::Serialize;

use crate::auth::{Caller, Principal};
use crate::authz::Decision;
use crate::request::{Call, Channel};
use crate::store::AuditRecord;

/// Who made the call, as CloudTrail's `userIdentity` records it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentity {
    /// `Root`, `IAMUser`, `AssumedRole` or `FederatedUser`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `aws:userid` of the caller.
    pub principal_id: String,
    /// The caller's ARN.
    pub arn: String,
    /// The caller's account.
    pub account_id: String,
    /// The access key that signed the call (none for console sign-in events).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub access_key_id: String,
    /// The IAM user name, for users.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
}

impl UserIdentity {
    /// The identity of an authenticated caller.
    pub fn of(caller: &Caller) -> UserIdentity {
        let kind = match caller.principal {
            Principal::Root => "Root",
            Principal::User { .. } => "IAMUser",
            Principal::AssumedRole { .. } => "AssumedRole",
            Principal::FederatedUser { .. } => "FederatedUser",
        };
        UserIdentity {
            kind,
            principal_id: caller.user_id(),
            arn: caller.arn(),
            account_id: caller.account.as_str().to_owned(),
            access_key_id: caller.access_key_id.clone(),
            user_name: caller.user_name().map(str::to_owned),
        }
    }
}

/// One call, in CloudTrail's record shape.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// Event time, unix seconds (stored beside the record, not in it).
    #[serde(skip)]
    pub time: i64,
    /// Always `1.08`, CloudTrail's current record version.
    pub event_version: &'static str,
    /// Who called.
    pub user_identity: UserIdentity,
    /// ISO 8601 UTC.
    pub event_time: String,
    /// `iam.amazonaws.com`, `sts.amazonaws.com`, …
    pub event_source: String,
    /// The operation.
    pub event_name: String,
    /// The region the call was signed for.
    pub aws_region: String,
    /// The client's address.
    #[serde(rename = "sourceIPAddress")]
    pub source_ip_address: String,
    /// The client's `User-Agent`.
    pub user_agent: String,
    /// The AWS error code, when the call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The error message, when the call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The request id the client saw.
    #[serde(rename = "requestID")]
    pub request_id: String,
    /// Whether the operation only reads.
    pub read_only: bool,
    /// The account the call was made in.
    pub recipient_account_id: String,
    /// How the call was made.
    pub event_type: EventType,
    /// Rampart's additions: for a denial, the decision and its deciding statements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_event_data: Option<serde_json::Value>,
}

/// CloudTrail's `eventType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EventType {
    /// An API call (SDKs, CLI, admin commands).
    AwsApiCall,
    /// An action taken in the console.
    AwsConsoleAction,
    /// A console sign-in, sign-out or password event.
    AwsConsoleSignIn,
}

/// CloudTrail's current record version.
pub const EVENT_VERSION: &str = "1.08";

impl AuditEvent {
    /// The event of one call of `service` (`iam`, `sts`, …) `operation`; `error` is the AWS
    /// code and message the client saw.
    pub fn new(
        call: &Call,
        service: &str,
        operation: &str,
        event_type: EventType,
        error: Option<(&str, &str)>,
    ) -> AuditEvent {
        let origin = &call.origin;
        let source_ip_address = match origin.channel {
            // CloudTrail's spelling for calls AWS makes on the account's behalf.
            Channel::Cli => "AWS Internal".to_owned(),
            Channel::Api | Channel::Console => origin.env.source_ip.to_string(),
        };
        AuditEvent {
            time: origin.env.now,
            event_version: EVENT_VERSION,
            user_identity: UserIdentity::of(&call.caller),
            event_time: rampart_wire::Timestamp(origin.env.now).to_iso8601(),
            event_source: format!("{service}.amazonaws.com"),
            event_name: operation.to_owned(),
            aws_region: origin.env.region.clone(),
            source_ip_address,
            user_agent: origin.user_agent.clone(),
            error_code: error.map(|(code, _)| code.to_owned()),
            error_message: error.map(|(_, message)| message.to_owned()),
            request_id: origin.request_id.clone(),
            read_only: is_read_only(operation),
            recipient_account_id: call.caller.account.as_str().to_owned(),
            event_type,
            additional_event_data: None,
        }
    }

    /// Records why a call was denied: the outcome (explicit or implicit deny) and each
    /// deciding statement's policy type, policy (ARN or inline name) and `Sid`.
    pub fn explain_denial(&mut self, decision: &Decision) {
        let statements: Vec<serde_json::Value> = decision
            .deciding
            .iter()
            .map(|s| {
                serde_json::json!({
                    "policyType": s.policy_type,
                    "policy": s.policy,
                    "sid": s.sid,
                })
            })
            .collect();
        self.additional_event_data = Some(serde_json::json!({
            "decision": decision.outcome,
            "decidingStatements": statements,
        }));
    }

    /// The stored form, or `None` if the event does not encode (it always does).
    pub fn record(&self, time: i64) -> Option<AuditRecord> {
        let body = serde_json::to_string(self).ok()?;
        Some(AuditRecord {
            account: self.recipient_account_id.clone(),
            time,
            body,
        })
    }

    /// Whether the root user made the call: the activity security teams alert on.
    pub fn is_root_activity(&self) -> bool {
        self.user_identity.kind == "Root"
    }
}

/// Whether an operation name only reads (`Get*`, `List*`, `Describe*`, `Simulate*`, …).
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "List", "Describe", "Simulate", "Decode"]
        .iter()
        .any(|prefix| operation.starts_with(prefix))
}
