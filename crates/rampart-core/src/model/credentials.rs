//! Credential records: access keys and their last use, STS sessions, virtual MFA devices,
//! signing certificates, SSH public keys and service-specific credentials.

use serde::{Deserialize, Serialize};

use super::{AccountId, PARTITION, Tag};

/// Who a virtual MFA device is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MfaOwner {
    /// The account's root user.
    Root,
    /// An IAM user, by name.
    User(String),
}

/// A virtual MFA device and, once enabled, its assignment and TOTP state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MfaDeviceRecord {
    /// Owning account.
    pub account: AccountId,
    /// Device name.
    pub name: String,
    /// Path.
    pub path: String,
    /// Creation time, unix seconds.
    pub created: i64,
    /// The TOTP seed, sealed with the master key.
    pub sealed_seed: String,
    /// The principal it is enabled for.
    pub owner: Option<MfaOwner>,
    /// When it was enabled.
    pub enabled: Option<i64>,
    /// The last TOTP counter accepted (replays at or below it are refused).
    pub last_counter: Option<u64>,
    /// Steps the device's clock is off, measured at enable/resync.
    pub drift: i64,
    /// Tags.
    pub tags: Vec<Tag>,
}

impl MfaDeviceRecord {
    /// The serial number: `arn:aws:iam::ACCOUNT:mfa/PATH/NAME`.
    pub fn serial(&self) -> String {
        format!(
            "arn:{PARTITION}:iam::{}:mfa{}{}",
            self.account, self.path, self.name
        )
    }
}

/// Whether an access key may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyStatus {
    /// Usable.
    Active,
    /// Refused at authentication.
    Inactive,
}

impl KeyStatus {
    /// AWS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "Active",
            KeyStatus::Inactive => "Inactive",
        }
    }
}

/// A long-term access key of an IAM user or of the root user (`user` is `None`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessKeyRecord {
    /// `AKIA…`.
    pub id: String,
    /// Owning account.
    pub account: AccountId,
    /// Owning IAM user; `None` for a root access key.
    pub user: Option<String>,
    /// Active or inactive.
    pub status: KeyStatus,
    /// Creation time, unix seconds.
    pub created: i64,
    /// The secret, sealed with the master key (see `secrets`).
    pub sealed_secret: String,
}

/// Who a temporary session acts as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionPrincipal {
    /// `GetSessionToken` by the root user.
    Root,
    /// `GetSessionToken` by an IAM user.
    User {
        /// The user's name.
        name: String,
    },
    /// `GetFederationToken` by an IAM user (or root): a federated user named `name`.
    FederatedUser {
        /// The federated user's name.
        name: String,
        /// The IAM user whose permissions bound the session; `None` for root.
        parent_user: Option<String>,
    },
    /// `AssumeRole`.
    AssumedRole {
        /// The role's name.
        role: String,
        /// The session name.
        session_name: String,
    },
}

/// Temporary credentials issued by STS (`ASIA…`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRecord {
    /// `ASIA…`.
    pub id: String,
    /// The account whose principal the session acts as.
    pub account: AccountId,
    /// Who it acts as.
    pub principal: SessionPrincipal,
    /// Issue time, unix seconds (`aws:TokenIssueTime`).
    pub issued: i64,
    /// Expiry, unix seconds.
    pub expires: i64,
    /// When MFA was verified for this session, if it was.
    pub mfa_authenticated_at: Option<i64>,
    /// Inline and managed session policies (document texts), if any were passed.
    pub session_policies: Option<Vec<String>>,
    /// `SourceIdentity`, once set.
    pub source_identity: Option<String>,
    /// Session tags.
    pub tags: Vec<Tag>,
    /// Whether the session came from role chaining (a role session assuming a role).
    pub chained: bool,
    /// For an `AssumeRoot` session (principal `Root`): the task policy ARN.
    #[serde(default)]
    pub assumed_root: Option<String>,
    /// For a delegated session (`GetDelegatedAccessToken`): the delegation request id.
    #[serde(default)]
    pub delegation_request: Option<String>,
}

/// An X.509 signing certificate of an IAM user or of the root user (`user` is `None`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SigningCertificateRecord {
    /// The certificate id.
    pub id: String,
    /// Owning account.
    pub account: AccountId,
    /// Owning IAM user; `None` for a root certificate.
    pub user: Option<String>,
    /// The PEM body as uploaded.
    pub body: String,
    /// Active or inactive.
    pub status: KeyStatus,
    /// Upload time, unix seconds.
    pub uploaded: i64,
    /// Upload order among the owner's ones (uploads within one second keep their order).
    #[serde(default)]
    pub ordinal: u64,
}

/// An SSH public key of an IAM user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SshPublicKeyRecord {
    /// `APKA…`.
    pub id: String,
    /// Owning account.
    pub account: AccountId,
    /// Owning IAM user.
    pub user: String,
    /// The key as uploaded (OpenSSH one-line or PEM).
    pub body: String,
    /// The OpenSSH wire blob (`string type, …`), base64.
    pub blob: String,
    /// MD5 of the blob, colon-separated hex.
    pub fingerprint: String,
    /// Active or inactive.
    pub status: KeyStatus,
    /// Upload time, unix seconds.
    pub uploaded: i64,
    /// Upload order among the owner's ones (uploads within one second keep their order).
    #[serde(default)]
    pub ordinal: u64,
}

/// A service-specific credential (CodeCommit, Keyspaces, Bedrock) of an IAM user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceSpecificCredentialRecord {
    /// `ACCA…` id.
    pub id: String,
    /// Owning account.
    pub account: AccountId,
    /// Owning IAM user.
    pub user: String,
    /// `codecommit.amazonaws.com`, `cassandra.amazonaws.com` or `bedrock.amazonaws.com`.
    pub service: String,
    /// `ServiceUserName` (or `ServiceCredentialAlias` for Bedrock).
    pub service_user_name: String,
    /// argon2id PHC string of the password (the password itself is shown once).
    pub password_hash: String,
    /// Active or inactive.
    pub status: KeyStatus,
    /// Creation time, unix seconds.
    pub created: i64,
}

/// When and where an access key was last used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyUsageRecord {
    /// Last use, unix seconds.
    pub at: i64,
    /// The service it signed for (`iam`, `sts`, …).
    pub service: String,
    /// The region it signed for.
    pub region: String,
}
