//! Who is calling: the principal behind an access key, as authentication establishes it.
//!
//! SigV4 verification itself lives in `rampart-sigv4`; this module answers the one
//! question it asks of storage (the secret of an access key id) and describes the caller
//! to the authorizer and to `GetCallerIdentity`.

use rampart_policy::{PrincipalInfo, PrincipalKind};

use crate::model::{AccountId, KeyStatus};
use crate::secrets::SecretBytes;
use crate::state::State;

/// The principal an authenticated request acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// The account's root user.
    Root,
    /// An IAM user.
    User {
        /// User name as created.
        name: String,
        /// `AIDA…` unique id.
        id: String,
        /// Full ARN, path included.
        arn: String,
    },
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The account the principal belongs to.
    pub account: AccountId,
    /// Who it is.
    pub principal: Principal,
    /// The access key that signed the request.
    pub access_key_id: String,
}

impl Caller {
    /// The principal's ARN (`…:root` for the root user).
    pub fn arn(&self) -> String {
        match &self.principal {
            Principal::Root => self.account.root_arn(),
            Principal::User { arn, .. } => arn.clone(),
        }
    }

    /// `aws:userid`: the account id for root, the unique id for a user.
    pub fn user_id(&self) -> String {
        match &self.principal {
            Principal::Root => self.account.as_str().to_owned(),
            Principal::User { id, .. } => id.clone(),
        }
    }

    /// The IAM user name, when the caller is one.
    pub fn user_name(&self) -> Option<&str> {
        match &self.principal {
            Principal::Root => None,
            Principal::User { name, .. } => Some(name),
        }
    }

    /// The principal as the policy engine describes it.
    pub fn principal_info(&self) -> PrincipalInfo {
        match &self.principal {
            Principal::Root => PrincipalInfo::root(self.account.as_str()),
            Principal::User { id, arn, .. } => {
                PrincipalInfo::new(PrincipalKind::User, arn.clone(), self.account.as_str()).with_unique_id(id.clone())
            }
        }
    }
}

/// Why an access key does not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Unknown, deleted or inactive key, or its owner is gone: `InvalidClientTokenId`.
    #[error("The security token included in the request is invalid.")]
    InvalidClientTokenId,
}

/// The caller behind `access_key_id` and the secret that must have signed the request.
pub fn lookup_access_key<'s>(state: &'s State, access_key_id: &str) -> Result<(Caller, &'s SecretBytes), AuthError> {
    let entry = state.access_key(access_key_id).ok_or(AuthError::InvalidClientTokenId)?;
    if entry.record.status != KeyStatus::Active {
        return Err(AuthError::InvalidClientTokenId);
    }
    let account = entry.record.account.clone();
    state.account(&account).ok_or(AuthError::InvalidClientTokenId)?;
    let principal = match &entry.record.user {
        None => Principal::Root,
        Some(name) => {
            let user = state.user(&account, name).ok_or(AuthError::InvalidClientTokenId)?;
            Principal::User { name: user.record.name.clone(), id: user.record.id.clone(), arn: user.record.arn() }
        }
    };
    Ok((Caller { account, principal, access_key_id: access_key_id.to_owned() }, &entry.secret))
}
