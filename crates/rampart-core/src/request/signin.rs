//! Console sign-in on the request path: the credential checks a person makes in the
//! browser (IAM user sign-in, the root password change, root password recovery). They are
//! the console's authentication step, so no IAM policy decides them — as in AWS — but they
//! write through the engine and are recorded like every call, as `AwsConsoleSignIn`
//! events of `signin.amazonaws.com` for the identity they concern.

use super::{Call, Origin, RequestPath};
use crate::audit::{AuditEvent, EventType};
use crate::auth::{Caller, Principal};
use crate::error::CoreError;
use crate::model::AccountId;
use crate::ops::iam::passwords::{self, SignIn};
use crate::ops::root;
use crate::state::State;

/// CloudTrail's user name for a sign-in attempt with a user name that does not exist.
const HIDDEN_USER: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// The event source of sign-in events.
const SIGNIN: &str = "signin";

impl RequestPath {
    /// An IAM user's console sign-in with `account` (id or alias), user name and password.
    pub fn console_login(
        &self,
        origin: &Origin,
        account: &str,
        user: &str,
        password: &str,
    ) -> Result<SignIn, CoreError> {
        let now = origin.env.now;
        let who = iam_user(&self.engine.snapshot(), account, user);
        let result = self
            .engine
            .write(|txn| passwords::sign_in(txn, account, user, password, now));
        self.record_sign_in(origin, who, "ConsoleLogin", &result);
        result
    }

    /// The root user changes its password with its email address and current password.
    pub fn root_password_change(
        &self,
        origin: &Origin,
        email: &str,
        old: &str,
        new: &str,
    ) -> Result<AccountId, CoreError> {
        let now = origin.env.now;
        let who = root_by_email(&self.engine.snapshot(), email);
        let result = self
            .engine
            .write(|txn| root::change_password(txn, email, old, new, now));
        self.record_sign_in(origin, who, "PasswordUpdated", &result);
        result
    }

    /// Starts a root password recovery: `(account, address, token)` to mail, or `None`
    /// when no account uses `email` (the caller answers the same either way).
    pub fn root_recovery_request(
        &self,
        origin: &Origin,
        email: &str,
    ) -> Result<Option<(AccountId, String, String)>, CoreError> {
        let now = origin.env.now;
        let who = root_by_email(&self.engine.snapshot(), email);
        let result = self
            .engine
            .write(|txn| root::start_recovery(txn, email, now));
        self.record_sign_in(origin, who, "PasswordRecoveryRequested", &result);
        result
    }

    /// Completes a root password recovery with the mailed token, a new password and the
    /// answers to the security questions, if any.
    pub fn root_recovery_complete(
        &self,
        origin: &Origin,
        token: &str,
        password: &str,
        answers: &[String],
    ) -> Result<AccountId, CoreError> {
        let now = origin.env.now;
        let result = self
            .engine
            .write(|txn| root::complete_recovery(txn, token, password, answers, now));
        // Only a valid token names an account; an invalid one concerns nobody we know.
        let who = result
            .as_ref()
            .ok()
            .map(|account| root_caller(account.clone()));
        self.record_sign_in(origin, who, "PasswordRecoveryCompleted", &result);
        result
    }

    fn record_sign_in<T>(
        &self,
        origin: &Origin,
        who: Option<Caller>,
        event_name: &str,
        result: &Result<T, CoreError>,
    ) {
        let Some(caller) = who else {
            return;
        };
        let error = result
            .as_ref()
            .err()
            .map(|err| (err.code().code(), err.client_message()));
        let call = Call {
            caller,
            origin: origin.clone(),
        };
        let mut event = AuditEvent::new(
            &call,
            SIGNIN,
            event_name,
            EventType::AwsConsoleSignIn,
            error
                .as_ref()
                .map(|(code, message)| (*code, message.as_str())),
        );
        event.set_sign_in_outcome(result.is_ok());
        self.record(event);
    }
}

/// The root user of `account`, as a caller with no access key.
pub fn root_caller(account: AccountId) -> Caller {
    Caller {
        account,
        principal: Principal::Root,
        access_key_id: String::new(),
        session: None,
    }
}

/// The IAM user `name` of `account`, as a caller with no access key.
pub fn user_caller(state: &State, account: &AccountId, name: &str) -> Option<Caller> {
    let user = state.user(account, name)?;
    Some(Caller {
        account: account.clone(),
        principal: Principal::User {
            name: user.record.name.clone(),
            id: user.record.id.clone(),
            arn: user.record.arn(),
        },
        access_key_id: String::new(),
        session: None,
    })
}

fn root_by_email(state: &State, email: &str) -> Option<Caller> {
    state
        .account_by_email(email)
        .map(|account| root_caller(account.id.clone()))
}

/// Who an IAM sign-in attempt concerns: the user, or a hidden name in a known account.
fn iam_user(state: &State, account: &str, user: &str) -> Option<Caller> {
    let account = AccountId::parse(account).or_else(|| {
        state
            .accounts()
            .find(|a| a.alias.as_deref() == Some(account))
            .map(|a| a.id.clone())
    })?;
    state.account(&account)?;
    user_caller(state, &account, user).or_else(|| {
        Some(Caller {
            account: account.clone(),
            principal: Principal::User {
                name: HIDDEN_USER.to_owned(),
                id: String::new(),
                arn: format!("arn:aws:iam::{account}:user/{HIDDEN_USER}"),
            },
            access_key_id: String::new(),
            session: None,
        })
    })
}
