//! Turning one stored row of the common kinds (accounts, users, groups, managed policies,
//! access keys, roles) into its in-memory entry, apart from any state: a pure step, so
//! start-up decodes rows on every core and only inserting them is serial. Rows of every
//! other kind decode where they are applied (`State::store_record`).

use std::sync::Arc;

use rampart_policy::{Policy, PolicyKind};

use super::indexes::IndexEntry;
use super::{GroupEntry, KeyEntry, PolicyEntry, RoleEntry, State, UserEntry};
use crate::error::CoreError;
use crate::model::{
    AccessKeyRecord, AccountRecord, GroupRecord, ManagedPolicyRecord, RoleRecord, UserRecord, kind,
};
use crate::store::Row;

/// A decoded row, ready to insert.
#[derive(Debug)]
pub(crate) enum Decoded {
    Account(AccountRecord),
    User(UserEntry),
    Group(GroupEntry),
    Policy(PolicyEntry),
    AccessKey(KeyEntry),
    Role(RoleEntry),
    /// A kind decoded where it is applied.
    Later,
}

/// Decodes `body`, stored under `kind_name`; [`Decoded::Later`] for the other kinds.
pub(crate) fn decode_row(kind_name: &str, body: &str) -> Result<Decoded, CoreError> {
    Ok(match kind_name {
        kind::ACCOUNT => Decoded::Account(decode(body)?),
        kind::USER => {
            let record: UserRecord = decode(body)?;
            let inline = parse_inline(&record.inline_policies)?;
            Decoded::User(UserEntry { record, inline })
        }
        kind::GROUP => {
            let record: GroupRecord = decode(body)?;
            let inline = parse_inline(&record.inline_policies)?;
            Decoded::Group(GroupEntry { record, inline })
        }
        kind::POLICY => Decoded::Policy(policy_entry(decode(body)?)?),
        // The secret stays sealed until a request first needs it (`KeyEntry::secret`).
        kind::ACCESS_KEY => Decoded::AccessKey(KeyEntry::sealed(decode::<AccessKeyRecord>(body)?)),
        kind::ROLE => {
            let record: RoleRecord = decode(body)?;
            let trust = Policy::parse(&record.trust_policy, PolicyKind::Trust).map_err(|err| {
                CoreError::Internal(format!(
                    "stored trust policy of {} does not parse: {err}",
                    record.name
                ))
            })?;
            let inline = parse_inline(&record.inline_policies)?;
            Decoded::Role(RoleEntry {
                record,
                trust: Arc::new(trust),
                inline,
            })
        }
        _ => Decoded::Later,
    })
}

impl State {
    /// Adds a row read at start-up, decoded by [`decode_row`]: nothing is stored under its
    /// key yet, so there are no index entries to drop first.
    /// `entries` are the row's index entries (`decoded_entries`).
    pub(crate) fn load(
        &mut self,
        row: &Row,
        decoded: Decoded,
        entries: Vec<IndexEntry>,
    ) -> Result<(), CoreError> {
        if self.insert_decoded(&row.key, decoded) {
            for entry in entries {
                self.indexes.insert(entry);
            }
            Ok(())
        } else {
            self.apply(row)
        }
    }

    /// Some access key, if any is stored (start-up checks the master key on it).
    pub(crate) fn any_access_key(&self) -> Option<&Arc<KeyEntry>> {
        self.access_keys.values().next()
    }

    /// Inserts a decoded entry under `key`; `false` (nothing inserted) for
    /// [`Decoded::Later`].
    pub(super) fn insert_decoded(&mut self, key: &str, decoded: Decoded) -> bool {
        match decoded {
            Decoded::Account(record) => {
                self.accounts.insert(record.id.clone(), Arc::new(record));
            }
            Decoded::User(entry) => {
                self.users.insert(key.to_owned(), Arc::new(entry));
            }
            Decoded::Group(entry) => {
                self.groups.insert(key.to_owned(), Arc::new(entry));
            }
            Decoded::Policy(entry) => {
                self.policies.insert(key.to_owned(), Arc::new(entry));
            }
            Decoded::AccessKey(entry) => {
                self.access_keys.insert(key.to_owned(), Arc::new(entry));
            }
            Decoded::Role(entry) => {
                self.roles.insert(key.to_owned(), Arc::new(entry));
            }
            Decoded::Later => return false,
        }
        true
    }
}

pub(super) fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, CoreError> {
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
        document: std::sync::OnceLock::from(Some(Arc::new(document))),
    })
}
