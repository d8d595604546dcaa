//! The in-memory state: every record, indexed, with policies pre-parsed and secrets opened.
//!
//! Authentication and authorization read an immutable `Arc<State>` (the snapshot) and
//! touch no disk. Every map is persistent ([`Map`], a B-tree whose nodes are shared
//! between versions), so cloning a `State` copies a few dozen pointers and a write costs
//! O(changes · log n): it clones the state, applies its rows (each insert copies only the
//! nodes on its path), and the result is published after the store has made it durable.
//! Lookups live in `lookups`, the organizations part in `organizations`.

use std::sync::Arc;

use rampart_policy::{Policy, PolicyKind};

use crate::error::CoreError;
use crate::managed;
use crate::model::{
    AccessKeyRecord, AccountId, AccountRecord, CredentialReportRecord, GroupRecord,
    InstanceProfileRecord, KeyUsageRecord, ManagedPolicyRecord, MfaDeviceRecord,
    OidcProviderRecord, RoleRecord, RootRecoveryRecord, SamlProviderRecord,
    ServerCertificateRecord, ServiceSpecificCredentialRecord, SessionRecord,
    SigningCertificateRecord, SshPublicKeyRecord, UserRecord,
};
use crate::secrets::{MasterKey, SecretBytes, SecretError};
use crate::store::Row;

mod access_reports;
mod decode;
mod delegation;
mod indexes;
mod lookups;
mod organizations;
mod records;
mod trails;

pub(crate) use decode::{Decoded, decode_row};
use indexes::Indexes;
pub(crate) use indexes::{IndexEntry, decoded_entries};
pub use records::{Keyed, Record, RetiredKey};

pub use access_reports::{AccessReportState, access_report_key};
pub use delegation::{DelegationState, FederationEntry, SigningKeyEntry, signing_key_context};
pub(crate) use indexes::principal_key;
use organizations::org_policy_entry;
pub use organizations::{OrgPolicyEntry, OrgResourcePolicyEntry, OrgState};
pub use trails::TrailState;

/// The ordered map every part of the snapshot is kept in: persistent (structurally
/// shared), so a clone is O(1) and an insert copies only the path to its key.
pub(crate) type Map<K, V> = imbl::OrdMap<K, V>;

/// A user with its inline policies parsed.
#[derive(Debug)]
pub struct UserEntry {
    /// The stored record.
    pub record: UserRecord,
    /// Inline policies in record order.
    pub inline: Vec<Arc<Policy>>,
}

/// A group with its inline policies parsed.
#[derive(Debug)]
pub struct GroupEntry {
    /// The stored record.
    pub record: GroupRecord,
    /// Inline policies in record order.
    pub inline: Vec<Arc<Policy>>,
}

/// A managed policy and its default version's document, parsed when first evaluated.
#[derive(Debug)]
pub struct PolicyEntry {
    /// The stored (or AWS managed) record.
    pub record: ManagedPolicyRecord,
    /// The default version's document: set when a stored policy is loaded (so a stored
    /// document that does not parse fails the load), on first evaluation for AWS's
    /// (`None` when ours does not parse).
    document: std::sync::OnceLock<Option<Arc<Policy>>>,
}

impl PolicyEntry {
    /// An entry whose document is parsed on first use (the AWS managed catalogue:
    /// listing 1,600 policies must not parse 1,600 documents).
    pub(crate) fn unparsed(record: ManagedPolicyRecord) -> PolicyEntry {
        PolicyEntry {
            record,
            document: std::sync::OnceLock::new(),
        }
    }

    /// The default version's document, parsed once; `None` when it does not parse (only
    /// possible for an AWS managed policy, which then grants nothing).
    pub fn document(&self) -> Option<&Arc<Policy>> {
        self.document
            .get_or_init(|| {
                let text = self.record.default_document()?;
                Policy::parse(text, PolicyKind::Identity)
                    .inspect_err(|err| {
                        tracing::warn!(arn = %self.record.arn(), error = %err, "AWS managed policy does not parse");
                    })
                    .ok()
                    .map(Arc::new)
            })
            .as_ref()
    }
}

/// A role with its trust and inline policies parsed.
#[derive(Debug)]
pub struct RoleEntry {
    /// The stored record.
    pub record: RoleRecord,
    /// The trust policy.
    pub trust: Arc<Policy>,
    /// Inline policies in record order.
    pub inline: Vec<Arc<Policy>>,
}

/// A temporary session with its secret opened and session policies parsed (out of its
/// token, `session_token::open`).
#[derive(Debug)]
pub struct SessionEntry {
    /// The session.
    pub record: SessionRecord,
    /// The plaintext secret, for SigV4.
    pub secret: SecretBytes,
    /// Session policies; `None` when none were passed (then they do not restrict).
    pub policies: Option<Vec<Arc<Policy>>>,
    /// The token's version: 1 (global endpoint, default Regions only) or 2 (every Region).
    pub token_version: u8,
}

impl SessionEntry {
    /// The entry for `record` and its secret, its session policies parsed.
    pub fn new(record: SessionRecord, secret: SecretBytes) -> Result<SessionEntry, CoreError> {
        let policies = match &record.session_policies {
            Some(texts) => Some(
                texts
                    .iter()
                    .map(|t| Policy::parse(t, PolicyKind::Session).map(Arc::new))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|err| {
                        CoreError::Internal(format!("session policy does not parse: {err}"))
                    })?,
            ),
            None => None,
        };
        Ok(SessionEntry {
            record,
            secret,
            policies,
            token_version: 2,
        })
    }
}

/// An access key; its secret is opened on first use and kept (start-up opens none, and a
/// million keys never used since start cost no decryption and no plaintext in memory).
#[derive(Debug)]
pub struct KeyEntry {
    /// The stored record.
    pub record: AccessKeyRecord,
    /// The plaintext secret, once a request has needed it.
    secret: std::sync::OnceLock<SecretBytes>,
}

impl KeyEntry {
    /// An entry whose secret is still sealed in `record`.
    pub(crate) fn sealed(record: AccessKeyRecord) -> KeyEntry {
        KeyEntry {
            record,
            secret: std::sync::OnceLock::new(),
        }
    }

    /// The plaintext secret, for SigV4: opened with `master` the first time, then kept.
    pub fn secret(&self, master: &MasterKey) -> Result<&SecretBytes, SecretError> {
        if let Some(secret) = self.secret.get() {
            return Ok(secret);
        }
        let opened = master.open(
            &self.record.sealed_secret,
            &access_key_context(&self.record.id),
        )?;
        // A racing opener stored the same plaintext; either copy will do.
        Ok(self.secret.get_or_init(|| opened))
    }
}

/// Every record of every account.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// The store sequence this state reflects.
    pub seq: u64,
    pub(crate) accounts: Map<AccountId, Arc<AccountRecord>>,
    pub(crate) users: Map<String, Arc<UserEntry>>,
    pub(crate) groups: Map<String, Arc<GroupEntry>>,
    pub(crate) policies: Map<String, Arc<PolicyEntry>>,
    pub(crate) access_keys: Map<String, Arc<KeyEntry>>,
    pub(crate) roles: Map<String, Arc<RoleEntry>>,
    pub(crate) key_usage: Map<String, Arc<KeyUsageRecord>>,
    pub(crate) instance_profiles: Map<String, Arc<InstanceProfileRecord>>,
    pub(crate) credential_reports: Map<String, Arc<CredentialReportRecord>>,
    pub(crate) mfa_devices: Map<String, Arc<MfaDeviceRecord>>,
    pub(crate) root_recoveries: Map<String, Arc<RootRecoveryRecord>>,
    pub(crate) retired_keys: imbl::OrdSet<String>,
    pub(crate) signing_certificates: Map<String, Arc<SigningCertificateRecord>>,
    pub(crate) ssh_public_keys: Map<String, Arc<SshPublicKeyRecord>>,
    pub(crate) oidc_providers: Map<String, Arc<OidcProviderRecord>>,
    pub(crate) saml_providers: Map<String, Arc<SamlProviderRecord>>,
    pub(crate) server_certificates: Map<String, Arc<ServerCertificateRecord>>,
    pub(crate) service_credentials: Map<String, Arc<ServiceSpecificCredentialRecord>>,
    /// Notification rules, keyed by `ACCOUNT/name`.
    pub(crate) alert_rules: Map<String, Arc<crate::alerts::AlertRuleEntry>>,
    /// Organizations: every organization, its tree, policies and handshakes.
    pub(crate) orgs: OrgState,
    /// CloudTrail: trails and their delivery progress.
    pub(crate) trails: TrailState,
    /// Access advisor: report jobs.
    pub(crate) access_reports: AccessReportState,
    /// IAM temporary delegation requests and outbound web identity federation.
    pub(crate) delegation: DelegationState,
    /// Per-owner and per-attribute lookups, kept in step by `apply`.
    pub(crate) indexes: Indexes,
}

impl State {
    /// An empty state holding only the AWS managed policies (IAM's come from
    /// `managed::catalogue`, loaded on first use; the organization ones are here).
    pub fn with_builtins() -> Result<State, CoreError> {
        let mut state = State::default();
        for record in managed::aws_managed_org_policies() {
            let entry = org_policy_entry(record)?;
            state
                .orgs
                .policies
                .insert(entry.record.id.clone(), Arc::new(entry));
        }
        Ok(state)
    }

    /// Applies one stored row (an upsert, or a deletion when `body` is `None`), keeping
    /// the indexes in step; its kind is found in the registry (`records`).
    pub fn apply(&mut self, row: &Row) -> Result<(), CoreError> {
        self.apply_row(&row.kind, &row.key, row.body.as_deref(), row.version)
    }
}

/// The associated data that binds a sealed secret access key to its row.
pub fn access_key_context(id: &str) -> String {
    format!("access_key/{id}")
}
