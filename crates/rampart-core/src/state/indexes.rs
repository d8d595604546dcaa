//! Secondary indexes of the snapshot, kept in step with the records by `State::apply`:
//! per-owner credentials (access keys, signing certificates, SSH keys, service-specific
//! credentials, MFA devices), accounts by root email and by alias, group members, and
//! managed-policy attachments per account, and the roles whose trust policies name an IAM
//! user or role. Each lookup costs O(log n + what it returns),
//! never a scan of every account. Owns nothing else; the records stay in `State`'s maps.
//!
//! An index entry is derived from one record only, so `unindex` (before a row replaces or
//! deletes a record) and `index` (after it is stored) keep them exact.

use std::sync::Arc;

use super::{Decoded, Map, RoleEntry, State, UserEntry};
use crate::model::{
    AccessKeyRecord, AccountId, AccountRecord, MfaOwner, UserRecord, kind, name_key,
};

/// `(owner, member)` pairs ordered by owner, then member: one owner's members in
/// O(log n + k).
pub(crate) type Index = imbl::OrdSet<(String, String)>;

/// Every secondary index (see the module doc).
#[derive(Debug, Clone, Default)]
pub(crate) struct Indexes {
    /// Credential owner → access key id.
    pub(crate) access_keys: Index,
    /// Credential owner → signing certificate id.
    pub(crate) signing_certificates: Index,
    /// Credential owner → SSH public key id.
    pub(crate) ssh_public_keys: Index,
    /// Credential owner → service-specific credential id.
    pub(crate) service_credentials: Index,
    /// Credential owner → serial number of an assigned MFA device.
    pub(crate) mfa_devices: Index,
    /// Root email (trimmed, lower-cased) → account id.
    pub(crate) emails: Map<String, String>,
    /// Account alias → account id.
    pub(crate) aliases: Map<String, String>,
    /// `ACCOUNT/group` (lower-cased) → lower-cased user name.
    pub(crate) group_members: Index,
    /// `ACCOUNT/policy ARN` → `user/…`, `group/…` or `role/…` (lower-cased name).
    pub(crate) attachments: Index,
    /// IAM user or role ARN (without its partition) named in a role's trust policy → the
    /// role's key.
    pub(crate) trust_principals: Index,
}

/// The trust-principal index's key of a user or role ARN: the ARN after its partition
/// (`iam::ACCOUNT:user/PATH/NAME`), so test mode's signing-region partitions match.
pub(crate) fn principal_key(arn: &str) -> &str {
    arn.splitn(3, ':').nth(2).unwrap_or(arn)
}

/// The owner key of a credential: `ACCOUNT/user` (lower-cased) for an IAM user,
/// `ACCOUNT:root` for the root user (outside the `ACCOUNT/` range of users).
pub(crate) fn owner_key(account: &AccountId, user: Option<&str>) -> String {
    match user {
        Some(user) => name_key(account, user),
        None => format!("{account}:root"),
    }
}

/// The members of `owner` in `index`, in member order.
pub(crate) fn members_of<'s>(
    index: &'s Index,
    owner: &str,
) -> impl Iterator<Item = &'s str> + use<'s> {
    let owner = owner.to_owned();
    index
        .range((owner.clone(), String::new())..)
        .take_while(move |(o, _)| *o == owner)
        .map(|(_, member)| member.as_str())
}

/// The entries of `index` whose owner starts with `prefix`.
pub(crate) fn members_under<'s>(
    index: &'s Index,
    prefix: &str,
) -> impl Iterator<Item = &'s str> + use<'s> {
    let prefix = prefix.to_owned();
    index
        .range((prefix.clone(), String::new())..)
        .take_while(move |(o, _)| o.starts_with(&prefix))
        .map(|(_, member)| member.as_str())
}

/// One index entry: which index, the owner, the member.
#[derive(Debug)]
pub(crate) struct IndexEntry(Slot, String, String);

/// The `(owner, member)` pairs the record stored as `(kind_name, key)` contributes.
fn entries_of(state: &State, kind_name: &str, key: &str) -> Vec<IndexEntry> {
    let mut out = Vec::new();
    match kind_name {
        kind::ACCESS_KEY => {
            if let Some(k) = state.access_keys.get(key) {
                access_key_entries(&k.record, key, &mut out);
            }
        }
        kind::SIGNING_CERTIFICATE => {
            if let Some(c) = state.signing_certificates.get(key) {
                let owner = owner_key(&c.account, c.user.as_deref());
                out.push(IndexEntry(Slot::SigningCertificates, owner, key.to_owned()));
            }
        }
        kind::SSH_PUBLIC_KEY => {
            if let Some(k) = state.ssh_public_keys.get(key) {
                let owner = owner_key(&k.account, Some(&k.user));
                out.push(IndexEntry(Slot::SshPublicKeys, owner, key.to_owned()));
            }
        }
        kind::SERVICE_SPECIFIC_CREDENTIAL => {
            if let Some(c) = state.service_credentials.get(key) {
                let owner = owner_key(&c.account, Some(&c.user));
                out.push(IndexEntry(Slot::ServiceCredentials, owner, key.to_owned()));
            }
        }
        kind::MFA_DEVICE => {
            if let Some(d) = state.mfa_devices.get(key) {
                let user = match &d.owner {
                    Some(MfaOwner::User(name)) => Some(Some(name.as_str())),
                    Some(MfaOwner::Root) => Some(None),
                    None => None,
                };
                if let Some(user) = user {
                    let owner = owner_key(&d.account, user);
                    out.push(IndexEntry(Slot::MfaDevices, owner, key.to_owned()));
                }
            }
        }
        kind::ACCOUNT => {
            if let Some(a) = AccountId::parse(key).and_then(|id| state.accounts.get(&id)) {
                account_entries(a, &mut out);
            }
        }
        kind::USER => {
            if let Some(u) = state.users.get(key) {
                user_entries(&u.record, &mut out);
            }
        }
        kind::GROUP => {
            if let Some(g) = state.groups.get(key) {
                attachment_entries(
                    &g.record.account,
                    "group",
                    &g.record.name,
                    &g.record.attached_policies,
                    &mut out,
                );
            }
        }
        kind::ROLE => {
            if let Some(r) = state.roles.get(key) {
                role_entries(r, key, &mut out);
            }
        }
        _ => {}
    }
    out
}

/// The index entries of a row decoded at start-up, computed beside its decoding (off the
/// serial path); the same entries `entries_of` finds once it is stored.
pub(crate) fn decoded_entries(decoded: &Decoded, key: &str) -> Vec<IndexEntry> {
    let mut out = Vec::new();
    match decoded {
        Decoded::AccessKey(k) => access_key_entries(&k.record, key, &mut out),
        Decoded::Account(a) => account_entries(a, &mut out),
        Decoded::User(u) => user_entries(&u.record, &mut out),
        Decoded::Group(g) => attachment_entries(
            &g.record.account,
            "group",
            &g.record.name,
            &g.record.attached_policies,
            &mut out,
        ),
        Decoded::Role(r) => role_entries(r, key, &mut out),
        Decoded::Policy(_) | Decoded::Later => {}
    }
    out
}

/// A role's attachments and the IAM principals its trust policy names.
fn role_entries(r: &RoleEntry, key: &str, out: &mut Vec<IndexEntry>) {
    attachment_entries(
        &r.record.account,
        "role",
        &r.record.name,
        &r.record.attached_policies,
        out,
    );
    let named = r.trust.document().statements().iter();
    for arn in named.flat_map(|s| s.iam_principal_arns()) {
        let owner = principal_key(arn).to_owned();
        out.push(IndexEntry(Slot::TrustPrincipals, owner, key.to_owned()));
    }
}

fn access_key_entries(record: &AccessKeyRecord, key: &str, out: &mut Vec<IndexEntry>) {
    let owner = owner_key(&record.account, record.user.as_deref());
    out.push(IndexEntry(Slot::AccessKeys, owner, key.to_owned()));
}

fn account_entries(account: &AccountRecord, out: &mut Vec<IndexEntry>) {
    let email = account.email.trim().to_ascii_lowercase();
    out.push(IndexEntry(
        Slot::Emails,
        email,
        account.id.as_str().to_owned(),
    ));
    if let Some(alias) = &account.alias {
        out.push(IndexEntry(
            Slot::Aliases,
            alias.clone(),
            account.id.as_str().to_owned(),
        ));
    }
}

fn user_entries(user: &UserRecord, out: &mut Vec<IndexEntry>) {
    let (account, name) = (&user.account, user.name.to_ascii_lowercase());
    for group in &user.groups {
        out.push(IndexEntry(
            Slot::GroupMembers,
            name_key(account, group),
            name.clone(),
        ));
    }
    attachment_entries(account, "user", &name, &user.attached_policies, out);
}

/// `ACCOUNT/policy ARN` → `KIND/name` (lower-cased) for each attached policy.
fn attachment_entries(
    account: &AccountId,
    kind_name: &str,
    name: &str,
    attached: &[String],
    out: &mut Vec<IndexEntry>,
) {
    let name = name.to_ascii_lowercase();
    for arn in attached {
        let owner = format!("{account}/{arn}");
        out.push(IndexEntry(
            Slot::Attachments,
            owner,
            format!("{kind_name}/{name}"),
        ));
    }
}

/// Which index an entry belongs to.
#[derive(Debug, Clone, Copy)]
enum Slot {
    AccessKeys,
    SigningCertificates,
    SshPublicKeys,
    ServiceCredentials,
    MfaDevices,
    Emails,
    Aliases,
    GroupMembers,
    Attachments,
    TrustPrincipals,
}

impl Indexes {
    fn set(&mut self, slot: Slot) -> Option<&mut Index> {
        match slot {
            Slot::AccessKeys => Some(&mut self.access_keys),
            Slot::SigningCertificates => Some(&mut self.signing_certificates),
            Slot::SshPublicKeys => Some(&mut self.ssh_public_keys),
            Slot::ServiceCredentials => Some(&mut self.service_credentials),
            Slot::MfaDevices => Some(&mut self.mfa_devices),
            Slot::GroupMembers => Some(&mut self.group_members),
            Slot::Attachments => Some(&mut self.attachments),
            Slot::TrustPrincipals => Some(&mut self.trust_principals),
            Slot::Emails | Slot::Aliases => None,
        }
    }

    pub(crate) fn insert(&mut self, IndexEntry(slot, owner, member): IndexEntry) {
        match slot {
            Slot::Emails => self.emails.insert(owner, member),
            Slot::Aliases => self.aliases.insert(owner, member),
            _ => {
                if let Some(set) = self.set(slot) {
                    set.insert((owner, member));
                }
                None
            }
        };
    }

    fn remove(&mut self, IndexEntry(slot, owner, member): IndexEntry) {
        match slot {
            // Only the account that holds the email or alias removes it.
            Slot::Emails if self.emails.get(&owner) == Some(&member) => {
                self.emails.remove(&owner);
            }
            Slot::Aliases if self.aliases.get(&owner) == Some(&member) => {
                self.aliases.remove(&owner);
            }
            Slot::Emails | Slot::Aliases => {}
            _ => {
                if let Some(set) = self.set(slot) {
                    set.remove(&(owner, member));
                }
            }
        }
    }
}

impl State {
    /// Drops the index entries of the record stored as `(kind_name, key)`, before a row
    /// replaces or deletes it.
    pub(super) fn unindex(&mut self, kind_name: &str, key: &str) {
        for entry in entries_of(self, kind_name, key) {
            self.indexes.remove(entry);
        }
    }

    /// Adds the index entries of the record now stored as `(kind_name, key)`.
    pub(super) fn index(&mut self, kind_name: &str, key: &str) {
        for entry in entries_of(self, kind_name, key) {
            self.indexes.insert(entry);
        }
    }

    /// The users that belong to `group`, ordered by lower-cased name.
    pub fn group_members<'s>(
        &'s self,
        account: &AccountId,
        group: &str,
    ) -> impl Iterator<Item = &'s Arc<UserEntry>> {
        let account = account.clone();
        members_of(&self.indexes.group_members, &name_key(&account, group))
            .filter_map(move |user| self.users.get(&name_key(&account, user)))
    }

    /// How many users, groups and roles of `account` have the managed policy `arn`
    /// attached.
    pub fn attachment_count(&self, account: &AccountId, arn: &str) -> usize {
        members_of(&self.indexes.attachments, &format!("{account}/{arn}")).count()
    }

    /// The roles whose trust policies name the IAM user or role `arn`.
    pub fn roles_trusting<'s>(&'s self, arn: &str) -> impl Iterator<Item = &'s Arc<RoleEntry>> {
        members_of(&self.indexes.trust_principals, principal_key(arn))
            .filter_map(move |key| self.roles.get(key))
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::Engine;
    use crate::ops::iam::{access_keys, groups, policies, users};
    use crate::ops::signup;

    const POLICY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

    #[test]
    fn indexes_follow_records_through_create_rename_and_delete() {
        let engine = Engine::in_memory();
        let account = engine
            .write(|txn| signup::create_account(txn, "Ix@Example.com", "ix", None, 1))
            .unwrap()
            .id;
        let key = engine
            .write(|txn| {
                users::create(txn, &account, "Alice", None, vec![], None, 2)?;
                groups::create(txn, &account, "devs", None, 2)?;
                groups::add_user(txn, &account, "devs", "alice")?;
                policies::attach_to_user(txn, &account, "alice", POLICY)?;
                Ok(access_keys::create(txn, &account, Some("alice"), 2)?.0.id)
            })
            .unwrap();
        let state = engine.snapshot();
        let ids = |s: &crate::state::State, user| -> Vec<String> {
            (s.access_keys_of(&account, user).iter())
                .map(|k| k.record.id.clone())
                .collect()
        };
        assert_eq!(ids(&state, Some("ALICE")), std::slice::from_ref(&key));
        assert!(ids(&state, None).is_empty(), "root owns none");
        assert_eq!(state.group_members(&account, "DEVS").count(), 1);
        assert_eq!(state.attachment_count(&account, POLICY), 1);
        let by_email = state.account_by_email(" ix@example.COM ").unwrap();
        assert_eq!(by_email.id, account);

        // Renaming moves the user's memberships and attachments to the new name.
        engine
            .write(|txn| {
                access_keys::delete(txn, &account, Some("alice"), &key)?;
                users::rename(txn, &account, "alice", Some("alicia"), None)
            })
            .unwrap();
        let state = engine.snapshot();
        assert!(ids(&state, Some("alice")).is_empty());
        let members: Vec<_> = (state.group_members(&account, "devs"))
            .map(|u| u.record.name.clone())
            .collect();
        assert_eq!(members, ["alicia"]);
        assert_eq!(state.attachment_count(&account, POLICY), 1);

        engine
            .write(|txn| {
                groups::remove_user(txn, &account, "devs", "alicia")?;
                users::update(txn, &account, "alicia", |r| {
                    r.attached_policies.clear();
                    Ok(())
                })?;
                users::delete(txn, &account, "alicia")
            })
            .unwrap();
        let state = engine.snapshot();
        assert_eq!(state.group_members(&account, "devs").count(), 0);
        assert_eq!(state.attachment_count(&account, POLICY), 0);
        assert!(state.indexes.group_members.is_empty());
        assert!(state.indexes.attachments.is_empty());
        assert!(state.indexes.access_keys.is_empty());
    }
}
