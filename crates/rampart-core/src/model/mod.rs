//! Identifiers, ARNs and the persisted records of the domain, one submodule per area
//! (`account`, `iam`, `credentials`, `organizations`), all re-exported here.
//!
//! Records are plain serde structs: the store keeps them as opaque JSON rows keyed by
//! `(kind, key)`, and only this crate gives them meaning. Nothing here does I/O.

use serde::{Deserialize, Serialize};

use crate::random;

mod access_reports;
mod account;
mod credentials;
mod delegation;
mod iam;
mod organizations;
mod trails;

pub use access_reports::{
    AccessReport, AccessReportRecord, ActionAccess, LastAccess, OrgServiceAccess, ReportEntity,
    ServiceAccess,
};
pub use account::{
    AccountRecord, AlternateContact, ContactInformation, CredentialReportRecord,
    PrimaryEmailUpdate, RegionOptRecord, RootRecoveryRecord, SecurityQuestion,
};
pub use credentials::{
    AccessKeyRecord, KeyStatus, KeyUsageRecord, MfaDeviceRecord, MfaOwner,
    ServiceSpecificCredentialRecord, SessionPrincipal, SessionRecord, SigningCertificateRecord,
    SshPublicKeyRecord,
};
pub use delegation::{
    DelegatedIdentity, DelegationParameter, DelegationRequestRecord, DelegationStatus,
    JwtAlgorithm, OutboundFederationRecord, SigningKeyRecord,
};
pub use iam::{
    GroupRecord, InstanceProfileRecord, LoginProfileRecord, ManagedPolicyRecord,
    OidcProviderRecord, PolicyVersionRecord, RoleRecord, SamlProviderRecord,
    ServerCertificateRecord, UserRecord,
};
pub use organizations::{
    CreateAccountStatusRecord, HandshakeRecord, OrgAccountRecord, OrgPolicyRecord,
    OrgResourcePolicyRecord, OrgUnitRecord, OrganizationRecord, RCP, ResponsibilityTransferRecord,
    SCP,
};
pub use trails::{
    AdvancedSelector, ClassicSelector, DeliveredLog, DigestChain, FieldSelector, PendingBatch,
    Selectors, TrailDeliveryRecord, TrailRecord,
};

/// The partition every ARN names; Rampart serves one.
pub const PARTITION: &str = "aws";
/// The partition a region belongs to, by the region prefixes of botocore's
/// `endpoints.json` (`cn-north-1` → `aws-cn`, `us-gov-west-1` → `aws-us-gov`, …); `aws` for
/// everything else. Rampart itself serves [`PARTITION`]; test mode answers in the
/// partition of the signing region, as moto does.
pub fn partition_of_region(region: &str) -> &'static str {
    const PREFIXES: [(&str, &str); 7] = [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
        ("eusc-", "aws-eusc"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or(PARTITION, |(_, partition)| partition)
}

/// The region calls made without one (admin commands) are recorded in.
pub const DEFAULT_REGION: &str = "us-east-1";

/// A 12-digit AWS account id, kept inline (every record names its account: a million
/// records would otherwise carry a million small heap strings). Stored and sent as its
/// text.
// Not `Copy`: the code clones account ids as it did when they were strings.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId([u8; 12]);

impl AccountId {
    /// Parses a 12-digit account id.
    pub fn parse(text: &str) -> Option<AccountId> {
        let digits: [u8; 12] = text.as_bytes().try_into().ok()?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then_some(AccountId(digits))
    }

    /// A fresh random account id (never starting with 0, as AWS ids never do in practice).
    pub fn generate() -> AccountId {
        let mut digits = [b'0'; 12];
        for (i, (slot, byte)) in digits.iter_mut().zip(random::bytes::<12>()).enumerate() {
            *slot = b'0' + if i == 0 { 1 + byte % 9 } else { byte % 10 };
        }
        AccountId(digits)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        // INVARIANT: only ASCII digits get in (`parse`, `generate`, deserialization).
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// `arn:aws:iam::ACCOUNT:root`, the account's root user and the account principal.
    pub fn root_arn(&self) -> String {
        format!("arn:{PARTITION}:iam::{}:root", self.as_str())
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AccountId").field(&self.as_str()).finish()
    }
}

impl Serialize for AccountId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<AccountId, D::Error> {
        struct Digits;
        impl serde::de::Visitor<'_> for Digits {
            type Value = AccountId;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a 12-digit account id")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<AccountId, E> {
                AccountId::parse(text)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(Digits)
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
    /// [`super::OrgResourcePolicyRecord`], keyed by organization id.
    pub const ORG_RESOURCE_POLICY: &str = "org_resource_policy";
    /// [`super::ResponsibilityTransferRecord`], keyed by transfer id.
    pub const RESPONSIBILITY_TRANSFER: &str = "responsibility_transfer";
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
    /// [`crate::alerts::AlertRuleRecord`], keyed by [`crate::alerts::rule_key`].
    pub const ALERT_RULE: &str = "alert_rule";
    /// `TrailRecord`, keyed by trail ARN.
    pub const TRAIL: &str = "trail";
    /// `TrailDeliveryRecord`, keyed by trail ARN.
    pub const TRAIL_DELIVERY: &str = "trail_delivery";
    /// [`super::AccessReportRecord`], keyed by `ACCOUNT/JOB_ID`.
    pub const ACCESS_REPORT: &str = "access_report";
    /// `DelegationRequestRecord`, keyed by request id.
    pub const DELEGATION_REQUEST: &str = "delegation_request";
    /// `OutboundFederationRecord`, keyed by account id.
    pub const OUTBOUND_FEDERATION: &str = "outbound_federation";
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
