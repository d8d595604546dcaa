//! CloudTrail trails as stored: a trail's settings, tags, event selectors and logging
//! status ([`TrailRecord`], key: the trail ARN), and what its delivery has done so far
//! ([`TrailDeliveryRecord`], same key): the audit cursor, the batch being written, and the
//! digest chain of each log folder.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::AccountId;

/// One trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailRecord {
    /// `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`.
    pub arn: String,
    /// The owning account.
    pub account: AccountId,
    /// The trail name.
    pub name: String,
    /// The region it was created in.
    pub home_region: String,
    /// The destination bucket (a folder under the server's trail root).
    pub bucket: String,
    /// Key prefix inside the bucket, if any.
    pub prefix: Option<String>,
    /// SNS topic named at creation (kept and shown; Rampart has no SNS).
    pub sns_topic: Option<String>,
    /// Whether IAM, STS, Organizations and sign-in events (recorded in us-east-1) are included.
    pub include_global: bool,
    /// Whether events of every region are delivered.
    pub multi_region: bool,
    /// Whether digest files are written.
    pub log_file_validation: bool,
    /// CloudWatch Logs settings (kept and shown; Rampart delivers no logs there).
    pub cloud_watch_log_group: Option<String>,
    /// The CloudWatch Logs delivery role.
    pub cloud_watch_role: Option<String>,
    /// KMS key named for encryption (kept and shown; files are not encrypted).
    pub kms_key_id: Option<String>,
    /// Whether the trail covers every account of the organization.
    pub organization: bool,
    /// The organization (`o-…`) when `organization`.
    #[serde(default)]
    pub org_id: Option<String>,
    /// Tags, in insertion order.
    pub tags: Vec<(String, Option<String>)>,
    /// Custom event selectors; `None`: the default (all management events).
    pub selectors: Option<Selectors>,
    /// Whether the trail is logging.
    pub logging: bool,
    /// When logging last started.
    pub start_logging: Option<i64>,
    /// When logging last stopped.
    pub stop_logging: Option<i64>,
    /// Creation time.
    pub created: i64,
}

/// Event selectors of a trail: classic or advanced, never both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Selectors {
    /// `EventSelectors`.
    Classic(Vec<ClassicSelector>),
    /// `AdvancedEventSelectors`.
    Advanced(Vec<AdvancedSelector>),
}

/// A classic event selector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassicSelector {
    /// `ReadOnly`, `WriteOnly` or `All`.
    pub read_write: String,
    /// Whether management events are recorded.
    pub include_management: bool,
    /// Event sources whose management events are left out.
    pub exclude_sources: Vec<String>,
    /// Data resources (type, values): kept and shown; Rampart has no data events.
    pub data_resources: Vec<(String, Vec<String>)>,
}

/// An advanced event selector: every field selector must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvancedSelector {
    /// The selector's name.
    pub name: Option<String>,
    /// Its conditions.
    pub fields: Vec<FieldSelector>,
}

/// One condition of an advanced selector: every operator given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSelector {
    /// `eventCategory`, `readOnly`, `eventSource`, `eventName`, …
    pub field: String,
    /// The value is one of these.
    pub equals: Vec<String>,
    /// The value starts with one of these.
    pub starts_with: Vec<String>,
    /// The value ends with one of these.
    pub ends_with: Vec<String>,
    /// The value is none of these.
    pub not_equals: Vec<String>,
    /// The value starts with none of these.
    pub not_starts_with: Vec<String>,
    /// The value ends with none of these.
    pub not_ends_with: Vec<String>,
}

/// What a trail's delivery has done: the audit events delivered so far, the batch in
/// flight, the digest chains, and the times `GetTrailStatus` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailDeliveryRecord {
    /// The store id of the last audit event considered (delivered or skipped).
    pub cursor: i64,
    /// A batch planned and not yet confirmed written: written again, with the same file
    /// names, after a crash.
    pub pending: Option<PendingBatch>,
    /// Digest chains, by log folder (`[o-ORG/]ACCOUNT/REGION`).
    pub chains: BTreeMap<String, DigestChain>,
    /// When the last log file was delivered.
    pub latest_delivery: Option<i64>,
    /// When the last digest file was delivered.
    pub latest_digest: Option<i64>,
    /// The last delivery failure, if the last attempt failed.
    pub latest_error: Option<String>,
    /// When delivery was last attempted.
    pub latest_attempt: Option<i64>,
}

/// A planned batch: audit events with ids in `(from, to]`, written at `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingBatch {
    /// The cursor before the batch.
    pub from: i64,
    /// The last id the batch covers.
    pub to: i64,
    /// The delivery time that names the batch's files.
    pub at: i64,
}

/// One folder's digest chain: the last digest written and the log files since.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestChain {
    /// The account folder (`ACCOUNT` or `o-ORG/ACCOUNT`).
    pub account_path: String,
    /// The account the folder belongs to.
    pub account: String,
    /// The region of the folder.
    pub region: String,
    /// End time of the last digest (start of the next one); `None` before the first.
    pub last_end: Option<i64>,
    /// When the chain started (the first digest's start).
    pub started: i64,
    /// Object key of the last digest.
    pub last_object: Option<String>,
    /// Hex signature of the last digest.
    pub last_signature: Option<String>,
    /// Hex SHA-256 of the last digest's uncompressed content.
    pub last_hash: Option<String>,
    /// Log files written since the last digest.
    pub log_files: Vec<DeliveredLog>,
}

/// A log file a digest lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveredLog {
    /// Its object key.
    pub object: String,
    /// Hex SHA-256 of its uncompressed content.
    pub hash: String,
    /// Its oldest event time.
    pub oldest: i64,
    /// Its newest event time.
    pub newest: i64,
}
