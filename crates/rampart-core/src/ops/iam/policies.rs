//! Managed policies (customer and AWS): `CreatePolicy`, `GetPolicy`, `ListPolicies`,
//! `DeletePolicy` (refused while attached), their tags and wire form; attaching them to
//! users, groups and roles within the per-entity quota; document validation and the
//! inline-policy size rule that every policy-bearing entity shares.

use std::sync::Arc;

use rampart_policy::{InlineEntity, Policy, PolicyError, PolicyKind, inline_policy_size_error};
use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::tags::{self, Taggable};
use super::{Cx, MANAGED_POLICIES_PER_ENTITY, groups, policy_versions, roles, users};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, ManagedPolicyRecord, PolicyVersionRecord, Tag};
use crate::ops::paging::page;
use crate::state::{PolicyEntry, State};

/// The error IAM answers when a policy ARN names nothing attachable.
pub fn not_attachable(arn: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("Policy {arn} does not exist or is not attachable."))
}

/// The managed policy at `arn` or `NoSuchEntity`.
pub fn get<'s>(state: &'s State, arn: &str) -> Result<&'s Arc<PolicyEntry>, CoreError> {
    state
        .policy(arn)
        .ok_or_else(|| CoreError::NoSuchEntity(format!("Policy {arn} was not found.")))
}

/// Validates a document the way IAM does for `kind`, mapping the policy crate's errors.
pub fn validate(text: &str, kind: PolicyKind) -> Result<Policy, CoreError> {
    Policy::parse(text, kind).map_err(policy_error)
}

/// Maps a policy-language error to the core error with the same AWS code.
pub fn policy_error(err: PolicyError) -> CoreError {
    let message = err.message().to_owned();
    match err {
        PolicyError::Malformed(_) => CoreError::MalformedPolicyDocument(message),
        PolicyError::LimitExceeded(_) => CoreError::LimitExceeded(message),
        PolicyError::Validation(_) => CoreError::Validation(message),
        PolicyError::PackedPolicyTooLarge(_) | PolicyError::ConstraintViolation(_) => {
            CoreError::InvalidInput(message)
        }
    }
}

/// What `CreatePolicy` is given.
#[derive(Debug, Clone)]
pub struct NewPolicy<'a> {
    /// Policy name, unique per account ignoring case.
    pub name: &'a str,
    /// Path, `/` when absent.
    pub path: Option<&'a str>,
    /// The document of version `v1`.
    pub document: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// Tags.
    pub tags: Vec<Tag>,
}

/// Creates a customer managed policy with version `v1` as default.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    new: &NewPolicy<'_>,
    now: i64,
) -> Result<ManagedPolicyRecord, CoreError> {
    let NewPolicy {
        name,
        path,
        document,
        description,
        ..
    } = *new;
    validate(document, PolicyKind::Managed)?;
    let path = path.unwrap_or("/");
    let exists = txn.state().customer_policies().any(|p| {
        p.record.account.as_ref() == Some(account) && p.record.name.eq_ignore_ascii_case(name)
    });
    if exists {
        return Err(CoreError::EntityAlreadyExists(format!(
            "A policy called {name} already exists. Duplicate names are not allowed."
        )));
    }
    let record = ManagedPolicyRecord {
        account: Some(account.clone()),
        name: name.to_owned(),
        id: IdKind::Policy.generate(),
        path: path.to_owned(),
        description: description.map(str::to_owned),
        created: now,
        updated: now,
        default_version: "v1".to_owned(),
        versions: vec![PolicyVersionRecord {
            id: "v1".to_owned(),
            document: document.to_owned(),
            created: now,
        }],
        tags: new.tags.clone(),
    };
    txn.put(&record)?;
    Ok(record)
}

/// How many users, groups and roles of `account` a managed policy is attached to. Always
/// per account: an AWS managed policy is shared by every account, and one tenant must not
/// learn how others use it.
pub fn attachment_count(state: &State, account: &AccountId, arn: &str) -> usize {
    state.attachment_count(account, arn)
}

/// Checks that `arn` can be attached by `account` (its own or an AWS managed policy).
fn check_attachable(state: &State, account: &AccountId, arn: &str) -> Result<(), CoreError> {
    // A value that is not an ARN at all is refused before it is looked up.
    if !arn.starts_with("arn:") || arn.split(':').count() < 6 {
        return Err(CoreError::InvalidInput(format!("ARN {arn} is not valid.")));
    }
    match state.policy(arn) {
        Some(entry)
            if entry.record.account.is_none() || entry.record.account.as_ref() == Some(account) =>
        {
            Ok(())
        }
        _ => Err(not_attachable(arn)),
    }
}

/// Adds `arn` to an attachment list, enforcing the per-entity quota; attaching twice is a no-op.
fn attach_to(list: &mut Vec<String>, arn: &str, quota_name: &str) -> Result<(), CoreError> {
    if list.iter().any(|p| p == arn) {
        return Ok(());
    }
    if list.len() >= MANAGED_POLICIES_PER_ENTITY {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for {quota_name}: {MANAGED_POLICIES_PER_ENTITY}"
        )));
    }
    list.push(arn.to_owned());
    Ok(())
}

/// Attaches a managed policy to a user.
pub fn attach_to_user(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    arn: &str,
) -> Result<(), CoreError> {
    check_attachable(txn.state(), account, arn)?;
    users::update(txn, account, user, |record| {
        attach_to(&mut record.attached_policies, arn, "PoliciesPerUser")
    })?;
    Ok(())
}

/// Attaches a managed policy to a group.
pub fn attach_to_group(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    group: &str,
    arn: &str,
) -> Result<(), CoreError> {
    check_attachable(txn.state(), account, arn)?;
    groups::update(txn, account, group, |record| {
        attach_to(&mut record.attached_policies, arn, "PoliciesPerGroup")
    })?;
    Ok(())
}

/// Attaches a managed policy to a role.
pub fn attach_to_role(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    role: &str,
    arn: &str,
) -> Result<(), CoreError> {
    check_attachable(txn.state(), account, arn)?;
    roles::update(txn, account, role, |record| {
        attach_to(&mut record.attached_policies, arn, "PoliciesPerRole")
    })?;
    Ok(())
}

/// Inserts or replaces an inline policy in a (name, document) list, keeping the entity's
/// inline policies within their aggregate quota (non-whitespace characters, as AWS counts).
pub fn put_inline(
    list: &mut Vec<(String, String)>,
    name: &str,
    document: &str,
    entity: InlineEntity,
) -> Result<(), CoreError> {
    match list.iter_mut().find(|(existing, _)| existing == name) {
        Some(slot) => slot.1 = document.to_owned(),
        None => list.push((name.to_owned(), document.to_owned())),
    }
    let total: usize = list
        .iter()
        .map(|(_, text)| text.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    match inline_policy_size_error(entity, name, total) {
        Some(err) => Err(policy_error(err)),
        None => Ok(()),
    }
}

/// A managed policy the account may see: its own or AWS's.
pub fn visible_policy<'s>(
    state: &'s State,
    account: &AccountId,
    arn: &str,
) -> Result<&'s Arc<PolicyEntry>, CoreError> {
    match state.policy(arn) {
        Some(entry)
            if entry.record.account.is_none() || entry.record.account.as_ref() == Some(account) =>
        {
            Ok(entry)
        }
        _ => Err(CoreError::NoSuchEntity(format!(
            "Policy {arn} was not found."
        ))),
    }
}

/// A permissions boundary must be a managed policy the account can see.
pub fn check_boundary(state: &State, account: &AccountId, arn: &str) -> Result<(), CoreError> {
    match state.policy(arn) {
        Some(entry)
            if entry.record.account.is_none() || entry.record.account.as_ref() == Some(account) =>
        {
            Ok(())
        }
        _ => Err(CoreError::InvalidInput(format!("ARN {arn} is not valid."))),
    }
}

/// The wire form of a user's or role's permissions boundary.
pub fn wire_boundary(arn: &str) -> wire::AttachedPermissionsBoundary {
    wire::AttachedPermissionsBoundary {
        permissions_boundary_type: wire::PERMISSIONS_BOUNDARY_TYPE.to_owned(),
        permissions_boundary_arn: arn.to_owned(),
    }
}

/// The wire form of a managed policy as `account` sees it, with its attachment and
/// boundary counts in that account.
pub fn wire_policy(
    state: &State,
    account: &AccountId,
    record: &ManagedPolicyRecord,
) -> wire::ManagedPolicy {
    let arn = record.arn();
    let is_boundary = |boundary: &Option<String>| boundary.as_deref() == Some(arn.as_str());
    let boundary_uses = state
        .users(account)
        .filter(|u| is_boundary(&u.record.permissions_boundary))
        .count()
        + state
            .roles(account)
            .filter(|r| is_boundary(&r.record.permissions_boundary))
            .count();
    wire::ManagedPolicy {
        policy_name: record.name.clone(),
        policy_id: record.id.clone(),
        path: record.path.clone(),
        default_version_id: record.default_version.clone(),
        attachment_count: i32::try_from(attachment_count(state, account, &arn)).unwrap_or(i32::MAX),
        permissions_boundary_usage_count: i32::try_from(boundary_uses).unwrap_or(i32::MAX),
        is_attachable: true,
        description: record.description.clone(),
        create_date: Timestamp(record.created),
        update_date: Timestamp(record.updated),
        tags: Some(tags::to_wire(&record.tags)),
        arn,
    }
}

/// The attached policies among `arns` whose path starts with `path_prefix`, on the wire.
pub fn attached_list(
    state: &State,
    arns: &[String],
    path_prefix: Option<&str>,
) -> Vec<wire::AttachedPolicy> {
    arns.iter()
        .filter_map(|arn| state.policy(arn))
        .filter(|p| path_prefix.is_none_or(|prefix| p.record.path.starts_with(prefix)))
        .map(|p| wire::AttachedPolicy {
            policy_name: p.record.name.clone(),
            policy_arn: p.record.arn(),
        })
        .collect()
}

/// Takes `arn` out of an attachment list; a policy that is not attached is `NoSuchEntity`.
fn detach(list: &mut Vec<String>, arn: &str) -> Result<(), CoreError> {
    let before = list.len();
    list.retain(|p| p != arn);
    if list.len() == before {
        return Err(CoreError::NoSuchEntity(format!(
            "Policy {arn} was not found."
        )));
    }
    Ok(())
}

/// Deletes a customer managed policy attached to nothing; AWS's own are unmodifiable.
pub fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, arn: &str) -> Result<(), CoreError> {
    let entry = visible_policy(txn.state(), account, arn)?;
    if entry.record.account.is_none() {
        return Err(CoreError::UnmodifiableEntity(format!(
            "Cannot delete AWS managed policy {arn}."
        )));
    }
    if attachment_count(txn.state(), account, arn) > 0 {
        return Err(CoreError::DeleteConflict(
            "Cannot delete a policy attached to entities.".to_owned(),
        ));
    }
    // Only the default version goes with the policy (DeletePolicy's documented rule).
    if entry.record.versions.len() > 1 {
        return Err(CoreError::DeleteConflict(
            "This policy has more than one version. Before you delete a policy, you must delete \
             the policy's versions. The default version is deleted with the policy."
                .to_owned(),
        ));
    }
    txn.delete::<ManagedPolicyRecord>(arn)
}

impl Taggable for ManagedPolicyRecord {
    /// AWS managed policies' tags can be listed, not changed.
    fn tags(state: &State, account: &AccountId, id: &str) -> Result<Vec<Tag>, CoreError> {
        Ok(visible_policy(state, account, id)?.record.tags.clone())
    }

    fn retag(
        txn: &mut WriteTxn<'_>,
        account: &AccountId,
        id: &str,
        change: impl FnOnce(&mut Vec<Tag>) -> Result<(), CoreError>,
    ) -> Result<(), CoreError> {
        let mut record = policy_versions::owned_policy(txn.state(), account, id)?;
        change(&mut record.tags)?;
        txn.put(&record)
    }
}

/// One page of attached policies, in ARN order.
type AttachedPage = (Vec<wire::AttachedPolicy>, bool, Option<String>);

fn attached_page(
    state: &State,
    arns: &[String],
    path_prefix: Option<&str>,
    marker: Option<&str>,
    max_items: Option<i32>,
) -> Result<AttachedPage, CoreError> {
    let all = attached_list(state, arns, path_prefix);
    page(all, marker, max_items, |p| p.policy_arn.clone())
}

/// `CreatePolicy`.
pub fn create_policy(cx: &Cx<'_>, i: &wire::CreatePolicyInput) -> Result<Output, CoreError> {
    let tags = tags::from_wire(i.tags.as_deref())?;
    let record = cx.write(|txn| {
        let new = NewPolicy {
            name: &i.policy_name,
            path: i.path.as_deref(),
            document: &i.policy_document,
            description: i.description.as_deref(),
            tags: tags.clone(),
        };
        create(txn, cx.account(), &new, cx.now)
    })?;
    // CreatePolicy does not echo the description, and names tags only when given (responses
    // recorded from AWS in moto's `test_iam_response_attributes.py`, marked aws_verified).
    let policy = wire::ManagedPolicy {
        description: None,
        tags: (!record.tags.is_empty()).then(|| tags::to_wire(&record.tags)),
        ..wire_policy(&cx.state(), cx.account(), &record)
    };
    Ok(wire::CreatePolicyOutput { policy }.into())
}

/// `GetPolicy`.
pub fn get_policy(cx: &Cx<'_>, i: &wire::GetPolicyInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let entry = visible_policy(&state, cx.account(), &i.policy_arn)?;
    let policy = wire_policy(&state, cx.account(), &entry.record);
    Ok(wire::GetPolicyOutput { policy }.into())
}

/// `ListPolicies`: AWS's, the account's, or both, in ARN order.
pub fn list_policies(cx: &Cx<'_>, i: &wire::ListPoliciesInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let account = cx.account();
    let scope = i.scope.unwrap_or(wire::PolicyScope::All);
    let all: Vec<_> = state
        .policies()
        .filter(|p| match (&p.record.account, scope) {
            (None, wire::PolicyScope::All | wire::PolicyScope::Aws) => true,
            (Some(owner), wire::PolicyScope::All | wire::PolicyScope::Local) => owner == account,
            _ => false,
        })
        .filter(|p| {
            (i.path_prefix.as_deref()).is_none_or(|prefix| p.record.path.starts_with(prefix))
        })
        .filter(|p| {
            !i.only_attached.unwrap_or(false)
                || attachment_count(&state, account, &p.record.arn()) > 0
        })
        .map(Arc::clone)
        .collect();
    let (chunk, is_truncated, marker) =
        page(all, i.marker.as_deref(), i.max_items, |p| p.record.arn())?;
    Ok(wire::ListPoliciesOutput {
        // ListPolicies returns neither Description nor Tags (IAM API reference, ListPolicies).
        policies: chunk
            .iter()
            .map(|p| wire::ManagedPolicy {
                description: None,
                tags: None,
                ..wire_policy(&state, account, &p.record)
            })
            .collect(),
        is_truncated,
        marker,
    }
    .into())
}

/// `DeletePolicy`.
pub fn delete_policy(cx: &Cx<'_>, i: &wire::DeletePolicyInput) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account(), &i.policy_arn))?;
    Ok(Output::Empty)
}

/// `AttachUserPolicy`.
pub fn attach_user_policy(
    cx: &Cx<'_>,
    i: &wire::AttachUserPolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| attach_to_user(txn, cx.account(), &i.user_name, &i.policy_arn))?;
    Ok(Output::Empty)
}

/// `DetachUserPolicy`.
pub fn detach_user_policy(
    cx: &Cx<'_>,
    i: &wire::DetachUserPolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        users::update(txn, cx.account(), &i.user_name, |record| {
            detach(&mut record.attached_policies, &i.policy_arn)
        })
    })?;
    Ok(Output::Empty)
}

/// `ListAttachedUserPolicies`.
pub fn list_attached_user_policies(
    cx: &Cx<'_>,
    i: &wire::ListAttachedUserPoliciesInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let user = users::get(&state, cx.account(), &i.user_name)?;
    let (attached_policies, is_truncated, marker) = attached_page(
        &state,
        &user.record.attached_policies,
        i.path_prefix.as_deref(),
        i.marker.as_deref(),
        i.max_items,
    )?;
    Ok(wire::ListAttachedUserPoliciesOutput {
        attached_policies,
        is_truncated,
        marker,
    }
    .into())
}

/// `AttachGroupPolicy`.
pub fn attach_group_policy(
    cx: &Cx<'_>,
    i: &wire::AttachGroupPolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| attach_to_group(txn, cx.account(), &i.group_name, &i.policy_arn))?;
    Ok(Output::Empty)
}

/// `DetachGroupPolicy`.
pub fn detach_group_policy(
    cx: &Cx<'_>,
    i: &wire::DetachGroupPolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        groups::update(txn, cx.account(), &i.group_name, |record| {
            detach(&mut record.attached_policies, &i.policy_arn)
        })
    })?;
    Ok(Output::Empty)
}

/// `ListAttachedGroupPolicies`.
pub fn list_attached_group_policies(
    cx: &Cx<'_>,
    i: &wire::ListAttachedGroupPoliciesInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let group = groups::get(&state, cx.account(), &i.group_name)?;
    let (attached_policies, is_truncated, marker) = attached_page(
        &state,
        &group.record.attached_policies,
        i.path_prefix.as_deref(),
        i.marker.as_deref(),
        i.max_items,
    )?;
    Ok(wire::ListAttachedGroupPoliciesOutput {
        attached_policies,
        is_truncated,
        marker,
    }
    .into())
}

/// `AttachRolePolicy`.
pub fn attach_role_policy(
    cx: &Cx<'_>,
    i: &wire::AttachRolePolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| attach_to_role(txn, cx.account(), &i.role_name, &i.policy_arn))?;
    Ok(Output::Empty)
}

/// `DetachRolePolicy`.
pub fn detach_role_policy(
    cx: &Cx<'_>,
    i: &wire::DetachRolePolicyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        roles::update(txn, cx.account(), &i.role_name, |record| {
            detach(&mut record.attached_policies, &i.policy_arn)
        })
    })?;
    Ok(Output::Empty)
}

/// `ListAttachedRolePolicies`.
pub fn list_attached_role_policies(
    cx: &Cx<'_>,
    i: &wire::ListAttachedRolePoliciesInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let role = roles::get(&state, cx.account(), &i.role_name)?;
    let (attached_policies, is_truncated, marker) = attached_page(
        &state,
        &role.record.attached_policies,
        i.path_prefix.as_deref(),
        i.marker.as_deref(),
        i.max_items,
    )?;
    Ok(wire::ListAttachedRolePoliciesOutput {
        attached_policies,
        is_truncated,
        marker,
    }
    .into())
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::{self as wire, Operation as Op, Output};

    use super::super::fixture::{ALLOW_ALL, Fixture, NOW};
    use crate::auth::{Caller, Principal};
    use crate::error::CoreError;

    #[test]
    fn aws_managed_policy_attachments_are_counted_per_account() {
        const SHARED: &str = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
        let f = Fixture::new();
        // Another tenant on the same server attaches the AWS managed policy.
        let other = f
            .engine
            .write(|txn| crate::ops::signup::create_account(txn, "b@example.com", "b", None, NOW))
            .unwrap();
        let other_root = Caller {
            account: other.id.clone(),
            principal: Principal::Root,
            access_key_id: String::new(),
            session: None,
        };
        let in_other = |op| super::super::execute::execute(&f.engine, &other_root, &op, NOW);
        in_other(Op::CreateUser(wire::CreateUserInput {
            user_name: "bob".into(),
            ..Default::default()
        }))
        .unwrap();
        in_other(Op::AttachUserPolicy(wire::AttachUserPolicyInput {
            user_name: "bob".into(),
            policy_arn: SHARED.into(),
        }))
        .unwrap();
        in_other(Op::PutUserPermissionsBoundary(
            wire::PutUserPermissionsBoundaryInput {
                user_name: "bob".into(),
                permissions_boundary: SHARED.into(),
            },
        ))
        .unwrap();

        let get = |run: &dyn Fn(Op) -> Result<Output, CoreError>| {
            let Output::GetPolicy(out) = run(Op::GetPolicy(wire::GetPolicyInput {
                policy_arn: SHARED.into(),
            }))
            .unwrap() else {
                panic!("unexpected output")
            };
            let policy = out.policy;
            (
                policy.attachment_count,
                policy.permissions_boundary_usage_count,
            )
        };
        assert_eq!(get(&|op| f.run(op)), (0, 0), "another account's use leaked");
        assert_eq!(get(&in_other), (1, 1));
        let Output::ListPolicies(listed) = f
            .run(Op::ListPolicies(wire::ListPoliciesInput {
                only_attached: Some(true),
                ..Default::default()
            }))
            .unwrap()
        else {
            panic!("unexpected output")
        };
        assert!(
            listed.policies.iter().all(|p| p.arn != SHARED),
            "{listed:?}"
        );
    }

    #[test]
    fn delete_policy_refuses_while_attached_and_for_aws_policies() {
        let f = Fixture::new();
        f.user("alice");
        let out = f
            .run(Op::CreatePolicy(wire::CreatePolicyInput {
                policy_name: "all".into(),
                policy_document: ALLOW_ALL.into(),
                ..Default::default()
            }))
            .unwrap();
        let Output::CreatePolicy(out) = out else {
            panic!("not a CreatePolicy output: {out:?}");
        };
        let arn = out.policy.arn;
        f.run(Op::AttachUserPolicy(wire::AttachUserPolicyInput {
            user_name: "alice".into(),
            policy_arn: arn.clone(),
        }))
        .unwrap();
        let delete = |arn: &str| {
            f.run(Op::DeletePolicy(wire::DeletePolicyInput {
                policy_arn: arn.to_owned(),
            }))
        };
        let err = delete(&arn).unwrap_err();
        assert!(matches!(err, CoreError::DeleteConflict(_)), "{err:?}");
        let aws = "arn:aws:iam::aws:policy/AdministratorAccess";
        let err = delete(aws).unwrap_err();
        assert!(matches!(err, CoreError::UnmodifiableEntity(_)), "{err:?}");
        f.run(Op::DetachUserPolicy(wire::DetachUserPolicyInput {
            user_name: "alice".into(),
            policy_arn: arn.clone(),
        }))
        .unwrap();
        delete(&arn).unwrap();
        assert!(f.state().policy(&arn).is_none());
    }

    #[test]
    fn detaching_a_policy_that_is_not_attached_is_no_such_entity() {
        let f = Fixture::new();
        f.role("app");
        let err = f
            .run(Op::DetachRolePolicy(wire::DetachRolePolicyInput {
                role_name: "app".into(),
                policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
            }))
            .unwrap_err();
        assert!(matches!(err, CoreError::NoSuchEntity(_)), "{err:?}");
    }
}
