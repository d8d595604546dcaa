//! Who is calling: the principal behind an access key, as authentication establishes it.
//!
//! SigV4 verification itself lives in `rampart-sigv4`; this module answers the one
//! question it asks of storage (the secret of an access key id) and describes the caller
//! to the authorizer and to `GetCallerIdentity`.

use rampart_policy::{PrincipalInfo, PrincipalKind};

use crate::model::{AccountId, KeyStatus};
use std::sync::Arc;

use crate::secrets::{MasterKey, SecretBytes};
use crate::session_token;
use crate::state::{SessionEntry, State};

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
    /// A federated user from `GetFederationToken`.
    FederatedUser {
        /// The federated user's name.
        name: String,
        /// The IAM user that called `GetFederationToken` (`None`: root).
        parent_user: Option<String>,
    },
    /// A role session from `AssumeRole`.
    AssumedRole {
        /// The role's name.
        role_name: String,
        /// The role's `AROA…` id.
        role_id: String,
        /// The role's ARN (path included).
        role_arn: String,
        /// The session name.
        session_name: String,
    },
}

/// Where a temporary session comes from. Both carry MFA presence and issue time into
/// authorization; only STS sessions are subject to STS's rules on which services a session
/// may call (a plain `GetSessionToken` session cannot call IAM, a console sign-in can).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// STS credentials: an `ASIA…` key with its session token.
    Sts,
    /// A console sign-in: password, plus an MFA code when the principal has a device.
    Console,
}

/// What a temporary session adds to its principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionContext {
    /// Where the session comes from.
    pub kind: SessionKind,
    /// Issue time, unix seconds.
    pub issued: i64,
    /// When MFA was verified for the session.
    pub mfa_authenticated_at: Option<i64>,
    /// Whether it is a role session obtained by role chaining.
    pub chained: bool,
    /// `SourceIdentity`.
    pub source_identity: Option<String>,
    /// Whether it is an `AssumeRoot` session (`aws:AssumedRoot`).
    pub assumed_root: bool,
    /// For STS credentials: the session opened from its token (session policies, tags).
    pub sts: Option<StsSession>,
}

/// An STS session opened from its token for one request. Two are equal when they are the
/// same opening (the session itself is immutable).
#[derive(Debug, Clone)]
pub struct StsSession(pub Arc<SessionEntry>);

impl PartialEq for StsSession {
    fn eq(&self, other: &StsSession) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for StsSession {}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The account the principal belongs to.
    pub account: AccountId,
    /// Who it is.
    pub principal: Principal,
    /// The access key that signed the request.
    pub access_key_id: String,
    /// Present when the key is temporary (`ASIA…`).
    pub session: Option<SessionContext>,
}

impl Caller {
    /// The principal's ARN (`…:root` for the root user).
    pub fn arn(&self) -> String {
        match &self.principal {
            Principal::Root => self.account.root_arn(),
            Principal::User { arn, .. } => arn.clone(),
            Principal::AssumedRole {
                role_name,
                session_name,
                ..
            } => {
                format!(
                    "arn:aws:sts::{}:assumed-role/{role_name}/{session_name}",
                    self.account
                )
            }
            Principal::FederatedUser { name, .. } => {
                format!("arn:aws:sts::{}:federated-user/{name}", self.account)
            }
        }
    }

    /// `aws:userid`: the account id for root, the unique id for a user.
    pub fn user_id(&self) -> String {
        match &self.principal {
            Principal::Root => self.account.as_str().to_owned(),
            Principal::User { id, .. } => id.clone(),
            Principal::AssumedRole {
                role_id,
                session_name,
                ..
            } => format!("{role_id}:{session_name}"),
            Principal::FederatedUser { name, .. } => format!("{}:{name}", self.account),
        }
    }

    /// The IAM user name, when the caller is one.
    pub fn user_name(&self) -> Option<&str> {
        match &self.principal {
            Principal::User { name, .. } => Some(name),
            Principal::Root | Principal::AssumedRole { .. } | Principal::FederatedUser { .. } => {
                None
            }
        }
    }

    /// The principal as the policy engine describes it.
    pub fn principal_info(&self) -> PrincipalInfo {
        match &self.principal {
            Principal::Root => PrincipalInfo::root(self.account.as_str()),
            Principal::User { id, arn, .. } => {
                PrincipalInfo::new(PrincipalKind::User, arn.clone(), self.account.as_str())
                    .with_unique_id(id.clone())
            }
            Principal::AssumedRole {
                role_arn,
                session_name,
                ..
            } => PrincipalInfo::assumed_role(role_arn, session_name)
                .with_unique_id(self.user_id())
                // SCPs never restrict service-linked roles (policy-evaluation.md §5.1).
                .with_service_linked_role(role_arn.contains(":role/aws-service-role/")),
            Principal::FederatedUser { name, parent_user } => {
                let parent = match parent_user {
                    Some(user) => format!("arn:aws:iam::{}:user/{user}", self.account),
                    None => self.account.root_arn(),
                };
                PrincipalInfo::federated_user(&parent, name).with_unique_id(self.user_id())
            }
        }
    }

    /// `aws:PrincipalType`.
    pub fn principal_type(&self) -> &'static str {
        match self.principal {
            Principal::Root => "Account",
            Principal::User { .. } => "User",
            Principal::AssumedRole { .. } => "AssumedRole",
            Principal::FederatedUser { .. } => "FederatedUser",
        }
    }
}

/// Why an access key does not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Unknown, deleted or inactive key, its owner is gone, or the session token does not
    /// belong to it: `InvalidClientTokenId`.
    #[error("The security token included in the request is invalid.")]
    InvalidClientTokenId,
    /// A temporary key past its expiry: `ExpiredToken`.
    #[error("The security token included in the request is expired")]
    ExpiredToken,
}

/// SHA-256 of a token, hex; what the store keeps instead of a token (root recovery).
pub fn token_digest(token: &str) -> String {
    use sha2::Digest;
    data_encoding::HEXLOWER.encode(&sha2::Sha256::digest(token.as_bytes()))
}

/// The secret a request must have been signed with: a long-term key's, in the snapshot,
/// or a session's, opened from its token.
#[derive(Debug)]
pub enum Secret<'s> {
    /// An access key's secret.
    Key(&'s SecretBytes),
    /// A session's secret.
    Session(Arc<SessionEntry>),
}

impl Secret<'_> {
    /// The secret's bytes, for SigV4.
    pub fn expose(&self) -> &[u8] {
        match self {
            Secret::Key(secret) => secret.expose(),
            Secret::Session(session) => session.secret.expose(),
        }
    }
}

/// The caller behind `access_key_id` (with its session token, for `ASIA…` keys, opened
/// with `master`) and the secret that must have signed the request.
pub fn lookup_credentials<'s>(
    state: &'s State,
    master: &MasterKey,
    access_key_id: &str,
    security_token: Option<&str>,
    now: i64,
) -> Result<(Caller, Secret<'s>), AuthError> {
    match security_token {
        Some(token) => {
            // A session token presented with a long-term key is not that key's.
            let session = session_token::open(master, access_key_id, token)
                .ok_or(AuthError::InvalidClientTokenId)?;
            lookup_session(state, Arc::new(session), now)
        }
        None => lookup_access_key(state, master, access_key_id)
            .map(|(caller, secret)| (caller, Secret::Key(secret))),
    }
}

fn lookup_session<'s>(
    state: &'s State,
    session: Arc<SessionEntry>,
    now: i64,
) -> Result<(Caller, Secret<'s>), AuthError> {
    let record = &session.record;
    if now >= record.expires {
        return Err(AuthError::ExpiredToken);
    }
    let account = record.account.clone();
    let principal = match &record.principal {
        crate::model::SessionPrincipal::Root => Principal::Root,
        crate::model::SessionPrincipal::User { name } => {
            let user = state
                .user(&account, name)
                .ok_or(AuthError::InvalidClientTokenId)?;
            Principal::User {
                name: user.record.name.clone(),
                id: user.record.id.clone(),
                arn: user.record.arn(),
            }
        }
        crate::model::SessionPrincipal::FederatedUser { name, parent_user } => {
            if let Some(user) = parent_user {
                state
                    .user(&account, user)
                    .ok_or(AuthError::InvalidClientTokenId)?;
            }
            Principal::FederatedUser {
                name: name.clone(),
                parent_user: parent_user.clone(),
            }
        }
        crate::model::SessionPrincipal::AssumedRole { role, session_name } => {
            let role = state
                .role(&account, role)
                .ok_or(AuthError::InvalidClientTokenId)?;
            Principal::AssumedRole {
                role_name: role.record.name.clone(),
                role_id: role.record.id.clone(),
                role_arn: role.record.arn(),
                session_name: session_name.clone(),
            }
        }
    };
    let context = SessionContext {
        kind: SessionKind::Sts,
        issued: record.issued,
        mfa_authenticated_at: record.mfa_authenticated_at,
        chained: record.chained,
        source_identity: record.source_identity.clone(),
        assumed_root: record.assumed_root.is_some(),
        sts: Some(StsSession(Arc::clone(&session))),
    };
    let caller = Caller {
        account,
        principal,
        access_key_id: record.id.clone(),
        session: Some(context),
    };
    Ok((caller, Secret::Session(session)))
}

/// The caller behind a long-term `access_key_id` and its secret.
pub fn lookup_access_key<'s>(
    state: &'s State,
    master: &MasterKey,
    access_key_id: &str,
) -> Result<(Caller, &'s SecretBytes), AuthError> {
    let entry = state
        .access_key(access_key_id)
        .ok_or(AuthError::InvalidClientTokenId)?;
    if entry.record.status != KeyStatus::Active {
        return Err(AuthError::InvalidClientTokenId);
    }
    let account = entry.record.account.clone();
    state
        .account(&account)
        .ok_or(AuthError::InvalidClientTokenId)?;
    // Only a damaged row or a master key that is not the one that sealed it gets here.
    let secret = entry.secret(master).map_err(|err| {
        tracing::error!(access_key_id, %err, "stored access key secret does not open");
        AuthError::InvalidClientTokenId
    })?;
    let principal = match &entry.record.user {
        None => Principal::Root,
        Some(name) => {
            let user = state
                .user(&account, name)
                .ok_or(AuthError::InvalidClientTokenId)?;
            Principal::User {
                name: user.record.name.clone(),
                id: user.record.id.clone(),
                arn: user.record.arn(),
            }
        }
    };
    Ok((
        Caller {
            account,
            principal,
            access_key_id: access_key_id.to_owned(),
            session: None,
        },
        secret,
    ))
}
