//! Organizations records (organizations.md): the organization, its tree of OUs and member
//! accounts, its policies, handshakes and account-creation statuses.

use serde::{Deserialize, Serialize};

use super::{AccountId, PARTITION, Tag};

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
    /// The `ENABLE_ALL_FEATURES` handshake this one belongs to: set on the request sent to
    /// each invited member and on the final `APPROVE_ALL_FEATURES` to the management account.
    #[serde(default)]
    pub parent: Option<String>,
    /// The responsibility transfer a `TRANSFER_RESPONSIBILITY` handshake proposes.
    #[serde(default)]
    pub transfer: Option<String>,
}

/// The organization's resource-based delegation policy (`PutResourcePolicy`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgResourcePolicyRecord {
    /// `rp-…`.
    pub id: String,
    /// The organization.
    pub org: String,
    /// The management account.
    pub management: AccountId,
    /// The policy document as given.
    pub content: String,
    /// Tags of the resource policy.
    pub tags: Vec<Tag>,
}

impl OrgResourcePolicyRecord {
    /// `arn:aws:organizations::MGMT:resourcepolicy/o-…/rp-…`.
    pub fn arn(&self) -> String {
        format!(
            "arn:{PARTITION}:organizations::{}:resourcepolicy/{}/{}",
            self.management, self.org, self.id
        )
    }
}

/// A responsibility transfer (billing) between two organizations: the inviting
/// organization's management account (the target) takes over the responsibility for the
/// invited organization (the source) once the invited management account accepts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResponsibilityTransferRecord {
    /// `rt-…`.
    pub id: String,
    /// The transfer's name.
    pub name: String,
    /// `BILLING`.
    pub transfer_type: String,
    /// `REQUESTED`, `ACCEPTED`, `DECLINED`, `CANCELED`, `WITHDRAWN` (expiry is read from the
    /// handshake).
    pub status: String,
    /// The inviting organization (it manages the responsibility).
    pub target_org: String,
    /// Its management account.
    pub target: AccountId,
    /// The invited management account (its organization hands the responsibility over).
    pub source: AccountId,
    /// The invited account's organization when the invitation was sent.
    pub source_org: String,
    /// When the target starts managing, unix seconds.
    pub start: i64,
    /// When the transfer ends, once terminated.
    pub end: Option<i64>,
    /// The invitation handshake.
    pub handshake: String,
    /// Tags given with the invitation.
    pub tags: Vec<Tag>,
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
