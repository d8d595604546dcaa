//! The STS table: each operation's action, resource ARN and request condition keys
//! (`sts:RoleSessionName`, `sts:ExternalId`, `sts:SourceIdentity`, `sts:TransitiveTagKeys`,
//! `sts:TaskPolicyArn`, `sts:IdentityTokenAudience`, `sts:DurationSeconds`,
//! `sts:SigningAlgorithm`, `aws:RequestTag/…`), and the resource-based policy that also decides
//! `AssumeRole`: the trust policy of the role it targets.
//!
//! Reads the snapshot only to find that role; decides nothing.

use rampart_policy::ContextValue;
use rampart_wire::sts as wire;

use super::{Access, ResourcePolicy};
use crate::auth::Caller;
use crate::model::{AccountId, PARTITION};
use crate::state::State;

/// The action and resource of an STS operation; `mfa` says a valid MFA code came with it.
pub fn access(caller: &Caller, op: &wire::Operation, mfa: bool) -> Access {
    let access = access_without_mfa(caller, op);
    if mfa {
        access
            .with_key("aws:MultiFactorAuthPresent", true)
            .with_key("aws:MultiFactorAuthAge", 0.0)
    } else {
        access
    }
}

fn access_without_mfa(caller: &Caller, op: &wire::Operation) -> Access {
    match op {
        wire::Operation::GetCallerIdentity(_) => Access::new("sts:GetCallerIdentity", caller.arn()),
        wire::Operation::GetSessionToken(_) => Access::new("sts:GetSessionToken", caller.arn()),
        wire::Operation::GetFederationToken(i) => Access::new(
            "sts:GetFederationToken",
            format!(
                "arn:{PARTITION}:sts::{}:federated-user/{}",
                caller.account, i.name
            ),
        )
        .with_tags(tags(i.tags.as_deref())),
        wire::Operation::GetAccessKeyInfo(_) => Access::new("sts:GetAccessKeyInfo", "*".to_owned()),
        wire::Operation::DecodeAuthorizationMessage(_) => {
            Access::new("sts:DecodeAuthorizationMessage", "*".to_owned())
        }
        wire::Operation::AssumeRole(i) => {
            let mut a = Access::new("sts:AssumeRole", i.role_arn.clone())
                .with_key("sts:RoleSessionName", i.role_session_name.as_str());
            if let Some(external_id) = &i.external_id {
                a = a.with_key("sts:ExternalId", external_id.as_str());
            }
            if let Some(source) = &i.source_identity {
                a = a.with_key("sts:SourceIdentity", source.as_str());
            }
            a = a.with_tags(tags(i.tags.as_deref()));
            if let Some(keys) = &i.transitive_tag_keys {
                a = a.with_key("sts:TransitiveTagKeys", ContextValue::strings(keys.clone()));
            }
            a
        }
        wire::Operation::GetDelegatedAccessToken(_) => {
            Access::new("sts:GetDelegatedAccessToken", "*".to_owned())
        }
        wire::Operation::GetWebIdentityToken(i) => {
            let mut a = Access::new("sts:GetWebIdentityToken", "*".to_owned())
                .with_key(
                    "sts:IdentityTokenAudience",
                    ContextValue::strings(i.audience.clone()),
                )
                .with_key("sts:SigningAlgorithm", i.signing_algorithm.as_str());
            if let Some(d) = i.duration_seconds {
                a = a.with_key("sts:DurationSeconds", f64::from(d));
            }
            a.with_tags(tags(i.tags.as_deref()))
        }
        wire::Operation::AssumeRoot(i) => {
            let target = AccountId::parse(&i.target_principal)
                .map_or_else(|| i.target_principal.clone(), |a| a.root_arn());
            let a = Access::new("sts:AssumeRoot", target);
            match &i.task_policy_arn.arn {
                Some(arn) => a.with_key("sts:TaskPolicyArn", arn.as_str()),
                None => a,
            }
        }
    }
}

/// The resource-based policy an STS operation is also decided by: for `AssumeRole`, the
/// trust policy of the role it targets (`None` when that role does not exist).
pub fn resource_policy<'s>(state: &'s State, op: &wire::Operation) -> Option<ResourcePolicy<'s>> {
    match op {
        wire::Operation::AssumeRole(i) => {
            let (account, name) = crate::arns::parse_role_arn(&i.role_arn)?;
            let role = state.role(&account, name)?;
            Some(ResourcePolicy {
                policy: role.trust.as_ref(),
                account: &role.record.account,
            })
        }
        _ => None,
    }
}

/// The `(key, value)` pairs of optional STS session tags.
fn tags(tags: Option<&[wire::Tag]>) -> impl Iterator<Item = (&str, &str)> {
    tags.unwrap_or_default()
        .iter()
        .map(|t| (t.key.as_str(), t.value.as_str()))
}
