//! Organization policies: the AWS-managed full-access policies, customer policies of every
//! type (`CreatePolicy`, `UpdatePolicy`, `DeletePolicy`, `DescribePolicy`, `ListPolicies`),
//! effective (management) policies (`DescribeEffectivePolicy`), and the per-level SCP/RCP
//! sets the authorizer applies to member accounts (§5, policy-evaluation.md §5). Where
//! policies are attached is `attachments`' business.

use rampart_policy::{Policy, PolicyError, PolicyKind};
use rampart_wire::Timestamp;
use rampart_wire::organizations::{self as wire, Output};

use super::attachments::{self, Target};
use super::{Execution, OrgCtx, RCP, SCP, page};
use crate::engine::WriteTxn;
use crate::error::{ConstraintViolationReason, CoreError, InvalidInputReason};
use crate::model::{AccountId, OrgAccountRecord, OrgPolicyRecord, OrganizationRecord, Tag, kind};
use crate::state::{OrgPolicyEntry, State};

/// Id of the AWS-managed SCP attached everywhere when SCPs are enabled.
pub const FULL_AWS_ACCESS: &str = "p-FullAWSAccess";
/// Id of the AWS-managed RCP attached everywhere when RCPs are enabled.
pub const RCP_FULL_AWS_ACCESS: &str = "p-RCPFullAWSAccess";
/// Most customer policies per type.
const POLICIES_PER_TYPE: usize = 1000;

/// The AWS-managed policies (built in, never stored).
pub fn aws_managed() -> Vec<OrgPolicyRecord> {
    let managed = |id: &str, name: &str, policy_type: &str, content: &str| OrgPolicyRecord {
        org: None,
        management: None,
        id: id.to_owned(),
        name: name.to_owned(),
        description: "Allows access to every operation".to_owned(),
        policy_type: policy_type.to_owned(),
        content: content.to_owned(),
        updated: 0,
        tags: vec![],
    };
    vec![
        managed(
            FULL_AWS_ACCESS,
            "FullAWSAccess",
            SCP,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        ),
        managed(
            RCP_FULL_AWS_ACCESS,
            "RCPFullAWSAccess",
            RCP,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
        ),
    ]
}

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
        ctx.require_management()?;
        let entry = get(txn.state(), &ctx.org, &input.policy_id)?;
        if entry.record.org.is_none() {
            return Err(immutable());
        }
        if !attachments::targets(txn.state(), &ctx.org, &input.policy_id).is_empty() {
            return Err(CoreError::PolicyInUse);
        }
        txn.delete(kind::ORG_POLICY, &input.policy_id)
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
    txn.put(kind::ORG_POLICY, &record.id, &record)?;
    Ok(record)
}

/// Updates a customer policy's name, description or content.
fn update(
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
    txn.put(kind::ORG_POLICY, &record.id, &record)?;
    Ok(record)
}

/// The policies of `policy_type` at each level from the root down to `account`: one list
/// per level (root, each OU, the account). Empty when the type does not restrict the
/// account: no organization, the management account, or the type not enabled (§5.1).
pub fn levels<'s>(
    state: &'s State,
    account: &AccountId,
    policy_type: &str,
) -> Vec<Vec<&'s Policy>> {
    let Some((org, member)) = state.org_of(account) else {
        return Vec::new();
    };
    if &org.management == account || !org.type_enabled(policy_type) {
        return Vec::new();
    }
    let documents = |ids: &'s [String]| -> Vec<&'s Policy> {
        ids.iter()
            .filter_map(|id| state.org_policy(id))
            .filter(|p| p.record.policy_type == policy_type)
            .filter_map(|p| p.document.as_deref())
            .collect()
    };
    let mut out = vec![documents(&org.root_policies)];
    for ou in super::ou_chain(state, org, &member.parent) {
        if let Some(unit) = state.org_unit(&ou) {
            out.push(documents(&unit.policies));
        }
    }
    out.push(documents(&member.policies));
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
    use crate::model::OrgUnitRecord;
    use rampart_wire::{ErrorCode, JsonService, Protocol};
    use serde_json::json;

    fn put<R: serde::Serialize>(state: &mut State, kind_name: &str, key: &str, record: &R) {
        let row = crate::store::Row {
            kind: kind_name.to_owned(),
            key: key.to_owned(),
            body: Some(serde_json::to_string(record).unwrap()),
        };
        state
            .apply(&row, &crate::secrets::MasterKey::from_bytes([7; 32]))
            .unwrap();
    }

    /// An organization with SCPs and RCPs enabled, one OU holding `member`, and a deny-all
    /// SCP on the OU.
    fn tree() -> (State, AccountId, AccountId) {
        let mgmt = AccountId::parse("111111111111").unwrap();
        let member = AccountId::parse("222222222222").unwrap();
        let mut state = State::with_builtins().unwrap();
        let org = OrganizationRecord {
            id: "o-abcdefghij".into(),
            management: mgmt.clone(),
            feature_set: "ALL".into(),
            root_id: "r-ab12".into(),
            created: 0,
            policy_types: vec![SCP.into(), RCP.into()],
            root_policies: vec![FULL_AWS_ACCESS.into(), RCP_FULL_AWS_ACCESS.into()],
            root_tags: vec![],
            service_access: vec![],
            delegated_admins: vec![],
            root_features: vec![],
        };
        put(&mut state, kind::ORGANIZATION, &org.id, &org);
        let unit = OrgUnitRecord {
            org: org.id.clone(),
            id: "ou-ab12-abcdefgh".into(),
            name: "Prod".into(),
            parent: org.root_id.clone(),
            created: 0,
            policies: vec![FULL_AWS_ACCESS.into(), "p-denyall1".into()],
            tags: vec![],
        };
        put(&mut state, kind::ORG_UNIT, &unit.id, &unit);
        let deny = OrgPolicyRecord {
            org: Some(org.id.clone()),
            management: Some(mgmt.clone()),
            id: "p-denyall1".into(),
            name: "DenyAll".into(),
            description: String::new(),
            policy_type: SCP.into(),
            content: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#.into(),
            updated: 0,
            tags: vec![],
        };
        put(&mut state, kind::ORG_POLICY, &deny.id, &deny);
        for (account, parent) in [(&mgmt, org.root_id.as_str()), (&member, unit.id.as_str())] {
            let record = OrgAccountRecord {
                org: org.id.clone(),
                account: account.clone(),
                parent: parent.to_owned(),
                joined_method: "CREATED".into(),
                joined: 0,
                state: "ACTIVE".into(),
                policies: vec![FULL_AWS_ACCESS.into(), RCP_FULL_AWS_ACCESS.into()],
                tags: vec![],
            };
            put(&mut state, kind::ORG_ACCOUNT, account.as_str(), &record);
        }
        (state, mgmt, member)
    }

    #[test]
    fn members_get_one_level_per_node_and_the_management_account_none() {
        let (state, mgmt, member) = tree();
        let scps = levels(&state, &member, SCP);
        assert_eq!(scps.iter().map(Vec::len).collect::<Vec<_>>(), [1, 2, 1]);
        assert!(levels(&state, &mgmt, SCP).is_empty());
        assert!(levels(&state, &AccountId::parse("333333333333").unwrap(), SCP).is_empty());
        let (scp, rcp) = crate::authz::org_guardrails(&state, &member, &member, "sts:AssumeRole");
        assert_eq!((scp.len(), rcp.len()), (3, 3));
        let (_, rcp) = crate::authz::org_guardrails(&state, &member, &member, "iam:ListUsers");
        assert!(rcp.is_empty(), "IAM actions are not RCP-governed");
        let (_, rcp) = crate::authz::org_guardrails(&state, &member, &mgmt, "sts:AssumeRole");
        assert!(
            rcp.is_empty(),
            "management-account resources are never bound by RCPs"
        );
    }

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
    fn the_aws_managed_policies_parse_as_their_kinds() {
        for record in aws_managed() {
            let kind = if record.policy_type == SCP {
                PolicyKind::ServiceControl
            } else {
                PolicyKind::ResourceControl
            };
            Policy::parse(&record.content, kind).unwrap();
        }
        assert_eq!(
            aws_managed().first().map(OrgPolicyRecord::arn).as_deref(),
            Some("arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess")
        );
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
