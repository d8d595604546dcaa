//! Where organization policies apply: attachments to the root, OUs and accounts
//! (`AttachPolicy`, `DetachPolicy`, `ListPoliciesForTarget`, `ListTargetsForPolicy`; §5.2),
//! with their limits (five SCPs or RCPs per entity, at least one SCP, `RCPFullAWSAccess`
//! stays) and the resolution of a target id to the entity it names.

use rampart_wire::organizations::{self as wire, Output};

use super::policies::{RCP_FULL_AWS_ACCESS, get, summary};
use super::{Execution, OrgCtx, RCP, SCP, page, put_member, put_org, put_unit};
use crate::engine::WriteTxn;
use crate::error::{ConstraintViolationReason, CoreError, InvalidInputReason};
use crate::model::{AccountId, OrgAccountRecord, OrgUnitRecord, OrganizationRecord};
use crate::state::{OrgPolicyEntry, State};

/// Most policies of one type directly attached to one entity (SCP, RCP, AI opt-out: 5).
const MAX_ATTACHED_AUTHZ: usize = 5;
/// Tag and backup policies (and the other management types): 10.
const MAX_ATTACHED_MANAGEMENT: usize = 10;

/// `AttachPolicy`, by the management account.
pub fn attach_policy(
    cx: &Execution<'_>,
    input: &wire::AttachPolicyInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| attach(txn, ctx, &input.policy_id, &input.target_id))?;
    Ok(Output::Empty)
}

/// `DetachPolicy`, by the management account.
pub fn detach_policy(
    cx: &Execution<'_>,
    input: &wire::DetachPolicyInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| detach(txn, ctx, &input.policy_id, &input.target_id))?;
    Ok(Output::Empty)
}

/// `ListPoliciesForTarget`: the policies of one type attached directly to a target.
pub fn list_policies_for_target(
    cx: &Execution<'_>,
    input: &wire::ListPoliciesForTargetInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let all: Vec<_> = for_target(
        cx.state(),
        &ctx.org,
        &input.target_id,
        input.filter.as_str(),
    )?
    .into_iter()
    .map(|p| summary(&p.record))
    .collect();
    let (policies, next_token) = page(all, input.next_token.as_deref(), input.max_results, |p| {
        p.id.clone()
    })?;
    Ok(wire::ListPoliciesForTargetOutput {
        policies,
        next_token,
    }
    .into())
}

/// `ListTargetsForPolicy`: every root, OU and account the policy is attached to.
pub fn list_targets_for_policy(
    cx: &Execution<'_>,
    input: &wire::ListTargetsForPolicyInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    get(cx.state(), &ctx.org, &input.policy_id)?;
    let all = targets(cx.state(), &ctx.org, &input.policy_id);
    let (targets, next_token) = page(all, input.next_token.as_deref(), input.max_results, |t| {
        t.target_id.clone()
    })?;
    Ok(wire::ListTargetsForPolicyOutput {
        targets,
        next_token,
    }
    .into())
}

/// A root, OU or account a policy can be attached to.
#[derive(Debug, Clone)]
pub enum Target {
    /// The root.
    Root,
    /// An OU.
    Ou(OrgUnitRecord),
    /// A member account.
    Account(OrgAccountRecord),
}

/// Resolves a target id, or `TargetNotFoundException`.
pub fn target(state: &State, org: &OrganizationRecord, id: &str) -> Result<Target, CoreError> {
    if id == org.root_id {
        return Ok(Target::Root);
    }
    if let Some(unit) = state.org_unit(id).filter(|u| u.org == org.id) {
        return Ok(Target::Ou(OrgUnitRecord::clone(unit)));
    }
    if let Some(member) = AccountId::parse(id)
        .and_then(|a| state.org_member(&a))
        .filter(|m| m.org == org.id)
    {
        return Ok(Target::Account(OrgAccountRecord::clone(member)));
    }
    Err(CoreError::TargetNotFound)
}

/// The ids attached directly to a target.
fn attached<'a>(org: &'a OrganizationRecord, target: &'a Target) -> &'a [String] {
    match target {
        Target::Root => &org.root_policies,
        Target::Ou(u) => &u.policies,
        Target::Account(m) => &m.policies,
    }
}

/// Edits a target's attachment list and stores it.
fn edit(
    txn: &mut WriteTxn<'_>,
    org: &OrganizationRecord,
    target: Target,
    change: impl FnOnce(&mut Vec<String>),
) -> Result<(), CoreError> {
    match target {
        Target::Root => {
            let mut org = org.clone();
            change(&mut org.root_policies);
            put_org(txn, &org)
        }
        Target::Ou(mut unit) => {
            change(&mut unit.policies);
            put_unit(txn, &unit)
        }
        Target::Account(mut member) => {
            change(&mut member.policies);
            put_member(txn, &member)
        }
    }
}

/// What attaching or detaching names, read in the write's state: the organization as it
/// is now, the policy's type and the target. Only the management account may do either.
fn resolve(
    state: &State,
    ctx: &OrgCtx,
    policy_id: &str,
    target_id: &str,
) -> Result<(OrganizationRecord, String, Target), CoreError> {
    ctx.require_policy_manager()?;
    let org = state.organization(&ctx.org.id).map_or_else(
        || OrganizationRecord::clone(&ctx.org),
        |o| OrganizationRecord::clone(o),
    );
    let policy_type = get(state, &org, policy_id)?.record.policy_type.clone();
    let target = target(state, &org, target_id)?;
    Ok((org, policy_type, target))
}

/// Attaches a policy of an enabled type, within the per-entity limit.
fn attach(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    policy_id: &str,
    target_id: &str,
) -> Result<(), CoreError> {
    let (org, policy_type, target) = resolve(txn.state(), ctx, policy_id, target_id)?;
    let state = txn.state();
    if !org.type_enabled(&policy_type) {
        return Err(CoreError::PolicyTypeNotEnabled);
    }
    let list = attached(&org, &target);
    if list.iter().any(|p| p == policy_id) {
        return Err(CoreError::DuplicatePolicyAttachment);
    }
    let same_type = list
        .iter()
        .filter(|id| {
            state
                .org_policy(id)
                .is_some_and(|p| p.record.policy_type == policy_type)
        })
        .count();
    let max = if matches!(
        policy_type.as_str(),
        SCP | RCP | "AISERVICES_OPT_OUT_POLICY"
    ) {
        MAX_ATTACHED_AUTHZ
    } else {
        MAX_ATTACHED_MANAGEMENT
    };
    if same_type >= max {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::MaxPolicyTypeAttachmentLimitExceeded,
        ));
    }
    edit(txn, &org, target, |list| list.push(policy_id.to_owned()))
}

/// Detaches a policy: every entity keeps at least one SCP; `RCPFullAWSAccess` stays.
fn detach(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    policy_id: &str,
    target_id: &str,
) -> Result<(), CoreError> {
    let (org, policy_type, target) = resolve(txn.state(), ctx, policy_id, target_id)?;
    let state = txn.state();
    let list = attached(&org, &target);
    if !list.iter().any(|p| p == policy_id) {
        return Err(CoreError::PolicyNotAttached);
    }
    if policy_id == RCP_FULL_AWS_ACCESS {
        return Err(CoreError::InvalidOrganizationsInput(
            InvalidInputReason::NonDetachablePolicy,
        ));
    }
    let same_type = list
        .iter()
        .filter(|id| {
            state
                .org_policy(id)
                .is_some_and(|p| p.record.policy_type == policy_type)
        })
        .count();
    if policy_type == SCP && same_type <= 1 {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::MinPolicyTypeAttachmentLimitExceeded,
        ));
    }
    edit(txn, &org, target, |list| list.retain(|p| p != policy_id))
}

/// The direct attachments of `target_id` of one type.
fn for_target<'s>(
    state: &'s State,
    org: &OrganizationRecord,
    target_id: &str,
    policy_type: &str,
) -> Result<Vec<&'s OrgPolicyEntry>, CoreError> {
    let target = target(state, org, target_id)?;
    Ok(attached(org, &target)
        .iter()
        .filter_map(|id| state.org_policy(id))
        .filter(|p| p.record.policy_type == policy_type)
        .map(AsRef::as_ref)
        .collect())
}

/// Every target a policy is attached to, root first.
pub fn targets(
    state: &State,
    org: &OrganizationRecord,
    policy_id: &str,
) -> Vec<wire::PolicyTargetSummary> {
    let mut out = Vec::new();
    if org.root_policies.iter().any(|p| p == policy_id) {
        out.push(wire::PolicyTargetSummary {
            target_id: org.root_id.clone(),
            arn: org.root_arn(),
            name: "Root".to_owned(),
            target_type: wire::TargetType::Root,
        });
    }
    for unit in state
        .org_units(&org.id)
        .filter(|u| u.policies.iter().any(|p| p == policy_id))
    {
        out.push(wire::PolicyTargetSummary {
            target_id: unit.id.clone(),
            arn: org.ou_arn(&unit.id),
            name: unit.name.clone(),
            target_type: wire::TargetType::OrganizationalUnit,
        });
    }
    for member in state
        .org_members(&org.id)
        .filter(|m| m.policies.iter().any(|p| p == policy_id))
    {
        out.push(wire::PolicyTargetSummary {
            target_id: member.account.as_str().to_owned(),
            arn: org.account_arn(&member.account),
            name: state
                .account(&member.account)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            target_type: wire::TargetType::Account,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::policies::FULL_AWS_ACCESS;
    use super::super::testing::{failure, member, organization, run};
    use super::*;

    fn create_scp(engine: &crate::engine::Engine, management: &AccountId, name: &str) -> String {
        let content = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#;
        let input = json!({"Name": name, "Description": "d", "Type": SCP, "Content": content});
        match run(engine, management, "CreatePolicy", input).unwrap() {
            Output::CreatePolicy(out) => out.policy.policy_summary.id,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn attaching_twice_is_a_duplicate_and_the_last_scp_stays() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let policy = create_scp(&engine, &management, "no-s3");
        let attach = json!({"PolicyId": policy, "TargetId": dev.as_str()});
        run(&engine, &management, "AttachPolicy", attach.clone()).unwrap();
        let got = failure(run(&engine, &management, "AttachPolicy", attach.clone()));
        assert_eq!(got.0, ErrorCode::DuplicatePolicyAttachmentException);
        let full = json!({"PolicyId": FULL_AWS_ACCESS, "TargetId": dev.as_str()});
        run(&engine, &management, "DetachPolicy", full.clone()).unwrap();
        let got = failure(run(&engine, &management, "DetachPolicy", attach));
        assert_eq!(
            got,
            (
                ErrorCode::ConstraintViolationException,
                Some("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
            )
        );
        let got = failure(run(&engine, &management, "DetachPolicy", full));
        assert_eq!(got.0, ErrorCode::PolicyNotAttachedException);
    }

    #[test]
    fn at_most_five_scps_per_entity() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        for n in 0..4 {
            let policy = create_scp(&engine, &management, &format!("p{n}"));
            let input = json!({"PolicyId": policy, "TargetId": dev.as_str()});
            run(&engine, &management, "AttachPolicy", input).unwrap();
        }
        let sixth = create_scp(&engine, &management, "p5");
        let input = json!({"PolicyId": sixth, "TargetId": dev.as_str()});
        let got = failure(run(&engine, &management, "AttachPolicy", input));
        assert_eq!(got.1, Some("MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"));
    }

    #[test]
    fn rcp_full_access_is_never_detached() {
        let (engine, management) = organization();
        let root_id = engine
            .snapshot()
            .org_of(&management)
            .unwrap()
            .0
            .root_id
            .clone();
        let enable = json!({"RootId": root_id, "PolicyType": RCP});
        run(&engine, &management, "EnablePolicyType", enable).unwrap();
        let input = json!({"PolicyId": RCP_FULL_AWS_ACCESS, "TargetId": root_id});
        let got = failure(run(&engine, &management, "DetachPolicy", input));
        assert_eq!(
            got,
            (
                ErrorCode::InvalidInputException,
                Some("NON_DETACHABLE_POLICY")
            )
        );
    }

    #[test]
    fn targets_of_a_policy_list_the_root_first_and_block_its_deletion() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let policy = create_scp(&engine, &management, "no-s3");
        let root_id = engine
            .snapshot()
            .org_of(&management)
            .unwrap()
            .0
            .root_id
            .clone();
        for target in [dev.as_str(), root_id.as_str()] {
            let input = json!({"PolicyId": policy, "TargetId": target});
            run(&engine, &management, "AttachPolicy", input).unwrap();
        }
        let Output::ListTargetsForPolicy(out) = run(
            &engine,
            &management,
            "ListTargetsForPolicy",
            json!({"PolicyId": policy}),
        )
        .unwrap() else {
            panic!("wrong output");
        };
        let ids: Vec<_> = out.targets.iter().map(|t| t.target_id.as_str()).collect();
        assert_eq!(ids, [root_id.as_str(), dev.as_str()]);
        let got = failure(run(
            &engine,
            &management,
            "DeletePolicy",
            json!({"PolicyId": policy}),
        ));
        assert_eq!(got.0, ErrorCode::PolicyInUseException);
    }
}
