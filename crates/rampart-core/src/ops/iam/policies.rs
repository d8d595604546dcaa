//! Managed policies (customer and AWS), attachments, and inline policies.

use std::sync::Arc;

use rampart_policy::{InlineEntity, Policy, PolicyError, PolicyKind, inline_policy_size_error};

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, ManagedPolicyRecord, PolicyVersionRecord, Tag, kind};
use crate::state::{PolicyEntry, State};

use super::MANAGED_POLICIES_PER_ENTITY;

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
    let exists = txn.state().policies().any(|p| {
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
    txn.put(kind::POLICY, &record.arn(), &record)?;
    Ok(record)
}

/// How many users and groups a managed policy is attached to.
pub fn attachment_count(state: &State, arn: &str) -> usize {
    let users = state
        .accounts()
        .flat_map(|a| state.users(&a.id))
        .filter(|u| u.record.attached_policies.iter().any(|p| p == arn));
    let groups = state
        .accounts()
        .flat_map(|a| state.groups(&a.id))
        .filter(|g| g.record.attached_policies.iter().any(|p| p == arn));
    let roles = state
        .accounts()
        .flat_map(|a| state.roles(&a.id))
        .filter(|r| r.record.attached_policies.iter().any(|p| p == arn));
    users.count() + groups.count() + roles.count()
}

/// How many users, groups and roles of `account` a managed policy is attached to.
pub fn attachment_count_in(state: &State, account: &AccountId, arn: &str) -> usize {
    let on = |list: &[String]| list.iter().any(|p| p == arn);
    state
        .users(account)
        .filter(|u| on(&u.record.attached_policies))
        .count()
        + state
            .groups(account)
            .filter(|g| on(&g.record.attached_policies))
            .count()
        + state
            .roles(account)
            .filter(|r| on(&r.record.attached_policies))
            .count()
}

/// Checks that `arn` can be attached by `account` (its own or an AWS managed policy).
fn check_attachable(state: &State, account: &AccountId, arn: &str) -> Result<(), CoreError> {
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
    super::users::update(txn, account, user, |record| {
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
    super::groups::update(txn, account, group, |record| {
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
    super::roles::update(txn, account, role, |record| {
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
