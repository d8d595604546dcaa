//! Turning one stored row of the common kinds (accounts, users, groups, managed policies,
//! access keys, roles) into its in-memory entry, apart from any state: a pure step, so
//! start-up decodes rows on every core and only inserting them is serial. Rows of every
//! other kind decode where they are applied (`State::apply`).

use std::sync::Arc;

use super::indexes::IndexEntry;
use super::records::{Record, decode_stored};
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

/// Decodes `body`, stored under `kind_name` in `version`, and builds its entry;
/// [`Decoded::Later`] for the other kinds.
pub(crate) fn decode_row(kind_name: &str, body: &str, version: u32) -> Result<Decoded, CoreError> {
    fn entry<R: Record>(body: &str, version: u32) -> Result<R::Entry, CoreError> {
        decode_stored::<R>(body, version)?.entry()
    }
    Ok(match kind_name {
        kind::ACCOUNT => Decoded::Account(entry::<AccountRecord>(body, version)?),
        kind::USER => Decoded::User(entry::<UserRecord>(body, version)?),
        kind::GROUP => Decoded::Group(entry::<GroupRecord>(body, version)?),
        kind::POLICY => Decoded::Policy(entry::<ManagedPolicyRecord>(body, version)?),
        kind::ACCESS_KEY => Decoded::AccessKey(entry::<AccessKeyRecord>(body, version)?),
        kind::ROLE => Decoded::Role(entry::<RoleRecord>(body, version)?),
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
    fn insert_decoded(&mut self, key: &str, decoded: Decoded) -> bool {
        match decoded {
            Decoded::Account(entry) => AccountRecord::insert(entry, key, self),
            Decoded::User(entry) => UserRecord::insert(entry, key, self),
            Decoded::Group(entry) => GroupRecord::insert(entry, key, self),
            Decoded::Policy(entry) => ManagedPolicyRecord::insert(entry, key, self),
            Decoded::AccessKey(entry) => AccessKeyRecord::insert(entry, key, self),
            Decoded::Role(entry) => RoleRecord::insert(entry, key, self),
            Decoded::Later => return false,
        }
        true
    }
}
