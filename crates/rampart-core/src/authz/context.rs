//! The request context the policy engine sees: the access table's action, resource and
//! keys, the global condition keys of the caller and the request (`aws:PrincipalArn`,
//! `aws:SourceIp`, MFA and session keys, …), and what the snapshot adds (the principal's
//! organization path and tags, the target resource's tags).
//!
//! Reads the snapshot; decides nothing (that is `decide`).

use rampart_policy::{ContextValue, RequestContext, Timestamp};

use super::{Access, RequestEnv};
use crate::auth::{Caller, Principal};
use crate::model::AccountId;
use crate::org_tree;
use crate::state::State;

/// The request context the policy engine sees: the access plus the global condition keys.
pub fn request_context(caller: &Caller, access: &Access, env: &RequestEnv) -> RequestContext {
    let mut ctx = RequestContext::new(
        access.action.clone(),
        access.resource.clone(),
        caller.principal_info(),
    )
    .with_time(Timestamp::from_epoch_seconds(env.now))
    .with_key("aws:PrincipalArn", principal_arn(caller))
    .with_key("aws:PrincipalAccount", caller.account.as_str())
    .with_key("aws:PrincipalType", caller.principal_type())
    .with_key("aws:userid", caller.user_id())
    .with_key("aws:SourceIp", ContextValue::Ip(env.source_ip))
    .with_key("aws:SecureTransport", env.secure_transport)
    .with_key("aws:RequestedRegion", env.region.as_str());
    if let Some(name) = caller.user_name() {
        ctx.set_key("aws:username", name);
    }
    // Long-term keys carry no MFA keys at all; temporary credentials say whether MFA was used.
    if let Some(session) = &caller.session {
        ctx.set_key(
            "aws:TokenIssueTime",
            ContextValue::Date(Timestamp::from_epoch_seconds(session.issued)),
        );
        match session.mfa_authenticated_at {
            Some(at) => {
                ctx.set_key("aws:MultiFactorAuthPresent", true);
                #[expect(
                    clippy::cast_precision_loss,
                    reason = "ages in seconds are far below 2^53"
                )]
                let age = (env.now - at).max(0) as f64;
                ctx.set_key("aws:MultiFactorAuthAge", age);
            }
            None => ctx.set_key("aws:MultiFactorAuthPresent", false),
        }
        if let Some(source) = &session.source_identity {
            ctx.set_key("aws:SourceIdentity", source.as_str());
        }
        if session.assumed_root {
            ctx.set_key("aws:AssumedRoot", true);
        }
    }
    for (name, value) in &access.keys {
        ctx.set_key(name, value.clone());
    }
    ctx
}

/// `aws:PrincipalArn`: for a role session it is the role's ARN, not the session's.
fn principal_arn(caller: &Caller) -> String {
    match &caller.principal {
        Principal::AssumedRole { role_arn, .. } => role_arn.clone(),
        _ => caller.arn(),
    }
}

/// [`request_context`] plus what the snapshot knows: the principal's organization and
/// tags, and the target resource's tags.
pub(super) fn full_context(
    state: &State,
    caller: &Caller,
    access: &Access,
    env: &RequestEnv,
) -> RequestContext {
    let mut ctx = request_context(caller, access, env);
    if let Some((org, member)) = state.org_of(&caller.account) {
        ctx.set_key("aws:PrincipalOrgID", org.id.as_str());
        let path = org_tree::entity_path(state, org, &member.parent, caller.account.as_str());
        ctx.set_key("aws:PrincipalOrgPaths", ContextValue::strings([path]));
    }
    for tag in principal_tags(state, caller) {
        ctx.set_key(&format!("aws:PrincipalTag/{}", tag.key), tag.value.as_str());
    }
    // Request-specific keys (set by the access table) win over the resource's own tags.
    for tag in resource_tags(state, &access.resource) {
        for prefix in ["aws:ResourceTag/", "iam:ResourceTag/"] {
            let name = format!("{prefix}{}", tag.key);
            if ctx.get(&name).is_none() {
                ctx.set_key(&name, tag.value.as_str());
            }
        }
    }
    ctx
}

/// `aws:PrincipalTag/*`: the user's or role's tags; a role session's tags override the
/// role's, and federated users carry their session tags.
pub fn principal_tags(state: &State, caller: &Caller) -> Vec<crate::model::Tag> {
    let session_tags = caller
        .session
        .as_ref()
        .and_then(|s| s.sts.as_ref())
        .map(|s| s.0.record.tags.clone())
        .unwrap_or_default();
    let mut tags = match &caller.principal {
        Principal::User { name, .. } => state
            .user(&caller.account, name)
            .map(|u| u.record.tags.clone())
            .unwrap_or_default(),
        Principal::AssumedRole { role_name, .. } => state
            .role(&caller.account, role_name)
            .map(|r| r.record.tags.clone())
            .unwrap_or_default(),
        Principal::FederatedUser { .. } | Principal::Root => Vec::new(),
    };
    for tag in session_tags {
        tags.retain(|t| !t.key.eq_ignore_ascii_case(&tag.key));
        tags.push(tag);
    }
    tags
}

/// `aws:ResourceTag/*` of an IAM user, role or managed policy named by `arn`.
fn resource_tags(state: &State, arn: &str) -> Vec<crate::model::Tag> {
    let Some(rest) = arn.strip_prefix("arn:aws:iam::") else {
        return Vec::new();
    };
    let Some((account, resource)) = rest.split_once(':') else {
        return Vec::new();
    };
    let Some(account) = AccountId::parse(account) else {
        return Vec::new();
    };
    let name = resource.rsplit('/').next().unwrap_or_default();
    if resource.starts_with("user/") {
        state
            .user(&account, name)
            .map(|u| u.record.tags.clone())
            .unwrap_or_default()
    } else if resource.starts_with("role/") {
        state
            .role(&account, name)
            .map(|r| r.record.tags.clone())
            .unwrap_or_default()
    } else if resource.starts_with("policy/") {
        state
            .policy(arn)
            .map(|p| p.record.tags.clone())
            .unwrap_or_default()
    } else {
        Vec::new()
    }
}
