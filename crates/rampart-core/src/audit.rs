//! The audit trail: one CloudTrail-style event per authenticated call, allowed or not,
//! whichever client made it (API, console, admin command). This module owns the record's
//! fields (audit-events.md §2–§3), their caps, and the attributes an event is looked up by
//! (`LookupEvents`, §6); the request path (`request`) decides when one is written.
//!
//! Events are buffered in memory and appended to the store in batches (every refresh tick
//! and at shutdown), so recording one costs the request path no disk I/O; `LookupEvents`
//! flushes the buffer first, so a client always sees its own calls.

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
    /// The caller's ARN (none for `AWSAccount`, the caller as another account sees it).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub arn: String,
    /// The caller's account.
    pub account_id: String,
    /// The access key that signed the call (none for console sign-in events).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub access_key_id: String,
    /// The IAM user name, for users.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// For temporary credentials: who issued the session, when, and with MFA or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_context: Option<SessionRecord>,
}

/// `userIdentity.sessionContext` (audit-events.md §3).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRecord {
    /// The role behind a role session; `{}` for other sessions.
    pub session_issuer: serde_json::Value,
    /// Always `{}`: Rampart has no web identity federation.
    pub web_id_federation_data: serde_json::Value,
    /// `creationDate` and `mfaAuthenticated` (a string, as AWS writes it).
    pub attributes: SessionAttributes,
    /// `SourceIdentity` of the session, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
}

/// `sessionContext.attributes`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionAttributes {
    /// When the credentials were issued, ISO 8601 UTC.
    pub creation_date: String,
    /// `"true"` when the session was created with MFA.
    pub mfa_authenticated: &'static str,
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
        let session_context = caller.session.as_ref().map(|session| {
            let session_issuer = match &caller.principal {
                Principal::AssumedRole {
                    role_name,
                    role_id,
                    role_arn,
                    ..
                } => serde_json::json!({
                    "type": "Role",
                    "principalId": role_id,
                    "arn": role_arn,
                    "accountId": caller.account.as_str(),
                    "userName": role_name,
                }),
                _ => serde_json::json!({}),
            };
            SessionRecord {
                session_issuer,
                web_id_federation_data: serde_json::json!({}),
                attributes: SessionAttributes {
                    creation_date: rampart_wire::Timestamp(session.issued).to_iso8601(),
                    mfa_authenticated: if session.mfa_authenticated_at.is_some() {
                        "true"
                    } else {
                        "false"
                    },
                },
                source_identity: session.source_identity.clone(),
            }
        });
        UserIdentity {
            kind,
            principal_id: caller.user_id(),
            arn: caller.arn(),
            account_id: caller.account.as_str().to_owned(),
            access_key_id: caller.access_key_id.clone(),
            user_name: caller.user_name().map(str::to_owned),
            session_context,
        }
    }

    /// The `Username` LookupEvents shows and filters on: the IAM user name, `root`, or the
    /// session name of a role or federated session (audit-events.md §6).
    pub fn lookup_name(&self) -> Option<String> {
        lookup_username(self.kind, self.user_name.as_deref(), &self.arn)
    }
}

/// The `Username` of a `userIdentity` of type `kind` with `user_name` and `arn`.
pub fn lookup_username(kind: &str, user_name: Option<&str>, arn: &str) -> Option<String> {
    match kind {
        "Root" => Some("root".to_owned()),
        "IAMUser" => user_name.map(str::to_owned),
        _ => last_segment(arn).map(str::to_owned),
    }
}

/// A resource the call acted on: `resources[]` of the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventResource {
    /// The resource's ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The account that owns it.
    #[serde(rename = "accountId")]
    pub account_id: String,
    /// `AWS::IAM::User`, `AWS::IAM::Role`, …
    #[serde(rename = "type")]
    pub kind: String,
}

impl EventResource {
    /// The resource an ARN names, if it is a kind CloudTrail records (IAM and
    /// Organizations entities); `None` for `*` and anything else.
    pub fn from_arn(arn: &str) -> Option<EventResource> {
        let mut parts = arn.splitn(6, ':');
        let (Some("arn"), Some(_partition), Some(service), Some(_region), Some(account)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let resource = parts.next()?;
        // A path prefix (`user/` for ListUsers) names no resource.
        last_segment(arn)?;
        let prefix = resource.split('/').next()?;
        let kind = resource_type(service, prefix)?;
        Some(EventResource {
            arn: arn.to_owned(),
            account_id: account.to_owned(),
            kind: kind.to_owned(),
        })
    }

    /// The name LookupEvents shows: the last segment of the ARN (`alice` of
    /// `arn:aws:iam::123456789012:user/team/alice`).
    pub fn name(&self) -> &str {
        resource_name(&self.arn)
    }
}

/// CloudTrail's resource type for an ARN's service and resource prefix.
fn resource_type(service: &str, prefix: &str) -> Option<&'static str> {
    Some(match (service, prefix) {
        ("iam", "user") => "AWS::IAM::User",
        ("iam", "group") => "AWS::IAM::Group",
        ("iam", "role") => "AWS::IAM::Role",
        ("iam", "policy") => "AWS::IAM::Policy",
        ("iam", "instance-profile") => "AWS::IAM::InstanceProfile",
        ("iam", "mfa") => "AWS::IAM::MFADevice",
        ("iam", "oidc-provider") => "AWS::IAM::OIDCProvider",
        ("iam", "saml-provider") => "AWS::IAM::SAMLProvider",
        ("iam", "server-certificate") => "AWS::IAM::ServerCertificate",
        ("organizations", "account") => "AWS::Organizations::Account",
        ("organizations", "ou") => "AWS::Organizations::OrganizationalUnit",
        ("organizations", "policy") => "AWS::Organizations::Policy",
        ("organizations", "root") => "AWS::Organizations::Root",
        ("organizations", "organization") => "AWS::Organizations::Organization",
        ("organizations", "handshake") => "AWS::Organizations::Handshake",
        _ => return None,
    })
}

/// The last `/`-separated segment of an ARN's resource part.
pub fn resource_name(arn: &str) -> &str {
    last_segment(arn).unwrap_or(arn)
}

fn last_segment(arn: &str) -> Option<&str> {
    let resource = arn.splitn(6, ':').nth(5)?;
    resource.rsplit('/').next().filter(|s| !s.is_empty())
}

/// One call, in CloudTrail's record shape, keys in AWS's order.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// Event time, unix seconds (stored beside the record, not in it).
    #[serde(skip)]
    pub time: i64,
    /// CloudTrail's current record version.
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
    /// The client's `User-Agent`, at most 1 KB.
    pub user_agent: String,
    /// The AWS error code, when the call failed (IAM and STS modeled errors by their shape
    /// name, as CloudTrail writes them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The error message, when the call failed, at most 1 KB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The call's parameters (secrets withheld), or `null`.
    pub request_parameters: Option<serde_json::Value>,
    /// What a write answered (secrets withheld), or `null`.
    pub response_elements: Option<serde_json::Value>,
    /// Facts that are not parameters: sign-in details, the decision behind a denial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_event_data: Option<serde_json::Value>,
    /// The request id the client saw.
    #[serde(rename = "requestID")]
    pub request_id: String,
    /// Unique per record.
    #[serde(rename = "eventID")]
    pub event_id: String,
    /// Whether the operation only reads.
    pub read_only: bool,
    /// The resources the call acted on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<EventResource>,
    /// How the call was made.
    pub event_type: EventType,
    /// Always true: every event Rampart records is a management event.
    pub management_event: bool,
    /// The account the call was made in.
    pub recipient_account_id: String,
    /// Shared by the two records of one call delivered to two accounts (cross-account
    /// `AssumeRole`: the caller's and the role owner's).
    #[serde(rename = "sharedEventID", skip_serializing_if = "Option::is_none")]
    pub shared_event_id: Option<String>,
    /// Always `Management`.
    pub event_category: &'static str,
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

/// The lookup attribute (not one LookupEvents accepts) under which an event of an IAM
/// user or role is kept by entity and service, so that access advisor reads an entity's
/// last access to a service with one keyed lookup instead of scanning the trail. One more
/// `audit_keys` row per such event.
pub const PRINCIPAL_SERVICE_KEY: &str = "PrincipalService";

/// The value of [`PRINCIPAL_SERVICE_KEY`] for `entity` (a user or role ARN) and a
/// service prefix (`iam`).
pub fn principal_service_value(entity: &str, prefix: &str) -> String {
    format!("{entity} {prefix}")
}

/// CloudTrail's current record version (audit-events.md §2).
pub const EVENT_VERSION: &str = "1.11";

/// `userAgent`, `errorCode` and `errorMessage` are cut at 1 KB (audit-events.md §2).
pub const SHORT_FIELD_LIMIT: usize = 1024;
/// `requestParameters` and `responseElements` over 100 KB are replaced (audit-events.md §2).
pub const PARAMETERS_LIMIT: usize = 100 * 1024;

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
            user_agent: capped(&origin.user_agent, SHORT_FIELD_LIMIT),
            error_code: error
                .map(|(code, _)| capped(&recorded_code(service, code), SHORT_FIELD_LIMIT)),
            error_message: error.map(|(_, message)| capped(message, SHORT_FIELD_LIMIT)),
            request_parameters: None,
            response_elements: None,
            additional_event_data: None,
            request_id: origin.request_id.clone(),
            event_id: crate::random::event_id(),
            read_only: is_read_only(operation),
            resources: Vec::new(),
            event_type,
            management_event: true,
            recipient_account_id: call.caller.account.as_str().to_owned(),
            shared_event_id: None,
            event_category: "Management",
        }
    }

    /// Marks the call failed with the AWS `code` and `message` the client saw.
    pub fn set_error(&mut self, code: &str, message: &str) {
        let service = self
            .event_source
            .strip_suffix(".amazonaws.com")
            .unwrap_or_default();
        self.error_code = Some(capped(&recorded_code(service, code), SHORT_FIELD_LIMIT));
        self.error_message = Some(capped(message, SHORT_FIELD_LIMIT));
    }

    /// A sign-in event's outcome as CloudTrail writes it (audit-events.md §5):
    /// `{"ConsoleLogin": "Success"}` (or `Failure`) under the event's name, no request
    /// parameters, and the sign-in details Rampart knows.
    pub fn set_sign_in_outcome(&mut self, success: bool) {
        let outcome = if success { "Success" } else { "Failure" };
        let mut response = serde_json::Map::new();
        response.insert(self.event_name.clone(), serde_json::Value::from(outcome));
        self.request_parameters = None;
        self.response_elements = Some(serde_json::Value::Object(response));
        self.additional_event_data = Some(serde_json::json!({ "MobileVersion": "No" }));
    }

    /// For an `AssumeRole` of a role in another account, the role owner's copy of the
    /// record (audit-events.md §3–§4): the caller appears as `AWSAccount`, the copy has its
    /// own `eventID`, and both share a `sharedEventID`. `None` for any other call.
    pub fn role_owner_copy(&mut self) -> Option<AuditEvent> {
        if self.event_source != "sts.amazonaws.com" || !self.event_name.starts_with("AssumeRole") {
            return None;
        }
        let owner = self
            .resources
            .iter()
            .find(|r| r.kind == "AWS::IAM::Role")?
            .account_id
            .clone();
        if owner == self.recipient_account_id {
            return None;
        }
        let shared = crate::random::request_id();
        self.shared_event_id = Some(shared.clone());
        let mut copy = self.clone();
        copy.user_identity = UserIdentity {
            kind: "AWSAccount",
            principal_id: self.user_identity.principal_id.clone(),
            arn: String::new(),
            account_id: self.user_identity.account_id.clone(),
            access_key_id: String::new(),
            user_name: None,
            session_context: None,
        };
        copy.event_id = crate::random::event_id();
        copy.recipient_account_id = owner;
        copy.shared_event_id = Some(shared);
        Some(copy)
    }

    /// Records the resource an ARN names (nothing for `*` or an ARN of another kind).
    pub fn add_resource(&mut self, arn: &str) {
        if let Some(resource) = EventResource::from_arn(arn)
            && !self.resources.contains(&resource)
        {
            self.resources.push(resource);
        }
    }

    /// Sets `requestParameters` and `responseElements`, replacing either by a note when it
    /// is over 100 KB.
    pub fn set_parameters(
        &mut self,
        request: Option<serde_json::Value>,
        response: Option<serde_json::Value>,
    ) {
        self.request_parameters = request.map(within_limit);
        self.response_elements = response.map(within_limit);
    }

    /// The attributes LookupEvents filters on, as `(attribute, value)` pairs.
    pub fn lookup_keys(&self) -> Vec<(String, String)> {
        let mut keys = vec![
            ("EventId".to_owned(), self.event_id.clone()),
            ("EventName".to_owned(), self.event_name.clone()),
            ("ReadOnly".to_owned(), self.read_only.to_string()),
            ("EventSource".to_owned(), self.event_source.clone()),
        ];
        if let Some(name) = self.user_identity.lookup_name() {
            keys.push(("Username".to_owned(), name));
        }
        if !self.user_identity.access_key_id.is_empty() {
            keys.push((
                "AccessKeyId".to_owned(),
                self.user_identity.access_key_id.clone(),
            ));
        }
        for resource in &self.resources {
            keys.push(("ResourceType".to_owned(), resource.kind.clone()));
            keys.push(("ResourceName".to_owned(), resource.name().to_owned()));
        }
        if let Some(value) = self.principal_service() {
            keys.push((PRINCIPAL_SERVICE_KEY.to_owned(), value));
        }
        keys
    }

    /// The access advisor's key: `ENTITY_ARN SERVICE_PREFIX` for a call an IAM user or a
    /// role's session made (a role session counts as its role, as AWS's last accessed
    /// data does); none for root, federated users and console sign-in events, which
    /// access advisor does not report.
    fn principal_service(&self) -> Option<String> {
        if self.event_type == EventType::AwsConsoleSignIn {
            return None;
        }
        let identity = &self.user_identity;
        let entity = match identity.kind {
            "IAMUser" => identity.arn.clone(),
            "AssumedRole" => identity
                .session_context
                .as_ref()?
                .session_issuer
                .get("arn")?
                .as_str()?
                .to_owned(),
            _ => return None,
        };
        let prefix = self.event_source.strip_suffix(".amazonaws.com")?;
        Some(principal_service_value(&entity, prefix))
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
            event_id: self.event_id.clone(),
            body,
            keys: self.lookup_keys(),
            alert: None,
        })
    }

    /// Whether the root user made the call: the activity security teams alert on.
    pub fn is_root_activity(&self) -> bool {
        self.user_identity.kind == "Root"
    }
}

/// The `errorCode` CloudTrail records: IAM's and STS's modeled errors by their shape name
/// (`NoSuchEntityException` for the wire's `NoSuchEntity`, audit-events.md §2); common
/// errors (`AccessDenied`, `ValidationError`, …) and every other service's codes as sent.
fn recorded_code(service: &str, code: &str) -> String {
    let common = rampart_wire::error::COMMON_ERRORS
        .iter()
        .any(|(c, _)| *c == code);
    if matches!(service, "iam" | "sts") && !common && !code.ends_with("Exception") {
        format!("{code}Exception")
    } else {
        code.to_owned()
    }
}

/// `text` cut to at most `limit` bytes, on a character boundary.
fn capped(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default().to_owned()
}

/// `value`, or a note saying it was left out when its JSON is over 100 KB.
fn within_limit(value: serde_json::Value) -> serde_json::Value {
    let size = serde_json::to_string(&value).map_or(usize::MAX, |text| text.len());
    if size <= PARAMETERS_LIMIT {
        value
    } else {
        serde_json::json!({ "omitted": format!("{size} bytes, over the 100 KB limit") })
    }
}

/// Whether an operation name only reads (`Get*`, `List*`, `Describe*`, `Simulate*`,
/// `LookupEvents`, …).
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "List", "Describe", "Simulate", "Decode", "Lookup"]
        .iter()
        .any(|prefix| operation.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_typed_and_named_from_their_arn() {
        let user = EventResource::from_arn("arn:aws:iam::123456789012:user/team/alice").unwrap();
        assert_eq!(user.kind, "AWS::IAM::User");
        assert_eq!(user.name(), "alice");
        assert_eq!(user.account_id, "123456789012");
        let ou = EventResource::from_arn(
            "arn:aws:organizations::123456789012:ou/o-abc/ou-ab12-cdef3456",
        )
        .unwrap();
        assert_eq!(ou.kind, "AWS::Organizations::OrganizationalUnit");
        assert_eq!(ou.name(), "ou-ab12-cdef3456");
        assert!(EventResource::from_arn("*").is_none());
        assert!(EventResource::from_arn("arn:aws:iam::123456789012:user/").is_none());
        assert!(EventResource::from_arn("arn:aws:s3:::bucket").is_none());
    }

    #[test]
    fn iam_modeled_errors_are_recorded_by_shape_name() {
        assert_eq!(
            recorded_code("iam", "NoSuchEntity"),
            "NoSuchEntityException"
        );
        assert_eq!(recorded_code("iam", "AccessDenied"), "AccessDenied");
        assert_eq!(recorded_code("sts", "ExpiredToken"), "ExpiredToken");
        assert_eq!(
            recorded_code("organizations", "AccessDeniedException"),
            "AccessDeniedException"
        );
    }

    #[test]
    fn long_fields_are_capped_on_a_character_boundary() {
        let long = "é".repeat(1000);
        let cut = capped(&long, SHORT_FIELD_LIMIT);
        assert!(cut.len() <= SHORT_FIELD_LIMIT && cut.len() >= SHORT_FIELD_LIMIT - 1);
        let big = serde_json::json!({"policyDocument": "x".repeat(PARAMETERS_LIMIT + 1)});
        assert!(within_limit(big).get("omitted").is_some());
    }

    #[test]
    fn lookup_username_follows_cloudtrail() {
        assert_eq!(
            lookup_username("Root", None, "arn:aws:iam::1:root").as_deref(),
            Some("root")
        );
        assert_eq!(
            lookup_username("AssumedRole", None, "arn:aws:sts::1:assumed-role/r/sess").as_deref(),
            Some("sess")
        );
        assert_eq!(
            lookup_username("IAMUser", Some("bob"), "arn:aws:iam::1:user/bob").as_deref(),
            Some("bob")
        );
    }
}
