//! Sign-up: a standalone account and its root user, as `rampart account create` and `init` make them.

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, AccountRecord};
use crate::password;

/// Creates a standalone account with its root user, as if signed up.
///
/// `root_password` is checked against the root rules and stored as an argon2id hash;
/// `None` leaves the root without a password (it can only be reached by recovery).
pub fn create_account(
    txn: &mut WriteTxn<'_>,
    email: &str,
    name: &str,
    root_password: Option<&str>,
    now: i64,
) -> Result<AccountRecord, CoreError> {
    create_account_with_id(txn, None, email, name, root_password, now)
}

/// [`create_account`] with a chosen id (test mode's fixed `123456789012`).
pub fn create_account_with_id(
    txn: &mut WriteTxn<'_>,
    chosen: Option<AccountId>,
    email: &str,
    name: &str,
    root_password: Option<&str>,
    now: i64,
) -> Result<AccountRecord, CoreError> {
    let email = email.trim();
    if !looks_like_email(email) {
        return Err(CoreError::InvalidInput(format!(
            "`{email}` is not a valid email address"
        )));
    }
    if txn
        .state()
        .accounts()
        .any(|a| a.email.eq_ignore_ascii_case(email))
    {
        return Err(CoreError::EntityAlreadyExists(format!(
            "An account with email {email} already exists."
        )));
    }
    let root_password_hash = match root_password {
        Some(pw) => {
            password::check_root_password(pw, name, email)
                .map_err(|err| CoreError::InvalidInput(err.to_string()))?;
            Some(password::hash(pw)?)
        }
        None => None,
    };
    let id = match chosen {
        Some(id) if txn.state().account(&id).is_some() => {
            return Err(CoreError::EntityAlreadyExists(format!(
                "Account {id} already exists."
            )));
        }
        Some(id) => id,
        None => loop {
            let candidate = AccountId::generate();
            if txn.state().account(&candidate).is_none() {
                break candidate;
            }
        },
    };
    let record = AccountRecord {
        id: id.clone(),
        email: email.to_owned(),
        name: name.to_owned(),
        created: now,
        root_password_hash,
        alias: None,
        password_policy: None,
        alternate_contacts: Default::default(),
        contact_information: None,
        security_questions: vec![],
        root_password_changed: root_password.map(|_| now),
        regions: Default::default(),
        primary_email_update: None,
        sts_global_token_version: None,
    };
    txn.put(&record)?;
    Ok(record)
}

pub(crate) fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && email.len() <= 64
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}
