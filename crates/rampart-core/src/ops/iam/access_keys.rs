//! Access keys of IAM users and of the root user: issuing (`CreateAccessKey`, the CLI's
//! first keys), listing, status changes, deletion and `GetAccessKeyLastUsed`; the
//! `Active`/`Inactive` status every credential kind shares on the wire.

use std::sync::Arc;

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};
use rampart_wire::xml::Sensitive;

use super::Cx;
use super::users::target_user;
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccessKeyRecord, AccountId, IdKind, KeyStatus, KeyUsageRecord};
use crate::ops::paging::page;
use crate::random;
use crate::state::{KeyEntry, State, access_key_context};

/// Maximum access keys per user, root included (IAM quota `AccessKeysPerUser`).
pub const ACCESS_KEYS_PER_USER: usize = 2;

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

/// A new access key for an IAM user or, with `user == None`, for the root user.
/// Returns the record and the plaintext secret, which is shown once and never again.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: Option<&str>,
    now: i64,
) -> Result<(AccessKeyRecord, String), CoreError> {
    if txn.state().access_keys_of(account, user).len() >= ACCESS_KEYS_PER_USER {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for AccessKeysPerUser: {ACCESS_KEYS_PER_USER}"
        )));
    }
    let id = loop {
        let candidate = IdKind::AccessKey.generate();
        if txn.state().access_key(&candidate).is_none() {
            break candidate;
        }
    };
    let secret = random::secret_access_key();
    let sealed_secret = txn
        .master()
        .seal(secret.as_bytes(), &access_key_context(&id))
        .map_err(|err| CoreError::Internal(err.to_string()))?;
    let record = AccessKeyRecord {
        id: id.clone(),
        account: account.clone(),
        user: user.map(str::to_owned),
        status: KeyStatus::Active,
        created: now,
        sealed_secret,
    };
    txn.put(&record)?;
    Ok((record, secret))
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
    txn.put(&record)?;
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
        txn.delete::<KeyUsageRecord>(id)?;
    }
    // Remember that this id was issued, so test mode never mistakes it for a foreign key.
    txn.put_under(id, &crate::state::RetiredKey {})?;
    txn.delete::<AccessKeyRecord>(id)
}

/// A stored status on the wire.
pub fn wire_status(status: KeyStatus) -> wire::AccessKeyStatus {
    match status {
        KeyStatus::Active => wire::AccessKeyStatus::Active,
        KeyStatus::Inactive => wire::AccessKeyStatus::Inactive,
    }
}

/// `Active`/`Inactive` from the wire for a credential kind (`what`, as AWS's message names
/// it); `Expired` is refused.
pub fn status_from_wire(status: wire::AccessKeyStatus, what: &str) -> Result<KeyStatus, CoreError> {
    match status {
        wire::AccessKeyStatus::Active => Ok(KeyStatus::Active),
        wire::AccessKeyStatus::Inactive => Ok(KeyStatus::Inactive),
        wire::AccessKeyStatus::Expired => Err(CoreError::InvalidInput(format!(
            "{what} cannot be set to Expired."
        ))),
    }
}

/// The name IAM reports as the owner of an access key (root's keys report the account id).
fn owner_name(record: &AccessKeyRecord) -> String {
    record
        .user
        .clone()
        .unwrap_or_else(|| record.account.as_str().to_owned())
}

/// `CreateAccessKey`: for the named user, else the caller (root's own keys for root).
pub fn create_access_key(cx: &Cx<'_>, i: &wire::CreateAccessKeyInput) -> Result<Output, CoreError> {
    let (record, secret) = cx.write(|txn| {
        let target = target_user(txn.state(), cx.caller, i.user_name.as_deref())?;
        create(txn, cx.account(), target.as_deref(), cx.now)
    })?;
    Ok(wire::CreateAccessKeyOutput {
        access_key: wire::AccessKey {
            user_name: owner_name(&record),
            access_key_id: record.id.clone(),
            status: wire_status(record.status),
            secret_access_key: Sensitive::new(secret),
            create_date: Timestamp(record.created),
        },
    }
    .into())
}

/// `ListAccessKeys`, oldest first.
pub fn list_access_keys(cx: &Cx<'_>, i: &wire::ListAccessKeysInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let target = target_user(&state, cx.caller, i.user_name.as_deref())?;
    let keys: Vec<_> = (state
        .access_keys_of(cx.account(), target.as_deref())
        .into_iter())
    .map(Arc::clone)
    .collect();
    let (chunk, is_truncated, marker) = page(keys, i.marker.as_deref(), i.max_items, |k| {
        format!("{:020}{}", k.record.created, k.record.id)
    })?;
    let access_key_metadata = chunk
        .iter()
        .map(|k| wire::AccessKeyMetadata {
            user_name: owner_name(&k.record),
            access_key_id: k.record.id.clone(),
            status: wire_status(k.record.status),
            create_date: Timestamp(k.record.created),
        })
        .collect();
    Ok(wire::ListAccessKeysOutput {
        access_key_metadata,
        is_truncated,
        marker,
    }
    .into())
}

/// `UpdateAccessKey`.
pub fn update_access_key(cx: &Cx<'_>, i: &wire::UpdateAccessKeyInput) -> Result<Output, CoreError> {
    let status = status_from_wire(i.status, "Access keys")?;
    cx.write(|txn| {
        let target = target_user(txn.state(), cx.caller, i.user_name.as_deref())?;
        set_status(
            txn,
            cx.account(),
            target.as_deref(),
            &i.access_key_id,
            status,
        )
    })?;
    Ok(Output::Empty)
}

/// `DeleteAccessKey`.
pub fn delete_access_key(cx: &Cx<'_>, i: &wire::DeleteAccessKeyInput) -> Result<Output, CoreError> {
    cx.write(|txn| {
        let target = target_user(txn.state(), cx.caller, i.user_name.as_deref())?;
        delete(txn, cx.account(), target.as_deref(), &i.access_key_id)
    })?;
    Ok(Output::Empty)
}

/// `GetAccessKeyLastUsed`: any principal of the account may ask about any of its keys.
pub fn get_access_key_last_used(
    cx: &Cx<'_>,
    i: &wire::GetAccessKeyLastUsedInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let entry = (state.access_key(&i.access_key_id))
        .filter(|k| &k.record.account == cx.account())
        .ok_or_else(|| no_such_key(&i.access_key_id))?;
    let last = match cx.engine.key_last_used(&i.access_key_id) {
        Some(u) => wire::AccessKeyLastUsed {
            last_used_date: Some(Timestamp(u.at)),
            service_name: u.service,
            region: u.region,
        },
        // AWS answers `N/A` for a key that was never used.
        None => wire::AccessKeyLastUsed {
            last_used_date: None,
            service_name: "N/A".to_owned(),
            region: "N/A".to_owned(),
        },
    };
    Ok(wire::GetAccessKeyLastUsedOutput {
        user_name: Some(owner_name(&entry.record)),
        access_key_last_used: Some(last),
    }
    .into())
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::{self as wire, Operation as Op, Output};

    use super::super::fixture::{Fixture, NOW};
    use super::{ACCESS_KEYS_PER_USER, create};
    use crate::error::CoreError;

    #[test]
    fn a_principal_holds_at_most_two_keys_root_included() {
        let f = Fixture::new();
        f.user("alice");
        for _ in 0..ACCESS_KEYS_PER_USER {
            f.run(Op::CreateAccessKey(wire::CreateAccessKeyInput {
                user_name: Some("alice".into()),
            }))
            .unwrap();
            f.engine
                .write(|txn| create(txn, f.account(), None, NOW))
                .unwrap();
        }
        let err = f
            .run_as(
                "alice",
                Op::CreateAccessKey(wire::CreateAccessKeyInput::default()),
            )
            .unwrap_err();
        assert!(matches!(err, CoreError::LimitExceeded(_)), "{err:?}");
        let err = f
            .run(Op::CreateAccessKey(wire::CreateAccessKeyInput::default()))
            .unwrap_err();
        assert!(matches!(err, CoreError::LimitExceeded(_)), "{err:?}");
    }

    #[test]
    fn root_keys_report_the_account_id_as_owner() {
        let f = Fixture::new();
        let out = f
            .run(Op::CreateAccessKey(wire::CreateAccessKeyInput::default()))
            .unwrap();
        let Output::CreateAccessKey(out) = out else {
            panic!("not a CreateAccessKey output: {out:?}");
        };
        assert_eq!(out.access_key.user_name, f.account().as_str());
        assert_eq!(f.state().access_keys_of(f.account(), None).len(), 1);
    }

    #[test]
    fn keys_cannot_be_set_to_expired() {
        let f = Fixture::new();
        let err = f
            .run(Op::UpdateAccessKey(wire::UpdateAccessKeyInput {
                access_key_id: "AKIAEXAMPLE".into(),
                status: wire::AccessKeyStatus::Expired,
                user_name: None,
            }))
            .unwrap_err();
        assert!(
            matches!(&err, CoreError::InvalidInput(m) if m == "Access keys cannot be set to Expired."),
            "{err:?}"
        );
    }
}
