//! Test mode, for suites written against moto or LocalStack: access keys Rampart never
//! issued act as the root user of the fixed account those tools use, and a reset wipes
//! everything. Off by default; everything else behaves exactly as in normal mode.

use crate::auth::{Caller, Principal};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::AccountId;

/// The account moto and LocalStack use.
pub const DEFAULT_ACCOUNT: &str = "123456789012";
/// Its root user's email, as moto reports the Organizations management account.
pub const DEFAULT_EMAIL: &str = "master@example.com";

/// The fixed account id.
pub fn default_account() -> Result<AccountId, CoreError> {
    AccountId::parse(DEFAULT_ACCOUNT)
        .ok_or_else(|| CoreError::Internal("bad default account id".into()))
}

/// Creates the default account if it does not exist yet.
pub fn ensure_default_account(engine: &Engine, now: i64) -> Result<(), CoreError> {
    let id = default_account()?;
    if engine.snapshot().account(&id).is_some() {
        return Ok(());
    }
    engine.write(|txn| {
        if txn.state().account(&id).is_some() {
            return Ok(());
        }
        crate::ops::signup::create_account_with_id(
            txn,
            Some(id.clone()),
            DEFAULT_EMAIL,
            "default",
            None,
            now,
        )
        .map(|_| ())
    })
}

/// The caller a never-issued access key stands for, or `None` if Rampart issued the key.
pub fn foreign_key_caller(
    engine: &Engine,
    access_key_id: &str,
) -> Result<Option<Caller>, CoreError> {
    if engine.snapshot().key_was_issued(access_key_id) {
        return Ok(None);
    }
    Ok(Some(Caller {
        account: default_account()?,
        principal: Principal::Root,
        access_key_id: access_key_id.to_owned(),
        session: None,
    }))
}

/// Deletes every record, then re-creates the default account (`POST /moto-api/reset`).
pub fn reset(engine: &Engine, now: i64) -> Result<(), CoreError> {
    engine.write(|txn| {
        for (kind, key) in txn.state().all_records() {
            txn.delete(kind, &key)?;
        }
        Ok(())
    })?;
    ensure_default_account(engine, now)
}
