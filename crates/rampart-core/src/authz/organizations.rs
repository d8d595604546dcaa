//! The Organizations table: each operation's action (`organizations:` + its name), resource
//! ARN (Service Authorization Reference resource types `account`, `handshake`,
//! `organization`, `ou`, `policy`, `resourcepolicy`, `responsibilitytransfer`, `root`, or
//! `*`) and request condition keys
//! (`organizations:PolicyType`, `organizations:ServicePrincipal`, `aws:RequestTag/…`,
//! `aws:TagKeys`).
//!
//! Reads the snapshot only to name existing resources; decides nothing.

use rampart_wire::organizations as wire;

use super::Access;
use crate::auth::Caller;
use crate::model::{AccountId, PARTITION};
use crate::state::State;

/// The action, resource and keys of an Organizations operation (Service Authorization
/// Reference: resource types account, handshake, organization, ou, policy, root). Outside
/// an organization every resource is `*`.
pub fn access(state: &State, caller: &Caller, op: &wire::Operation) -> Access {
    use wire::Operation as Op;
    let action = format!("organizations:{}", op.name());
    let Some((org, _)) = state.org_of(&caller.account) else {
        return Access::new(&action, "*".to_owned());
    };
    let account =
        |id: &str| AccountId::parse(id).map_or_else(|| "*".to_owned(), |a| org.account_arn(&a));
    // A transfer as the caller's side sees it (inbound for the organization that manages).
    let transfer = |id: &str| {
        state.responsibility_transfer(id).map_or_else(
            || "*".to_owned(),
            |t| {
                let direction = if t.target == caller.account {
                    "inbound"
                } else {
                    "outbound"
                };
                format!(
                    "arn:{PARTITION}:organizations::{}:transfer/{}/billing/{direction}/{id}",
                    org.management, org.id
                )
            },
        )
    };
    // A root, OU, account, policy, delegation policy or transfer id, as its ARN.
    let entity = |id: &str| {
        if id.starts_with("rp-") {
            resource_policy(state, org)
        } else if id.starts_with("rt-") {
            transfer(id)
        } else if id == org.root_id {
            org.root_arn()
        } else if id.starts_with("ou-") {
            org.ou_arn(id)
        } else if id.starts_with("p-") {
            state
                .org_policy(id)
                .map_or_else(|| "*".to_owned(), |p| p.record.arn())
        } else {
            account(id)
        }
    };
    let handshake = |id: &str| {
        state.handshake(id).map_or_else(
            || "*".to_owned(),
            |h| {
                format!(
                    "arn:{PARTITION}:organizations::{}:handshake/{}/{}/{id}",
                    h.management,
                    h.org,
                    h.action.to_ascii_lowercase()
                )
            },
        )
    };
    let access = |resource: String| Access::new(&action, resource);
    let policy_type = |id: &str| state.org_policy(id).map(|p| p.record.policy_type.clone());
    match op {
        Op::DescribeOrganization(_) | Op::DeleteOrganization(_) => access(org.arn()),
        Op::CreateOrganizationalUnit(i) => {
            access(entity(&i.parent_id)).with_tags(tags(i.tags.as_deref()))
        }
        Op::DescribeOrganizationalUnit(i) => access(entity(&i.organizational_unit_id)),
        Op::UpdateOrganizationalUnit(i) => access(entity(&i.organizational_unit_id)),
        Op::DeleteOrganizationalUnit(i) => access(entity(&i.organizational_unit_id)),
        Op::ListOrganizationalUnitsForParent(i) => access(entity(&i.parent_id)),
        Op::ListChildren(i) => access(entity(&i.parent_id)),
        Op::ListParents(i) => access(entity(&i.child_id)),
        Op::ListAccountsForParent(i) => access(entity(&i.parent_id)),
        Op::CreateAccount(i) => access("*".to_owned()).with_tags(tags(i.tags.as_deref())),
        Op::CreateGovCloudAccount(i) => access("*".to_owned()).with_tags(tags(i.tags.as_deref())),
        Op::ListDelegatedServicesForAccount(i) => access(account(&i.account_id)),
        Op::ListEffectivePolicyValidationErrors(i) => access(account(&i.account_id))
            .with_key("organizations:PolicyType", i.policy_type.as_str()),
        Op::ListAccountsWithInvalidEffectivePolicy(i) => {
            access("*".to_owned()).with_key("organizations:PolicyType", i.policy_type.as_str())
        }
        Op::PutResourcePolicy(i) => {
            access(resource_policy(state, org)).with_tags(tags(i.tags.as_deref()))
        }
        Op::DescribeResourcePolicy(_) | Op::DeleteResourcePolicy(_) => {
            access(resource_policy(state, org))
        }
        Op::DescribeResponsibilityTransfer(i) => access(transfer(&i.id)),
        Op::UpdateResponsibilityTransfer(i) => access(transfer(&i.id)),
        Op::TerminateResponsibilityTransfer(i) => access(transfer(&i.id)),
        Op::InviteOrganizationToTransferResponsibility(i) => {
            access("*".to_owned()).with_tags(tags(i.tags.as_deref()))
        }
        Op::DescribeAccount(i) => access(account(&i.account_id)),
        Op::MoveAccount(i) => access(account(&i.account_id)),
        Op::RemoveAccountFromOrganization(i) => access(account(&i.account_id)),
        Op::CloseAccount(i) => access(account(&i.account_id)),
        Op::InviteAccountToOrganization(i) => {
            access("*".to_owned()).with_tags(tags(i.tags.as_deref()))
        }
        Op::AcceptHandshake(i) => access(handshake(&i.handshake_id)),
        Op::DeclineHandshake(i) => access(handshake(&i.handshake_id)),
        Op::CancelHandshake(i) => access(handshake(&i.handshake_id)),
        Op::DescribeHandshake(i) => access(handshake(&i.handshake_id)),
        Op::EnablePolicyType(i) => {
            access(entity(&i.root_id)).with_key("organizations:PolicyType", i.policy_type.as_str())
        }
        Op::DisablePolicyType(i) => {
            access(entity(&i.root_id)).with_key("organizations:PolicyType", i.policy_type.as_str())
        }
        Op::CreatePolicy(i) => access("*".to_owned())
            .with_key("organizations:PolicyType", i.policy_type.as_str())
            .with_tags(tags(i.tags.as_deref())),
        Op::UpdatePolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::DeletePolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::DescribePolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::ListTargetsForPolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::AttachPolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::DetachPolicy(i) => {
            with_policy_type(access(entity(&i.policy_id)), policy_type(&i.policy_id))
        }
        Op::ListPolicies(i) => {
            access("*".to_owned()).with_key("organizations:PolicyType", i.filter.as_str())
        }
        Op::ListPoliciesForTarget(i) => {
            access(entity(&i.target_id)).with_key("organizations:PolicyType", i.filter.as_str())
        }
        Op::DescribeEffectivePolicy(i) => {
            let target = i
                .target_id
                .clone()
                .unwrap_or_else(|| caller.account.as_str().to_owned());
            access(entity(&target)).with_key("organizations:PolicyType", i.policy_type.as_str())
        }
        Op::TagResource(i) => {
            access(entity(&i.resource_id)).with_tags(tags(Some(i.tags.as_slice())))
        }
        Op::UntagResource(i) => access(entity(&i.resource_id)).with_tag_keys(&i.tag_keys),
        Op::ListTagsForResource(i) => access(entity(&i.resource_id)),
        Op::EnableAWSServiceAccess(i) => access("*".to_owned()).with_key(
            "organizations:ServicePrincipal",
            i.service_principal.as_str(),
        ),
        Op::DisableAWSServiceAccess(i) => access("*".to_owned()).with_key(
            "organizations:ServicePrincipal",
            i.service_principal.as_str(),
        ),
        Op::RegisterDelegatedAdministrator(i) => access(account(&i.account_id)).with_key(
            "organizations:ServicePrincipal",
            i.service_principal.as_str(),
        ),
        Op::DeregisterDelegatedAdministrator(i) => access(account(&i.account_id)).with_key(
            "organizations:ServicePrincipal",
            i.service_principal.as_str(),
        ),
        Op::ListDelegatedAdministrators(i) => match &i.service_principal {
            Some(p) => {
                access("*".to_owned()).with_key("organizations:ServicePrincipal", p.as_str())
            }
            None => access("*".to_owned()),
        },
        // No resource type in the Service Authorization Reference.
        Op::CreateOrganization(_)
        | Op::LeaveOrganization(_)
        | Op::ListRoots(_)
        | Op::DescribeCreateAccountStatus(_)
        | Op::ListCreateAccountStatus(_)
        | Op::ListAccounts(_)
        | Op::ListHandshakesForAccount(_)
        | Op::ListHandshakesForOrganization(_)
        | Op::ListAWSServiceAccessForOrganization(_)
        | Op::EnableAllFeatures(_)
        | Op::ListInboundResponsibilityTransfers(_)
        | Op::ListOutboundResponsibilityTransfers(_) => access("*".to_owned()),
    }
}

/// The ARN of the organization's delegation policy, `*` while it has none.
fn resource_policy(state: &State, org: &crate::model::OrganizationRecord) -> String {
    state
        .org_resource_policy(&org.id)
        .map_or_else(|| "*".to_owned(), |p| p.record.arn())
}

fn with_policy_type(access: Access, policy_type: Option<String>) -> Access {
    match policy_type {
        Some(t) => access.with_key("organizations:PolicyType", t),
        None => access,
    }
}

/// The `(key, value)` pairs of optional Organizations tags.
fn tags(tags: Option<&[wire::Tag]>) -> impl Iterator<Item = (&str, &str)> {
    tags.unwrap_or_default()
        .iter()
        .map(|t| (t.key.as_str(), t.value.as_str()))
}
