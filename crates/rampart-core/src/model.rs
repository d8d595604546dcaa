//! Identifiers, ARNs and the persisted records of the domain.
//!
//! Records are plain serde structs: the store keeps them as opaque JSON rows keyed by
//! `(kind, key)`, and only this crate gives them meaning. Nothing here does I/O.

use serde::{Deserialize, Serialize};

use crate::random;

/// The partition every ARN names; Rampart serves one.
pub const PARTITION: &str = "aws";

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AccountId(String);

impl AccountId {
    /// Parses a 12-digit account id.
    pub fn parse(text: &str) -> Option<AccountId> {
        (text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())).then(|| AccountId(text.to_owned()))
    }

    /// A fresh random account id (never starting with 0, as AWS ids never do in practice).
    pub fn generate() -> AccountId {
        let mut digits = String::with_capacity(12);
        for (i, byte) in random::bytes::<12>().iter().enumerate() {
            let digit = if i == 0 { 1 + byte % 9 } else { byte % 10 };
            digits.push(char::from(b'0' + digit));
        }
        AccountId(digits)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `arn:aws:iam::ACCOUNT:root`, the account's root user and the account principal.
    pub fn root_arn(&self) -> String {
        format!("arn:{PARTITION}:iam::{}:root", self.0)
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kinds of unique id IAM hands out, with AWS's prefixes.
#[derive(Debug, Clone, Copy)]
pub enum IdKind {
    /// `AKIA…`, a long-term access key id (20 characters).
    AccessKey,
    /// `ASIA…`, a temporary access key id (20 characters).
    TemporaryAccessKey,
    /// `AIDA…`, an IAM user (21 characters).
    User,
    /// `AGPA…`, a group.
    Group,
    /// `AROA…`, a role.
    Role,
    /// `ANPA…`, a customer managed policy.
    Policy,
    /// `AIPA…`, an instance profile.
    InstanceProfile,
}

impl IdKind {
    /// A fresh id of this kind: the prefix and random RFC 4648 base32 characters.
    pub fn generate(self) -> String {
        let (prefix, len) = match self {
            IdKind::AccessKey => ("AKIA", 20),
            IdKind::TemporaryAccessKey => ("ASIA", 20),
            IdKind::User => ("AIDA", 21),
            IdKind::Group => ("AGPA", 21),
            IdKind::Role => ("AROA", 21),
            IdKind::Policy => ("ANPA", 21),
            IdKind::InstanceProfile => ("AIPA", 21),
        };
        let mut id = String::with_capacity(len);
        id.push_str(prefix);
        id.push_str(&random::base32(len - prefix.len()));
        id
    }
}

/// A tag as IAM keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Tag key (case-sensitive, unique per entity ignoring case).
    pub key: String,
    /// Tag value.
    pub value: String,
}

/// An account and its root user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRecord {
    /// The 12-digit id.
    pub id: AccountId,
    /// The root user's sign-in email.
    pub email: String,
    /// The account name.
    pub name: String,
    /// Creation time, unix seconds.
    pub created: i64,
    /// argon2id PHC string of the root password; `None` when the root has no password.
    pub root_password_hash: Option<String>,
    /// The IAM account alias (at most one, unique across accounts).
    #[serde(default)]
    pub alias: Option<String>,
    /// The IAM account password policy; `None` means AWS's default rules.
    #[serde(default)]
    pub password_policy: Option<crate::password_policy::PasswordPolicy>,
    /// Alternate contacts by type (`BILLING`, `OPERATIONS`, `SECURITY`).
    #[serde(default)]
    pub alternate_contacts: std::collections::BTreeMap<String, AlternateContact>,
    /// The primary contact information.
    #[serde(default)]
    pub contact_information: Option<ContactInformation>,
    /// Legacy security challenge questions (three, or none).
    #[serde(default)]
    pub security_questions: Vec<SecurityQuestion>,
    /// When the root password was last set, unix seconds.
    #[serde(default)]
    pub root_password_changed: Option<i64>,
}

/// A legacy security challenge question with its argon2id-hashed answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityQuestion {
    /// The question as registered.
    pub question: String,
    /// argon2id PHC string of the normalised answer (trimmed, lower case).
    pub answer_hash: String,
}

/// A pending root password recovery: a single-use token that expires.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RootRecoveryRecord {
    /// The account whose root may set a new password.
    pub account: AccountId,
    /// When the link stops working, unix seconds.
    pub expires: i64,
}

/// An alternate contact of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlternateContact {
    /// Name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Email address.
    pub email_address: String,
    /// Phone number.
    pub phone_number: String,
}

/// The primary contact information of an account (the Account API's `ContactInformation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactInformation {
    /// Full name.
    pub full_name: String,
    /// Address lines 1–3.
    pub address_lines: Vec<String>,
    /// City.
    pub city: String,
    /// State or region.
    pub state_or_region: Option<String>,
    /// District or county.
    pub district_or_county: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// ISO country code.
    pub country_code: String,
    /// Phone number.
    pub phone_number: String,
    /// Company name.
    pub company_name: Option<String>,
    /// Website URL.
    pub website_url: Option<String>,
}

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
        format!("arn:{PARTITION}:iam::{}:mfa{}{}", self.account, self.path, self.name)
    }
}

/// A generated credential report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CredentialReportRecord {
    /// Generation time, unix seconds.
    pub generated: i64,
    /// The CSV.
    pub content: String,
}

/// An IAM user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    /// Owning account.
    pub account: AccountId,
    /// Name as created (unique per account ignoring case).
    pub name: String,
    /// `AIDA…` unique id.
    pub id: String,
    /// Path, `/` by default.
    pub path: String,
    /// Creation time, unix seconds.
    pub created: i64,
    /// Tags in insertion order.
    pub tags: Vec<Tag>,
    /// Names of the groups the user belongs to.
    pub groups: Vec<String>,
    /// ARNs of attached managed policies.
    pub attached_policies: Vec<String>,
    /// Inline policies: (name, document text as submitted).
    pub inline_policies: Vec<(String, String)>,
    /// ARN of the permissions boundary.
    pub permissions_boundary: Option<String>,
    /// The console password, if the user has one.
    #[serde(default)]
    pub login_profile: Option<LoginProfileRecord>,
    /// argon2id hashes of the user's recent passwords, oldest first (reuse prevention);
    /// never the passwords themselves.
    #[serde(default)]
    pub password_history: Vec<String>,
    /// Last console sign-in, unix seconds.
    #[serde(default)]
    pub password_last_used: Option<i64>,
}

/// A user's console password.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginProfileRecord {
    /// argon2id PHC string.
    pub password_hash: String,
    /// When the login profile was created.
    pub created: i64,
    /// When the password was last set.
    pub password_changed: i64,
    /// The user must set a new password at next sign-in.
    pub reset_required: bool,
}

impl UserRecord {
    /// `arn:aws:iam::ACCOUNT:user/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!("arn:{PARTITION}:iam::{}:user{}{}", self.account, self.path, self.name)
    }
}

/// An IAM group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupRecord {
    /// Owning account.
    pub account: AccountId,
    /// Name as created.
    pub name: String,
    /// `AGPA…` unique id.
    pub id: String,
    /// Path.
    pub path: String,
    /// Creation time, unix seconds.
    pub created: i64,
    /// ARNs of attached managed policies.
    pub attached_policies: Vec<String>,
    /// Inline policies: (name, document text).
    pub inline_policies: Vec<(String, String)>,
}

impl GroupRecord {
    /// `arn:aws:iam::ACCOUNT:group/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!("arn:{PARTITION}:iam::{}:group{}{}", self.account, self.path, self.name)
    }
}

/// One version of a managed policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicyVersionRecord {
    /// `v1`, `v2`, …
    pub id: String,
    /// The document as submitted.
    pub document: String,
    /// Creation time, unix seconds.
    pub created: i64,
}

/// A managed policy, customer (owned by an account) or AWS (`account` is `None`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManagedPolicyRecord {
    /// Owning account; `None` for AWS managed policies.
    pub account: Option<AccountId>,
    /// Policy name.
    pub name: String,
    /// `ANPA…` unique id.
    pub id: String,
    /// Path.
    pub path: String,
    /// Description.
    pub description: Option<String>,
    /// Creation time, unix seconds.
    pub created: i64,
    /// Last update time, unix seconds.
    pub updated: i64,
    /// Id of the default version.
    pub default_version: String,
    /// All versions, oldest first.
    pub versions: Vec<PolicyVersionRecord>,
    /// Tags.
    pub tags: Vec<Tag>,
}

impl ManagedPolicyRecord {
    /// `arn:aws:iam::ACCOUNT:policy/PATH/NAME`, or `arn:aws:iam::aws:policy/…` for AWS's.
    pub fn arn(&self) -> String {
        let owner = self.account.as_ref().map_or("aws", AccountId::as_str);
        format!("arn:{PARTITION}:iam::{owner}:policy{}{}", self.path, self.name)
    }

    /// The document of the default version.
    pub fn default_document(&self) -> Option<&str> {
        self.versions
            .iter()
            .find(|v| v.id == self.default_version)
            .map(|v| v.document.as_str())
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

/// An IAM role.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleRecord {
    /// Owning account.
    pub account: AccountId,
    /// Name as created.
    pub name: String,
    /// `AROA…` unique id.
    pub id: String,
    /// Path.
    pub path: String,
    /// Creation time, unix seconds.
    pub created: i64,
    /// The trust policy, as submitted.
    pub trust_policy: String,
    /// Description.
    pub description: Option<String>,
    /// Longest session `AssumeRole` may grant, seconds (3600..=43200).
    pub max_session_duration: i64,
    /// ARN of the permissions boundary.
    pub permissions_boundary: Option<String>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// ARNs of attached managed policies.
    pub attached_policies: Vec<String>,
    /// Inline policies: (name, document text).
    pub inline_policies: Vec<(String, String)>,
}

impl RoleRecord {
    /// `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!("arn:{PARTITION}:iam::{}:role{}{}", self.account, self.path, self.name)
    }
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
    /// The secret, sealed with the master key.
    pub sealed_secret: String,
    /// SHA-256 of the session token (hex); the token itself is never stored.
    pub token_sha256: String,
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
}

/// An EC2 instance profile: a container for (at most) one role.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceProfileRecord {
    /// Owning account.
    pub account: AccountId,
    /// Name as created.
    pub name: String,
    /// `AIPA…` unique id.
    pub id: String,
    /// Path.
    pub path: String,
    /// Creation time, unix seconds.
    pub created: i64,
    /// Names of the roles in the profile.
    pub roles: Vec<String>,
    /// Tags.
    pub tags: Vec<Tag>,
}

impl InstanceProfileRecord {
    /// `arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!("arn:{PARTITION}:iam::{}:instance-profile{}{}", self.account, self.path, self.name)
    }
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

/// The record kinds, as the store names them.
pub mod kind {
    /// [`super::AccountRecord`], keyed by account id.
    pub const ACCOUNT: &str = "account";
    /// [`super::UserRecord`], keyed by `ACCOUNT/lowercase name`.
    pub const USER: &str = "user";
    /// [`super::GroupRecord`], keyed by `ACCOUNT/lowercase name`.
    pub const GROUP: &str = "group";
    /// [`super::ManagedPolicyRecord`], keyed by ARN.
    pub const POLICY: &str = "policy";
    /// [`super::AccessKeyRecord`], keyed by access key id.
    pub const ACCESS_KEY: &str = "access_key";
    /// [`super::RoleRecord`], keyed by `ACCOUNT/lowercase name`.
    pub const ROLE: &str = "role";
    /// [`super::SessionRecord`], keyed by access key id.
    pub const SESSION: &str = "session";
    /// [`super::InstanceProfileRecord`], keyed by `ACCOUNT/lowercase name`.
    pub const INSTANCE_PROFILE: &str = "instance_profile";
    /// [`super::RootRecoveryRecord`], keyed by the SHA-256 of the recovery token.
    pub const ROOT_RECOVERY: &str = "root_recovery";
    /// [`super::MfaDeviceRecord`], keyed by serial number.
    pub const MFA_DEVICE: &str = "mfa_device";
    /// [`super::CredentialReportRecord`], keyed by account id.
    pub const CREDENTIAL_REPORT: &str = "credential_report";
    /// An access key id that was issued and deleted (empty body), keyed by the id.
    pub const RETIRED_KEY: &str = "retired_key";
    /// [`super::KeyUsageRecord`], keyed by access key id.
    pub const KEY_USAGE: &str = "key_usage";
}

/// The key of a per-account named entity: names are unique ignoring case.
pub fn name_key(account: &AccountId, name: &str) -> String {
    format!("{account}/{}", name.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_aws_prefixes_and_lengths() {
        let key = IdKind::AccessKey.generate();
        assert!(key.starts_with("AKIA") && key.len() == 20);
        let user = IdKind::User.generate();
        assert!(user.starts_with("AIDA") && user.len() == 21);
        assert!(user.bytes().skip(4).all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        let id = AccountId::generate();
        assert!(AccountId::parse(id.as_str()).is_some());
        assert!(AccountId::parse("12345678901").is_none());
        assert!(AccountId::parse("12345678901a").is_none());
    }

    #[test]
    fn arns_include_the_path() {
        let user = UserRecord {
            account: AccountId::parse("123456789012").unwrap(),
            name: "alice".into(),
            id: "AIDA".into(),
            path: "/eng/".into(),
            created: 0,
            tags: vec![],
            groups: vec![],
            attached_policies: vec![],
            inline_policies: vec![],
            permissions_boundary: None,
            login_profile: None,
            password_history: vec![],
            password_last_used: None,
        };
        assert_eq!(user.arn(), "arn:aws:iam::123456789012:user/eng/alice");
    }
}
