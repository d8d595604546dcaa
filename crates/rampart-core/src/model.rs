//! Identifiers, ARNs and the persisted records of the domain.
//!
//! Records are plain serde structs: the store keeps them as opaque JSON rows keyed by
//! `(kind, key)`, and only this crate gives them meaning. Nothing here does I/O.

use serde::{Deserialize, Serialize};

use crate::random;

/// The partition every ARN names; Rampart serves one.
pub const PARTITION: &str = "aws";
/// The region calls made without one (admin commands) are recorded in.
pub const DEFAULT_REGION: &str = "us-east-1";

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AccountId(String);

impl AccountId {
    /// Parses a 12-digit account id.
    pub fn parse(text: &str) -> Option<AccountId> {
        (text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| AccountId(text.to_owned()))
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
    /// A signing certificate: 32 upper-case characters, no prefix.
    SigningCertificate,
    /// `APKA…`, an SSH public key (20 characters).
    SshPublicKey,
    /// `ASCA…`, a server certificate (21 characters).
    ServerCertificate,
    /// `ACCA…`, a service-specific credential (21 characters).
    ServiceSpecificCredential,
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
            IdKind::SigningCertificate => ("", 32),
            IdKind::SshPublicKey => ("APKA", 20),
            IdKind::ServerCertificate => ("ASCA", 21),
            IdKind::ServiceSpecificCredential => ("ACCA", 21),
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
        format!(
            "arn:{PARTITION}:iam::{}:mfa{}{}",
            self.account, self.path, self.name
        )
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
        format!(
            "arn:{PARTITION}:iam::{}:user{}{}",
            self.account, self.path, self.name
        )
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
        format!(
            "arn:{PARTITION}:iam::{}:group{}{}",
            self.account, self.path, self.name
        )
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
        format!(
            "arn:{PARTITION}:iam::{owner}:policy{}{}",
            self.path, self.name
        )
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
        format!(
            "arn:{PARTITION}:iam::{}:role{}{}",
            self.account, self.path, self.name
        )
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
    /// For an `AssumeRoot` session (principal `Root`): the task policy ARN.
    #[serde(default)]
    pub assumed_root: Option<String>,
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
        format!(
            "arn:{PARTITION}:iam::{}:instance-profile{}{}",
            self.account, self.path, self.name
        )
    }
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

/// An OpenID Connect identity provider.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OidcProviderRecord {
    /// Owning account.
    pub account: AccountId,
    /// The issuer URL without `https://` (host and path).
    pub url: String,
    /// Audiences (client ids), in insertion order.
    pub client_ids: Vec<String>,
    /// Server certificate thumbprints (40 hex characters each).
    pub thumbprints: Vec<String>,
    /// Creation time, unix seconds.
    pub created: i64,
    /// Tags.
    pub tags: Vec<Tag>,
}

impl OidcProviderRecord {
    /// `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`.
    pub fn arn(&self) -> String {
        format!(
            "arn:{PARTITION}:iam::{}:oidc-provider/{}",
            self.account, self.url
        )
    }
}

/// A server certificate (TLS certificate with its sealed private key).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerCertificateRecord {
    /// `ASCA…` id.
    pub id: String,
    /// Owning account.
    pub account: AccountId,
    /// Name as uploaded (or renamed).
    pub name: String,
    /// Path.
    pub path: String,
    /// The PEM certificate body as uploaded.
    pub body: String,
    /// The PEM certificate chain, if any.
    pub chain: Option<String>,
    /// The PEM private key, sealed with the master key (context `server_certificate/ID`).
    pub sealed_private_key: String,
    /// Upload time, unix seconds.
    pub uploaded: i64,
    /// The certificate's `notAfter`, unix seconds.
    pub expiration: Option<i64>,
    /// Tags.
    pub tags: Vec<Tag>,
}

impl ServerCertificateRecord {
    /// `arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:{PARTITION}:iam::{}:server-certificate{}{}",
            self.account, self.path, self.name
        )
    }
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

/// A SAML 2.0 identity provider.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SamlProviderRecord {
    /// Owning account.
    pub account: AccountId,
    /// Name as created.
    pub name: String,
    /// The IdP's metadata document.
    pub metadata: String,
    /// `SAMLProviderUUID`.
    pub uuid: String,
    /// Creation time, unix seconds.
    pub created: i64,
    /// The metadata's `validUntil`, unix seconds.
    pub valid_until: Option<i64>,
    /// Tags.
    pub tags: Vec<Tag>,
}

impl SamlProviderRecord {
    /// `arn:aws:iam::ACCOUNT:saml-provider/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:{PARTITION}:iam::{}:saml-provider/{}",
            self.account, self.name
        )
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

// ---- Organizations (organizations.md): the organization, its tree, policies, handshakes ----

/// An organization: its management account, root and organization-wide settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrganizationRecord {
    /// `o-…`.
    pub id: String,
    /// The management account (fixed for the organization's life).
    pub management: AccountId,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: String,
    /// The root's id, `r-…`.
    pub root_id: String,
    /// Creation time, unix seconds.
    pub created: i64,
    /// Policy types enabled in the root (AWS spelling, e.g. `SERVICE_CONTROL_POLICY`).
    pub policy_types: Vec<String>,
    /// Ids of the policies attached directly to the root.
    pub root_policies: Vec<String>,
    /// Tags of the root.
    pub root_tags: Vec<Tag>,
    /// Service principals with trusted access, with the time it was enabled.
    pub service_access: Vec<(String, i64)>,
    /// Delegated administrators: (account, service principal, since).
    pub delegated_admins: Vec<(AccountId, String, i64)>,
    /// Centralized root access features (`RootCredentialsManagement`, `RootSessions`).
    #[serde(default)]
    pub root_features: Vec<String>,
}

impl OrganizationRecord {
    /// `arn:aws:organizations::MGMT:organization/o-…`.
    pub fn arn(&self) -> String {
        format!(
            "arn:{PARTITION}:organizations::{}:organization/{}",
            self.management, self.id
        )
    }

    /// `arn:aws:organizations::MGMT:root/o-…/r-…`.
    pub fn root_arn(&self) -> String {
        format!(
            "arn:{PARTITION}:organizations::{}:root/{}/{}",
            self.management, self.id, self.root_id
        )
    }

    /// `arn:aws:organizations::MGMT:ou/o-…/ou-…`.
    pub fn ou_arn(&self, ou: &str) -> String {
        format!(
            "arn:{PARTITION}:organizations::{}:ou/{}/{ou}",
            self.management, self.id
        )
    }

    /// `arn:aws:organizations::MGMT:account/o-…/ACCOUNT`.
    pub fn account_arn(&self, account: &AccountId) -> String {
        format!(
            "arn:{PARTITION}:organizations::{}:account/{}/{account}",
            self.management, self.id
        )
    }

    /// Whether a policy type is enabled in the root.
    pub fn type_enabled(&self, policy_type: &str) -> bool {
        self.policy_types.iter().any(|t| t == policy_type)
    }
}

/// An organizational unit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgUnitRecord {
    /// The organization.
    pub org: String,
    /// `ou-…`.
    pub id: String,
    /// Name (unique among siblings).
    pub name: String,
    /// The parent: the root `r-…` or an OU `ou-…`.
    pub parent: String,
    /// Creation time, unix seconds.
    pub created: i64,
    /// Ids of the policies attached directly.
    pub policies: Vec<String>,
    /// Tags.
    pub tags: Vec<Tag>,
}

/// An account's membership of an organization (the management account has one too).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgAccountRecord {
    /// The organization.
    pub org: String,
    /// The account.
    pub account: AccountId,
    /// The parent: the root or an OU.
    pub parent: String,
    /// `CREATED` or `INVITED`.
    pub joined_method: String,
    /// When it joined, unix seconds.
    pub joined: i64,
    /// `ACTIVE`, `SUSPENDED`, … (`AccountState`).
    pub state: String,
    /// Ids of the policies attached directly.
    pub policies: Vec<String>,
    /// Tags of the account object (deleted when it leaves).
    pub tags: Vec<Tag>,
}

/// `SERVICE_CONTROL_POLICY`: the organization policy type that restricts principals.
pub const SCP: &str = "SERVICE_CONTROL_POLICY";
/// `RESOURCE_CONTROL_POLICY`: the organization policy type that restricts resources.
pub const RCP: &str = "RESOURCE_CONTROL_POLICY";

/// A customer policy of an organization (AWS-managed ones are built in, never stored).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgPolicyRecord {
    /// The organization; `None` for AWS-managed policies.
    pub org: Option<String>,
    /// The management account (for the ARN); `None` for AWS-managed policies.
    pub management: Option<AccountId>,
    /// `p-…`.
    pub id: String,
    /// Name, unique per type.
    pub name: String,
    /// Description.
    pub description: String,
    /// `SERVICE_CONTROL_POLICY`, …
    pub policy_type: String,
    /// The document as submitted.
    pub content: String,
    /// Last change, unix seconds.
    pub updated: i64,
    /// Tags.
    pub tags: Vec<Tag>,
}

impl OrgPolicyRecord {
    /// The policy ARN; AWS-managed ones live under `organizations::aws`.
    pub fn arn(&self) -> String {
        let type_part = self.policy_type.to_ascii_lowercase();
        match (&self.management, &self.org) {
            (Some(mgmt), Some(org)) => format!(
                "arn:{PARTITION}:organizations::{mgmt}:policy/{org}/{type_part}/{}",
                self.id
            ),
            _ => format!(
                "arn:{PARTITION}:organizations::aws:policy/{type_part}/{}",
                self.id
            ),
        }
    }
}

/// A handshake (an invitation, for Rampart).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HandshakeRecord {
    /// `h-…`.
    pub id: String,
    /// The organization that sent it.
    pub org: String,
    /// The management account that sent it.
    pub management: AccountId,
    /// `INVITE`, …
    pub action: String,
    /// The invited party as given: (`ACCOUNT` | `EMAIL`, id).
    pub target: (String, String),
    /// The invited account, resolved when the invitation was sent.
    pub target_account: AccountId,
    /// `REQUESTED`, `ACCEPTED`, `DECLINED`, `CANCELED` (expiry is computed from `expires`).
    pub state: String,
    /// Sent, unix seconds.
    pub requested: i64,
    /// Expiry, unix seconds.
    pub expires: i64,
    /// Notes for the recipient.
    pub notes: Option<String>,
}

/// A `CreateAccount` request and its outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateAccountStatusRecord {
    /// `car-…`.
    pub id: String,
    /// The organization.
    pub org: String,
    /// Requested account name.
    pub account_name: String,
    /// `IN_PROGRESS`, `SUCCEEDED` or `FAILED`.
    pub state: String,
    /// Requested, unix seconds.
    pub requested: i64,
    /// Completed, unix seconds.
    pub completed: Option<i64>,
    /// The new account, once created.
    pub account: Option<AccountId>,
    /// Why it failed.
    pub failure_reason: Option<String>,
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
    /// [`super::OrganizationRecord`], keyed by organization id.
    pub const ORGANIZATION: &str = "organization";
    /// [`super::OrgUnitRecord`], keyed by OU id.
    pub const ORG_UNIT: &str = "org_unit";
    /// [`super::OrgAccountRecord`], keyed by account id.
    pub const ORG_ACCOUNT: &str = "org_account";
    /// [`super::OrgPolicyRecord`], keyed by policy id.
    pub const ORG_POLICY: &str = "org_policy";
    /// [`super::HandshakeRecord`], keyed by handshake id.
    pub const HANDSHAKE: &str = "handshake";
    /// [`super::CreateAccountStatusRecord`], keyed by request id.
    pub const CREATE_ACCOUNT_STATUS: &str = "create_account_status";
    /// [`super::SigningCertificateRecord`], keyed by certificate id.
    pub const SIGNING_CERTIFICATE: &str = "signing_certificate";
    /// [`super::SshPublicKeyRecord`], keyed by key id.
    pub const SSH_PUBLIC_KEY: &str = "ssh_public_key";
    /// [`super::OidcProviderRecord`], keyed by ARN.
    pub const OIDC_PROVIDER: &str = "oidc_provider";
    /// [`super::SamlProviderRecord`], keyed by ARN.
    pub const SAML_PROVIDER: &str = "saml_provider";
    /// [`super::ServerCertificateRecord`], keyed by [`super::name_key`].
    pub const SERVER_CERTIFICATE: &str = "server_certificate";
    /// [`super::ServiceSpecificCredentialRecord`], keyed by id.
    pub const SERVICE_SPECIFIC_CREDENTIAL: &str = "service_specific_credential";
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
        assert!(
            user.bytes()
                .skip(4)
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        );
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
