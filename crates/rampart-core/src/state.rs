//! The in-memory state: every record, indexed, with policies pre-parsed and secrets opened.
//!
//! Authentication and authorization read an immutable `Arc<State>` (the snapshot) and
//! touch no disk. A write clones the state (entries are `Arc`s, so a clone copies
//! pointers, not records), applies its changes, and publishes the result after the
//! store has made them durable.

use std::collections::BTreeMap;
use std::sync::Arc;

use rampart_policy::{Policy, PolicyKind};

use crate::error::CoreError;
use crate::managed;
use crate::model::{
    AccessKeyRecord, AccountId, AccountRecord, CreateAccountStatusRecord, CredentialReportRecord,
    GroupRecord, HandshakeRecord, InstanceProfileRecord, KeyUsageRecord, ManagedPolicyRecord,
    MfaDeviceRecord, MfaOwner, OidcProviderRecord, OrgAccountRecord, OrgPolicyRecord,
    OrgUnitRecord, OrganizationRecord, RCP, RoleRecord, RootRecoveryRecord, SCP,
    SamlProviderRecord, ServerCertificateRecord, ServiceSpecificCredentialRecord, SessionRecord,
    SigningCertificateRecord, SshPublicKeyRecord, UserRecord, kind, name_key,
};
use crate::secrets::{MasterKey, SecretBytes};
use crate::store::Row;

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

/// A managed policy with its default version parsed.
#[derive(Debug)]
pub struct PolicyEntry {
    /// The stored (or built-in) record.
    pub record: ManagedPolicyRecord,
    /// The default version's document.
    pub document: Arc<Policy>,
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

/// A temporary session with its secret opened and session policies parsed.
#[derive(Debug)]
pub struct SessionEntry {
    /// The stored record.
    pub record: SessionRecord,
    /// The plaintext secret, for SigV4.
    pub secret: SecretBytes,
    /// Session policies; `None` when none were passed (then they do not restrict).
    pub policies: Option<Vec<Arc<Policy>>>,
}

/// An access key with its secret opened.
#[derive(Debug)]
pub struct KeyEntry {
    /// The stored record.
    pub record: AccessKeyRecord,
    /// The plaintext secret, for SigV4.
    pub secret: SecretBytes,
}

/// Every record of every account.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// The store sequence this state reflects.
    pub seq: u64,
    pub(crate) accounts: BTreeMap<AccountId, Arc<AccountRecord>>,
    pub(crate) users: BTreeMap<String, Arc<UserEntry>>,
    pub(crate) groups: BTreeMap<String, Arc<GroupEntry>>,
    pub(crate) policies: BTreeMap<String, Arc<PolicyEntry>>,
    pub(crate) access_keys: BTreeMap<String, Arc<KeyEntry>>,
    pub(crate) roles: BTreeMap<String, Arc<RoleEntry>>,
    pub(crate) sessions: BTreeMap<String, Arc<SessionEntry>>,
    pub(crate) key_usage: BTreeMap<String, Arc<KeyUsageRecord>>,
    pub(crate) instance_profiles: BTreeMap<String, Arc<InstanceProfileRecord>>,
    pub(crate) credential_reports: BTreeMap<String, Arc<CredentialReportRecord>>,
    pub(crate) mfa_devices: BTreeMap<String, Arc<MfaDeviceRecord>>,
    pub(crate) root_recoveries: BTreeMap<String, Arc<RootRecoveryRecord>>,
    pub(crate) retired_keys: std::collections::BTreeSet<String>,
    pub(crate) signing_certificates: BTreeMap<String, Arc<SigningCertificateRecord>>,
    pub(crate) ssh_public_keys: BTreeMap<String, Arc<SshPublicKeyRecord>>,
    pub(crate) oidc_providers: BTreeMap<String, Arc<OidcProviderRecord>>,
    pub(crate) saml_providers: BTreeMap<String, Arc<SamlProviderRecord>>,
    pub(crate) server_certificates: BTreeMap<String, Arc<ServerCertificateRecord>>,
    pub(crate) service_credentials: BTreeMap<String, Arc<ServiceSpecificCredentialRecord>>,
    /// Organizations: every organization, its tree, policies and handshakes.
    pub(crate) orgs: OrgState,
}

impl State {
    /// An empty state holding only the AWS managed policies.
    pub fn with_builtins() -> Result<State, CoreError> {
        let mut state = State::default();
        for record in managed::aws_managed_policies()? {
            let entry = policy_entry(record)?;
            state.policies.insert(entry.record.arn(), Arc::new(entry));
        }
        for record in managed::aws_managed_org_policies() {
            let entry = org_policy_entry(record)?;
            state
                .orgs
                .policies
                .insert(entry.record.id.clone(), Arc::new(entry));
        }
        Ok(state)
    }

    /// Applies one stored row (an upsert, or a deletion when `body` is `None`).
    pub fn apply(&mut self, row: &Row, master: &MasterKey) -> Result<(), CoreError> {
        let Some(body) = row.body.as_deref() else {
            self.remove(&row.kind, &row.key);
            return Ok(());
        };
        match row.kind.as_str() {
            kind::ACCOUNT => {
                let record: AccountRecord = decode(body)?;
                self.accounts.insert(record.id.clone(), Arc::new(record));
            }
            kind::USER => {
                let record: UserRecord = decode(body)?;
                let inline = parse_inline(&record.inline_policies)?;
                self.users
                    .insert(row.key.clone(), Arc::new(UserEntry { record, inline }));
            }
            kind::GROUP => {
                let record: GroupRecord = decode(body)?;
                let inline = parse_inline(&record.inline_policies)?;
                self.groups
                    .insert(row.key.clone(), Arc::new(GroupEntry { record, inline }));
            }
            kind::POLICY => {
                let record: ManagedPolicyRecord = decode(body)?;
                self.policies
                    .insert(row.key.clone(), Arc::new(policy_entry(record)?));
            }
            kind::ACCESS_KEY => {
                let record: AccessKeyRecord = decode(body)?;
                let secret = master
                    .open(&record.sealed_secret, &access_key_context(&record.id))
                    .map_err(|err| {
                        CoreError::Internal(format!("access key {}: {err}", record.id))
                    })?;
                self.access_keys
                    .insert(row.key.clone(), Arc::new(KeyEntry { record, secret }));
            }
            kind::ROLE => {
                let record: RoleRecord = decode(body)?;
                let trust =
                    Policy::parse(&record.trust_policy, PolicyKind::Trust).map_err(|err| {
                        CoreError::Internal(format!(
                            "stored trust policy of {} does not parse: {err}",
                            record.name
                        ))
                    })?;
                let inline = parse_inline(&record.inline_policies)?;
                self.roles.insert(
                    row.key.clone(),
                    Arc::new(RoleEntry {
                        record,
                        trust: Arc::new(trust),
                        inline,
                    }),
                );
            }
            kind::SESSION => {
                let record: SessionRecord = decode(body)?;
                let secret = master
                    .open(&record.sealed_secret, &access_key_context(&record.id))
                    .map_err(|err| CoreError::Internal(format!("session {}: {err}", record.id)))?;
                let policies = match &record.session_policies {
                    Some(texts) => Some(
                        texts
                            .iter()
                            .map(|t| Policy::parse(t, PolicyKind::Session).map(Arc::new))
                            .collect::<Result<Vec<_>, _>>()
                            .map_err(|err| {
                                CoreError::Internal(format!(
                                    "stored session policy does not parse: {err}"
                                ))
                            })?,
                    ),
                    None => None,
                };
                self.sessions.insert(
                    row.key.clone(),
                    Arc::new(SessionEntry {
                        record,
                        secret,
                        policies,
                    }),
                );
            }
            kind::INSTANCE_PROFILE => {
                let record: InstanceProfileRecord = decode(body)?;
                self.instance_profiles
                    .insert(row.key.clone(), Arc::new(record));
            }
            kind::RETIRED_KEY => {
                self.retired_keys.insert(row.key.clone());
            }
            kind::ROOT_RECOVERY => {
                let record: RootRecoveryRecord = decode(body)?;
                self.root_recoveries
                    .insert(row.key.clone(), Arc::new(record));
            }
            kind::MFA_DEVICE => {
                let record: MfaDeviceRecord = decode(body)?;
                self.mfa_devices.insert(row.key.clone(), Arc::new(record));
            }
            kind::CREDENTIAL_REPORT => {
                let record: CredentialReportRecord = decode(body)?;
                self.credential_reports
                    .insert(row.key.clone(), Arc::new(record));
            }
            kind::KEY_USAGE => {
                let record: KeyUsageRecord = decode(body)?;
                self.key_usage.insert(row.key.clone(), Arc::new(record));
            }
            kind::SIGNING_CERTIFICATE => {
                let record: SigningCertificateRecord = decode(body)?;
                self.signing_certificates
                    .insert(row.key.clone(), Arc::new(record));
            }
            kind::SSH_PUBLIC_KEY => {
                let record: SshPublicKeyRecord = decode(body)?;
                self.ssh_public_keys
                    .insert(row.key.clone(), Arc::new(record));
            }
            kind::OIDC_PROVIDER => {
                let record: OidcProviderRecord = decode(body)?;
                self.oidc_providers
                    .insert(row.key.clone(), Arc::new(record));
            }
            kind::SAML_PROVIDER => {
                let record: SamlProviderRecord = decode(body)?;
                self.saml_providers
                    .insert(row.key.clone(), Arc::new(record));
            }
            kind::SERVER_CERTIFICATE => {
                let record: ServerCertificateRecord = decode(body)?;
                self.server_certificates
                    .insert(row.key.clone(), Arc::new(record));
            }
            kind::SERVICE_SPECIFIC_CREDENTIAL => {
                let record: ServiceSpecificCredentialRecord = decode(body)?;
                self.service_credentials
                    .insert(row.key.clone(), Arc::new(record));
            }
            other => {
                if !self.orgs.apply(other, &row.key, body)? {
                    return Err(CoreError::Internal(format!(
                        "unknown record kind `{other}`"
                    )));
                }
            }
        }
        Ok(())
    }

    fn remove(&mut self, kind_name: &str, key: &str) {
        match kind_name {
            kind::ACCOUNT => {
                if let Some(id) = AccountId::parse(key) {
                    self.accounts.remove(&id);
                }
            }
            kind::USER => {
                self.users.remove(key);
            }
            kind::GROUP => {
                self.groups.remove(key);
            }
            kind::POLICY => {
                self.policies.remove(key);
            }
            kind::ACCESS_KEY => {
                self.access_keys.remove(key);
            }
            kind::ROLE => {
                self.roles.remove(key);
            }
            kind::SESSION => {
                self.sessions.remove(key);
            }
            kind::KEY_USAGE => {
                self.key_usage.remove(key);
            }
            kind::INSTANCE_PROFILE => {
                self.instance_profiles.remove(key);
            }
            kind::CREDENTIAL_REPORT => {
                self.credential_reports.remove(key);
            }
            kind::MFA_DEVICE => {
                self.mfa_devices.remove(key);
            }
            kind::ROOT_RECOVERY => {
                self.root_recoveries.remove(key);
            }
            kind::RETIRED_KEY => {
                self.retired_keys.remove(key);
            }
            kind::SIGNING_CERTIFICATE => {
                self.signing_certificates.remove(key);
            }
            kind::SSH_PUBLIC_KEY => {
                self.ssh_public_keys.remove(key);
            }
            kind::OIDC_PROVIDER => {
                self.oidc_providers.remove(key);
            }
            kind::SAML_PROVIDER => {
                self.saml_providers.remove(key);
            }
            kind::SERVER_CERTIFICATE => {
                self.server_certificates.remove(key);
            }
            kind::SERVICE_SPECIFIC_CREDENTIAL => {
                self.service_credentials.remove(key);
            }
            other => self.orgs.remove(other, key),
        }
    }

    /// An account by id.
    pub fn account(&self, id: &AccountId) -> Option<&Arc<AccountRecord>> {
        self.accounts.get(id)
    }

    /// Every account.
    pub fn accounts(&self) -> impl Iterator<Item = &Arc<AccountRecord>> {
        self.accounts.values()
    }

    /// A user by name (case-insensitive, as IAM names are).
    pub fn user(&self, account: &AccountId, name: &str) -> Option<&Arc<UserEntry>> {
        self.users.get(&name_key(account, name))
    }

    /// The users of an account, ordered by lower-cased name.
    pub fn users(&self, account: &AccountId) -> impl Iterator<Item = &Arc<UserEntry>> {
        in_account(&self.users, account)
    }

    /// A group by name.
    pub fn group(&self, account: &AccountId, name: &str) -> Option<&Arc<GroupEntry>> {
        self.groups.get(&name_key(account, name))
    }

    /// The groups of an account, ordered by lower-cased name.
    pub fn groups(&self, account: &AccountId) -> impl Iterator<Item = &Arc<GroupEntry>> {
        in_account(&self.groups, account)
    }

    /// A managed policy (customer or AWS) by ARN.
    pub fn policy(&self, arn: &str) -> Option<&Arc<PolicyEntry>> {
        self.policies.get(arn)
    }

    /// Every managed policy, AWS's included, ordered by ARN.
    pub fn policies(&self) -> impl Iterator<Item = &Arc<PolicyEntry>> {
        self.policies.values()
    }

    /// A role by name.
    pub fn role(&self, account: &AccountId, name: &str) -> Option<&Arc<RoleEntry>> {
        self.roles.get(&name_key(account, name))
    }

    /// The roles of an account, ordered by lower-cased name.
    pub fn roles(&self, account: &AccountId) -> impl Iterator<Item = &Arc<RoleEntry>> {
        in_account(&self.roles, account)
    }

    /// A temporary session by its `ASIA…` id.
    pub fn session(&self, id: &str) -> Option<&Arc<SessionEntry>> {
        self.sessions.get(id)
    }

    /// An instance profile by name.
    pub fn instance_profile(
        &self,
        account: &AccountId,
        name: &str,
    ) -> Option<&Arc<InstanceProfileRecord>> {
        self.instance_profiles.get(&name_key(account, name))
    }

    /// The instance profiles of an account, ordered by lower-cased name.
    pub fn instance_profiles(
        &self,
        account: &AccountId,
    ) -> impl Iterator<Item = &Arc<InstanceProfileRecord>> {
        in_account(&self.instance_profiles, account)
    }

    /// Whether Rampart ever issued `id` (live, or deleted since).
    pub fn key_was_issued(&self, id: &str) -> bool {
        self.access_keys.contains_key(id)
            || self.sessions.contains_key(id)
            || self.retired_keys.contains(id)
    }

    /// Every stored record as (kind, key): what a full reset deletes.
    pub fn all_records(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        out.extend(
            self.accounts
                .keys()
                .map(|k| (kind::ACCOUNT, k.as_str().to_owned())),
        );
        out.extend(self.users.keys().map(|k| (kind::USER, k.clone())));
        out.extend(self.groups.keys().map(|k| (kind::GROUP, k.clone())));
        out.extend(
            self.policies
                .iter()
                .filter(|(_, p)| p.record.account.is_some())
                .map(|(k, _)| (kind::POLICY, k.clone())),
        );
        out.extend(
            self.access_keys
                .keys()
                .map(|k| (kind::ACCESS_KEY, k.clone())),
        );
        out.extend(self.roles.keys().map(|k| (kind::ROLE, k.clone())));
        out.extend(self.sessions.keys().map(|k| (kind::SESSION, k.clone())));
        out.extend(self.key_usage.keys().map(|k| (kind::KEY_USAGE, k.clone())));
        out.extend(
            self.instance_profiles
                .keys()
                .map(|k| (kind::INSTANCE_PROFILE, k.clone())),
        );
        out.extend(
            self.credential_reports
                .keys()
                .map(|k| (kind::CREDENTIAL_REPORT, k.clone())),
        );
        out.extend(
            self.mfa_devices
                .keys()
                .map(|k| (kind::MFA_DEVICE, k.clone())),
        );
        out.extend(
            self.root_recoveries
                .keys()
                .map(|k| (kind::ROOT_RECOVERY, k.clone())),
        );
        out.extend(
            self.retired_keys
                .iter()
                .map(|k| (kind::RETIRED_KEY, k.clone())),
        );
        out.extend(
            self.signing_certificates
                .keys()
                .map(|k| (kind::SIGNING_CERTIFICATE, k.clone())),
        );
        out.extend(
            self.ssh_public_keys
                .keys()
                .map(|k| (kind::SSH_PUBLIC_KEY, k.clone())),
        );
        out.extend(
            self.oidc_providers
                .keys()
                .map(|k| (kind::OIDC_PROVIDER, k.clone())),
        );
        out.extend(
            self.saml_providers
                .keys()
                .map(|k| (kind::SAML_PROVIDER, k.clone())),
        );
        out.extend(
            self.server_certificates
                .keys()
                .map(|k| (kind::SERVER_CERTIFICATE, k.clone())),
        );
        out.extend(
            self.service_credentials
                .keys()
                .map(|k| (kind::SERVICE_SPECIFIC_CREDENTIAL, k.clone())),
        );
        out
    }

    /// A pending root recovery by token digest.
    pub fn root_recovery(&self, token_digest: &str) -> Option<&Arc<RootRecoveryRecord>> {
        self.root_recoveries.get(token_digest)
    }

    /// The account whose root signs in with `email` (case-insensitive).
    pub fn account_by_email(&self, email: &str) -> Option<&Arc<AccountRecord>> {
        self.accounts
            .values()
            .find(|a| a.email.eq_ignore_ascii_case(email.trim()))
    }

    /// A virtual MFA device by serial number.
    pub fn mfa_device(&self, serial: &str) -> Option<&Arc<MfaDeviceRecord>> {
        self.mfa_devices.get(serial)
    }

    /// The virtual MFA devices of an account, ordered by serial number.
    pub fn mfa_devices(&self, account: &AccountId) -> impl Iterator<Item = &Arc<MfaDeviceRecord>> {
        let prefix = format!("arn:aws:iam::{account}:mfa");
        self.mfa_devices
            .range(prefix.clone()..)
            .take_while(move |(key, _)| key.starts_with(&prefix))
            .map(|(_, entry)| entry)
    }

    /// The devices enabled for `owner`.
    pub fn mfa_devices_of<'s>(
        &'s self,
        account: &AccountId,
        owner: &'s MfaOwner,
    ) -> impl Iterator<Item = &'s Arc<MfaDeviceRecord>> {
        self.mfa_devices(account)
            .filter(move |d| d.owner.as_ref() == Some(owner))
    }

    /// The account's latest credential report.
    pub fn credential_report(&self, account: &AccountId) -> Option<&Arc<CredentialReportRecord>> {
        self.credential_reports.get(account.as_str())
    }

    /// The stored last use of an access key.
    pub fn key_usage(&self, id: &str) -> Option<&Arc<KeyUsageRecord>> {
        self.key_usage.get(id)
    }

    /// An access key by id.
    pub fn access_key(&self, id: &str) -> Option<&Arc<KeyEntry>> {
        self.access_keys.get(id)
    }

    /// The signing certificates of a user (`None` = the root user), oldest first.
    pub fn signing_certificates_of(
        &self,
        account: &AccountId,
        user: Option<&str>,
    ) -> Vec<&Arc<SigningCertificateRecord>> {
        let mut certs: Vec<_> = self
            .signing_certificates
            .values()
            .filter(|c| &c.account == account && same_owner(c.user.as_deref(), user))
            .collect();
        certs.sort_by(|a, b| (a.uploaded, a.ordinal, &a.id).cmp(&(b.uploaded, b.ordinal, &b.id)));
        certs
    }
    /// The signing certificates of every user and root of an account.
    pub fn signing_certificates(
        &self,
        account: &AccountId,
    ) -> impl Iterator<Item = &Arc<SigningCertificateRecord>> {
        self.signing_certificates
            .values()
            .filter(move |c| &c.account == account)
    }
    /// A signing certificate by id.
    pub fn signing_certificate(&self, id: &str) -> Option<&Arc<SigningCertificateRecord>> {
        self.signing_certificates.get(id)
    }
    /// The SSH public keys of a user, oldest first.
    pub fn ssh_public_keys_of(
        &self,
        account: &AccountId,
        user: &str,
    ) -> Vec<&Arc<SshPublicKeyRecord>> {
        let mut keys: Vec<_> = self
            .ssh_public_keys
            .values()
            .filter(|k| &k.account == account && k.user.eq_ignore_ascii_case(user))
            .collect();
        keys.sort_by(|a, b| (a.uploaded, a.ordinal, &a.id).cmp(&(b.uploaded, b.ordinal, &b.id)));
        keys
    }
    /// An SSH public key by id.
    pub fn ssh_public_key(&self, id: &str) -> Option<&Arc<SshPublicKeyRecord>> {
        self.ssh_public_keys.get(id)
    }
    /// An OIDC provider by ARN.
    pub fn oidc_provider(&self, arn: &str) -> Option<&Arc<OidcProviderRecord>> {
        self.oidc_providers.get(arn)
    }
    /// The OIDC providers of an account, ordered by ARN.
    pub fn oidc_providers(
        &self,
        account: &AccountId,
    ) -> impl Iterator<Item = &Arc<OidcProviderRecord>> {
        let prefix = format!("arn:aws:iam::{account}:oidc-provider/");
        self.oidc_providers
            .range(prefix.clone()..)
            .take_while(move |(key, _)| key.starts_with(&prefix))
            .map(|(_, p)| p)
    }
    /// A SAML provider by ARN.
    pub fn saml_provider(&self, arn: &str) -> Option<&Arc<SamlProviderRecord>> {
        self.saml_providers.get(arn)
    }
    /// The SAML providers of an account, ordered by ARN.
    pub fn saml_providers(
        &self,
        account: &AccountId,
    ) -> impl Iterator<Item = &Arc<SamlProviderRecord>> {
        let prefix = format!("arn:aws:iam::{account}:saml-provider/");
        self.saml_providers
            .range(prefix.clone()..)
            .take_while(move |(key, _)| key.starts_with(&prefix))
            .map(|(_, p)| p)
    }
    /// A server certificate by name (ignoring case).
    pub fn server_certificate(
        &self,
        account: &AccountId,
        name: &str,
    ) -> Option<&Arc<ServerCertificateRecord>> {
        self.server_certificates.get(&name_key(account, name))
    }
    /// The server certificates of an account, ordered by name.
    pub fn server_certificates(
        &self,
        account: &AccountId,
    ) -> impl Iterator<Item = &Arc<ServerCertificateRecord>> {
        in_account(&self.server_certificates, account)
    }
    /// A service-specific credential by id.
    pub fn service_credential(&self, id: &str) -> Option<&Arc<ServiceSpecificCredentialRecord>> {
        self.service_credentials.get(id)
    }
    /// The service-specific credentials of an account (of one user if `user` is given), oldest first.
    pub fn service_credentials_of(
        &self,
        account: &AccountId,
        user: Option<&str>,
    ) -> Vec<&Arc<ServiceSpecificCredentialRecord>> {
        let mut creds: Vec<_> = self
            .service_credentials
            .values()
            .filter(|c| {
                &c.account == account && user.is_none_or(|u| c.user.eq_ignore_ascii_case(u))
            })
            .collect();
        creds.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        creds
    }
    /// The access keys of a user (`None` = the root user), oldest first.
    pub fn access_keys_of(&self, account: &AccountId, user: Option<&str>) -> Vec<&Arc<KeyEntry>> {
        let mut keys: Vec<_> = self
            .access_keys
            .values()
            .filter(|k| {
                &k.record.account == account
                    && match (&k.record.user, user) {
                        (None, None) => true,
                        (Some(owner), Some(name)) => owner.eq_ignore_ascii_case(name),
                        _ => false,
                    }
            })
            .collect();
        keys.sort_by(|a, b| {
            a.record
                .created
                .cmp(&b.record.created)
                .then_with(|| a.record.id.cmp(&b.record.id))
        });
        keys
    }
}

/// Whether a credential owned by `owner` (`None` = root) belongs to `user` (`None` = root).
fn same_owner(owner: Option<&str>, user: Option<&str>) -> bool {
    match (owner, user) {
        (None, None) => true,
        (Some(owner), Some(name)) => owner.eq_ignore_ascii_case(name),
        _ => false,
    }
}
/// The entries of a map keyed `ACCOUNT/…` that belong to `account`, in key order.
fn in_account<'s, T>(
    map: &'s BTreeMap<String, T>,
    account: &AccountId,
) -> impl Iterator<Item = &'s T> {
    let prefix = format!("{account}/");
    map.range(prefix.clone()..)
        .take_while(move |(key, _)| key.starts_with(&prefix))
        .map(|(_, entry)| entry)
}

/// The associated data that binds a sealed secret access key to its row.
pub fn access_key_context(id: &str) -> String {
    format!("access_key/{id}")
}

fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, CoreError> {
    serde_json::from_str(body)
        .map_err(|err| CoreError::Internal(format!("stored record does not decode: {err}")))
}

fn parse_inline(policies: &[(String, String)]) -> Result<Vec<Arc<Policy>>, CoreError> {
    policies
        .iter()
        .map(|(name, text)| {
            Policy::parse(text, PolicyKind::Identity)
                .map(Arc::new)
                .map_err(|err| {
                    CoreError::Internal(format!(
                        "stored inline policy `{name}` does not parse: {err}"
                    ))
                })
        })
        .collect()
}

fn policy_entry(record: ManagedPolicyRecord) -> Result<PolicyEntry, CoreError> {
    let text = record.default_document().ok_or_else(|| {
        CoreError::Internal(format!("policy {} has no default version", record.arn()))
    })?;
    let document = Policy::parse(text, PolicyKind::Identity).map_err(|err| {
        CoreError::Internal(format!(
            "stored policy {} does not parse: {err}",
            record.arn()
        ))
    })?;
    Ok(PolicyEntry {
        record,
        document: Arc::new(document),
    })
}

// ---- Organizations ----

/// An organization policy with its document parsed when it is an SCP or RCP.
#[derive(Debug)]
pub struct OrgPolicyEntry {
    /// The stored (or built-in) record.
    pub record: OrgPolicyRecord,
    /// The parsed document, for the authorization policy types.
    pub document: Option<Arc<Policy>>,
}

/// The records of AWS Organizations, indexed by id.
#[derive(Debug, Clone, Default)]
pub struct OrgState {
    pub(crate) organizations: BTreeMap<String, Arc<OrganizationRecord>>,
    pub(crate) units: BTreeMap<String, Arc<OrgUnitRecord>>,
    pub(crate) members: BTreeMap<AccountId, Arc<OrgAccountRecord>>,
    pub(crate) policies: BTreeMap<String, Arc<OrgPolicyEntry>>,
    pub(crate) handshakes: BTreeMap<String, Arc<HandshakeRecord>>,
    pub(crate) create_statuses: BTreeMap<String, Arc<CreateAccountStatusRecord>>,
}

impl OrgState {
    /// Applies an upsert of an Organizations kind; `false` when `kind_name` is not one.
    fn apply(&mut self, kind_name: &str, key: &str, body: &str) -> Result<bool, CoreError> {
        match kind_name {
            kind::ORGANIZATION => {
                self.organizations
                    .insert(key.to_owned(), Arc::new(decode(body)?));
            }
            kind::ORG_UNIT => {
                self.units.insert(key.to_owned(), Arc::new(decode(body)?));
            }
            kind::ORG_ACCOUNT => {
                let record: OrgAccountRecord = decode(body)?;
                self.members
                    .insert(record.account.clone(), Arc::new(record));
            }
            kind::ORG_POLICY => {
                let entry = org_policy_entry(decode(body)?)?;
                self.policies.insert(key.to_owned(), Arc::new(entry));
            }
            kind::HANDSHAKE => {
                self.handshakes
                    .insert(key.to_owned(), Arc::new(decode(body)?));
            }
            kind::CREATE_ACCOUNT_STATUS => {
                self.create_statuses
                    .insert(key.to_owned(), Arc::new(decode(body)?));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn remove(&mut self, kind_name: &str, key: &str) {
        match kind_name {
            kind::ORGANIZATION => {
                self.organizations.remove(key);
            }
            kind::ORG_UNIT => {
                self.units.remove(key);
            }
            kind::ORG_ACCOUNT => {
                if let Some(id) = AccountId::parse(key) {
                    self.members.remove(&id);
                }
            }
            kind::ORG_POLICY => {
                self.policies.remove(key);
            }
            kind::HANDSHAKE => {
                self.handshakes.remove(key);
            }
            kind::CREATE_ACCOUNT_STATUS => {
                self.create_statuses.remove(key);
            }
            _ => {}
        }
    }
}

impl State {
    /// An organization by id.
    pub fn organization(&self, id: &str) -> Option<&Arc<OrganizationRecord>> {
        self.orgs.organizations.get(id)
    }

    /// Every organization.
    pub fn organizations(&self) -> impl Iterator<Item = &Arc<OrganizationRecord>> {
        self.orgs.organizations.values()
    }

    /// An account's membership of an organization.
    pub fn org_member(&self, account: &AccountId) -> Option<&Arc<OrgAccountRecord>> {
        self.orgs.members.get(account)
    }

    /// The organization an account belongs to, with its membership.
    pub fn org_of(
        &self,
        account: &AccountId,
    ) -> Option<(&Arc<OrganizationRecord>, &Arc<OrgAccountRecord>)> {
        let member = self.orgs.members.get(account)?;
        Some((self.orgs.organizations.get(&member.org)?, member))
    }

    /// The members of an organization, ordered by account id.
    pub fn org_members<'s>(
        &'s self,
        org: &'s str,
    ) -> impl Iterator<Item = &'s Arc<OrgAccountRecord>> + 's {
        self.orgs.members.values().filter(move |m| m.org == org)
    }

    /// An OU by id.
    pub fn org_unit(&self, id: &str) -> Option<&Arc<OrgUnitRecord>> {
        self.orgs.units.get(id)
    }

    /// The OUs of an organization, ordered by id.
    pub fn org_units<'s>(
        &'s self,
        org: &'s str,
    ) -> impl Iterator<Item = &'s Arc<OrgUnitRecord>> + 's {
        self.orgs.units.values().filter(move |u| u.org == org)
    }

    /// An organization policy (customer or AWS-managed) by id.
    pub fn org_policy(&self, id: &str) -> Option<&Arc<OrgPolicyEntry>> {
        self.orgs.policies.get(id)
    }

    /// Every organization policy, AWS-managed ones included, ordered by id.
    pub fn org_policies(&self) -> impl Iterator<Item = &Arc<OrgPolicyEntry>> {
        self.orgs.policies.values()
    }

    /// A handshake by id.
    pub fn handshake(&self, id: &str) -> Option<&Arc<HandshakeRecord>> {
        self.orgs.handshakes.get(id)
    }

    /// Every handshake, ordered by id.
    pub fn handshakes(&self) -> impl Iterator<Item = &Arc<HandshakeRecord>> {
        self.orgs.handshakes.values()
    }

    /// A create-account request by id.
    pub fn create_account_status(&self, id: &str) -> Option<&Arc<CreateAccountStatusRecord>> {
        self.orgs.create_statuses.get(id)
    }

    /// Every create-account request, ordered by id.
    pub fn create_account_statuses(&self) -> impl Iterator<Item = &Arc<CreateAccountStatusRecord>> {
        self.orgs.create_statuses.values()
    }
}

fn org_policy_entry(record: OrgPolicyRecord) -> Result<OrgPolicyEntry, CoreError> {
    let kind = match record.policy_type.as_str() {
        SCP => Some(PolicyKind::ServiceControl),
        RCP => Some(PolicyKind::ResourceControl),
        _ => None,
    };
    let document = match kind {
        Some(kind) => Some(Arc::new(Policy::parse(&record.content, kind).map_err(
            |err| {
                CoreError::Internal(format!(
                    "stored organization policy {} does not parse: {err}",
                    record.id
                ))
            },
        )?)),
        None => None,
    };
    Ok(OrgPolicyEntry { record, document })
}
