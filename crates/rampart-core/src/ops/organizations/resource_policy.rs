//! The organization's resource-based delegation policy (organizations.md §3, §6):
//! `PutResourcePolicy`, `DescribeResourcePolicy`, `DeleteResourcePolicy`, and what the policy
//! does. A member account's principal that the policy allows may call the Organizations
//! read operations and the policy-management operations it names, as a delegated
//! administrator of Organizations ("Delegated administrator for AWS Organizations",
//! Organizations User Guide). The request path decides such a call as a cross-account one:
//! the caller's own identity policies and the delegation policy must both allow it
//! ([`needs_delegation`] says when the policy is in play); the handler then lets the caller
//! act with [`super::Standing::DelegatedByPolicy`].

use rampart_policy::{Effect, Policy, PolicyKind};
use rampart_wire::organizations::{self as wire, Operation as Op, Output};

use super::{Execution, Standing};
use crate::auth::Caller;
use crate::authz::ResourcePolicy;
use crate::engine::WriteTxn;
use crate::error::{CoreError, InvalidInputReason};
use crate::model::{OrgResourcePolicyRecord, Tag};
use crate::state::State;

/// Operations a delegation policy can grant, beyond what a member may call anyway: the
/// read-only operations of delegated administrators, and policy management.
const DELEGATABLE_READS: &[&str] = &[
    "DescribeAccount",
    "DescribeCreateAccountStatus",
    "DescribeEffectivePolicy",
    "DescribeOrganizationalUnit",
    "DescribePolicy",
    "DescribeResourcePolicy",
    "ListAWSServiceAccessForOrganization",
    "ListAccounts",
    "ListAccountsForParent",
    "ListAccountsWithInvalidEffectivePolicy",
    "ListChildren",
    "ListCreateAccountStatus",
    "ListDelegatedAdministrators",
    "ListDelegatedServicesForAccount",
    "ListEffectivePolicyValidationErrors",
    "ListHandshakesForOrganization",
    "ListOrganizationalUnitsForParent",
    "ListParents",
    "ListPolicies",
    "ListPoliciesForTarget",
    "ListRoots",
    "ListTagsForResource",
    "ListTargetsForPolicy",
];

/// Policy management a delegation policy can grant (only the management account has it
/// otherwise).
const DELEGATABLE_WRITES: &[&str] = &[
    "AttachPolicy",
    "CreatePolicy",
    "DeletePolicy",
    "DetachPolicy",
    "DisablePolicyType",
    "EnablePolicyType",
    "TagResource",
    "UntagResource",
    "UpdatePolicy",
];

/// `PutResourcePolicy`, by the management account: creates or replaces the policy.
pub fn put_resource_policy(
    cx: &Execution<'_>,
    input: &wire::PutResourcePolicyInput,
) -> Result<Output, CoreError> {
    validate(&input.content)?;
    let tags = super::tags::from_wire(input.tags.as_deref())?;
    let record = cx.write_in_org(|txn, ctx| {
        ctx.require_management()?;
        put(txn, ctx, &input.content, tags.clone())
    })?;
    Ok(wire::PutResourcePolicyOutput {
        resource_policy: to_wire(&record),
    }
    .into())
}

/// `DescribeResourcePolicy`, by the management account or a delegated administrator.
pub fn describe_resource_policy(
    cx: &Execution<'_>,
    _input: &wire::DescribeResourcePolicyInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let entry = cx
        .state()
        .org_resource_policy(&ctx.org.id)
        .ok_or(CoreError::ResourcePolicyNotFound)?;
    Ok(wire::DescribeResourcePolicyOutput {
        resource_policy: to_wire(&entry.record),
    }
    .into())
}

/// `DeleteResourcePolicy`, by the management account.
pub fn delete_resource_policy(
    cx: &Execution<'_>,
    _input: &wire::DeleteResourcePolicyInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| {
        ctx.require_management()?;
        if txn.state().org_resource_policy(&ctx.org.id).is_none() {
            return Err(CoreError::ResourcePolicyNotFound);
        }
        txn.delete::<OrgResourcePolicyRecord>(&ctx.org.id)
    })?;
    Ok(Output::Empty)
}

/// Whether `caller`'s call of `op` is one only the delegation policy can allow: the caller
/// is a member (not the management account) of an organization that has a delegation
/// policy, and the operation is delegatable but beyond the caller's own standing.
pub fn needs_delegation(state: &State, caller: &Caller, op: &Op) -> bool {
    let Ok(ctx) = super::context(state, &caller.account) else {
        return false;
    };
    if state.org_resource_policy(&ctx.org.id).is_none() {
        return false;
    }
    let name = op.name();
    // A member may describe its own effective policy without any delegation (§3).
    if let Op::DescribeEffectivePolicy(i) = op
        && i.target_id
            .as_deref()
            .is_none_or(|t| t == caller.account.as_str())
    {
        return false;
    }
    match ctx.standing {
        Standing::Management | Standing::DelegatedByPolicy => false,
        Standing::DelegatedAdmin => DELEGATABLE_WRITES.contains(&name),
        Standing::Member => DELEGATABLE_READS.contains(&name) || DELEGATABLE_WRITES.contains(&name),
    }
}

/// The delegation policy of `caller`'s organization, owned by its management account.
pub fn delegation_policy<'s>(state: &'s State, caller: &Caller) -> Option<ResourcePolicy<'s>> {
    let (org, _) = state.org_of(&caller.account)?;
    let entry = state.org_resource_policy(&org.id)?;
    Some(ResourcePolicy {
        policy: &entry.document,
        account: &org.management,
    })
}

/// The wire form.
fn to_wire(record: &OrgResourcePolicyRecord) -> wire::ResourcePolicy {
    wire::ResourcePolicy {
        resource_policy_summary: wire::ResourcePolicySummary {
            id: record.id.clone(),
            arn: record.arn(),
        },
        content: record.content.clone(),
    }
}

/// Stores the policy, keeping its id (and tags, when none are given) on a replacement.
fn put(
    txn: &mut WriteTxn<'_>,
    ctx: &super::OrgCtx,
    content: &str,
    tags: Vec<Tag>,
) -> Result<OrgResourcePolicyRecord, CoreError> {
    let existing = txn.state().org_resource_policy(&ctx.org.id);
    let id = existing.map_or_else(
        || super::fresh_id("rp-", 8, |_| false),
        |e| e.record.id.clone(),
    );
    let tags = match existing {
        Some(e) if tags.is_empty() => e.record.tags.clone(),
        _ => tags,
    };
    let record = OrgResourcePolicyRecord {
        id,
        org: ctx.org.id.clone(),
        management: ctx.org.management.clone(),
        content: content.to_owned(),
        tags,
    };
    txn.put(&record)?;
    Ok(record)
}

/// Checks a delegation policy: a resource policy whose principals are AWS accounts or their
/// IAM principals, whose actions are delegatable Organizations actions and whose resources
/// are Organizations resources.
fn validate(content: &str) -> Result<(), CoreError> {
    let invalid = |reason| CoreError::InvalidOrganizationsInput(reason);
    let policy = Policy::parse(content, PolicyKind::Resource)
        .map_err(|_| invalid(InvalidInputReason::InvalidResourcePolicyJson))?;
    let json: serde_json::Value = serde_json::from_str(content)
        .map_err(|_| invalid(InvalidInputReason::InvalidResourcePolicyJson))?;
    let statements = match json.get("Statement") {
        Some(serde_json::Value::Array(list)) => list.clone(),
        Some(one) => vec![one.clone()],
        None => vec![],
    };
    let null = serde_json::Value::Null;
    if !statements
        .iter()
        .all(|s| principal_ok(s.get("Principal").unwrap_or(&null)))
    {
        return Err(invalid(InvalidInputReason::InvalidPrincipal));
    }
    for statement in policy.document().statements() {
        let (actions, not) = statement.actions();
        let supported = |a: &String| {
            a.split_once(':').is_some_and(|(service, name)| {
                service.eq_ignore_ascii_case("organizations")
                    && (name.contains(['*', '?'])
                        || DELEGATABLE_READS.contains(&name)
                        || DELEGATABLE_WRITES.contains(&name))
            })
        };
        if statement.effect() == Effect::Allow && (not || !actions.iter().all(supported)) {
            return Err(invalid(
                InvalidInputReason::UnsupportedActionInResourcePolicy,
            ));
        }
        if let Some((resources, _)) = statement.resources()
            && !resources
                .iter()
                .all(|r| r == "*" || r.starts_with("arn:aws:organizations::"))
        {
            return Err(invalid(
                InvalidInputReason::UnsupportedResourceInResourcePolicy,
            ));
        }
    }
    Ok(())
}

/// A principal element naming AWS accounts or IAM principals only (`{"AWS": …}`).
fn principal_ok(principal: &serde_json::Value) -> bool {
    let account_principal = |v: &serde_json::Value| {
        v.as_str().is_some_and(|p| {
            crate::model::AccountId::parse(p).is_some()
                || p.strip_prefix("arn:aws:iam::").is_some_and(|rest| {
                    rest.split_once(':')
                        .is_some_and(|(acct, _)| crate::model::AccountId::parse(acct).is_some())
                })
        })
    };
    match principal.get("AWS") {
        Some(serde_json::Value::Array(list))
            if principal.as_object().is_some_and(|o| o.len() == 1) =>
        {
            !list.is_empty() && list.iter().all(account_principal)
        }
        Some(one) if principal.as_object().is_some_and(|o| o.len() == 1) => account_principal(one),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::testing::{failure, member, organization, run, run_delegated};
    use super::*;

    fn policy(account: &str, actions: &[&str]) -> String {
        json!({"Version": "2012-10-17", "Statement": [{"Sid": "Delegate", "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
            "Action": actions, "Resource": "*"}]})
        .to_string()
    }

    #[test]
    fn the_policy_is_put_described_replaced_and_deleted_by_the_management_account() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let got = failure(run(
            &engine,
            &management,
            "DescribeResourcePolicy",
            json!({}),
        ));
        assert_eq!(got.0, ErrorCode::ResourcePolicyNotFoundException);
        let content = policy(dev.as_str(), &["organizations:List*"]);
        let Output::PutResourcePolicy(put) = run(
            &engine,
            &management,
            "PutResourcePolicy",
            json!({"Content": content}),
        )
        .unwrap() else {
            panic!("wrong output")
        };
        let summary = put.resource_policy.resource_policy_summary;
        assert!(summary.id.starts_with("rp-"));
        assert!(summary.arn.contains(":resourcepolicy/o-"));
        // The delegation policy is taggable like the organization's other resources.
        let tag = json!({"ResourceId": summary.id, "Tags": [{"Key": "team", "Value": "sec"}]});
        run(&engine, &management, "TagResource", tag).unwrap();
        let Output::ListTagsForResource(tags) = run(
            &engine,
            &management,
            "ListTagsForResource",
            json!({"ResourceId": summary.id}),
        )
        .unwrap() else {
            panic!("wrong output")
        };
        assert_eq!(tags.tags.len(), 1);
        let replaced = policy(dev.as_str(), &["organizations:Describe*"]);
        let Output::PutResourcePolicy(again) = run(
            &engine,
            &management,
            "PutResourcePolicy",
            json!({"Content": replaced}),
        )
        .unwrap() else {
            panic!("wrong output")
        };
        assert_eq!(again.resource_policy.resource_policy_summary.id, summary.id);
        assert_eq!(again.resource_policy.content, replaced);
        let got = failure(run(
            &engine,
            &dev,
            "PutResourcePolicy",
            json!({"Content": replaced}),
        ));
        assert_eq!(got.0, ErrorCode::AccessDenied);
        run(&engine, &management, "DeleteResourcePolicy", json!({})).unwrap();
        let got = failure(run(&engine, &management, "DeleteResourcePolicy", json!({})));
        assert_eq!(got.0, ErrorCode::ResourcePolicyNotFoundException);
    }

    #[test]
    fn policies_that_cannot_delegate_are_refused_with_their_reason() {
        let (engine, management) = organization();
        let put = |content: String| {
            failure(run(
                &engine,
                &management,
                "PutResourcePolicy",
                json!({"Content": content}),
            ))
        };
        assert_eq!(
            put("{not json".to_owned()),
            (
                ErrorCode::InvalidInputException,
                Some("INVALID_RESOURCE_POLICY_JSON")
            )
        );
        let everyone = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": "*", "Action": "organizations:ListAccounts", "Resource": "*"}]});
        assert_eq!(put(everyone.to_string()).1, Some("INVALID_PRINCIPAL"));
        let create = policy("222222222222", &["organizations:CreateAccount"]);
        assert_eq!(put(create).1, Some("UNSUPPORTED_ACTION_IN_RESOURCE_POLICY"));
    }

    #[test]
    fn the_policy_brings_delegatable_calls_of_members_into_play() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let caller = |account: &crate::model::AccountId| Caller {
            account: account.clone(),
            principal: crate::auth::Principal::Root,
            access_key_id: "AKIAIOSFODNN7EXAMPLE".to_owned(),
            session: None,
        };
        let op = |name: &str, input| Op::decode(name, &input).unwrap();
        let list = op("ListAccounts", json!({}));
        let create = op(
            "CreatePolicy",
            json!({"Content": "{}", "Description": "", "Name": "n", "Type": "TAG_POLICY"}),
        );
        assert!(!needs_delegation(&engine.snapshot(), &caller(&dev), &list));
        let content = policy(dev.as_str(), &["organizations:ListAccounts"]);
        run(
            &engine,
            &management,
            "PutResourcePolicy",
            json!({"Content": content}),
        )
        .unwrap();
        let state = engine.snapshot();
        assert!(needs_delegation(&state, &caller(&dev), &list));
        assert!(needs_delegation(&state, &caller(&dev), &create));
        assert!(!needs_delegation(&state, &caller(&management), &list));
        let describe_org = op("DescribeOrganization", json!({}));
        assert!(!needs_delegation(&state, &caller(&dev), &describe_org));
        assert!(delegation_policy(&state, &caller(&dev)).is_some());
        // What the request path passes on once the policy allowed the call.
        assert_eq!(
            failure(run(&engine, &dev, "ListAccounts", json!({}))).0,
            ErrorCode::AccessDenied
        );
        run_delegated(&engine, &dev, "ListAccounts", json!({})).unwrap();
    }
}
