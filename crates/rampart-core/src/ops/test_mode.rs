//! Test mode, for suites written against moto or LocalStack: access keys Rampart never
//! issued act as the root user (or, when asked, an IAM user) of the fixed account those
//! tools use, and a reset wipes everything. Off by default; everything else behaves exactly
//! as in normal mode.

use std::sync::LazyLock;

use rampart_policy::{Policy, PolicyKind};

use crate::auth::{Caller, Principal};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::AccountId;

/// The account moto and LocalStack use.
pub const DEFAULT_ACCOUNT: &str = "123456789012";
/// Its root user's email, as moto reports the Organizations management account.
pub const DEFAULT_EMAIL: &str = "master@example.com";

/// The name of the IAM user never-issued keys stand for with [`TestCaller::User`] (moto's
/// own name for the caller of its made-up keys).
pub const TEST_USER: &str = "moto";
/// That user's unique id.
const TEST_USER_ID: &str = "AIDATESTMODEUSER00001";
/// The managed policy that user is treated as having (moto enforces no policy at all).
pub const TEST_USER_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// Who a never-issued access key stands for (`serve --test-mode-caller`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TestCaller {
    /// The default account's root user (the default: what most suites expect of `FOOBARKEY`).
    #[default]
    Root,
    /// An IAM user of the default account with administrator access, for suites that do
    /// what only a non-root principal may (AWS refuses `AssumeRole` to root).
    User,
}

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
    as_whom: TestCaller,
) -> Result<Option<Caller>, CoreError> {
    if engine.snapshot().key_was_issued(access_key_id) {
        return Ok(None);
    }
    let account = default_account()?;
    let principal = match as_whom {
        TestCaller::Root => Principal::Root,
        TestCaller::User => Principal::User {
            name: TEST_USER.to_owned(),
            id: TEST_USER_ID.to_owned(),
            arn: format!("arn:aws:iam::{account}:user/{TEST_USER}"),
        },
    };
    Ok(Some(Caller {
        account,
        principal,
        access_key_id: access_key_id.to_owned(),
        session: None,
    }))
}

/// The identity policy of a test-mode user caller: allow everything. Such a caller is
/// recognised by its key, which Rampart never issued (no user of a real key can match);
/// `None` for every other caller.
pub fn test_user_policy(state: &crate::state::State, caller: &Caller) -> Option<&'static Policy> {
    static ALLOW_ALL: LazyLock<Option<Policy>> = LazyLock::new(|| {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        Policy::parse(text, PolicyKind::Identity).ok()
    });
    let is_test_user = matches!(&caller.principal, Principal::User { id, .. } if id == TEST_USER_ID)
        && caller.session.is_none()
        && !state.key_was_issued(&caller.access_key_id);
    is_test_user.then(|| ALLOW_ALL.as_ref()).flatten()
}

/// Deletes every record, then re-creates the default account (`POST /moto-api/reset`).
pub fn reset(engine: &Engine, now: i64) -> Result<(), CoreError> {
    // The store's rows, not the state's maps: every service's records (Organizations too)
    // go, and a kind added later cannot be forgotten here.
    let stored = engine.stored_keys()?;
    engine.write(|txn| {
        for (kind, key) in &stored {
            txn.delete_row(kind, key)?;
        }
        Ok(())
    })?;
    ensure_default_account(engine, now)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ops::organizations::testing::{NOW, run};

    #[test]
    fn reset_forgets_the_default_accounts_organization() {
        let engine = Engine::in_memory();
        ensure_default_account(&engine, NOW).unwrap();
        let id = default_account().unwrap();
        run(&engine, &id, "CreateOrganization", json!({})).unwrap();
        run(
            &engine,
            &id,
            "CreateOrganizationalUnit",
            json!({"ParentId": root_of(&engine, &id), "Name": "ou"}),
        )
        .unwrap();
        reset(&engine, NOW).unwrap();
        assert!(engine.snapshot().org_of(&id).is_none());
        assert!(engine.snapshot().account(&id).is_some());
        run(&engine, &id, "CreateOrganization", json!({})).unwrap();
    }

    fn root_of(engine: &Engine, id: &AccountId) -> String {
        engine.snapshot().org_of(id).unwrap().0.root_id.clone()
    }
}
