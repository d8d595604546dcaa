//! IAM entity records: users and their login profiles, groups, managed policies and their
//! versions, roles, instance profiles, identity providers and server certificates.

use serde::{Deserialize, Serialize};

use super::{AccountId, PARTITION, Tag};

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
