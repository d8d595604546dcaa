//! Policy simulation (`SimulatePrincipalPolicy`, `SimulateCustomPolicy`) and the context
//! keys policies use (`GetContextKeysFor*Policy`).
//!
//! The simulator decides with the same function the enforcer uses (`rampart_policy::evaluate`
//! over the same policy sets `authz` collects), so a simulated decision is the decision a
//! real call would get given the same context. Only the context differs: it holds the
//! principal's own keys and the caller's `ContextEntries`, not the live request's.

use std::collections::BTreeSet;
use std::sync::Arc;

use rampart_policy::{
    ContextValue, Decision, MatchedStatement, Policy, PolicyKind, PolicySets, PolicySource,
    PrincipalInfo, PrincipalKind, RequestContext, Timestamp, evaluate, evaluate_all,
};
use rampart_wire::iam::{self as wire, Output};

use super::{Cx, policies};
use crate::error::CoreError;
use crate::model::AccountId;
use crate::ops::paging::page;
use crate::state::State;

/// One policy taking part in a simulation, with the name and type AWS reports for it.
struct Labelled {
    policy: Arc<Policy>,
    id: String,
    source: wire::PolicySourceType,
}

/// Everything a simulation decides over.
struct Simulation {
    principal: PrincipalInfo,
    principal_keys: Vec<(String, ContextValue)>,
    identity: Vec<Labelled>,
    boundary: Option<Labelled>,
    resource_policy: Option<Labelled>,
    resource_account: Option<String>,
    /// The principal's account, when its organization's guard rails apply (principal
    /// simulations only, as AWS does).
    guarded_account: Option<AccountId>,
}

fn managed_label(state: &State, arn: &str) -> Option<Labelled> {
    let entry = state.policy(arn)?;
    let source = if entry.record.account.is_none() {
        wire::PolicySourceType::AwsManaged
    } else {
        wire::PolicySourceType::UserManaged
    };
    Some(Labelled {
        policy: Arc::clone(entry.document()?),
        id: entry.record.name.clone(),
        source,
    })
}

fn inline_labels(
    names: &[(String, String)],
    parsed: &[Arc<Policy>],
    source: wire::PolicySourceType,
) -> Vec<Labelled> {
    names
        .iter()
        .zip(parsed)
        .map(|((name, _), policy)| Labelled {
            policy: Arc::clone(policy),
            id: name.clone(),
            source,
        })
        .collect()
}

fn input_labels(
    texts: &[String],
    kind: PolicyKind,
    list_name: &str,
) -> Result<Vec<Labelled>, CoreError> {
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            Ok(Labelled {
                policy: Arc::new(policies::validate(text, kind)?),
                id: format!("{list_name}.{}", i + 1),
                source: wire::PolicySourceType::NoSource,
            })
        })
        .collect()
}

/// The identity, boundary and principal of `PolicySourceArn` (a user, group or role).
fn principal_source(
    state: &State,
    account: &AccountId,
    arn: &str,
) -> Result<Simulation, CoreError> {
    let invalid = || CoreError::InvalidInput(format!("Invalid ARN {arn}."));
    let rest = arn
        .strip_prefix(&format!("arn:aws:iam::{account}:"))
        .ok_or_else(invalid)?;
    let name = rest.rsplit('/').next().ok_or_else(invalid)?;
    let mut sim = Simulation {
        principal: PrincipalInfo::new(PrincipalKind::User, arn, account.as_str()),
        principal_keys: Vec::new(),
        identity: Vec::new(),
        boundary: None,
        resource_policy: None,
        resource_account: None,
        guarded_account: Some(account.clone()),
    };
    if rest.starts_with("user/") {
        let user = super::users::get(state, account, name)?;
        sim.principal = sim.principal.with_unique_id(user.record.id.clone());
        sim.principal_keys = vec![
            (
                "aws:username".to_owned(),
                ContextValue::from(user.record.name.as_str()),
            ),
            (
                "aws:userid".to_owned(),
                ContextValue::from(user.record.id.as_str()),
            ),
            ("aws:PrincipalArn".to_owned(), ContextValue::from(arn)),
            (
                "aws:PrincipalAccount".to_owned(),
                ContextValue::from(account.as_str()),
            ),
            ("aws:PrincipalType".to_owned(), ContextValue::from("User")),
        ];
        sim.identity.extend(inline_labels(
            &user.record.inline_policies,
            &user.inline,
            wire::PolicySourceType::User,
        ));
        sim.identity.extend(
            user.record
                .attached_policies
                .iter()
                .filter_map(|a| managed_label(state, a)),
        );
        for group_name in &user.record.groups {
            if let Some(group) = state.group(account, group_name) {
                sim.identity.extend(inline_labels(
                    &group.record.inline_policies,
                    &group.inline,
                    wire::PolicySourceType::Group,
                ));
                sim.identity.extend(
                    group
                        .record
                        .attached_policies
                        .iter()
                        .filter_map(|a| managed_label(state, a)),
                );
            }
        }
        sim.boundary = user
            .record
            .permissions_boundary
            .as_deref()
            .and_then(|a| managed_label(state, a));
    } else if rest.starts_with("group/") {
        let group = super::groups::get(state, account, name)?;
        sim.identity.extend(inline_labels(
            &group.record.inline_policies,
            &group.inline,
            wire::PolicySourceType::Group,
        ));
        sim.identity.extend(
            group
                .record
                .attached_policies
                .iter()
                .filter_map(|a| managed_label(state, a)),
        );
    } else if rest.starts_with("role/") {
        let role = super::roles::get(state, account, name)?;
        sim.principal = PrincipalInfo::new(PrincipalKind::Role, arn, account.as_str())
            .with_unique_id(role.record.id.clone());
        sim.identity.extend(inline_labels(
            &role.record.inline_policies,
            &role.inline,
            wire::PolicySourceType::Role,
        ));
        sim.identity.extend(
            role.record
                .attached_policies
                .iter()
                .filter_map(|a| managed_label(state, a)),
        );
        sim.boundary = role
            .record
            .permissions_boundary
            .as_deref()
            .and_then(|a| managed_label(state, a));
    } else {
        return Err(invalid());
    }
    Ok(sim)
}

fn context_value(entry: &wire::ContextEntry) -> Result<ContextValue, CoreError> {
    let values = entry.context_key_values.clone().unwrap_or_default();
    let bad = |v: &str| {
        CoreError::InvalidInput(format!(
            "Invalid value {v} for context key {}.",
            entry.context_key_name.as_deref().unwrap_or("")
        ))
    };
    let one = |v: &str, ty: wire::ContextKeyType| -> Result<ContextValue, CoreError> {
        use wire::ContextKeyType as T;
        Ok(match ty {
            T::String | T::StringList => ContextValue::String(v.to_owned()),
            T::Numeric | T::NumericList => ContextValue::Number(v.parse().map_err(|_| bad(v))?),
            T::Boolean | T::BooleanList => {
                ContextValue::Bool(match v.to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(bad(v)),
                })
            }
            T::Ip | T::IpList => ContextValue::Ip(v.parse().map_err(|_| bad(v))?),
            T::Binary | T::BinaryList => ContextValue::Binary(
                data_encoding::BASE64
                    .decode(v.as_bytes())
                    .map_err(|_| bad(v))?,
            ),
            T::Date | T::DateList => ContextValue::Date(Timestamp::parse(v).ok_or_else(|| bad(v))?),
        })
    };
    let ty = entry
        .context_key_type
        .unwrap_or(wire::ContextKeyType::String);
    let is_list = matches!(
        ty,
        wire::ContextKeyType::StringList
            | wire::ContextKeyType::NumericList
            | wire::ContextKeyType::BooleanList
            | wire::ContextKeyType::IpList
            | wire::ContextKeyType::BinaryList
            | wire::ContextKeyType::DateList
    );
    if is_list {
        Ok(ContextValue::List(
            values
                .iter()
                .map(|v| one(v, ty))
                .collect::<Result<_, _>>()?,
        ))
    } else {
        let first = values.first().ok_or_else(|| bad(""))?;
        one(first, ty)
    }
}

fn statement_label(sim: &Simulation, m: &MatchedStatement) -> wire::Statement {
    let labelled = match m.source {
        PolicySource::Identity => sim.identity.get(m.policy_index),
        PolicySource::PermissionsBoundary => sim.boundary.as_ref(),
        PolicySource::ResourcePolicy => sim.resource_policy.as_ref(),
        _ => None,
    };
    wire::Statement {
        source_policy_id: labelled.map(|l| l.id.clone()),
        source_policy_type: labelled.map(|l| l.source),
        start_position: None,
        end_position: None,
    }
}

fn wire_decision(decision: Decision) -> wire::PolicyEvaluationDecision {
    match decision {
        Decision::Allow => wire::PolicyEvaluationDecision::Allowed,
        Decision::ExplicitDeny => wire::PolicyEvaluationDecision::ExplicitDeny,
        Decision::ImplicitDeny => wire::PolicyEvaluationDecision::ImplicitDeny,
    }
}

/// Condition keys the applicable policies test that the context does not supply.
fn missing_keys(sim: &Simulation, ctx: &RequestContext) -> Vec<String> {
    let all = sim
        .identity
        .iter()
        .chain(sim.boundary.iter())
        .chain(sim.resource_policy.iter());
    let keys: BTreeSet<String> = all
        .flat_map(|l| {
            l.policy
                .document()
                .statements()
                .iter()
                .flat_map(|s| s.condition_keys().map(str::to_owned).collect::<Vec<_>>())
        })
        .filter(|key| ctx.get(key).is_none())
        .collect();
    keys.into_iter().collect()
}

struct Request<'a> {
    actions: &'a [String],
    resources: &'a [String],
    context_entries: &'a [wire::ContextEntry],
    marker: Option<&'a str>,
    max_items: Option<i32>,
    now: i64,
}

fn run(
    state: &State,
    sim: &Simulation,
    req: &Request<'_>,
) -> Result<wire::SimulatePrincipalPolicyOutput, CoreError> {
    let mut entries = Vec::new();
    for entry in req.context_entries {
        if let Some(name) = &entry.context_key_name {
            entries.push((name.clone(), context_value(entry)?));
        }
    }
    let default_resources = ["*".to_owned()];
    let resources: &[String] = if req.resources.is_empty() {
        &default_resources
    } else {
        req.resources
    };
    let identity: Vec<&Policy> = sim.identity.iter().map(|l| l.policy.as_ref()).collect();
    let base = PolicySets {
        identity,
        permissions_boundary: sim.boundary.as_ref().map(|l| l.policy.as_ref()),
        resource_policy: sim.resource_policy.as_ref().map(|l| l.policy.as_ref()),
        resource_account: sim.resource_account.clone(),
        ..PolicySets::default()
    };
    let mut results = Vec::new();
    for action in req.actions {
        // The same guard rails the enforcer applies to this principal's account.
        let (service_control, resource_control) = match &sim.guarded_account {
            Some(account) => crate::authz::org_guardrails(state, account, account, action),
            None => (Vec::new(), Vec::new()),
        };
        let organizations_detail = (!service_control.is_empty()).then_some(());
        let sets = PolicySets {
            service_control,
            resource_control,
            ..base.clone()
        };
        for resource in resources {
            let mut ctx =
                RequestContext::new(action.clone(), resource.clone(), sim.principal.clone())
                    .with_time(Timestamp::from_epoch_seconds(req.now));
            for (name, value) in sim.principal_keys.iter().chain(entries.iter()) {
                ctx.set_key(name, value.clone());
            }
            let evaluation = evaluate_all(&ctx, &sets);
            let boundary_detail = sim.boundary.as_ref().map(|b| {
                let alone = PolicySets {
                    identity: vec![b.policy.as_ref()],
                    ..PolicySets::default()
                };
                wire::PermissionsBoundaryDecisionDetail {
                    allowed_by_permissions_boundary: evaluate(&ctx, &alone).is_allowed(),
                }
            });
            let organizations_decision_detail = organizations_detail.map(|()| {
                let alone = PolicySets {
                    service_control: sets.service_control.clone(),
                    identity: sets.identity.clone(),
                    ..PolicySets::default()
                };
                let scp = evaluate(&ctx, &alone);
                wire::OrganizationsDecisionDetail {
                    allowed_by_organizations: scp.reason
                        != Some(rampart_policy::DenialReason::NoServiceControlAllow)
                        && scp.reason != Some(rampart_policy::DenialReason::ServiceControlDeny),
                }
            });
            results.push(wire::EvaluationResult {
                organizations_decision_detail,
                eval_action_name: action.clone(),
                eval_resource_name: Some(resource.clone()),
                eval_decision: wire_decision(evaluation.decision),
                matched_statements: evaluation
                    .matched
                    .iter()
                    .map(|m| statement_label(sim, m))
                    .collect(),
                missing_context_values: missing_keys(sim, &ctx),
                permissions_boundary_decision_detail: boundary_detail,
                ..wire::EvaluationResult::default()
            });
        }
    }
    let (evaluation_results, is_truncated, marker) =
        page(results, req.marker, req.max_items, |r| {
            format!(
                "{}\u{1}{}",
                r.eval_action_name,
                r.eval_resource_name.clone().unwrap_or_default()
            )
        })?;
    Ok(wire::SimulatePrincipalPolicyOutput {
        evaluation_results,
        is_truncated,
        marker,
    })
}

fn with_inputs(
    mut sim: Simulation,
    policy_inputs: Option<&[String]>,
    boundary_inputs: Option<&[String]>,
    resource_policy: Option<&str>,
    resource_owner: Option<&str>,
    account: &AccountId,
) -> Result<Simulation, CoreError> {
    sim.identity.extend(input_labels(
        policy_inputs.unwrap_or_default(),
        PolicyKind::Identity,
        "PolicyInputList",
    )?);
    if let Some(boundaries) = boundary_inputs {
        let mut labels = input_labels(
            boundaries,
            PolicyKind::PermissionsBoundary,
            "PermissionsBoundaryPolicyInputList",
        )?;
        if !labels.is_empty() {
            sim.boundary = Some(labels.remove(0));
        }
    }
    if let Some(text) = resource_policy {
        sim.resource_policy = Some(Labelled {
            policy: Arc::new(policies::validate(text, PolicyKind::Resource)?),
            id: "ResourcePolicy".to_owned(),
            source: wire::PolicySourceType::Resource,
        });
        let owner = resource_owner
            .and_then(|o| o.split(':').nth(4).map(str::to_owned))
            .unwrap_or_else(|| account.as_str().to_owned());
        sim.resource_account = Some(owner);
    }
    Ok(sim)
}

/// `SimulatePrincipalPolicy`: the source principal's policies plus any given ones.
pub fn simulate_principal(
    state: &State,
    account: &AccountId,
    i: &wire::SimulatePrincipalPolicyInput,
    now: i64,
) -> Result<wire::SimulatePrincipalPolicyOutput, CoreError> {
    let sim = principal_source(state, account, &i.policy_source_arn)?;
    let sim = with_inputs(
        sim,
        i.policy_input_list.as_deref(),
        i.permissions_boundary_policy_input_list.as_deref(),
        i.resource_policy.as_deref(),
        i.resource_owner.as_deref(),
        account,
    )?;
    let req = Request {
        actions: &i.action_names,
        resources: i.resource_arns.as_deref().unwrap_or_default(),
        context_entries: i.context_entries.as_deref().unwrap_or_default(),
        marker: i.marker.as_deref(),
        max_items: i.max_items,
        now,
    };
    run(state, &sim, &req)
}

/// `SimulateCustomPolicy`: only the given policies, for `CallerArn` (or an anonymous user).
pub fn simulate_custom(
    account: &AccountId,
    i: &wire::SimulateCustomPolicyInput,
    now: i64,
) -> Result<wire::SimulateCustomPolicyOutput, CoreError> {
    let caller = i
        .caller_arn
        .clone()
        .unwrap_or_else(|| format!("arn:aws:iam::{account}:user/simulated"));
    let mut principal = PrincipalInfo::new(PrincipalKind::User, caller.clone(), account.as_str());
    principal.unique_id = None;
    let mut principal_keys = vec![(
        "aws:PrincipalArn".to_owned(),
        ContextValue::from(caller.as_str()),
    )];
    if let Some(name) = caller
        .strip_prefix(&format!("arn:aws:iam::{account}:user/"))
        .and_then(|r| r.rsplit('/').next())
    {
        principal_keys.push(("aws:username".to_owned(), ContextValue::from(name)));
    }
    let sim = Simulation {
        principal,
        principal_keys,
        identity: Vec::new(),
        boundary: None,
        resource_policy: None,
        resource_account: None,
        guarded_account: None,
    };
    let sim = with_inputs(
        sim,
        Some(&i.policy_input_list),
        i.permissions_boundary_policy_input_list.as_deref(),
        i.resource_policy.as_deref(),
        i.resource_owner.as_deref(),
        account,
    )?;
    let req = Request {
        actions: &i.action_names,
        resources: i.resource_arns.as_deref().unwrap_or_default(),
        context_entries: i.context_entries.as_deref().unwrap_or_default(),
        marker: i.marker.as_deref(),
        max_items: i.max_items,
        now,
    };
    let out = run(&State::default(), &sim, &req)?;
    Ok(wire::SimulateCustomPolicyOutput {
        evaluation_results: out.evaluation_results,
        is_truncated: out.is_truncated,
        marker: out.marker,
    })
}

/// Every condition key named by `policies`, sorted and without repeats (AWS reports them
/// as written in the documents; lookups compare them ignoring case).
fn context_keys_of<'a>(policies: impl Iterator<Item = &'a Policy>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut keys = Vec::new();
    for policy in policies {
        for statement in policy.document().statements() {
            for key in statement.condition_keys() {
                if seen.insert(key.to_ascii_lowercase()) {
                    keys.push(key.to_owned());
                }
            }
        }
    }
    keys.sort_by_key(|k| k.to_ascii_lowercase());
    keys
}

/// `GetContextKeysForPrincipalPolicy`: the keys the principal's policies (and any given
/// ones) test.
pub fn context_keys_for_principal(
    state: &State,
    account: &AccountId,
    source_arn: &str,
    inputs: Option<&[String]>,
) -> Result<Vec<String>, CoreError> {
    let sim = with_inputs(
        principal_source(state, account, source_arn)?,
        inputs,
        None,
        None,
        None,
        account,
    )?;
    Ok(context_keys_of(
        sim.identity
            .iter()
            .chain(sim.boundary.iter())
            .map(|l| l.policy.as_ref()),
    ))
}

/// `GetContextKeysForCustomPolicy`.
pub fn context_keys_for_custom(inputs: &[String]) -> Result<Vec<String>, CoreError> {
    let labels = input_labels(inputs, PolicyKind::Identity, "PolicyInputList")?;
    Ok(context_keys_of(labels.iter().map(|l| l.policy.as_ref())))
}

/// `SimulatePrincipalPolicy`.
pub fn simulate_principal_policy(
    cx: &Cx<'_>,
    i: &wire::SimulatePrincipalPolicyInput,
) -> Result<Output, CoreError> {
    Ok(simulate_principal(&cx.state(), cx.account(), i, cx.now)?.into())
}

/// `SimulateCustomPolicy`.
pub fn simulate_custom_policy(
    cx: &Cx<'_>,
    i: &wire::SimulateCustomPolicyInput,
) -> Result<Output, CoreError> {
    Ok(simulate_custom(cx.account(), i, cx.now)?.into())
}

/// `GetContextKeysForPrincipalPolicy`.
pub fn get_context_keys_for_principal_policy(
    cx: &Cx<'_>,
    i: &wire::GetContextKeysForPrincipalPolicyInput,
) -> Result<Output, CoreError> {
    let inputs = i.policy_input_list.as_deref();
    let context_key_names =
        context_keys_for_principal(&cx.state(), cx.account(), &i.policy_source_arn, inputs)?;
    Ok(wire::GetContextKeysForPrincipalPolicyOutput { context_key_names }.into())
}

/// `GetContextKeysForCustomPolicy`.
pub fn get_context_keys_for_custom_policy(
    _: &Cx<'_>,
    i: &wire::GetContextKeysForCustomPolicyInput,
) -> Result<Output, CoreError> {
    let context_key_names = context_keys_for_custom(&i.policy_input_list)?;
    Ok(wire::GetContextKeysForCustomPolicyOutput { context_key_names }.into())
}
