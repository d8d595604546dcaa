//! Organization policies: customer policies of every type (`CreatePolicy`, `UpdatePolicy`,
//! `DeletePolicy`, `DescribePolicy`, `ListPolicies`), validated for their type, and effective
//! (management) policies (`DescribeEffectivePolicy`, §5.4). Where policies are attached is
//! `attachments`' business; the AWS-managed policies live in `managed`, and the per-level
//! SCP/RCP sets the authorizer applies in `org_tree`.

use rampart_policy::{Policy, PolicyError, PolicyKind};
use rampart_wire::Timestamp;
use rampart_wire::organizations::{self as wire, Output};

use super::attachments::{self, Target};
use super::{Execution, OrgCtx, RCP, SCP, page};
use crate::engine::WriteTxn;
use crate::error::{ConstraintViolationReason, CoreError, InvalidInputReason};
use crate::model::{OrgAccountRecord, OrgPolicyRecord, OrganizationRecord, Tag};
use crate::state::{OrgPolicyEntry, State};

pub use crate::managed::{FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS};

/// Most customer policies per type.
const POLICIES_PER_TYPE: usize = 1000;

/// AWS-managed policies cannot be changed or deleted.
fn immutable() -> CoreError {
    CoreError::InvalidOrganizationsInput(InvalidInputReason::ImmutablePolicy)
}

/// `CreatePolicy`, by the management account of an all-features organization.
pub fn create_policy(
    cx: &Execution<'_>,
    input: &wire::CreatePolicyInput,
) -> Result<Output, CoreError> {
    let tags = super::tags::from_wire(input.tags.as_deref())?;
    let record = cx.write_in_org(|txn, ctx| create(txn, ctx, input, tags.clone(), cx.now))?;
    Ok(wire::CreatePolicyOutput {
        policy: to_wire(&record),
    }
    .into())
}

/// `UpdatePolicy`: name, description and content; never the type.
pub fn update_policy(
    cx: &Execution<'_>,
    input: &wire::UpdatePolicyInput,
) -> Result<Output, CoreError> {
    let record = cx.write_in_org(|txn, ctx| update(txn, ctx, input, cx.now))?;
    Ok(wire::UpdatePolicyOutput {
        policy: to_wire(&record),
    }
    .into())
}

/// `DeletePolicy`: only a customer policy attached nowhere.
pub fn delete_policy(
    cx: &Execution<'_>,
    input: &wire::DeletePolicyInput,
) -> Result<Output, CoreError> {
    cx.write_in_org(|txn, ctx| {
        ctx.require_policy_manager()?;
        let entry = get(txn.state(), &ctx.org, &input.policy_id)?;
        if entry.record.org.is_none() {
            return Err(immutable());
        }
        if !attachments::targets(txn.state(), &ctx.org, &input.policy_id).is_empty() {
            return Err(CoreError::PolicyInUse);
        }
        txn.delete::<OrgPolicyRecord>(&input.policy_id)
    })?;
    Ok(Output::Empty)
}

/// `DescribePolicy`: the organization's own policies and AWS's.
pub fn describe_policy(
    cx: &Execution<'_>,
    input: &wire::DescribePolicyInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let entry = get(cx.state(), &ctx.org, &input.policy_id)?;
    Ok(wire::DescribePolicyOutput {
        policy: to_wire(&entry.record),
    }
    .into())
}

/// `ListPolicies` of one type: the organization's own and AWS's.
pub fn list_policies(
    cx: &Execution<'_>,
    input: &wire::ListPoliciesInput,
) -> Result<Output, CoreError> {
    let ctx = cx.reader()?;
    let all: Vec<_> = cx
        .state()
        .org_policies()
        .filter(|p| p.record.policy_type == input.filter.as_str())
        .filter(|p| p.record.org.is_none() || p.record.org.as_deref() == Some(ctx.org.id.as_str()))
        .map(|p| summary(&p.record))
        .collect();
    let (policies, next_token) = page(all, input.next_token.as_deref(), input.max_results, |p| {
        p.id.clone()
    })?;
    Ok(wire::ListPoliciesOutput {
        policies,
        next_token,
    }
    .into())
}

/// `DescribeEffectivePolicy` of an account (the caller's own when no target is given);
/// a member may ask only about itself (§3).
pub fn describe_effective_policy(
    cx: &Execution<'_>,
    input: &wire::DescribeEffectivePolicyInput,
) -> Result<Output, CoreError> {
    let ctx = cx.member()?;
    let state = cx.state();
    let target_id = input
        .target_id
        .clone()
        .unwrap_or_else(|| cx.account.as_str().to_owned());
    if ctx.standing == super::Standing::Member && target_id != cx.account.as_str() {
        return Err(super::access_denied());
    }
    let member = match attachments::target(state, &ctx.org, &target_id)? {
        Target::Account(member) => member,
        Target::Root | Target::Ou(_) => {
            return Err(CoreError::InvalidOrganizationsInput(
                InvalidInputReason::TargetNotSupported,
            ));
        }
    };
    let policy_type = input.policy_type.as_str();
    if !ctx.org.type_enabled(policy_type) {
        return Err(CoreError::PolicyTypeNotEnabled);
    }
    let (policy_content, updated) = effective(state, &ctx.org, &member, policy_type)
        .ok_or(CoreError::EffectivePolicyNotFound)?;
    Ok(wire::DescribeEffectivePolicyOutput {
        effective_policy: wire::EffectivePolicy {
            policy_content,
            last_updated_timestamp: Timestamp(updated),
            target_id,
            policy_type: input.policy_type,
        },
    }
    .into())
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
        _ => Err(CoreError::PolicyNotFound),
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
    let too_large =
        || CoreError::ConstraintViolation(ConstraintViolationReason::PolicyContentLimitExceeded);
    let malformed = |message: &str| CoreError::MalformedPolicyDocument(message.into());
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

/// Creates a customer policy after validating its content for its type.
fn create(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    input: &wire::CreatePolicyInput,
    tags: Vec<Tag>,
    now: i64,
) -> Result<OrgPolicyRecord, CoreError> {
    ctx.require_policy_manager()?;
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
        return Err(CoreError::DuplicatePolicy);
    }
    if same_type.len() >= POLICIES_PER_TYPE {
        return Err(CoreError::ConstraintViolation(
            ConstraintViolationReason::PolicyNumberLimitExceeded,
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
    txn.put(&record)?;
    Ok(record)
}

/// Updates a customer policy's name, description or content.
fn update(
    txn: &mut WriteTxn<'_>,
    ctx: &OrgCtx,
    input: &wire::UpdatePolicyInput,
    now: i64,
) -> Result<OrgPolicyRecord, CoreError> {
    ctx.require_policy_manager()?;
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
            return Err(CoreError::DuplicatePolicy);
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
    txn.put(&record)?;
    Ok(record)
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
    use rampart_wire::{ErrorCode, JsonService, Protocol};
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
        let organizations = Protocol::AwsJson(JsonService::Organizations);
        assert_eq!(
            err.code().for_protocol(organizations),
            ErrorCode::MalformedPolicyDocumentException
        );
    }
}
