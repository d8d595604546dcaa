//! What the request path asks of the snapshot: entities by name or id, per account and
//! per owner. Pure reads of the indexes `State::apply` maintains.

use std::sync::Arc;

use super::indexes::{members_of, members_under, owner_key};
use super::{GroupEntry, KeyEntry, Map, PolicyEntry, RoleEntry, State, UserEntry};
use crate::managed;
use crate::model::{
    AccountId, AccountRecord, CredentialReportRecord, InstanceProfileRecord, KeyUsageRecord,
    MfaDeviceRecord, MfaOwner, OidcProviderRecord, RootRecoveryRecord, SamlProviderRecord,
    ServerCertificateRecord, ServiceSpecificCredentialRecord, SigningCertificateRecord,
    SshPublicKeyRecord, name_key,
};

impl State {
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

    /// The users of an account from lower-cased name `start` on (a List page's marker).
    pub fn users_from(
        &self,
        account: &AccountId,
        start: Option<&str>,
    ) -> impl Iterator<Item = &Arc<UserEntry>> {
        in_account_from(&self.users, account, start)
    }

    /// The groups of an account from lower-cased name `start` on.
    pub fn groups_from(
        &self,
        account: &AccountId,
        start: Option<&str>,
    ) -> impl Iterator<Item = &Arc<GroupEntry>> {
        in_account_from(&self.groups, account, start)
    }

    /// The roles of an account from lower-cased name `start` on.
    pub fn roles_from(
        &self,
        account: &AccountId,
        start: Option<&str>,
    ) -> impl Iterator<Item = &Arc<RoleEntry>> {
        in_account_from(&self.roles, account, start)
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
        self.policies
            .get(arn)
            .or_else(|| managed::catalogue::policy(arn))
    }

    /// Every managed policy, AWS's included (this loads the catalogue), ordered by ARN.
    pub fn policies(&self) -> impl Iterator<Item = &Arc<PolicyEntry>> {
        merge_by_key(
            self.policies.iter(),
            managed::catalogue::catalogue().entries(),
        )
    }

    /// Every customer managed policy of every account, ordered by ARN; unlike `policies`,
    /// never loads the AWS managed catalogue.
    pub fn customer_policies(&self) -> impl Iterator<Item = &Arc<PolicyEntry>> {
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
        self.access_keys.contains_key(id) || self.retired_keys.contains(id)
    }

    /// A pending root recovery by token digest.
    pub fn root_recovery(&self, token_digest: &str) -> Option<&Arc<RootRecoveryRecord>> {
        self.root_recoveries.get(token_digest)
    }

    /// The account whose root signs in with `email` (case-insensitive).
    pub fn account_by_email(&self, email: &str) -> Option<&Arc<AccountRecord>> {
        let id = self
            .indexes
            .emails
            .get(&email.trim().to_ascii_lowercase())?;
        self.accounts.get(&AccountId::parse(id)?)
    }

    /// The account an IAM sign-in names: a 12-digit account id as typed, or an account
    /// alias. The id is not checked to exist.
    pub fn account_id_for_sign_in(&self, account: &str) -> Option<AccountId> {
        AccountId::parse(account).or_else(|| {
            let id = self.indexes.aliases.get(account)?;
            AccountId::parse(id).filter(|id| self.accounts.contains_key(id))
        })
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
        let user = match owner {
            MfaOwner::Root => None,
            MfaOwner::User(name) => Some(name.as_str()),
        };
        members_of(&self.indexes.mfa_devices, &owner_key(account, user))
            .filter_map(|serial| self.mfa_devices.get(serial))
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
        let mut certs: Vec<_> = members_of(
            &self.indexes.signing_certificates,
            &owner_key(account, user),
        )
        .filter_map(|id| self.signing_certificates.get(id))
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
        let mut keys: Vec<_> = members_of(
            &self.indexes.ssh_public_keys,
            &owner_key(account, Some(user)),
        )
        .filter_map(|id| self.ssh_public_keys.get(id))
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
    /// The notification rules stored for an account, by name.
    pub fn alert_rules(&self, account: &AccountId) -> Vec<Arc<crate::alerts::AlertRuleEntry>> {
        let prefix = format!("{account}/");
        self.alert_rules
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
            .map(|(_, rule)| Arc::clone(rule))
            .collect()
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
        let ids: Vec<&str> = match user {
            Some(user) => members_of(
                &self.indexes.service_credentials,
                &owner_key(account, Some(user)),
            )
            .collect(),
            None => {
                members_under(&self.indexes.service_credentials, &format!("{account}/")).collect()
            }
        };
        let mut creds: Vec<_> = ids
            .into_iter()
            .filter_map(|id| self.service_credentials.get(id))
            .filter(|c| {
                &c.account == account && user.is_none_or(|u| c.user.eq_ignore_ascii_case(u))
            })
            .collect();
        creds.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        creds
    }
    /// The access keys of a user (`None` = the root user), oldest first.
    pub fn access_keys_of(&self, account: &AccountId, user: Option<&str>) -> Vec<&Arc<KeyEntry>> {
        let mut keys: Vec<_> = members_of(&self.indexes.access_keys, &owner_key(account, user))
            .filter_map(|id| self.access_keys.get(id))
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
fn in_account<'s, T>(map: &'s Map<String, T>, account: &AccountId) -> impl Iterator<Item = &'s T> {
    let prefix = format!("{account}/");
    map.range(prefix.clone()..)
        .take_while(move |(key, _)| key.starts_with(&prefix))
        .map(|(_, entry)| entry)
}

/// The entries of a map keyed `ACCOUNT/…` that belong to `account`, from key suffix
/// `start` on, in key order.
fn in_account_from<'s, T: Clone>(
    map: &'s Map<String, T>,
    account: &AccountId,
    start: Option<&str>,
) -> impl Iterator<Item = &'s T> {
    let prefix = format!("{account}/");
    let from = format!("{prefix}{}", start.unwrap_or_default());
    map.range(from..)
        .take_while(move |(key, _)| key.starts_with(&prefix))
        .map(|(_, entry)| entry)
}

/// The entries of two ARN-ordered sequences in ARN order (the account's policies and
/// AWS's catalogue; a customer ARN never equals an AWS one).
fn merge_by_key<'a, L, R>(left: L, right: R) -> impl Iterator<Item = &'a Arc<PolicyEntry>>
where
    L: Iterator<Item = (&'a String, &'a Arc<PolicyEntry>)>,
    R: Iterator<Item = (&'a String, &'a Arc<PolicyEntry>)>,
{
    let mut left = left.peekable();
    let mut right = right.peekable();
    std::iter::from_fn(move || match (left.peek(), right.peek()) {
        (Some((l, _)), Some((r, _))) if l > r => right.next().map(|(_, p)| p),
        (Some(_), _) => left.next().map(|(_, p)| p),
        (None, _) => right.next().map(|(_, p)| p),
    })
}
