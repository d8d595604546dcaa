//! Access keys of IAM users and of the root user.

use std::sync::Arc;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccessKeyRecord, AccountId, KeyStatus, kind};
use crate::state::{KeyEntry, State};

/// AWS's message for a key the caller's target user does not own.
fn no_such_key(id: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The Access Key with id {id} cannot be found."))
}

/// The key `id` if it belongs to `user` (`None` = root) of `account`.
pub fn owned<'s>(
    state: &'s State,
    account: &AccountId,
    user: Option<&str>,
    id: &str,
) -> Result<&'s Arc<KeyEntry>, CoreError> {
    let entry = state.access_key(id).ok_or_else(|| no_such_key(id))?;
    let same_owner = match (&entry.record.user, user) {
        (None, None) => true,
        (Some(owner), Some(name)) => owner.eq_ignore_ascii_case(name),
        _ => false,
    };
    if &entry.record.account == account && same_owner {
        Ok(entry)
    } else {
        Err(no_such_key(id))
    }
}

/// Sets a key `Active` or `Inactive`.
pub fn set_status(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: Option<&str>,
    id: &str,
    status: KeyStatus,
) -> Result<AccessKeyRecord, CoreError> {
    let mut record = owned(txn.state(), account, user, id)?.record.clone();
    record.status = status;
    txn.put(kind::ACCESS_KEY, id, &record)?;
    Ok(record)
}

/// Deletes a key.
pub fn delete(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: Option<&str>,
    id: &str,
) -> Result<(), CoreError> {
    owned(txn.state(), account, user, id)?;
    if txn.state().key_usage(id).is_some() {
        txn.delete(kind::KEY_USAGE, id)?;
    }
    // Remember that this id was issued, so test mode never mistakes it for a foreign key.
    txn.put(kind::RETIRED_KEY, id, &serde_json::json!({}))?;
    txn.delete(kind::ACCESS_KEY, id)
}
