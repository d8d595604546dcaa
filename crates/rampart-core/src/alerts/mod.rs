//! Alerts that arrive: notification rules per account, matched against each audit event in
//! its EventBridge envelope, and the outbox entries a match produces.
//!
//! This module owns the rule records (`AlertRuleRecord`, stored as rows of
//! `kind::ALERT_RULE`), the default rule every account has (the seeds' "root user activity",
//! [`DEFAULT_RULE`]), the envelope (audit-events.md §7), routing an event to
//! `(rule, target)` outbox entries with stable delivery ids, the retry schedule and the
//! webhook signature. It sends nothing: the outbox rows are committed with the event (see
//! `engine`), and the server's delivery worker posts and mails them. Patterns live in
//! [`pattern`], the alert's wording in [`text`].

pub mod pattern;
pub mod text;

use std::sync::{Arc, OnceLock};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::audit::AuditEvent;
use crate::error::CoreError;
use crate::model::AccountId;
use crate::state::State;
use crate::store::{Alert, AlertRoute};
use pattern::EventPattern;

/// The name of every account's default rule.
pub const DEFAULT_RULE: &str = "root-user-activity";

/// The default rule's pattern: the reference root-activity pattern (audit-events.md §7),
/// without actions AWS services take on root's behalf, as the CIS metric filter excludes
/// them (`invokedBy` absent, `eventType` not `AwsServiceEvent`).
pub const DEFAULT_PATTERN: &str = r#"{
  "detail-type": ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"],
  "detail": {
    "userIdentity": {"type": ["Root"], "invokedBy": [{"exists": false}]},
    "eventType": [{"anything-but": "AwsServiceEvent"}]
  }
}"#;

/// The default rule's target: the account's root email address, as it is at delivery.
pub const ROOT_EMAIL_TARGET: &str = "root-email";

/// Rules per account (EventBridge's default quota is 300 per bus; alerts need far fewer).
pub const MAX_RULES: usize = 100;
/// Targets per rule, EventBridge's limit.
pub const MAX_TARGETS: usize = 5;

/// Turns the default rule on for a request path (off in test mode, where suites written
/// against moto call as root all the time, and for the CLI's own admin commands).
#[derive(Debug, Clone, Copy, Default)]
pub struct RootAlerts;

/// A notification rule as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRuleRecord {
    /// The account the rule watches.
    pub account: AccountId,
    /// `[.\-_A-Za-z0-9]{1,64}`, unique per account.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// The EventBridge pattern, as given.
    pub pattern: String,
    /// A disabled rule matches nothing (how the default rule is deleted).
    pub enabled: bool,
    /// Where matches go.
    pub targets: Vec<AlertTarget>,
    /// Creation time, unix seconds.
    pub created: i64,
}

/// Where a rule's matches are delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AlertTarget {
    /// The account's root email address at delivery time.
    RootEmail {
        /// Target id, unique in the rule.
        id: String,
    },
    /// A mailbox.
    Email {
        /// Target id, unique in the rule.
        id: String,
        /// The address.
        address: String,
    },
    /// An HTTP endpoint that receives the envelope as a signed POST.
    Webhook {
        /// Target id, unique in the rule.
        id: String,
        /// `http://host[:port]/path`.
        url: String,
        /// The HMAC secret, sealed with the master key ([`webhook_secret_context`]).
        sealed_secret: String,
    },
}

impl AlertTarget {
    /// The target's id.
    pub fn id(&self) -> &str {
        match self {
            AlertTarget::RootEmail { id }
            | AlertTarget::Email { id, .. }
            | AlertTarget::Webhook { id, .. } => id,
        }
    }

    /// How the target is shown: `email:a@example.com`, `webhook:http://…`, `email:root`.
    pub fn describe(&self) -> String {
        match self {
            AlertTarget::RootEmail { .. } => "email:<root user's address>".to_owned(),
            AlertTarget::Email { address, .. } => format!("email:{address}"),
            AlertTarget::Webhook { url, .. } => format!("webhook:{url}"),
        }
    }
}

/// The associated data that binds a sealed webhook secret to its rule and target.
pub fn webhook_secret_context(account: &AccountId, rule: &str, target: &str) -> String {
    format!("alert_webhook/{account}/{rule}/{target}")
}

/// The store key of a rule.
pub fn rule_key(account: &AccountId, name: &str) -> String {
    format!("{account}/{name}")
}

/// A rule with its pattern parsed.
#[derive(Debug)]
pub struct AlertRuleEntry {
    /// The stored (or default) record.
    pub record: AlertRuleRecord,
    /// The parsed pattern.
    pub pattern: EventPattern,
}

impl AlertRuleEntry {
    /// Parses a record's pattern; a stored pattern that does not parse fails the load.
    pub fn new(record: AlertRuleRecord) -> Result<AlertRuleEntry, CoreError> {
        let pattern = EventPattern::parse(&record.pattern).map_err(|err| {
            CoreError::Internal(format!(
                "stored pattern of rule {} does not parse: {err}",
                record.name
            ))
        })?;
        Ok(AlertRuleEntry { record, pattern })
    }
}

/// The default rule of `account`, before any change.
pub fn default_rule(account: &AccountId, now: i64) -> AlertRuleRecord {
    AlertRuleRecord {
        account: account.clone(),
        name: DEFAULT_RULE.to_owned(),
        description: "Root user activity (API calls and console sign-ins by the root user)"
            .to_owned(),
        pattern: DEFAULT_PATTERN.to_owned(),
        enabled: true,
        targets: vec![AlertTarget::RootEmail {
            id: ROOT_EMAIL_TARGET.to_owned(),
        }],
        created: now,
    }
}

fn default_pattern() -> Option<&'static EventPattern> {
    static PATTERN: OnceLock<Option<EventPattern>> = OnceLock::new();
    PATTERN
        .get_or_init(|| EventPattern::parse(DEFAULT_PATTERN).ok())
        .as_ref()
}

/// The rules of `account` in force: the stored ones, and the default rule unless it was
/// stored (changed or deleted) or `with_default` is off. Disabled rules are left out.
pub fn rules_in_force(
    state: &State,
    account: &AccountId,
    with_default: bool,
) -> Vec<Arc<AlertRuleEntry>> {
    let stored = state.alert_rules(account);
    let mut rules: Vec<Arc<AlertRuleEntry>> = stored
        .iter()
        .filter(|r| r.record.enabled)
        .cloned()
        .collect();
    if with_default
        && !stored.iter().any(|r| r.record.name == DEFAULT_RULE)
        && let Some(pattern) = default_pattern()
    {
        rules.push(Arc::new(AlertRuleEntry {
            record: default_rule(account, 0),
            pattern: pattern.clone(),
        }));
    }
    rules
}

/// Every rule of `account` as listed (stored ones and the untouched default).
pub fn rules_listed(state: &State, account: &AccountId, now: i64) -> Vec<AlertRuleRecord> {
    let mut rules: Vec<AlertRuleRecord> = state
        .alert_rules(account)
        .iter()
        .map(|r| r.record.clone())
        .collect();
    if !rules.iter().any(|r| r.name == DEFAULT_RULE) {
        rules.insert(0, default_rule(account, now));
    }
    rules
}

/// The target a delivery of `rule` goes to, as the rule stands now; why there is none
/// when the rule was deleted or disabled or the target removed since the event matched.
pub fn target_of(
    state: &State,
    account: &AccountId,
    rule: &str,
    target: &str,
) -> Result<AlertTarget, &'static str> {
    let stored = state
        .alert_rules(account)
        .into_iter()
        .find(|r| r.record.name == rule);
    let record = match stored {
        Some(entry) => entry.record.clone(),
        None if rule == DEFAULT_RULE => default_rule(account, 0),
        None => return Err("its rule was deleted"),
    };
    if !record.enabled {
        return Err("its rule is disabled");
    }
    record
        .targets
        .into_iter()
        .find(|t| t.id() == target)
        .ok_or("its target was removed")
}

/// The EventBridge envelope of a CloudTrail record (audit-events.md §7). Its `id` is the
/// record's `eventID`, so the envelope of an event's final form is the same event.
pub fn envelope(record: Value) -> Value {
    let text = |key: &str| {
        record
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let detail_type = match text("eventType").as_str() {
        "AwsConsoleSignIn" => "AWS Console Sign In via CloudTrail",
        "AwsServiceEvent" => "AWS Service Event via CloudTrail",
        _ => "AWS API Call via CloudTrail",
    };
    let source = text("eventSource");
    let service = source.strip_suffix(".amazonaws.com").unwrap_or(&source);
    let resources: Vec<Value> = record
        .get("resources")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(|r| r.get("ARN").cloned()).collect())
        .unwrap_or_default();
    json!({
        "version": "0",
        "id": text("eventID"),
        "detail-type": detail_type,
        "source": format!("aws.{service}"),
        "account": text("recipientAccountId"),
        "time": text("eventTime"),
        "region": text("awsRegion"),
        "resources": resources,
        "detail": record,
    })
}

/// The outbox entries `event` produces under `account`'s rules: `None` when no rule
/// matches. Routes come in rule order, then target order.
pub fn route(state: &State, event: &AuditEvent, with_default: bool) -> Option<Alert> {
    let account = AccountId::parse(&event.recipient_account_id)?;
    // The hot path: most calls are not the root's and most accounts keep only the default
    // rule, which needs a root caller; decide that before allocating anything.
    let stored = state.alert_rules(&account);
    let default_applies = with_default
        && event.user_identity.kind == "Root"
        && !stored.iter().any(|r| r.record.name == DEFAULT_RULE);
    if !default_applies && !stored.iter().any(|r| r.record.enabled) {
        return None;
    }
    let rules = rules_in_force(state, &account, with_default);
    let envelope = envelope(serde_json::to_value(event).ok()?);
    let routes: Vec<AlertRoute> = rules
        .iter()
        .filter(|rule| rule.pattern.matches(&envelope))
        .flat_map(|rule| {
            rule.record.targets.iter().map(|target| AlertRoute {
                delivery_id: delivery_id(&event.event_id, &rule.record.name, target.id()),
                rule: rule.record.name.clone(),
                target: target.id().to_owned(),
            })
        })
        .collect();
    if routes.is_empty() {
        return None;
    }
    Some(Alert {
        envelope: envelope.to_string(),
        routes,
    })
}

/// A delivery's id: the same for every attempt and every form of the event (so a
/// receiver can drop duplicates), different per rule and target. UUID-shaped.
pub fn delivery_id(event_id: &str, rule: &str, target: &str) -> String {
    let digest = Sha256::digest(format!("{event_id}\n{rule}\n{target}").as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let part = |range: std::ops::Range<usize>| hex.get(range).unwrap_or("");
    format!(
        "{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    )
}

/// The wait before attempt `attempts + 1` after `attempts` failures: `base_ms` doubled per
/// failure, at most `cap_ms` (1 s, 2 s, 4 s, … 5 min with the server's defaults).
pub fn retry_delay_ms(attempts: u32, base_ms: i64, cap_ms: i64) -> i64 {
    let doublings = attempts.saturating_sub(1).min(40);
    base_ms
        .saturating_mul(1_i64 << doublings)
        .min(cap_ms)
        .max(0)
}

/// `X-Rampart-Signature`: `sha256=` and the hex HMAC-SHA256, keyed with the webhook's
/// secret, of `TIMESTAMP.BODY` (the `X-Rampart-Timestamp` value, a dot, the raw body).
pub fn webhook_signature(secret: &[u8], timestamp: i64, body: &str) -> String {
    // INVARIANT: HMAC takes keys of any length, so `new_from_slice` cannot fail.
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let tag = mac.finalize().into_bytes();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Checks a rule or target name: `[.\-_A-Za-z0-9]`, 1 to 64 characters (EventBridge's
/// `RuleName` and `TargetId`).
pub fn check_name(what: &str, name: &str) -> Result<(), CoreError> {
    let valid = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if valid {
        Ok(())
    } else {
        Err(CoreError::Validation(format!(
            "1 validation error detected: Value '{name}' at '{what}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and 64"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_up_to_the_cap() {
        let delays: Vec<i64> = (1..=11).map(|n| retry_delay_ms(n, 1000, 300_000)).collect();
        assert_eq!(
            delays,
            [
                1000, 2000, 4000, 8000, 16000, 32000, 64000, 128_000, 256_000, 300_000, 300_000
            ]
        );
        assert_eq!(retry_delay_ms(0, 1000, 300_000), 1000);
        assert_eq!(retry_delay_ms(u32::MAX, 1000, 300_000), 300_000);
    }

    #[test]
    fn webhook_signature_is_hmac_sha256_over_timestamp_dot_body() {
        // python3: hmac.new(b"s3cret", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
        assert_eq!(
            webhook_signature(b"s3cret", 1_700_000_000, r#"{"a":1}"#),
            "sha256=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940"
        );
    }

    #[test]
    fn delivery_ids_are_stable_per_event_rule_and_target() {
        let a = delivery_id("e1", "r", "t");
        assert_eq!(a, delivery_id("e1", "r", "t"));
        assert_ne!(a, delivery_id("e1", "r", "u"));
        assert_ne!(a, delivery_id("e2", "r", "t"));
        assert_eq!(a.len(), 36);
    }

    #[test]
    fn the_envelope_follows_eventbridge() {
        let record = json!({
            "eventVersion": "1.11", "eventTime": "2024-05-01T16:24:34Z",
            "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
            "awsRegion": "us-east-1", "eventID": "e-1", "eventType": "AwsConsoleSignIn",
            "recipientAccountId": "123456789012",
            "resources": [{"ARN": "arn:aws:iam::123456789012:user/a", "accountId": "123456789012", "type": "AWS::IAM::User"}]
        });
        let env = envelope(record.clone());
        assert_eq!(env["version"], "0");
        assert_eq!(env["id"], "e-1");
        assert_eq!(env["detail-type"], "AWS Console Sign In via CloudTrail");
        assert_eq!(env["source"], "aws.signin");
        assert_eq!(env["account"], "123456789012");
        assert_eq!(env["time"], "2024-05-01T16:24:34Z");
        assert_eq!(env["region"], "us-east-1");
        assert_eq!(
            env["resources"],
            json!(["arn:aws:iam::123456789012:user/a"])
        );
        assert_eq!(env["detail"], record);
        let mut api = record;
        api["eventType"] = json!("AwsApiCall");
        api["eventSource"] = json!("iam.amazonaws.com");
        let env = envelope(api);
        assert_eq!(env["detail-type"], "AWS API Call via CloudTrail");
        assert_eq!(env["source"], "aws.iam");
    }

    #[test]
    fn the_default_pattern_skips_what_services_do_for_root() {
        let pattern = default_pattern().unwrap();
        let event = |identity: Value, event_type: &str| {
            envelope(
                json!({"eventSource": "iam.amazonaws.com", "eventType": event_type, "userIdentity": identity}),
            )
        };
        assert!(pattern.matches(&event(json!({"type": "Root"}), "AwsApiCall")));
        assert!(pattern.matches(&event(json!({"type": "Root"}), "AwsConsoleAction")));
        assert!(!pattern.matches(&event(json!({"type": "IAMUser"}), "AwsApiCall")));
        assert!(!pattern.matches(&event(
            json!({"type": "Root", "invokedBy": "support.amazonaws.com"}),
            "AwsApiCall"
        )));
        assert!(!pattern.matches(&event(json!({"type": "Root"}), "AwsServiceEvent")));
    }

    #[test]
    fn the_documented_narrower_root_pattern_skips_reads_but_not_sign_ins() {
        // docs/alerts.md: root sign-ins and root changes only.
        let pattern = EventPattern::parse(
            r#"{
  "detail": {"userIdentity": {"type": ["Root"], "invokedBy": [{"exists": false}]}},
  "$or": [{"detail-type": ["AWS Console Sign In via CloudTrail"]},
          {"detail-type": ["AWS API Call via CloudTrail"], "detail": {"readOnly": [false]}}]}"#,
        )
        .unwrap();
        let root = json!({"type": "Root"});
        let sign_in = envelope(
            json!({"eventType": "AwsConsoleSignIn", "eventSource": "signin.amazonaws.com", "userIdentity": root}),
        );
        let read = envelope(
            json!({"eventType": "AwsConsoleAction", "readOnly": true, "userIdentity": root}),
        );
        let write =
            envelope(json!({"eventType": "AwsApiCall", "readOnly": false, "userIdentity": root}));
        assert!(pattern.matches(&sign_in));
        assert!(!pattern.matches(&read));
        assert!(pattern.matches(&write));
    }

    #[test]
    fn names_follow_eventbridge() {
        assert!(check_name("name", "root-user-activity").is_ok());
        assert!(check_name("name", "a.b_c-D9").is_ok());
        assert!(check_name("name", "").is_err());
        assert!(check_name("name", "has space").is_err());
        assert!(check_name("name", &"x".repeat(65)).is_err());
    }
}
