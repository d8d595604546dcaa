//! Authorization: what each operation is (action, resource, condition keys) and the one
//! place a request is decided, by `rampart-policy`, against the caller's policies.
//!
//! The resource ARN of an entity uses its stored path when the entity exists, and the
//! path given in the request (or `/`) otherwise, as AWS's denial messages show.

use rampart_policy::{evaluate, ContextValue, Policy, PolicySets, RequestContext, Timestamp};
use rampart_wire::{iam, sts};

use crate::auth::{Caller, Principal};
use crate::error::CoreError;
use crate::model::{AccountId, PARTITION};
use crate::state::State;

/// What a request asks to do, in IAM's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    /// `service:Action`.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
    /// Request-specific condition keys (`iam:PolicyARN`, `aws:RequestTag/…`, …).
    pub keys: Vec<(String, ContextValue)>,
}

impl Access {
    fn new(action: &str, resource: String) -> Access {
        Access { action: action.to_owned(), resource, keys: Vec::new() }
    }

    fn with_key(mut self, name: &str, value: impl Into<ContextValue>) -> Access {
        self.keys.push((name.to_owned(), value.into()));
        self
    }
}

/// Facts about the request that do not come from its input.
#[derive(Debug, Clone)]
pub struct RequestEnv {
    /// The time of the request, unix seconds.
    pub now: i64,
    /// The client's address.
    pub source_ip: std::net::IpAddr,
    /// Whether the request came over TLS.
    pub secure_transport: bool,
    /// The region the request was signed for.
    pub region: String,
}

fn user_arn(state: &State, account: &AccountId, name: &str, path: Option<&str>) -> String {
    let path = state.user(account, name).map(|u| u.record.path.clone()).or_else(|| path.map(str::to_owned));
    format!("arn:{PARTITION}:iam::{account}:user{}{name}", path.as_deref().unwrap_or("/"))
}

fn group_arn(state: &State, account: &AccountId, name: &str, path: Option<&str>) -> String {
    let path = state.group(account, name).map(|g| g.record.path.clone()).or_else(|| path.map(str::to_owned));
    format!("arn:{PARTITION}:iam::{account}:group{}{name}", path.as_deref().unwrap_or("/"))
}

/// The user an operation with an optional `UserName` targets: the named one, or the caller.
fn target_user_arn(state: &State, caller: &Caller, name: Option<&str>) -> String {
    match name {
        Some(name) => user_arn(state, &caller.account, name, None),
        None => caller.arn(),
    }
}

fn tag_keys(tags: &[iam::Tag]) -> Vec<(String, ContextValue)> {
    let mut keys: Vec<(String, ContextValue)> =
        tags.iter().map(|t| (format!("aws:RequestTag/{}", t.key), ContextValue::String(t.value.clone()))).collect();
    if !tags.is_empty() {
        keys.push(("aws:TagKeys".to_owned(), ContextValue::strings(tags.iter().map(|t| t.key.clone()))));
    }
    keys
}

/// The action, resource and keys of an IAM operation.
pub fn iam_access(state: &State, caller: &Caller, op: &iam::Operation) -> Access {
    use iam::Operation as Op;
    let account = &caller.account;
    let user = |name: &str| user_arn(state, account, name, None);
    let group = |name: &str| group_arn(state, account, name, None);
    let action = format!("iam:{}", op.name());
    let access = |resource: String| Access::new(&action, resource);
    match op {
        Op::CreateUser(i) => {
            let mut a = access(user_arn(state, account, &i.user_name, i.path.as_deref()));
            a.keys.extend(tag_keys(i.tags.as_deref().unwrap_or_default()));
            match &i.permissions_boundary {
                Some(arn) => a.with_key("iam:PermissionsBoundary", arn.as_str()),
                None => a,
            }
        }
        Op::GetUser(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::ListUsers(_) => access(format!("arn:{PARTITION}:iam::{account}:user/")),
        Op::DeleteUser(i) => access(user(&i.user_name)),
        Op::UpdateUser(i) => access(user(&i.user_name)),
        Op::TagUser(i) => {
            let mut a = access(user(&i.user_name));
            a.keys.extend(tag_keys(&i.tags));
            a
        }
        Op::UntagUser(i) => access(user(&i.user_name)).with_key("aws:TagKeys", ContextValue::strings(i.tag_keys.clone())),
        Op::ListUserTags(i) => access(user(&i.user_name)),
        Op::CreateGroup(i) => access(group_arn(state, account, &i.group_name, i.path.as_deref())),
        Op::GetGroup(i) => access(group(&i.group_name)),
        Op::DeleteGroup(i) => access(group(&i.group_name)),
        Op::ListGroups(_) => access(format!("arn:{PARTITION}:iam::{account}:group/")),
        Op::AddUserToGroup(i) => access(group(&i.group_name)),
        Op::RemoveUserFromGroup(i) => access(group(&i.group_name)),
        Op::ListGroupsForUser(i) => access(user(&i.user_name)),
        Op::CreateAccessKey(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::ListAccessKeys(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::UpdateAccessKey(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::DeleteAccessKey(i) => access(target_user_arn(state, caller, i.user_name.as_deref())),
        Op::CreatePolicy(i) => {
            let path = i.path.as_deref().unwrap_or("/");
            let mut a = access(format!("arn:{PARTITION}:iam::{account}:policy{path}{}", i.policy_name));
            a.keys.extend(tag_keys(i.tags.as_deref().unwrap_or_default()));
            a
        }
        Op::GetPolicy(i) => access(i.policy_arn.clone()),
        Op::DeletePolicy(i) => access(i.policy_arn.clone()),
        Op::GetPolicyVersion(i) => access(i.policy_arn.clone()),
        Op::ListPolicies(_) => access(format!("arn:{PARTITION}:iam::{account}:policy/")),
        Op::AttachUserPolicy(i) => access(user(&i.user_name)).with_key("iam:PolicyARN", i.policy_arn.as_str()),
        Op::DetachUserPolicy(i) => access(user(&i.user_name)).with_key("iam:PolicyARN", i.policy_arn.as_str()),
        Op::AttachGroupPolicy(i) => access(group(&i.group_name)).with_key("iam:PolicyARN", i.policy_arn.as_str()),
        Op::DetachGroupPolicy(i) => access(group(&i.group_name)).with_key("iam:PolicyARN", i.policy_arn.as_str()),
        Op::ListAttachedUserPolicies(i) => access(user(&i.user_name)),
        Op::ListAttachedGroupPolicies(i) => access(group(&i.group_name)),
        Op::PutUserPolicy(i) => access(user(&i.user_name)),
        Op::GetUserPolicy(i) => access(user(&i.user_name)),
        Op::DeleteUserPolicy(i) => access(user(&i.user_name)),
        Op::ListUserPolicies(i) => access(user(&i.user_name)),
        Op::PutGroupPolicy(i) => access(group(&i.group_name)),
        Op::GetGroupPolicy(i) => access(group(&i.group_name)),
        Op::DeleteGroupPolicy(i) => access(group(&i.group_name)),
        Op::ListGroupPolicies(i) => access(group(&i.group_name)),
        Op::GetAccountSummary(_) => access("*".to_owned()),
        other => access(format!("arn:{PARTITION}:iam::{account}:{}", other.name())),
    }
}

/// The action and resource of an STS operation.
pub fn sts_access(caller: &Caller, op: &sts::Operation) -> Access {
    match op {
        sts::Operation::GetCallerIdentity(_) => Access::new("sts:GetCallerIdentity", caller.arn()),
        other => Access::new(&format!("sts:{}", other.name()), "*".to_owned()),
    }
}

/// Every identity-based policy of the caller: its own inline and attached policies and
/// those of its groups. Root has none (it is allowed by being root).
fn identity_policies<'s>(state: &'s State, caller: &Caller) -> (Vec<&'s Policy>, Option<&'s Policy>) {
    let Principal::User { name, .. } = &caller.principal else {
        return (Vec::new(), None);
    };
    let Some(user) = state.user(&caller.account, name) else {
        return (Vec::new(), None);
    };
    let mut policies: Vec<&Policy> = user.inline.iter().map(AsRef::as_ref).collect();
    let attached = |arns: &'s [String]| arns.iter().filter_map(|arn| state.policy(arn)).map(|p| p.document.as_ref());
    policies.extend(attached(&user.record.attached_policies));
    for group_name in &user.record.groups {
        if let Some(group) = state.group(&caller.account, group_name) {
            policies.extend(group.inline.iter().map(AsRef::as_ref));
            policies.extend(attached(&group.record.attached_policies));
        }
    }
    let boundary = user
        .record
        .permissions_boundary
        .as_deref()
        .and_then(|arn| state.policy(arn))
        .map(|p| p.document.as_ref());
    (policies, boundary)
}

/// The request context the policy engine sees: the access plus the global condition keys.
pub fn request_context(caller: &Caller, access: &Access, env: &RequestEnv) -> RequestContext {
    let mut ctx = RequestContext::new(access.action.clone(), access.resource.clone(), caller.principal_info())
        .with_time(Timestamp::from_epoch_seconds(env.now))
        .with_key("aws:PrincipalArn", caller.arn())
        .with_key("aws:PrincipalAccount", caller.account.as_str())
        .with_key("aws:PrincipalType", if caller.principal == Principal::Root { "Account" } else { "User" })
        .with_key("aws:userid", caller.user_id())
        .with_key("aws:SourceIp", ContextValue::Ip(env.source_ip))
        .with_key("aws:SecureTransport", env.secure_transport)
        .with_key("aws:RequestedRegion", env.region.as_str());
    if let Some(name) = caller.user_name() {
        ctx.set_key("aws:username", name);
    }
    for (name, value) in &access.keys {
        ctx.set_key(name, value.clone());
    }
    ctx
}

/// Decides `access` for `caller`; `AccessDenied` with AWS's sentence when not allowed.
pub fn authorize(state: &State, caller: &Caller, access: &Access, env: &RequestEnv) -> Result<(), CoreError> {
    let ctx = request_context(caller, access, env);
    let (identity, boundary) = identity_policies(state, caller);
    let sets = PolicySets { identity, permissions_boundary: boundary, ..PolicySets::default() };
    let evaluation = evaluate(&ctx, &sets);
    if evaluation.is_allowed() {
        return Ok(());
    }
    let reason = evaluation.reason.unwrap_or(rampart_policy::DenialReason::NoIdentityAllow);
    Err(CoreError::AccessDenied(reason.message(&caller.arn(), &access.action, Some(&access.resource))))
}
