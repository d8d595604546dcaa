//! Organization policies: the AWS-managed full-access policies, customer policies of every
//! type, attachments to the root, OUs and accounts, effective (management) policies, and
//! the per-level SCP/RCP sets the authorizer applies to member accounts (§5,
//! policy-evaluation.md §5).

use rampart_policy::{Policy, PolicyError, PolicyKind};
use rampart_wire::ErrorCode;
use rampart_wire::organizations as wire;

use super::{OrgCtx, RCP, SCP, constraint, invalid_input, put_member, put_org, put_unit};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{
    AccountId, OrgAccountRecord, OrgPolicyRecord, OrgUnitRecord, OrganizationRecord, Tag, kind,
};
use crate::state::{OrgPolicyEntry, State};

pub use crate::managed::{FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS};

/// Most policies of one type directly attached to one entity (SCP, RCP, AI opt-out: 5).
const MAX_ATTACHED_AUTHZ: usize = 5;
/// Tag and backup policies (and the other management types): 10.
const MAX_ATTACHED_MANAGEMENT: usize = 10;
/// Most customer policies per type.
const POLICIES_PER_TYPE: usize = 1000;

fn not_found() -> CoreError {
    CoreError::org(
        ErrorCode::PolicyNotFoundException,
        "We can't find a policy with the PolicyId that you specified.",
    )
}

fn target_not_found() -> CoreError {
    CoreError::org(
        ErrorCode::TargetNotFoundException,
        "We can't find a root, OU, account, or policy with the TargetId that you specified.",
    )
}

fn immutable() -> CoreError {
    invalid_input(
        "IMMUTABLE_POLICY",
        "You specified a policy that is managed by AWS and can't be modified.",
    )
}

/// A policy visible to the organization (its own or AWS's), or `PolicyNotFoundException`.
pub fn get<'s>(
    state: &'s State,
    org: &OrganizationRecord,
    id: &str,
) -> Result<&'s OrgPolicyEntry, CoreError> {
    match state.org_policy(id) {
        Some(entry)
            if entry.record.org.is_none()
                || entry.record.org.as_deref() == Some(org.id.as_str()) =>
        {
            Ok(entry)
        }
        _ => Err(not_found()),
    }
}

/// The wire summary of a policy.
pub fn summary(record: &OrgPolicyRecord) -> wire::PolicySummary {
    wire::PolicySummary {
        id: record.id.clone(),
        arn: record.arn(),
        name: record.name.clone(),
        description: record.description.clone(),
        policy_type: wire::PolicyType::from_wire(&record.policy_type).unwrap_or_default(),
        aws_managed: record.org.is_none(),
    }
}

/// The wire policy with content.
pub fn to_wire(record: &OrgPolicyRecord) -> wire::Policy {
    wire::Policy {
        policy_summary: summary(record),
        content: record.content.clone(),
    }
}

/// Size limit of a management policy type, characters (§9).
fn size_limit(policy_type: &str) -> usize {
    match policy_type {
        "AISERVICES_OPT_OUT_POLICY" => 2500,
        SCP | RCP => 5120,
        _ => 10_000,
    }
}

/// Validates content for its type: SCPs and RCPs by the policy language, management
/// policies as JSON objects within their size limit.
fn validate(content: &str, policy_type: &str) -> Result<(), CoreError> {
    let kind = match policy_type {
        SCP => Some(PolicyKind::ServiceControl),
        RCP => Some(PolicyKind::ResourceControl),
        _ => None,
    };
    let too_large = || {
        constraint(
            "POLICY_CONTENT_LIMIT_EXCEEDED",
            "You attempted to create a policy that is larger than the maximum size.",
        )
    };
    let malformed =
        |message: &str| CoreError::org(ErrorCode::MalformedPolicyDocumentException, message);
    match kind {
        Some(kind) => match Policy::parse(content, kind) {
            Ok(_) => Ok(()),
            Err(PolicyError::ConstraintViolation(_)) => Err(too_large()),
            Err(err) => Err(malformed(err.message())),
        },
        None => {
            if content.chars().count() > size_limit(policy_type) {
                return Err(too_large());
            }
            match serde_json::from_str::<serde_json::Value>(content) {
                Ok(serde_json::Value::Object(_)) => Ok(()),
                _ => Err(malformed(
                    "The provided policy document does not meet the requirements of the specified policy type.",
                )),
            }
        }
    }
}

/// `CreatePolicy`.
pub fn create(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    input: &wire::CreatePolicyInput,
    tags: Vec<Tag>,
    now: i64,
) -> Result<OrgPolicyRecord, CoreError> {
    ctx.require_management()?;
    super::organization::check_available(&ctx.org)?;
    let policy_type = input.policy_type.as_str();
    validate(&input.content, policy_type)?;
    let org_id = ctx.org.id.as_str();
    let state = txn.state();
    let same_type: Vec<_> = state
        .org_policies()
        .filter(|p| p.record.org.as_deref() == Some(org_id) && p.record.policy_type == policy_type)
        .collect();
    if same_type.iter().any(|p| p.record.name == input.name) {
        return Err(CoreError::org(
            ErrorCode::DuplicatePolicyException,
            "A policy with the same name already exists.",
        ));
    }
    if same_type.len() >= POLICIES_PER_TYPE {
        return Err(constraint(
            "POLICY_NUMBER_LIMIT_EXCEEDED",
            "You attempted to exceed the number of policies that you can have in an organization.",
        ));
    }
    let id = super::fresh_id("p-", 8, |id| state.org_policy(id).is_some());
    let record = OrgPolicyRecord {
        org: Some(org_id.to_owned()),
        management: Some(ctx.org.management.clone()),
        id,
        name: input.name.clone(),
        description: input.description.clone(),
        policy_type: policy_type.to_owned(),
        content: input.content.clone(),
        updated: now,
        tags,
    };
    txn.put(kind::ORG_POLICY, &record.id, &record)?;
    Ok(record)
}

/// `UpdatePolicy`: name, description and content; never the type.
pub fn update(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    input: &wire::UpdatePolicyInput,
    now: i64,
) -> Result<OrgPolicyRecord, CoreError> {
    ctx.require_management()?;
    let entry = get(txn.state(), &ctx.org, &input.policy_id)?;
    if entry.record.org.is_none() {
        return Err(immutable());
    }
    let mut record = entry.record.clone();
    if let Some(name) = &input.name {
        let taken = txn.state().org_policies().any(|p| {
            p.record.org == record.org
                && p.record.policy_type == record.policy_type
                && &p.record.name == name
                && p.record.id != record.id
        });
        if taken {
            return Err(CoreError::org(
                ErrorCode::DuplicatePolicyException,
                "A policy with the same name already exists.",
            ));
        }
        record.name = name.clone();
    }
    if let Some(description) = &input.description {
        record.description = description.clone();
    }
    if let Some(content) = &input.content {
        validate(content, &record.policy_type)?;
        record.content = content.clone();
    }
    record.updated = now;
    txn.put(kind::ORG_POLICY, &record.id, &record)?;
    Ok(record)
}

/// `DeletePolicy`: only a customer policy attached nowhere.
pub fn delete(txn: &mut WriteTxn<'_>, ctx: &OrgCtx, id: &str) -> Result<(), CoreError> {
    ctx.require_management()?;
    let entry = get(txn.state(), &ctx.org, id)?;
    if entry.record.org.is_none() {
        return Err(immutable());
    }
    if !targets(txn.state(), &ctx.org, id).is_empty() {
        return Err(CoreError::org(
            ErrorCode::PolicyInUseException,
            "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.",
        ));
    }
    txn.delete(kind::ORG_POLICY, id)
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
    Err(target_not_found())
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

fn not_enabled() -> CoreError {
    CoreError::org(
        ErrorCode::PolicyTypeNotEnabledException,
        "This operation can be performed only for enabled policy types.",
    )
}

/// `AttachPolicy`.
pub fn attach(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    policy_id: &str,
    target_id: &str,
) -> Result<(), CoreError> {
    ctx.require_management()?;
    let state = txn.state();
    let org = state.organization(&ctx.org.id).map_or_else(
        || OrganizationRecord::clone(&ctx.org),
        |o| OrganizationRecord::clone(o),
    );
    let policy_type = get(state, &org, policy_id)?.record.policy_type.clone();
    let target = target(state, &org, target_id)?;
    if !org.type_enabled(&policy_type) {
        return Err(not_enabled());
    }
    let list = attached(&org, &target);
    if list.iter().any(|p| p == policy_id) {
        return Err(CoreError::org(
            ErrorCode::DuplicatePolicyAttachmentException,
            "The selected policy is already attached to the specified target.",
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
    let max = if matches!(
        policy_type.as_str(),
        SCP | RCP | "AISERVICES_OPT_OUT_POLICY"
    ) {
        MAX_ATTACHED_AUTHZ
    } else {
        MAX_ATTACHED_MANAGEMENT
    };
    if same_type >= max {
        return Err(constraint(
            "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            "You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.",
        ));
    }
    edit(txn, &org, target, |list| list.push(policy_id.to_owned()))
}

/// `DetachPolicy`: every entity keeps at least one SCP; `RCPFullAWSAccess` stays.
pub fn detach(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    policy_id: &str,
    target_id: &str,
) -> Result<(), CoreError> {
    ctx.require_management()?;
    let state = txn.state();
    let org = state.organization(&ctx.org.id).map_or_else(
        || OrganizationRecord::clone(&ctx.org),
        |o| OrganizationRecord::clone(o),
    );
    let policy_type = get(state, &org, policy_id)?.record.policy_type.clone();
    let target = target(state, &org, target_id)?;
    let list = attached(&org, &target);
    if !list.iter().any(|p| p == policy_id) {
        return Err(CoreError::org(
            ErrorCode::PolicyNotAttachedException,
            "The policy isn't attached to the specified target in the specified root.",
        ));
    }
    if policy_id == RCP_FULL_AWS_ACCESS {
        return Err(invalid_input(
            "NON_DETACHABLE_POLICY",
            "You can't detach this AWS Managed Policy.",
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
        return Err(constraint(
            "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            "You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.",
        ));
    }
    edit(txn, &org, target, |list| list.retain(|p| p != policy_id))
}

/// The direct attachments of `target_id` of one type (`ListPoliciesForTarget`).
pub fn for_target<'s>(
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

/// Every target a policy is attached to (`ListTargetsForPolicy`), root first.
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

/// `DescribeEffectivePolicy` for a management policy type: the documents attached from the
/// root down to the account, merged with the inheritance operators (§5.4).
pub fn effective(
    state: &State,
    org: &OrganizationRecord,
    member: &OrgAccountRecord,
    policy_type: &str,
) -> Option<(String, i64)> {
    let mut ids: Vec<&String> = org.root_policies.iter().collect();
    let chain = super::ou_chain(state, org, &member.parent);
    for ou in &chain {
        if let Some(unit) = state.org_unit(ou) {
            ids.extend(unit.policies.iter());
        }
    }
    ids.extend(member.policies.iter());
    let mut merged: Option<serde_json::Value> = None;
    let mut updated = 0;
    for entry in ids
        .into_iter()
        .filter_map(|id| state.org_policy(id))
        .filter(|p| p.record.policy_type == policy_type)
    {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&entry.record.content) else {
            continue;
        };
        updated = updated.max(entry.record.updated);
        merged = Some(match merged {
            None => resolve(doc),
            Some(mut base) => {
                merge(&mut base, doc);
                base
            }
        });
    }
    merged.map(|doc| (doc.to_string(), updated))
}

/// Merges `child` into `base`: objects key by key, `@@assign` replaces, `@@append` adds to
/// an inherited array, `@@remove` takes values out of it; plain values replace.
fn merge(base: &mut serde_json::Value, child: serde_json::Value) {
    use serde_json::Value;
    match child {
        Value::Object(map) => {
            if let Some(assigned) = map.get("@@assign") {
                *base = resolve(assigned.clone());
                return;
            }
            if let Some(Value::Array(extra)) = map.get("@@append") {
                let mut list = match base.take() {
                    Value::Array(list) => list,
                    _ => Vec::new(),
                };
                list.extend(extra.iter().cloned());
                *base = Value::Array(list);
                return;
            }
            if let Some(Value::Array(gone)) = map.get("@@remove") {
                if let Value::Array(list) = base {
                    list.retain(|v| !gone.contains(v));
                }
                return;
            }
            if !base.is_object() {
                *base = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(base_map) = base {
                for (key, value) in map {
                    if key.starts_with("@@") {
                        continue;
                    }
                    match base_map.get_mut(&key) {
                        Some(slot) => merge(slot, value),
                        None => {
                            base_map.insert(key, resolve(value));
                        }
                    }
                }
            }
        }
        other => *base = other,
    }
}

/// A document with its inheritance operators resolved (as the root level has no parent).
fn resolve(value: serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Value::Null;
    if let serde_json::Value::Object(map) = &value
        && !map
            .keys()
            .any(|k| matches!(k.as_str(), "@@assign" | "@@append" | "@@remove"))
    {
        out = serde_json::Value::Object(serde_json::Map::new());
    }
    merge(&mut out, value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inheritance_operators_merge_down_the_tree() {
        let mut base =
            resolve(json!({"tags": {"cc": {"tag_value": {"@@assign": ["100", "200"]}}}}));
        merge(
            &mut base,
            json!({"tags": {"cc": {"tag_value": {"@@append": ["300"]}}}}),
        );
        assert_eq!(
            base,
            json!({"tags": {"cc": {"tag_value": ["100", "200", "300"]}}})
        );
        merge(
            &mut base,
            json!({"tags": {"cc": {"tag_value": {"@@remove": ["100"]}}}}),
        );
        assert_eq!(base, json!({"tags": {"cc": {"tag_value": ["200", "300"]}}}));
    }

    #[test]
    fn oversized_scps_are_constraint_violations() {
        let big = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{}","Effect":"Deny","Action":"*","Resource":"*"}}]}}"#,
            "a".repeat(5200)
        );
        assert_eq!(
            validate(&big, SCP).unwrap_err().reason(),
            Some("POLICY_CONTENT_LIMIT_EXCEEDED")
        );
        let err = validate(r#"{"Statement":"#, SCP).unwrap_err();
        assert_eq!(err.code(), ErrorCode::MalformedPolicyDocumentException);
    }
}
