//! The organization itself: create, describe, delete, its root, and the policy types
//! enabled in the root (organizations.md §2, §5.2). Owns `CreateOrganization`,
//! `DescribeOrganization`, `DeleteOrganization`, `ListRoots`, `EnablePolicyType` and
//! `DisablePolicyType`, and the wire `Organization` and `Root`.

use std::sync::Arc;

use rampart_wire::organizations::{self as wire, Output};

use super::{Execution, OrgCtx, RCP, SCP, context, fresh_id, page, put_member, put_org, put_unit};
use crate::engine::WriteTxn;
use crate::error::{ConstraintViolationReason, CoreError};
use crate::model::{
    AccountId, CreateAccountStatusRecord, HandshakeRecord, OrgAccountRecord, OrgPolicyRecord,
    OrgResourcePolicyRecord, OrgUnitRecord, OrganizationRecord,
};
use crate::state::State;

/// `CreateOrganization`: the calling account becomes the management account; with all
/// features (the default), SCPs are enabled from the start.
pub fn create_organization(
    cx: &Execution<'_>,
    input: &wire::CreateOrganizationInput,
) -> Result<Output, CoreError> {
    let feature_set = input
        .feature_set
        .unwrap_or(wire::OrganizationFeatureSet::All);
    let org = cx.write(|txn| create(txn, cx.account, feature_set, cx.now))?;
    Ok(wire::CreateOrganizationOutput {
        organization: to_wire(&cx.written(), &org),
    }
    .into())
}

/// `DescribeOrganization`: any member may ask.
pub fn describe_organization(
    cx: &Execution<'_>,
    _input: &wire::DescribeOrganizationInput,
) -> Result<Output, CoreError> {
    let ctx = cx.member()?;
    Ok(wire::DescribeOrganizationOutput {
        organization: to_wire(cx.state(), &ctx.org),
    }
    .into())
}

/// `DeleteOrganization`: only the management account, only with no other member.
pub fn delete_organization(
    cx: &Execution<'_>,
    _input: &wire::DeleteOrganizationInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account, cx.now))?;
    Ok(Output::Empty)
}

/// `ListRoots`: the organization's one root.
pub fn list_roots(cx: &Execution<'_>, input: &wire::ListRootsInput) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let (roots, next_token) = page(
        vec![root_to_wire(&ctx.org)],
        input.next_token.as_deref(),
        input.max_results,
        |r| r.id.clone(),
    )?;
    Ok(wire::ListRootsOutput { roots, next_token }.into())
}

/// `EnablePolicyType`.
pub fn enable_policy_type(
    cx: &Execution<'_>,
    input: &wire::EnablePolicyTypeInput,
) -> Result<Output, CoreError> {
    let org =
        cx.write_in_org(|txn, ctx| enable_type(txn, ctx, &input.root_id, input.policy_type))?;
    Ok(wire::EnablePolicyTypeOutput {
        root: root_to_wire(&org),
    }
    .into())
}

/// `DisablePolicyType`.
pub fn disable_policy_type(
    cx: &Execution<'_>,
    input: &wire::DisablePolicyTypeInput,
) -> Result<Output, CoreError> {
    let org =
        cx.write_in_org(|txn, ctx| disable_type(txn, ctx, &input.root_id, input.policy_type))?;
    Ok(wire::DisablePolicyTypeOutput {
        root: root_to_wire(&org),
    }
    .into())
}

/// Creates the organization of `account` and its membership as management account.
fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    feature_set: wire::OrganizationFeatureSet,
    now: i64,
) -> Result<OrganizationRecord, CoreError> {
    if txn.state().org_member(account).is_some() {
        return Err(CoreError::AlreadyInOrganization);
    }
    let state = txn.state();
    let id = fresh_id("o-", 10, |id| state.organization(id).is_some());
    let all = feature_set == wire::OrganizationFeatureSet::All;
    let mut org = OrganizationRecord {
        id: id.clone(),
        management: account.clone(),
        feature_set: feature_set.as_str().to_owned(),
        root_id: format!("r-{}", crate::random::lower_alnum(4)),
        created: now,
        // With all features, SCPs are enabled in the root from the start (§2).
        policy_types: if all { vec![SCP.to_owned()] } else { vec![] },
        root_policies: vec![],
        root_tags: vec![],
        service_access: vec![],
        delegated_admins: vec![],
        root_features: vec![],
    };
    org.root_policies = super::default_attachments(&org);
    put_org(txn, &org)?;
    let member = OrgAccountRecord {
        org: id,
        account: account.clone(),
        parent: org.root_id.clone(),
        joined_method: "INVITED".to_owned(),
        joined: now,
        state: "ACTIVE".to_owned(),
        policies: super::default_attachments(&org),
        tags: vec![],
    };
    put_member(txn, &member)?;
    Ok(org)
}

/// Deletes the organization of `account` with everything it owns: OUs, policies,
/// handshakes, create-account requests and the management account's membership.
fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, now: i64) -> Result<(), CoreError> {
    let ctx = context(txn.state(), account)?;
    ctx.require_management()?;
    let org_id = ctx.org.id.clone();
    if txn
        .state()
        .org_members(&org_id)
        .any(|m| &m.account != account)
    {
        return Err(CoreError::OrganizationNotEmpty);
    }
    if super::transfers::in_progress(txn.state(), account, now) {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::ActiveResponsibilityTransferProcess,
        ));
    }
    let state = txn.state();
    let units: Vec<String> = state.org_units(&org_id).map(|u| u.id.clone()).collect();
    let policies: Vec<String> = state
        .org_policies()
        .filter(|p| p.record.org.as_deref() == Some(org_id.as_str()))
        .map(|p| p.record.id.clone())
        .collect();
    let handshakes: Vec<String> = state
        .handshakes()
        .filter(|h| h.org == org_id)
        .map(|h| h.id.clone())
        .collect();
    let statuses: Vec<String> = state
        .create_account_statuses()
        .filter(|s| s.org == org_id)
        .map(|s| s.id.clone())
        .collect();
    let state_has_resource_policy = state.org_resource_policy(&org_id).is_some();
    for id in units {
        txn.delete::<OrgUnitRecord>(&id)?;
    }
    for id in policies {
        txn.delete::<OrgPolicyRecord>(&id)?;
    }
    for id in handshakes {
        txn.delete::<HandshakeRecord>(&id)?;
    }
    for id in statuses {
        txn.delete::<CreateAccountStatusRecord>(&id)?;
    }
    if state_has_resource_policy {
        txn.delete::<OrgResourcePolicyRecord>(&org_id)?;
    }
    txn.delete::<OrgAccountRecord>(account.as_str())?;
    txn.delete::<OrganizationRecord>(&org_id)
}

/// The policy types of the root as the wire reports them.
pub fn policy_types(org: &OrganizationRecord) -> Vec<wire::PolicyTypeSummary> {
    org.policy_types
        .iter()
        .filter_map(|t| wire::PolicyType::from_wire(t))
        .map(|policy_type| wire::PolicyTypeSummary {
            policy_type,
            status: wire::PolicyTypeStatus::Enabled,
        })
        .collect()
}

/// The `Organization` structure.
pub fn to_wire(state: &State, org: &OrganizationRecord) -> wire::Organization {
    let email = state
        .account(&org.management)
        .map(|a| a.email.clone())
        .unwrap_or_default();
    wire::Organization {
        id: org.id.clone(),
        arn: org.arn(),
        feature_set: wire::OrganizationFeatureSet::from_wire(&org.feature_set).unwrap_or_default(),
        master_account_arn: org.account_arn(&org.management),
        master_account_id: org.management.as_str().to_owned(),
        master_account_email: email,
        available_policy_types: policy_types(org),
    }
}

/// The `Root` structure.
pub fn root_to_wire(org: &OrganizationRecord) -> wire::Root {
    wire::Root {
        id: org.root_id.clone(),
        arn: org.root_arn(),
        name: "Root".to_owned(),
        policy_types: policy_types(org),
    }
}

/// Checks that a policy type can be used in this organization at all.
pub fn check_available(org: &OrganizationRecord) -> Result<(), CoreError> {
    if org.feature_set != "ALL" {
        return Err(CoreError::PolicyTypeNotAvailableForOrganization);
    }
    Ok(())
}

/// Enables a policy type in the root: enabling SCPs (RCPs) attaches `FullAWSAccess`
/// (`RCPFullAWSAccess`) to the root, every OU and every account (§5.2).
fn enable_type(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    root_id: &str,
    policy_type: wire::PolicyType,
) -> Result<OrganizationRecord, CoreError> {
    ctx.require_policy_manager()?;
    let mut org = OrganizationRecord::clone(&ctx.org);
    if root_id != org.root_id {
        return Err(CoreError::RootNotFound);
    }
    check_available(&org)?;
    let name = policy_type.as_str();
    if org.type_enabled(name) {
        return Err(CoreError::PolicyTypeAlreadyEnabled);
    }
    org.policy_types.push(name.to_owned());
    let default = match name {
        SCP => Some(super::policies::FULL_AWS_ACCESS),
        RCP => Some(super::policies::RCP_FULL_AWS_ACCESS),
        _ => None,
    };
    if let Some(default) = default {
        org.root_policies.push(default.to_owned());
        let state = txn.state();
        let units: Vec<_> = state.org_units(&org.id).map(Arc::clone).collect();
        let members: Vec<_> = state.org_members(&org.id).map(Arc::clone).collect();
        for unit in units {
            let mut unit = crate::model::OrgUnitRecord::clone(&unit);
            unit.policies.push(default.to_owned());
            put_unit(txn, &unit)?;
        }
        for member in members {
            let mut member = OrgAccountRecord::clone(&member);
            member.policies.push(default.to_owned());
            put_member(txn, &member)?;
        }
    }
    put_org(txn, &org)?;
    Ok(org)
}

/// Disables a policy type: detaches every policy of the type from every entity.
fn disable_type(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    root_id: &str,
    policy_type: wire::PolicyType,
) -> Result<OrganizationRecord, CoreError> {
    ctx.require_policy_manager()?;
    let mut org = OrganizationRecord::clone(&ctx.org);
    if root_id != org.root_id {
        return Err(CoreError::RootNotFound);
    }
    let name = policy_type.as_str();
    if !org.type_enabled(name) {
        return Err(CoreError::PolicyTypeNotEnabled);
    }
    org.policy_types.retain(|t| t != name);
    let state = txn.state();
    let of_type = |id: &String| {
        state
            .org_policy(id)
            .is_some_and(|p| p.record.policy_type == name)
    };
    org.root_policies.retain(|id| !of_type(id));
    let units: Vec<_> = state
        .org_units(&org.id)
        .map(|u| {
            let mut u = crate::model::OrgUnitRecord::clone(u);
            u.policies.retain(|id| !of_type(id));
            u
        })
        .collect();
    let members: Vec<_> = state
        .org_members(&org.id)
        .map(|m| {
            let mut m = OrgAccountRecord::clone(m);
            m.policies.retain(|id| !of_type(id));
            m
        })
        .collect();
    for unit in &units {
        put_unit(txn, unit)?;
    }
    for member in &members {
        put_member(txn, member)?;
    }
    put_org(txn, &org)?;
    Ok(org)
}

#[cfg(test)]
mod tests {
    use rampart_wire::ErrorCode;
    use serde_json::json;

    use super::super::testing::{account, failure, member, organization, run};
    use super::*;

    #[test]
    fn create_organization_makes_the_caller_management_with_scps_in_the_root() {
        let (engine, management) = organization();
        let state = engine.snapshot();
        let (org, membership) = state.org_of(&management).unwrap();
        assert_eq!(org.management, management);
        assert_eq!(org.policy_types, vec![SCP.to_owned()]);
        assert_eq!(
            org.root_policies,
            vec![super::super::policies::FULL_AWS_ACCESS]
        );
        assert_eq!(membership.parent, org.root_id);
        assert!(org.id.starts_with("o-") && org.root_id.starts_with("r-"));
    }

    #[test]
    fn a_member_cannot_create_a_second_organization() {
        let (engine, management) = organization();
        let got = failure(run(&engine, &management, "CreateOrganization", json!({})));
        assert_eq!(got, (ErrorCode::AlreadyInOrganizationException, None));
    }

    #[test]
    fn describe_organization_outside_any_is_not_in_use() {
        let engine = crate::engine::Engine::in_memory();
        let loner = account(&engine, "alone@example.com");
        let got = failure(run(&engine, &loner, "DescribeOrganization", json!({})));
        assert_eq!(got.0, ErrorCode::AwsOrganizationsNotInUseException);
    }

    #[test]
    fn delete_organization_waits_until_the_members_are_gone() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let got = failure(run(&engine, &management, "DeleteOrganization", json!({})));
        assert_eq!(got.0, ErrorCode::OrganizationNotEmptyException);
        let remove = json!({"AccountId": dev.as_str()});
        run(
            &engine,
            &management,
            "RemoveAccountFromOrganization",
            remove,
        )
        .unwrap();
        run(&engine, &management, "DeleteOrganization", json!({})).unwrap();
        assert!(engine.snapshot().org_of(&management).is_none());
    }

    #[test]
    fn enabling_rcps_attaches_rcp_full_access_everywhere_once() {
        let (engine, management) = organization();
        let dev = member(&engine, &management, "dev@example.com");
        let root_id = engine
            .snapshot()
            .org_of(&management)
            .unwrap()
            .0
            .root_id
            .clone();
        let enable = json!({"RootId": root_id, "PolicyType": RCP});
        run(&engine, &management, "EnablePolicyType", enable.clone()).unwrap();
        let state = engine.snapshot();
        let (org, _) = state.org_of(&management).unwrap();
        assert!(org.root_policies.iter().any(|p| p == "p-RCPFullAWSAccess"));
        let dev_member = state.org_member(&dev).unwrap();
        assert!(
            dev_member
                .policies
                .iter()
                .any(|p| p == "p-RCPFullAWSAccess")
        );
        let got = failure(run(&engine, &management, "EnablePolicyType", enable));
        assert_eq!(got.0, ErrorCode::PolicyTypeAlreadyEnabledException);
    }

    #[test]
    fn policy_types_need_the_right_root_and_a_member_may_not_touch_them() {
        let (engine, management) = organization();
        let wrong_root = json!({"RootId": "r-zzzz", "PolicyType": SCP});
        let got = failure(run(&engine, &management, "DisablePolicyType", wrong_root));
        assert_eq!(got.0, ErrorCode::RootNotFoundException);
        let dev = member(&engine, &management, "dev@example.com");
        let root_id = engine
            .snapshot()
            .org_of(&management)
            .unwrap()
            .0
            .root_id
            .clone();
        let input = json!({"RootId": root_id, "PolicyType": SCP});
        let got = failure(run(&engine, &dev, "DisablePolicyType", input));
        assert_eq!(got.0, ErrorCode::AccessDenied);
    }
}
