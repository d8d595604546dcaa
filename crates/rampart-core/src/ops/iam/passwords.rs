//! Console passwords: login profiles (`Create/Get/Update/DeleteLoginProfile`),
//! `ChangePassword`, the account password policy, and an IAM user's console sign-in.
//!
//! Passwords are checked against the account's policy (or AWS's default rules), hashed
//! with argon2id, and remembered only as hashes for reuse prevention. The IAM password
//! policy never applies to root.

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};
use rampart_wire::xml::Sensitive;

use super::Cx;
use super::users::{self, non_user_credentials, target_user};
use crate::auth::Principal;

use crate::engine::{Engine, WriteTxn};
use crate::error::CoreError;
use crate::lockout;
use crate::model::{AccountId, AccountRecord, LoginProfileRecord, UserRecord};
use crate::password;
use crate::password_policy::{self, PasswordPolicy, PasswordPolicyUpdate};
use crate::state::State;

/// `ChangePassword`'s answer to a wrong current password.
const OLD_PASSWORD_INCORRECT: &str = "The old password was incorrect.";

fn account_of(state: &State, account: &AccountId) -> Result<AccountRecord, CoreError> {
    state
        .account(account)
        .map(|a| AccountRecord::clone(a))
        .ok_or_else(|| CoreError::Internal(format!("account {account} vanished")))
}

fn no_login_profile(user: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("Login Profile for User {user} cannot be found."))
}

/// Checks `new` against the policy, the user's identity and its history, then sets it.
fn set_password(
    record: &mut UserRecord,
    account: &AccountRecord,
    new: &str,
    reset_required: bool,
    now: i64,
) -> Result<(), CoreError> {
    let policy = account.password_policy.as_ref();
    let identities = [
        record.name.as_str(),
        account.name.as_str(),
        account.email.as_str(),
    ];
    password_policy::check(policy, new, &identities)
        .map_err(|v| CoreError::PasswordPolicyViolation(v.to_string()))?;
    let keep = password_policy::reuse_prevention(policy);
    password_policy::check_reuse(&record.password_history, new, keep)
        .map_err(|v| CoreError::PasswordPolicyViolation(v.to_string()))?;
    let hash = password::hash(new)?;
    password_policy::remember(&mut record.password_history, hash.clone(), keep.max(1));
    let created = record.login_profile.as_ref().map_or(now, |p| p.created);
    record.login_profile = Some(LoginProfileRecord {
        password_hash: hash,
        created,
        password_changed: now,
        reset_required,
    });
    Ok(())
}

/// The wire form of a login profile.
pub fn wire_login_profile(record: &UserRecord) -> Option<wire::LoginProfile> {
    record.login_profile.as_ref().map(|p| wire::LoginProfile {
        user_name: record.name.clone(),
        create_date: Timestamp(p.created),
        password_reset_required: Some(p.reset_required),
    })
}

/// Gives `user` a console password.
pub fn create_profile(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    new_password: &str,
    reset_required: bool,
    now: i64,
) -> Result<UserRecord, CoreError> {
    let account_record = account_of(txn.state(), account)?;
    users::update(txn, account, user, |record| {
        if record.login_profile.is_some() {
            return Err(CoreError::EntityAlreadyExists(format!(
                "Login Profile for user {} already exists.",
                record.name
            )));
        }
        set_password(record, &account_record, new_password, reset_required, now)
    })
}

/// A new password and/or reset flag for `user`'s console password.
pub fn update_profile(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    new_password: Option<&str>,
    reset_required: Option<bool>,
    now: i64,
) -> Result<(), CoreError> {
    let account_record = account_of(txn.state(), account)?;
    users::update(txn, account, user, |record| {
        let current = record
            .login_profile
            .clone()
            .ok_or_else(|| no_login_profile(user))?;
        let reset = reset_required.unwrap_or(current.reset_required);
        match new_password {
            Some(pw) => set_password(record, &account_record, pw, reset, now),
            None => {
                record.login_profile = Some(LoginProfileRecord {
                    reset_required: reset,
                    ..current
                });
                Ok(())
            }
        }
    })?;
    Ok(())
}

/// Takes `user`'s console password away.
pub fn delete_profile(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
) -> Result<(), CoreError> {
    users::update(txn, account, user, |record| {
        record
            .login_profile
            .take()
            .map(|_| ())
            .ok_or_else(|| no_login_profile(user))
    })?;
    Ok(())
}

/// A user changing its own password: the old password must match.
pub fn change(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    old: &str,
    new: &str,
    now: i64,
) -> Result<(), CoreError> {
    let account_record = account_of(txn.state(), account)?;
    users::update(txn, account, user, |record| {
        let profile = record
            .login_profile
            .clone()
            .ok_or_else(|| no_login_profile(user))?;
        if !password::verify(old, &profile.password_hash)? {
            return Err(CoreError::InvalidInput(OLD_PASSWORD_INCORRECT.to_owned()));
        }
        if password_policy::expiry(
            account_record.password_policy.as_ref(),
            profile.password_changed,
            now,
        ) == password_policy::PasswordExpiry::AdminResetRequired
        {
            return Err(CoreError::EntityTemporarilyUnmodifiable(
                "The password has expired and can be reset only by an administrator.".to_owned(),
            ));
        }
        set_password(record, &account_record, new, false, now)
    })?;
    Ok(())
}

/// `UpdateAccountPasswordPolicy`: replaces the whole policy (omitted parameters reset).
pub fn update_policy(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    i: &wire::UpdateAccountPasswordPolicyInput,
) -> Result<(), CoreError> {
    let update = PasswordPolicyUpdate {
        minimum_password_length: i.minimum_password_length.map(i64::from),
        require_symbols: i.require_symbols,
        require_numbers: i.require_numbers,
        require_uppercase_characters: i.require_uppercase_characters,
        require_lowercase_characters: i.require_lowercase_characters,
        allow_users_to_change_password: i.allow_users_to_change_password,
        max_password_age: i.max_password_age.map(i64::from),
        password_reuse_prevention: i.password_reuse_prevention.map(i64::from),
        hard_expiry: i.hard_expiry,
    };
    let policy = password_policy::validate_settings(&update)
        .map_err(|err| CoreError::Validation(err.message()))?;
    let mut record = account_of(txn.state(), account)?;
    record.password_policy = Some(policy);
    txn.put(&record)
}

/// `DeleteAccountPasswordPolicy`.
pub fn delete_policy(txn: &mut WriteTxn<'_>, account: &AccountId) -> Result<(), CoreError> {
    let mut record = account_of(txn.state(), account)?;
    if record.password_policy.take().is_none() {
        // Delete words it differently from Get (AWS Tools for PowerShell reference,
        // Remove-IAMAccountPasswordPolicy example: "If a password policy does not currently
        // exist, the following error message appears: …").
        return Err(CoreError::NoSuchEntity(
            "The account policy with name PasswordPolicy cannot be found.".to_owned(),
        ));
    }
    txn.put(&record)
}

fn no_policy(account: &AccountId) -> CoreError {
    CoreError::NoSuchEntity(format!(
        "The Password Policy with domain name {account} cannot be found."
    ))
}

/// `GetAccountPasswordPolicy`.
pub fn get_policy(state: &State, account: &AccountId) -> Result<wire::PasswordPolicy, CoreError> {
    let policy: PasswordPolicy = account_of(state, account)?
        .password_policy
        .ok_or_else(|| no_policy(account))?;
    Ok(wire::PasswordPolicy {
        minimum_password_length: i32::from(policy.minimum_password_length),
        require_symbols: policy.require_symbols,
        require_numbers: policy.require_numbers,
        require_uppercase_characters: policy.require_uppercase_characters,
        require_lowercase_characters: policy.require_lowercase_characters,
        allow_users_to_change_password: policy.allow_users_to_change_password,
        expire_passwords: policy.expire_passwords(),
        max_password_age: policy.max_password_age.map(i32::from),
        password_reuse_prevention: policy.password_reuse_prevention.map(i32::from),
        hard_expiry: policy.hard_expiry,
    })
}

/// `CreateLoginProfile`: for the named user, else the calling user.
pub fn create_login_profile(
    cx: &Cx<'_>,
    i: &wire::CreateLoginProfileInput,
) -> Result<Output, CoreError> {
    let user = target_user(&cx.state(), cx.caller, i.user_name.as_deref())?
        .ok_or_else(non_user_credentials)?;
    let password = i.password.as_ref().map(Sensitive::expose).ok_or_else(|| {
        CoreError::Validation("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null".to_owned())
    })?;
    let reset_required = i.password_reset_required.unwrap_or(false);
    let record =
        cx.write(|txn| create_profile(txn, cx.account(), &user, password, reset_required, cx.now))?;
    let login_profile = wire_login_profile(&record)
        .ok_or_else(|| CoreError::Internal("login profile vanished".into()))?;
    Ok(wire::CreateLoginProfileOutput { login_profile }.into())
}

/// `GetLoginProfile`: for the named user, else the calling user.
pub fn get_login_profile(cx: &Cx<'_>, i: &wire::GetLoginProfileInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let user =
        target_user(&state, cx.caller, i.user_name.as_deref())?.ok_or_else(non_user_credentials)?;
    let record = &users::get(&state, cx.account(), &user)?.record;
    let login_profile = wire_login_profile(record).ok_or_else(|| no_login_profile(&user))?;
    Ok(wire::GetLoginProfileOutput { login_profile }.into())
}

/// `UpdateLoginProfile`.
pub fn update_login_profile(
    cx: &Cx<'_>,
    i: &wire::UpdateLoginProfileInput,
) -> Result<Output, CoreError> {
    let password = i.password.as_ref().map(Sensitive::expose);
    let reset_required = i.password_reset_required;
    cx.write(|txn| {
        update_profile(
            txn,
            cx.account(),
            &i.user_name,
            password,
            reset_required,
            cx.now,
        )
    })?;
    Ok(Output::Empty)
}

/// `DeleteLoginProfile`: for the named user, else the calling user.
pub fn delete_login_profile(
    cx: &Cx<'_>,
    i: &wire::DeleteLoginProfileInput,
) -> Result<Output, CoreError> {
    let user = target_user(&cx.state(), cx.caller, i.user_name.as_deref())?
        .ok_or_else(non_user_credentials)?;
    cx.write(|txn| delete_profile(txn, cx.account(), &user))?;
    Ok(Output::Empty)
}

/// `ChangePassword`: only an IAM user changes its own password this way.
pub fn change_password(cx: &Cx<'_>, i: &wire::ChangePasswordInput) -> Result<Output, CoreError> {
    let Principal::User { name, .. } = &cx.caller.principal else {
        return Err(CoreError::InvalidUserType(
            "Only IAM users can change their own password.".to_owned(),
        ));
    };
    let (old, new) = (i.old_password.expose(), i.new_password.expose());
    // Whoever holds a user's keys must not get unlimited guesses at its password.
    cx.engine.lockout().guard(
        &format!("password:{}:{}", cx.account(), name.to_ascii_lowercase()),
        &lockout::PER_IDENTITY,
        cx.now,
        lockout::password_change_locked,
        |err| matches!(err, CoreError::InvalidInput(m) if m == OLD_PASSWORD_INCORRECT),
        || cx.write(|txn| change(txn, cx.account(), name, old, new, cx.now)),
    )?;
    Ok(Output::Empty)
}

/// `UpdateAccountPasswordPolicy`.
pub fn update_account_password_policy(
    cx: &Cx<'_>,
    i: &wire::UpdateAccountPasswordPolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| update_policy(txn, cx.account(), i))?;
    Ok(Output::Empty)
}

/// `GetAccountPasswordPolicy`.
pub fn get_account_password_policy(
    cx: &Cx<'_>,
    _: &wire::GetAccountPasswordPolicyInput,
) -> Result<Output, CoreError> {
    let password_policy = get_policy(&cx.state(), cx.account())?;
    Ok(wire::GetAccountPasswordPolicyOutput { password_policy }.into())
}

/// `DeleteAccountPasswordPolicy`.
pub fn delete_account_password_policy(
    cx: &Cx<'_>,
    _: &wire::DeleteAccountPasswordPolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| delete_policy(txn, cx.account()))?;
    Ok(Output::Empty)
}

/// What a console sign-in of an IAM user comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in.
    Ok,
    /// The password is right but must be changed now (reset required, or expired without
    /// `HardExpiry`); `ChangePassword` is allowed.
    MustChangePassword,
    /// Expired under `HardExpiry`: only an administrator can reset it.
    AdminResetRequired,
}

/// An IAM user's console sign-in, checked against `state`: the password and the policy's
/// expiry rules. Unknown users and wrong passwords are one answer. Pure: the argon2id
/// check runs outside any write, so a flood of attempts never holds up other writers.
pub fn check_sign_in(
    state: &State,
    account: &str,
    user: &str,
    password: &str,
    now: i64,
) -> Result<(AccountId, SignIn), CoreError> {
    let denied = || {
        CoreError::AccessDenied(
            "Your authentication information is incorrect. Please try again.".to_owned(),
        )
    };
    let account_id = state.account_id_for_sign_in(account).ok_or_else(denied)?;
    let policy = state
        .account(&account_id)
        .and_then(|a| a.password_policy.clone());
    let entry = state.user(&account_id, user).ok_or_else(denied)?;
    let profile = entry.record.login_profile.clone().ok_or_else(denied)?;
    if !password::verify(password, &profile.password_hash)? {
        return Err(denied());
    }
    let outcome = match password_policy::expiry(policy.as_ref(), profile.password_changed, now) {
        password_policy::PasswordExpiry::AdminResetRequired => SignIn::AdminResetRequired,
        password_policy::PasswordExpiry::MustChange => SignIn::MustChangePassword,
        password_policy::PasswordExpiry::Current if profile.reset_required => {
            SignIn::MustChangePassword
        }
        password_policy::PasswordExpiry::Current => SignIn::Ok,
    };
    Ok((account_id, outcome))
}

/// Records a sign-in [`check_sign_in`] accepted: `PasswordLastUsed` (not when only an
/// administrator can let the user in). The password checked must still be the user's: a
/// change between the check and this write refuses the sign-in.
pub fn record_sign_in(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    checked_hash: &str,
    outcome: SignIn,
    now: i64,
) -> Result<SignIn, CoreError> {
    let current = txn.state().user(account, user).and_then(|u| {
        u.record
            .login_profile
            .as_ref()
            .map(|p| p.password_hash.clone())
    });
    if current.as_deref() != Some(checked_hash) {
        return Err(CoreError::AccessDenied(
            "Your authentication information is incorrect. Please try again.".to_owned(),
        ));
    }
    if outcome != SignIn::AdminResetRequired {
        users::update(txn, account, user, |record| {
            record.password_last_used = Some(now);
            Ok(())
        })?;
    }
    Ok(outcome)
}

/// [`check_sign_in`] on the engine's snapshot, then [`record_sign_in`] in one write.
pub fn sign_in(
    engine: &Engine,
    account: &str,
    user: &str,
    password: &str,
    now: i64,
) -> Result<SignIn, CoreError> {
    let state = engine.snapshot();
    let (account_id, outcome) = check_sign_in(&state, account, user, password, now)?;
    let checked_hash = state
        .user(&account_id, user)
        .and_then(|u| {
            u.record
                .login_profile
                .as_ref()
                .map(|p| p.password_hash.clone())
        })
        .unwrap_or_default();
    engine.write(|txn| record_sign_in(txn, &account_id, user, &checked_hash, outcome, now))
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::{self as wire, Operation as Op};
    use rampart_wire::xml::Sensitive;

    use super::super::fixture::Fixture;
    use crate::error::CoreError;

    const PASSWORD: &str = "Correct-Horse-9-battery!";

    fn change(f: &Fixture, old: &str, new: &str) -> Result<(), CoreError> {
        f.run_as(
            "alice",
            Op::ChangePassword(wire::ChangePasswordInput {
                old_password: Sensitive::new(old.to_owned()),
                new_password: Sensitive::new(new.to_owned()),
            }),
        )
        .map(drop)
    }

    #[test]
    fn wrong_current_passwords_lock_change_password_even_for_the_right_one() {
        let f = Fixture::new();
        f.user("alice");
        f.run(Op::CreateLoginProfile(wire::CreateLoginProfileInput {
            user_name: Some("alice".into()),
            password: Some(Sensitive::new(PASSWORD.to_owned())),
            ..Default::default()
        }))
        .unwrap();
        for _ in 0..crate::lockout::PER_IDENTITY.free {
            let err = change(&f, "not-the-password", "Another-9-password!").unwrap_err();
            assert!(matches!(err, CoreError::InvalidInput(_)), "{err:?}");
        }
        let err = change(&f, PASSWORD, "Another-9-password!").unwrap_err();
        assert!(matches!(err, CoreError::LimitExceeded(_)), "{err:?}");
        // Once the lock is gone the right password works and clears the count.
        f.engine
            .lockout()
            .clear(&format!("password:{}:alice", f.account()));
        change(&f, PASSWORD, "Another-9-password!").unwrap();
    }
}
