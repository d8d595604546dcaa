//! STS operations: caller identity, session tokens and role sessions; delegated access
//! ([`delegated_access`]) and outbound web identity tokens ([`web_identity`]).

use rampart_wire::Timestamp;
use rampart_wire::sts::{self as wire, Operation, Output};
use rampart_wire::xml::Sensitive;

use crate::auth::{Caller, Principal};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::{AccountId, MfaOwner, SessionPrincipal, SessionRecord, Tag};
use crate::ops::iam::{mfa_devices, policies, roles};
use crate::random;
use crate::session_token;
use crate::state::State;

pub mod delegated_access;
pub mod web_identity;

/// `GetSessionToken` limits (seconds): IAM users 900..=129600, default 12 h; root at most 1 h.
const USER_SESSION_DEFAULT: i64 = 43_200;
const ROOT_SESSION_MAX: i64 = 3600;
/// Role sessions default to one hour; chained role sessions may not exceed it.
const ROLE_SESSION_DEFAULT: i64 = 3600;
const CHAINED_SESSION_MAX: i64 = 3600;
/// Plain-text budget of session policies (inline + managed), characters.
const SESSION_POLICY_BUDGET: usize = 2048;

/// AWS's message when an MFA code cannot be checked.
const MFA_FAILED: &str = crate::mfa::STS_MFA_FAILED_MESSAGE;

/// The MFA device and code an STS request carries, if any.
pub fn mfa_in(op: &Operation) -> Option<(&str, &str)> {
    let (serial, code) = match op {
        Operation::GetSessionToken(i) => (i.serial_number.as_deref(), i.token_code.as_deref()),
        Operation::AssumeRole(i) => (i.serial_number.as_deref(), i.token_code.as_deref()),
        _ => (None, None),
    };
    serial.zip(code)
}

/// An MFA code an STS request presented and [`check_mfa`] accepted: the operation's write
/// consumes it, after authorization.
#[derive(Debug, Clone)]
pub struct PresentedMfa {
    owner: MfaOwner,
    serial: String,
    code: String,
}

/// What STS admission learned: the MFA code presented (to consume) and the Region the
/// call was signed for (which decides the version of the tokens it issues).
#[derive(Debug, Clone)]
pub struct StsAdmission {
    /// The MFA code [`check_mfa`] accepted, if one was presented.
    pub mfa: Option<PresentedMfa>,
    /// The Region the call was signed for.
    pub region: String,
}

/// The Region of the global STS endpoint (`sts.amazonaws.com` signs for `us-east-1`).
/// Rampart cannot tell the global endpoint from the regional `us-east-1` one; it treats
/// every `us-east-1` call as the global endpoint's.
pub const GLOBAL_ENDPOINT_REGION: &str = "us-east-1";

/// The version of the tokens a call signed for `region` issues to `account`: the global
/// endpoint issues the account's preference (version 1 unless it chose 2), every
/// regional endpoint version 2.
pub fn token_version(state: &crate::state::State, account: &AccountId, region: &str) -> u8 {
    if region != GLOBAL_ENDPOINT_REGION {
        return 2;
    }
    state
        .account(account)
        .and_then(|a| a.sts_global_token_version)
        .unwrap_or(1)
}

/// Checks the MFA code of an STS request without consuming it, before the request is
/// authorized, so the trust policy sees `aws:MultiFactorAuthPresent`. Returns the code to
/// consume when one was presented.
pub fn check_mfa(
    engine: &Engine,
    state: &State,
    caller: &Caller,
    op: &Operation,
    now: i64,
) -> Result<Option<PresentedMfa>, CoreError> {
    let serial_only = match op {
        Operation::GetSessionToken(i) => i.serial_number.is_some() != i.token_code.is_some(),
        Operation::AssumeRole(i) => i.serial_number.is_some() != i.token_code.is_some(),
        _ => false,
    };
    if serial_only {
        return Err(CoreError::AccessDenied(MFA_FAILED.to_owned()));
    }
    let Some((serial, code)) = mfa_in(op) else {
        return Ok(None);
    };
    let owner = match &caller.principal {
        Principal::Root => MfaOwner::Root,
        Principal::User { name, .. } => MfaOwner::User(name.clone()),
        Principal::AssumedRole { .. } | Principal::FederatedUser { .. } => {
            return Err(CoreError::AccessDenied(MFA_FAILED.to_owned()));
        }
    };
    // Guessing codes is bounded per device (lockout.rs); a locked device answers like a
    // wrong code, so the lock tells an attacker nothing.
    let failed = || CoreError::AccessDenied(MFA_FAILED.to_owned());
    mfa_devices::guarded(
        engine,
        serial,
        now,
        failed,
        |_| true,
        || {
            mfa_devices::check_code(
                state,
                engine.master(),
                &caller.account,
                &owner,
                serial,
                code,
                now,
            )
        },
    )?;
    Ok(Some(PresentedMfa {
        owner,
        serial: serial.to_owned(),
        code: code.to_owned(),
    }))
}

/// Executes an STS operation for an authenticated, authorized caller. `mfa` is the code
/// [`check_mfa`] accepted for this request, consumed by the operation's write.
pub fn execute(
    engine: &Engine,
    caller: &Caller,
    op: &Operation,
    admission: StsAdmission,
    now: i64,
) -> Result<Output, CoreError> {
    let StsAdmission { mfa, region } = admission;
    let version = token_version(&engine.snapshot(), &caller.account, &region);
    let engine = &Issuer { engine, version };
    match op {
        Operation::GetCallerIdentity(_) => Ok(Output::from(wire::GetCallerIdentityOutput {
            user_id: caller.user_id(),
            account: caller.account.as_str().to_owned(),
            arn: caller.arn(),
        })),
        Operation::GetSessionToken(i) => get_session_token(engine, caller, i, mfa, now),
        Operation::AssumeRole(i) => assume_role(engine, caller, i, mfa, now),
        Operation::GetFederationToken(i) => get_federation_token(engine, caller, i, now),
        Operation::GetAccessKeyInfo(i) => {
            let snapshot = engine.snapshot();
            let account = snapshot
                .access_key(&i.access_key_id)
                .map(|k| k.record.account.clone())
                .or_else(|| session_token::account_of_temporary_key(&i.access_key_id))
                .ok_or_else(|| {
                    CoreError::AccessDenied(format!(
                        "The access key {} does not exist.",
                        i.access_key_id
                    ))
                })?;
            Ok(wire::GetAccessKeyInfoOutput {
                account: account.as_str().to_owned(),
            }
            .into())
        }
        // Rampart never issues encoded authorization messages, so none can be decoded.
        Operation::DecodeAuthorizationMessage(_) => Err(CoreError::InvalidAuthorizationMessage(
            "The message is invalid.".to_owned(),
        )),
        Operation::AssumeRoot(i) => assume_root(engine, caller, i, now),
        Operation::GetDelegatedAccessToken(i) => {
            delegated_access::get_delegated_access_token(engine, caller, i, now)
        }
        Operation::GetWebIdentityToken(i) => {
            web_identity::get_web_identity_token(engine, caller, i, now)
        }
    }
}

/// Fresh temporary credentials of `account`: (ASIA id, secret).
fn new_credentials(account: &AccountId) -> (String, String) {
    (
        session_token::temporary_key_id(account),
        random::secret_access_key(),
    )
}

fn wire_credentials(id: &str, secret: String, token: String, expires: i64) -> wire::Credentials {
    wire::Credentials {
        access_key_id: id.to_owned(),
        secret_access_key: Sensitive::new(secret),
        session_token: Sensitive::new(token),
        expiration: Timestamp(expires),
    }
}

fn get_session_token(
    engine: &Issuer<'_>,
    caller: &Caller,
    i: &wire::GetSessionTokenInput,
    mfa: Option<PresentedMfa>,
    now: i64,
) -> Result<Output, CoreError> {
    if caller.session.is_some() {
        return Err(CoreError::AccessDenied(
            "Cannot call GetSessionToken with session credentials".to_owned(),
        ));
    }
    let principal = match &caller.principal {
        Principal::Root => SessionPrincipal::Root,
        Principal::User { name, .. } => SessionPrincipal::User { name: name.clone() },
        Principal::AssumedRole { .. } | Principal::FederatedUser { .. } => {
            return Err(CoreError::AccessDenied(
                "Cannot call GetSessionToken with session credentials".to_owned(),
            ));
        }
    };
    let requested = i.duration_seconds.map_or(USER_SESSION_DEFAULT, i64::from);
    // Root sessions are silently cut to one hour, as AWS does.
    let duration = if principal == SessionPrincipal::Root {
        requested.min(ROOT_SESSION_MAX)
    } else {
        requested
    };
    let (id, secret) = new_credentials(&caller.account);
    let expires = now + duration;
    let record = SessionRecord {
        id: id.clone(),
        account: caller.account.clone(),
        principal,
        issued: now,
        expires,
        mfa_authenticated_at: mfa.is_some().then_some(now),
        session_policies: None,
        source_identity: None,
        tags: vec![],
        chained: false,
        assumed_root: None,
        delegation_request: None,
    };
    let token = issue_session(engine, &record, &secret, mfa.as_ref())?;
    Ok(wire::GetSessionTokenOutput {
        credentials: wire_credentials(&id, secret, token, expires),
    }
    .into())
}

/// `GetFederationToken` limits: 900..=129600 s for IAM users (default 12 h), one hour for root.
fn get_federation_token(
    engine: &Issuer<'_>,
    caller: &Caller,
    i: &wire::GetFederationTokenInput,
    now: i64,
) -> Result<Output, CoreError> {
    let parent_user = match &caller.principal {
        Principal::Root => None,
        Principal::User { name, .. } if caller.session.is_none() => Some(name.clone()),
        _ => {
            return Err(CoreError::AccessDenied(
                "Cannot call GetFederationToken with session credentials".to_owned(),
            ));
        }
    };
    let requested = i.duration_seconds.map_or(USER_SESSION_DEFAULT, i64::from);
    let duration = if parent_user.is_none() {
        requested.min(ROOT_SESSION_MAX)
    } else {
        requested
    };
    let snapshot = engine.snapshot();
    let (texts, tags, packed) = session_inputs(
        &snapshot,
        i.policy.as_deref(),
        i.policy_arns.as_deref(),
        i.tags.as_deref(),
    )?;
    let (id, secret) = new_credentials(&caller.account);
    let expires = now + duration;
    let passed_something = !texts.is_empty() || !tags.is_empty();
    let record = SessionRecord {
        id: id.clone(),
        account: caller.account.clone(),
        principal: SessionPrincipal::FederatedUser {
            name: i.name.clone(),
            parent_user,
        },
        issued: now,
        expires,
        mfa_authenticated_at: None,
        // A federated session without a session policy has no permissions: an empty set of
        // session policies allows nothing.
        session_policies: Some(texts),
        source_identity: None,
        tags,
        chained: false,
        assumed_root: None,
        delegation_request: None,
    };
    let token = issue_session(engine, &record, &secret, None)?;
    Ok(wire::GetFederationTokenOutput {
        credentials: wire_credentials(&id, secret, token, expires),
        federated_user: wire::FederatedUser {
            federated_user_id: format!("{}:{}", caller.account, i.name),
            arn: format!("arn:aws:sts::{}:federated-user/{}", caller.account, i.name),
        },
        packed_policy_size: passed_something.then(|| i32::try_from(packed).unwrap_or(i32::MAX)),
    }
    .into())
}

/// The engine and the version of the tokens this call issues.
struct Issuer<'a> {
    engine: &'a Engine,
    version: u8,
}

impl std::ops::Deref for Issuer<'_> {
    type Target = Engine;
    fn deref(&self) -> &Engine {
        self.engine
    }
}

/// The session token of `record`: the session itself, sealed (nothing is stored). The MFA
/// code that vouched for it is consumed first, durably, so a code is spent exactly when a
/// session is issued.
fn issue_session(
    engine: &Issuer<'_>,
    record: &SessionRecord,
    secret: &str,
    mfa: Option<&PresentedMfa>,
) -> Result<String, CoreError> {
    if let Some(mfa) = mfa {
        // A session is issued at the request's `now`, the time the code was checked at.
        let (account, now) = (&record.account, record.issued);
        engine.write(|txn| {
            mfa_devices::use_code(txn, account, &mfa.owner, &mfa.serial, &mfa.code, now)
        })?;
    }
    session_token::seal(engine.master(), record, secret, engine.version)
}

fn assume_role(
    engine: &Issuer<'_>,
    caller: &Caller,
    i: &wire::AssumeRoleInput,
    mfa: Option<PresentedMfa>,
    now: i64,
) -> Result<Output, CoreError> {
    let denied = || {
        CoreError::AccessDenied(format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
            caller.arn(),
            i.role_arn
        ))
    };
    let snapshot = engine.snapshot();
    let (account, name) = roles::parse_role_arn(&i.role_arn).ok_or_else(denied)?;
    let role = snapshot.role(&account, name).ok_or_else(denied)?;
    if matches!(caller.principal, Principal::FederatedUser { .. }) {
        return Err(denied());
    }
    let chained = matches!(caller.principal, Principal::AssumedRole { .. });
    let duration = i.duration_seconds.map_or(ROLE_SESSION_DEFAULT, i64::from);
    if chained && duration > CHAINED_SESSION_MAX {
        return Err(CoreError::Validation(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.".to_owned(),
        ));
    }
    if duration > role.record.max_session_duration {
        return Err(CoreError::Validation(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
                .to_owned(),
        ));
    }
    let (texts, tags, packed) = session_inputs(
        &snapshot,
        i.policy.as_deref(),
        i.policy_arns.as_deref(),
        i.tags.as_deref(),
    )?;
    let session_name = i.role_session_name.clone();
    let (id, secret) = new_credentials(&role.record.account);
    let expires = now + duration;
    let source_identity = caller
        .session
        .as_ref()
        .and_then(|s| s.source_identity.clone())
        .or_else(|| i.source_identity.clone());
    let record = SessionRecord {
        id: id.clone(),
        account: role.record.account.clone(),
        principal: SessionPrincipal::AssumedRole {
            role: role.record.name.clone(),
            session_name: session_name.clone(),
        },
        issued: now,
        expires,
        mfa_authenticated_at: if mfa.is_some() {
            Some(now)
        } else {
            caller.session.as_ref().and_then(|s| s.mfa_authenticated_at)
        },
        session_policies: (!texts.is_empty()).then_some(texts.clone()),
        source_identity: source_identity.clone(),
        tags: tags.clone(),
        chained,
        assumed_root: None,
        delegation_request: None,
    };
    let role_name = role.record.name.clone();
    let assumed_role_id = format!("{}:{session_name}", role.record.id);
    let arn = format!(
        "arn:aws:sts::{}:assumed-role/{role_name}/{session_name}",
        role.record.account
    );
    let token = issue_session(engine, &record, &secret, mfa.as_ref())?;
    let passed_something = !texts.is_empty() || !tags.is_empty();
    Ok(wire::AssumeRoleOutput {
        credentials: wire_credentials(&id, secret, token, expires),
        assumed_role_user: wire::AssumedRoleUser {
            assumed_role_id,
            arn,
        },
        packed_policy_size: passed_something.then(|| i32::try_from(packed).unwrap_or(i32::MAX)),
        source_identity,
    }
    .into())
}

/// `AssumeRoot` sessions last at most (and by default) 15 minutes.
const ROOT_SESSION_DEFAULT: i64 = 900;

/// `sts:AssumeRoot` (organizations.md §10, policy-evaluation.md §7.3): an IAM principal of
/// the management account (or of the IAM delegated administrator) gets a root session of a
/// member account, limited by the task policy, which the session carries as its session
/// policy. Trusted access for `iam.amazonaws.com` and the `RootSessions` feature must be on.
fn assume_root(
    engine: &Issuer<'_>,
    caller: &Caller,
    i: &wire::AssumeRootInput,
    now: i64,
) -> Result<Output, CoreError> {
    use crate::ops::organizations;
    let task_arn = i.task_policy_arn.arn.clone().unwrap_or_default();
    let denied = || {
        CoreError::AccessDenied(format!(
            "User: {} is not authorized to perform: sts:AssumeRoot on resource: {}",
            caller.arn(),
            i.target_principal
        ))
    };
    if matches!(caller.principal, Principal::Root) {
        return Err(denied());
    }
    let snapshot = engine.snapshot();
    let ctx = organizations::context(&snapshot, &caller.account).map_err(|_| denied())?;
    let iam_admin = ctx
        .org
        .delegated_admins
        .iter()
        .any(|(a, p, _)| a == &caller.account && p == "iam.amazonaws.com");
    if ctx.standing != organizations::Standing::Management && !iam_admin {
        return Err(denied());
    }
    // Root sessions need trusted access for IAM and the RootSessions feature (§10).
    if !organizations::delegation::access_enabled(&ctx.org, "iam.amazonaws.com")
        || !ctx
            .org
            .root_features
            .iter()
            .any(|f| f == crate::ops::iam::root_access::ROOT_SESSIONS)
    {
        return Err(denied());
    }
    let target_text = i
        .target_principal
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.strip_suffix(":root"))
        .unwrap_or(&i.target_principal);
    let target = crate::model::AccountId::parse(target_text).ok_or_else(denied)?;
    let member = snapshot
        .org_member(&target)
        .filter(|m| m.org == ctx.org.id && target != ctx.org.management)
        .ok_or_else(denied)?;
    let task = snapshot
        .policy(&task_arn)
        .filter(|p| p.record.account.is_none() && p.record.path == "/root-task/")
        .ok_or_else(|| {
            CoreError::Validation(format!(
                "The TaskPolicyArn {task_arn} is not a valid root task policy."
            ))
        })?;
    let document = task
        .record
        .default_document()
        .unwrap_or_default()
        .to_owned();
    let duration = i
        .duration_seconds
        .map_or(ROOT_SESSION_DEFAULT, i64::from)
        .clamp(0, ROOT_SESSION_DEFAULT);
    let (id, secret) = new_credentials(&member.account);
    let expires = now + duration;
    let record = SessionRecord {
        id: id.clone(),
        account: member.account.clone(),
        principal: SessionPrincipal::Root,
        issued: now,
        expires,
        mfa_authenticated_at: None,
        session_policies: Some(vec![document]),
        source_identity: None,
        tags: vec![],
        chained: false,
        assumed_root: Some(task_arn),
        delegation_request: None,
    };
    let token = issue_session(engine, &record, &secret, None)?;
    Ok(wire::AssumeRootOutput {
        credentials: wire_credentials(&id, secret, token, expires),
        source_identity: None,
    }
    .into())
}

/// The session policies (inline, then managed by ARN) and tags a request passes, checked
/// against the packed-size budget; returns them with the percentage used.
fn session_inputs(
    snapshot: &crate::state::State,
    policy: Option<&str>,
    policy_arns: Option<&[wire::PolicyDescriptor]>,
    tags: Option<&[wire::Tag]>,
) -> Result<(Vec<String>, Vec<Tag>, usize), CoreError> {
    let mut texts = Vec::new();
    if let Some(policy) = policy {
        policies::validate(policy, rampart_policy::PolicyKind::Session)?;
        texts.push(policy.to_owned());
    }
    for descriptor in policy_arns.unwrap_or_default() {
        let arn = descriptor.arn.as_deref().unwrap_or_default();
        let entry = snapshot
            .policy(arn)
            .ok_or_else(|| policies::not_attachable(arn))?;
        texts.push(
            entry
                .record
                .default_document()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    let tags: Vec<Tag> = tags
        .unwrap_or_default()
        .iter()
        .map(|t| Tag {
            key: t.key.clone(),
            value: t.value.clone(),
        })
        .collect();
    let packed = packed_policy_percent(&texts, &tags);
    if packed > 100 {
        return Err(CoreError::PackedPolicyTooLarge(format!(
            "Packed policy consumes {packed}% of allotted space, please use smaller policy for your session."
        )));
    }
    Ok((texts, tags, packed))
}

/// An estimate of the packed size of session policies and tags, as a percentage of AWS's
/// budget (the packing algorithm is unpublished; this one is monotone in the input).
fn packed_policy_percent(policies: &[String], tags: &[Tag]) -> usize {
    let policy_chars: usize = policies
        .iter()
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    let tag_chars: usize = tags.iter().map(|t| t.key.len() + t.value.len()).sum();
    (policy_chars + tag_chars * 2) * 100 / SESSION_POLICY_BUDGET
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rampart_wire::sts as wire;

    use crate::auth::{AuthError, check_token_region, lookup_credentials};
    use crate::engine::Engine;
    use crate::request::signin::root_caller;
    use crate::request::sts::Sts;
    use crate::request::{Call, Origin, RequestPath};
    use crate::store::Store;
    use crate::store::memory::MemoryStore;

    #[test]
    fn issuing_a_session_stores_nothing_and_a_node_that_never_saw_it_verifies_it() {
        let store = Arc::new(MemoryStore::new());
        let engine = Arc::new(Engine::over(store.clone()));
        let requests = RequestPath::new(Arc::clone(&engine), None);
        let origin = Origin::cli(1_700_000_000);
        let account = requests
            .create_account(&origin, "sts@example.com", "s", None)
            .unwrap();
        // Another node with the same master key, loaded before the session existed.
        let other = Engine::over(store.clone());
        let seq = store.current_seq().unwrap();
        let root = Call::cli(root_caller(account.id.clone()), 1_700_000_001);
        let op = wire::Operation::GetSessionToken(wire::GetSessionTokenInput::default());
        let wire::Output::GetSessionToken(out) = requests.run::<Sts>(&root, &op).unwrap() else {
            panic!("not a GetSessionToken answer");
        };
        assert_eq!(store.current_seq().unwrap(), seq, "issuing wrote no row");
        let creds = out.credentials;
        let token = creds.session_token.expose();
        let (id, now) = (creds.access_key_id.as_str(), 1_700_000_002);
        let snapshot = other.snapshot();
        let (caller, secret) =
            lookup_credentials(&snapshot, other.master(), id, Some(token), now).unwrap();
        assert_eq!(caller.account, account.id);
        assert_eq!(secret.expose(), creds.secret_access_key.expose().as_bytes());
        assert_eq!(caller.session.unwrap().issued, 1_700_000_001);
        let info = wire::Operation::GetAccessKeyInfo(wire::GetAccessKeyInfoInput {
            access_key_id: id.to_owned(),
        });
        let wire::Output::GetAccessKeyInfo(info) = requests.run::<Sts>(&root, &info).unwrap()
        else {
            panic!("not a GetAccessKeyInfo answer");
        };
        assert_eq!(info.account, account.id.as_str());
        let expired = creds.expiration.0;
        let late = lookup_credentials(&snapshot, other.master(), id, Some(token), expired);
        assert_eq!(late.err(), Some(AuthError::ExpiredToken));
        let no_token = lookup_credentials(&snapshot, other.master(), id, None, now);
        assert_eq!(no_token.err(), Some(AuthError::InvalidClientTokenId));
    }

    #[test]
    fn global_endpoint_v1_tokens_are_refused_in_opt_in_regions() {
        let engine = Arc::new(Engine::in_memory());
        let requests = RequestPath::new(Arc::clone(&engine), None);
        let origin = Origin::cli(1_700_000_000);
        let account = requests
            .create_account(&origin, "v1@example.com", "v", None)
            .unwrap();
        let token_in = |region: &str| {
            let mut call = Call::cli(root_caller(account.id.clone()), 1_700_000_001);
            call.origin.env.region = region.to_owned();
            let op = wire::Operation::GetSessionToken(wire::GetSessionTokenInput::default());
            let wire::Output::GetSessionToken(out) = requests.run::<Sts>(&call, &op).unwrap()
            else {
                panic!("not a GetSessionToken answer");
            };
            let creds = out.credentials;
            let snapshot = engine.snapshot();
            let (caller, _) = lookup_credentials(
                &snapshot,
                engine.master(),
                &creds.access_key_id,
                Some(creds.session_token.expose()),
                1_700_000_002,
            )
            .unwrap();
            caller
        };
        let global = token_in("us-east-1");
        assert_eq!(check_token_region(&global, "us-west-2"), Ok(()));
        assert_eq!(
            check_token_region(&global, "ap-east-1"),
            Err(AuthError::InvalidClientTokenId)
        );
        let regional = token_in("eu-west-1");
        assert_eq!(check_token_region(&regional, "ap-east-1"), Ok(()));
        // After choosing v2, the global endpoint's tokens work everywhere.
        engine
            .write(|txn| {
                let mut record = txn.state().account(&account.id).unwrap().as_ref().clone();
                record.sts_global_token_version = Some(2);
                txn.put(&record)
            })
            .unwrap();
        assert_eq!(
            check_token_region(&token_in("us-east-1"), "ap-east-1"),
            Ok(())
        );
    }
}
