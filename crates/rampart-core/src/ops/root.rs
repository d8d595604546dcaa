//! The root user's own credentials: password change, recovery by email, and the legacy
//! security challenge questions.
//!
//! Root has its own password rules (`password::check_root_password`); the IAM password
//! policy never applies. Recovery issues a random single-use token that expires after an
//! hour; only its SHA-256 is stored. When security questions are registered, recovery also
//! requires their answers.

use crate::auth::token_digest;
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, AccountRecord, RootRecoveryRecord, SecurityQuestion};
use crate::password;
use crate::random;

/// How long a recovery link works.
pub const RECOVERY_TTL_SECONDS: i64 = 3600;
/// How many security questions an account registers.
pub const SECURITY_QUESTIONS: usize = 3;

fn account(txn: &WriteTxn<'_>, id: &AccountId) -> Result<AccountRecord, CoreError> {
    txn.state()
        .account(id)
        .map(|a| AccountRecord::clone(a))
        .ok_or_else(|| CoreError::Internal(format!("account {id} vanished")))
}

fn set_password(
    txn: &mut WriteTxn<'_>,
    mut record: AccountRecord,
    new: &str,
    now: i64,
) -> Result<(), CoreError> {
    password::check_root_password(new, &record.name, &record.email)
        .map_err(|err| CoreError::PasswordPolicyViolation(err.to_string()))?;
    record.root_password_hash = Some(password::hash(new)?);
    record.root_password_changed = Some(now);
    txn.put(&record)
}

/// Changes the root password: the email and current password must match.
pub fn change_password(
    txn: &mut WriteTxn<'_>,
    email: &str,
    old: &str,
    new: &str,
    now: i64,
) -> Result<AccountId, CoreError> {
    let denied =
        || CoreError::AccessDenied("The email address or password is incorrect.".to_owned());
    let record = txn
        .state()
        .account_by_email(email)
        .map(|a| AccountRecord::clone(a))
        .ok_or_else(denied)?;
    let verified = match record.root_password_hash.as_deref() {
        Some(phc) => password::verify(old, phc)?,
        None => false,
    };
    if !verified {
        return Err(denied());
    }
    let id = record.id.clone();
    set_password(txn, record, new, now)?;
    Ok(id)
}

/// Starts a recovery for the root whose email is `email`: returns the account, its email
/// and the token to mail, or `None` when no account has that email (callers answer the
/// same either way, so nobody can probe for accounts).
pub fn start_recovery(
    txn: &mut WriteTxn<'_>,
    email: &str,
    now: i64,
) -> Result<Option<(AccountId, String, String)>, CoreError> {
    let Some(record) = txn
        .state()
        .account_by_email(email)
        .map(|a| AccountRecord::clone(a))
    else {
        return Ok(None);
    };
    let token = data_encoding::BASE64URL_NOPAD.encode(&random::bytes::<32>());
    let pending = RootRecoveryRecord {
        account: record.id.clone(),
        expires: now + RECOVERY_TTL_SECONDS,
    };
    txn.put_under(&token_digest(&token), &pending)?;
    Ok(Some((record.id, record.email, token)))
}

/// Deletes every recovery that expired unused at `now` (a used one is deleted when used);
/// returns how many. Expired tokens already fail, so this only bounds what is stored.
pub fn drop_expired_recoveries(txn: &mut WriteTxn<'_>, now: i64) -> Result<usize, CoreError> {
    let expired: Vec<String> = txn
        .state()
        .root_recoveries
        .iter()
        .filter(|(_, pending)| pending.expires <= now)
        .map(|(digest, _)| digest.clone())
        .collect();
    for digest in &expired {
        txn.delete::<RootRecoveryRecord>(digest)?;
    }
    Ok(expired.len())
}

/// Whether `token` is a live recovery token (for showing the form).
pub fn recovery_is_valid(state: &crate::state::State, token: &str, now: i64) -> bool {
    state
        .root_recovery(&token_digest(token))
        .is_some_and(|r| r.expires > now)
}

/// The questions an account's recovery asks, if any.
pub fn recovery_questions(state: &crate::state::State, token: &str) -> Vec<String> {
    state
        .root_recovery(&token_digest(token))
        .and_then(|r| state.account(&r.account))
        .map(|a| {
            a.security_questions
                .iter()
                .map(|q| q.question.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// How a recovery with a live link ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// The password of this account was changed.
    Done(AccountId),
    /// The security answers were wrong: the link of this account is used up, so each guess
    /// costs a new mail (limited per address).
    WrongAnswers(AccountId),
}

/// Completes a recovery: a password change or wrong answers consume the token; a new
/// password that breaks the root rules does not (so the owner can try a better one).
pub fn complete_recovery(
    txn: &mut WriteTxn<'_>,
    token: &str,
    new: &str,
    answers: &[String],
    now: i64,
) -> Result<Recovery, CoreError> {
    let invalid = || {
        CoreError::AccessDenied("This password reset link is invalid or has expired.".to_owned())
    };
    let digest = token_digest(token);
    let pending = txn
        .state()
        .root_recovery(&digest)
        .map(|r| RootRecoveryRecord::clone(r))
        .ok_or_else(invalid)?;
    if pending.expires <= now {
        txn.delete::<RootRecoveryRecord>(&digest)?;
        return Err(invalid());
    }
    let record = account(txn, &pending.account)?;
    if !record.security_questions.is_empty() {
        let mut all_match = record.security_questions.len() == answers.len();
        for (question, answer) in record.security_questions.iter().zip(answers) {
            all_match &= password::verify(&normalise(answer), &question.answer_hash)?;
        }
        if !all_match {
            txn.delete::<RootRecoveryRecord>(&digest)?;
            return Ok(Recovery::WrongAnswers(pending.account));
        }
    }
    set_password(txn, record, new, now)?;
    txn.delete::<RootRecoveryRecord>(&digest)?;
    Ok(Recovery::Done(pending.account))
}

fn normalise(answer: &str) -> String {
    answer.trim().to_lowercase()
}

/// Registers the three legacy security questions (answers hashed like passwords).
pub fn set_security_questions(
    txn: &mut WriteTxn<'_>,
    id: &AccountId,
    qa: &[(String, String)],
) -> Result<(), CoreError> {
    if qa.len() != SECURITY_QUESTIONS
        || qa
            .iter()
            .any(|(q, a)| q.trim().is_empty() || a.trim().is_empty())
    {
        return Err(CoreError::InvalidInput(format!(
            "Exactly {SECURITY_QUESTIONS} questions with non-empty answers are required."
        )));
    }
    let mut record = account(txn, id)?;
    record.security_questions = qa
        .iter()
        .map(|(question, answer)| {
            Ok(SecurityQuestion {
                question: question.trim().to_owned(),
                answer_hash: password::hash(&normalise(answer))?,
            })
        })
        .collect::<Result<_, CoreError>>()?;
    txn.put(&record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;

    #[test]
    fn expired_recoveries_are_dropped_and_live_ones_kept() {
        let engine = Engine::in_memory();
        engine
            .write(|txn| crate::ops::signup::create_account(txn, "r@example.com", "r", None, 1))
            .unwrap();
        let start = |now| {
            engine
                .write(|txn| start_recovery(txn, "r@example.com", now))
                .unwrap()
                .unwrap()
                .2
        };
        let old = start(100);
        let fresh = start(100 + RECOVERY_TTL_SECONDS);
        let now = 100 + RECOVERY_TTL_SECONDS + 1;
        assert!(!recovery_is_valid(&engine.snapshot(), &old, now));
        assert_eq!(
            engine
                .write(|txn| drop_expired_recoveries(txn, now))
                .unwrap(),
            1
        );
        let state = engine.snapshot();
        assert!(state.root_recovery(&token_digest(&old)).is_none());
        assert!(recovery_is_valid(&state, &fresh, now));
        assert_eq!(
            engine
                .write(|txn| drop_expired_recoveries(txn, now))
                .unwrap(),
            0
        );
    }
}
