//! Records of IAM temporary delegation (a partner's request for temporary access to a
//! customer account, its state machine and the identity it maps to) and of outbound web
//! identity federation (an account's JWT issuer and its sealed signing keys).

use serde::{Deserialize, Serialize};

use super::{AccountId, SessionPrincipal};

/// Where a delegation request stands (the model's `stateType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DelegationStatus {
    /// Created, not yet associated with a customer identity.
    Unassigned,
    /// Associated with an owner and awaiting review.
    Assigned,
    /// Forwarded to an administrator (`UpdateDelegationRequest`).
    PendingApproval,
    /// Approved; the exchange token is not released yet.
    Accepted,
    /// The exchange token went to the partner (terminal).
    Finalized,
    /// Refused by the customer (terminal).
    Rejected,
    /// Timed out (terminal); never stored, derived from `expires`.
    Expired,
}

/// One parameter filled into a delegation policy template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationParameter {
    /// The placeholder's name.
    pub name: String,
    /// Its values.
    pub values: Vec<String>,
    /// `string` or `stringList`.
    pub list: bool,
}

/// The identity an accepted request maps delegated sessions to, as it was at acceptance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegatedIdentity {
    /// Who delegated sessions act as.
    pub principal: SessionPrincipal,
    /// Its ARN at acceptance (`ApproverId`, `AssumedPrincipal`).
    pub arn: String,
}

/// A delegation request, keyed by its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationRequestRecord {
    /// `DelegationRequestId`.
    pub id: String,
    /// The partner account that created it (`RequestorId`).
    pub requestor: AccountId,
    /// The partner's friendly name (its account alias, when it has one).
    pub requestor_name: Option<String>,
    /// The customer account it is for, once known.
    pub owner_account: Option<AccountId>,
    /// ARN of the identity that associated it (`OwnerId`).
    pub owner_id: Option<String>,
    /// The identity that accepted it.
    pub approver: Option<DelegatedIdentity>,
    /// Free text from the partner.
    pub description: String,
    /// Per-request message from the partner.
    pub request_message: Option<String>,
    /// The template ARN as given.
    pub policy_template_arn: Option<String>,
    /// The template parameters as given.
    pub parameters: Vec<DelegationParameter>,
    /// The permission policy the template resolved to (a session policy of every
    /// delegated session).
    pub permission_policy: String,
    /// Permissions boundaries the policy requires on roles it lets the partner create.
    pub role_permission_restriction_arns: Vec<String>,
    /// The partner's workflow id, unique per partner account.
    pub workflow_id: String,
    /// Where the console sends the customer back to.
    pub redirect_url: Option<String>,
    /// The partner's SNS topic ARN.
    pub notification_channel: String,
    /// Seconds delegated sessions last, from finalization.
    pub session_duration: i64,
    /// Only the owner may release the exchange token.
    pub only_send_by_owner: bool,
    /// The stored state (never `Expired`: that is derived from `expires`).
    pub status: DelegationStatus,
    /// `Notes` of the last update.
    pub notes: Option<String>,
    /// `Notes` of the rejection.
    pub rejection_reason: Option<String>,
    /// Creation time, unix seconds.
    pub created: i64,
    /// Last change, unix seconds.
    pub updated: i64,
    /// When the current state times out, unix seconds.
    pub expires: i64,
    /// When the exchange token was released (the delegation period starts).
    pub finalized: Option<i64>,
    /// The exchange token, sealed under the master key (bound to the request id), kept
    /// until the partner's notification is written.
    pub sealed_token: Option<String>,
}

impl DelegationRequestRecord {
    /// Whether the identity `arn` of `account` owns this request.
    pub fn owned_by(&self, account: &AccountId, arn: &str) -> bool {
        self.owner_account.as_ref() == Some(account) && self.owner_id.as_deref() == Some(arn)
    }
}

/// The key type of a JWT signing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JwtAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit key.
    Rs256,
    /// ECDSA on P-384 with SHA-384.
    Es384,
}

impl JwtAlgorithm {
    /// The JOSE name.
    pub fn as_str(self) -> &'static str {
        match self {
            JwtAlgorithm::Rs256 => "RS256",
            JwtAlgorithm::Es384 => "ES384",
        }
    }

    /// The algorithm named `name` (case-sensitive, as JOSE is).
    pub fn parse(name: &str) -> Option<JwtAlgorithm> {
        match name {
            "RS256" => Some(JwtAlgorithm::Rs256),
            "ES384" => Some(JwtAlgorithm::Es384),
            _ => None,
        }
    }
}

/// One signing key of an account's issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningKeyRecord {
    /// `kid`.
    pub id: String,
    /// What it signs with.
    pub algorithm: JwtAlgorithm,
    /// The PKCS#8 private key, sealed under the master key (bound to `kid`).
    pub sealed_private_key: String,
    /// Creation time, unix seconds.
    pub created: i64,
}

/// An account's outbound web identity federation, keyed by account id. Kept when
/// disabled, so tokens issued before stay verifiable and re-enabling keeps the issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundFederationRecord {
    /// The account.
    pub account: AccountId,
    /// Whether principals may obtain tokens.
    pub enabled: bool,
    /// The random part of the issuer URL.
    pub issuer_id: String,
    /// The signing keys, one per algorithm.
    pub keys: Vec<SigningKeyRecord>,
    /// When it was first enabled, unix seconds.
    pub created: i64,
}
