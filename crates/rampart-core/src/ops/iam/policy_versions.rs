//! Versions of customer managed policies (at most five) and the entities a policy is on.

use rampart_policy::PolicyKind;
use rampart_wire::Timestamp;
use rampart_wire::iam as wire;
use rampart_wire::xml::PolicyDocument;

use super::policies;
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, ManagedPolicyRecord, PolicyVersionRecord, kind};
use crate::state::State;

/// Most versions a managed policy keeps (`VersionsPerPolicyQuota`).
pub const VERSIONS_PER_POLICY: usize = 5;

/// The customer managed policy `arn` of `account`, for changing it.
pub fn owned_policy(
    state: &State,
    account: &AccountId,
    arn: &str,
) -> Result<ManagedPolicyRecord, CoreError> {
    match state.policy(arn) {
        Some(entry) if entry.record.account.as_ref() == Some(account) => Ok(entry.record.clone()),
        Some(entry) if entry.record.account.is_none() => Err(CoreError::UnmodifiableEntity(
            format!("Policy {arn} is an AWS managed policy and cannot be modified."),
        )),
        _ => Err(CoreError::NoSuchEntity(format!(
            "Policy {arn} was not found."
        ))),
    }
}

/// The wire form of a version; `with_document` only for GetPolicyVersion-like answers.
pub fn wire_version(
    policy: &ManagedPolicyRecord,
    version: &PolicyVersionRecord,
    with_document: bool,
) -> wire::PolicyVersion {
    wire::PolicyVersion {
        document: with_document.then(|| PolicyDocument(version.document.clone())),
        version_id: version.id.clone(),
        is_default_version: version.id == policy.default_version,
        create_date: Timestamp(version.created),
    }
}

/// `CreatePolicyVersion`: a new version, optionally the default.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    arn: &str,
    document: &str,
    set_as_default: bool,
    now: i64,
) -> Result<wire::PolicyVersion, CoreError> {
    policies::validate(document, PolicyKind::Managed)?;
    let mut record = owned_policy(txn.state(), account, arn)?;
    if record.versions.len() >= VERSIONS_PER_POLICY {
        return Err(CoreError::LimitExceeded(format!(
            "A managed policy can have up to {VERSIONS_PER_POLICY} versions. Before you create a new version, you must delete an existing version."
        )));
    }
    let next = record
        .versions
        .iter()
        .filter_map(|v| v.id.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()))
        .max()
        .unwrap_or(0)
        + 1;
    let version = PolicyVersionRecord {
        id: format!("v{next}"),
        document: document.to_owned(),
        created: now,
    };
    record.versions.push(version.clone());
    if set_as_default {
        record.default_version = version.id.clone();
    }
    record.updated = now;
    txn.put(kind::POLICY, arn, &record)?;
    Ok(wire_version(&record, &version, false))
}

/// `DeletePolicyVersion`: any version but the default.
pub fn delete(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    arn: &str,
    version_id: &str,
) -> Result<(), CoreError> {
    let mut record = owned_policy(txn.state(), account, arn)?;
    if record.default_version == version_id {
        return Err(CoreError::DeleteConflict(
            "Cannot delete the default version of a policy.".to_owned(),
        ));
    }
    let before = record.versions.len();
    record.versions.retain(|v| v.id != version_id);
    if record.versions.len() == before {
        return Err(no_such_version(arn, version_id));
    }
    txn.put(kind::POLICY, arn, &record)
}

/// `SetDefaultPolicyVersion`.
pub fn set_default(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    arn: &str,
    version_id: &str,
    now: i64,
) -> Result<(), CoreError> {
    let mut record = owned_policy(txn.state(), account, arn)?;
    if !record.versions.iter().any(|v| v.id == version_id) {
        return Err(no_such_version(arn, version_id));
    }
    record.default_version = version_id.to_owned();
    record.updated = now;
    txn.put(kind::POLICY, arn, &record)
}

fn no_such_version(arn: &str, version_id: &str) -> CoreError {
    CoreError::NoSuchEntity(format!(
        "Policy {arn} version {version_id} does not exist or is not attachable."
    ))
}

/// The users, groups and roles of `account` that `arn` is attached to (or is the boundary of).
pub fn entities(
    state: &State,
    account: &AccountId,
    arn: &str,
    filter: Option<wire::EntityType>,
    usage: Option<wire::PolicyUsageType>,
    path_prefix: Option<&str>,
) -> (
    Vec<wire::PolicyUser>,
    Vec<wire::PolicyGroup>,
    Vec<wire::PolicyRole>,
) {
    let as_permissions = usage != Some(wire::PolicyUsageType::PermissionsBoundary);
    let as_boundary = usage != Some(wire::PolicyUsageType::PermissionsPolicy);
    let wants = |t: wire::EntityType| filter.is_none_or(|f| f == t);
    let on_path = |path: &str| path_prefix.is_none_or(|p| path.starts_with(p));
    let attached = |list: &[String]| as_permissions && list.iter().any(|p| p == arn);
    let bounded = |b: &Option<String>| as_boundary && b.as_deref() == Some(arn);
    let users = if wants(wire::EntityType::User) {
        state
            .users(account)
            .filter(|u| {
                on_path(&u.record.path)
                    && (attached(&u.record.attached_policies)
                        || bounded(&u.record.permissions_boundary))
            })
            .map(|u| wire::PolicyUser {
                user_name: u.record.name.clone(),
                user_id: u.record.id.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let groups = if wants(wire::EntityType::Group) {
        state
            .groups(account)
            .filter(|g| on_path(&g.record.path) && attached(&g.record.attached_policies))
            .map(|g| wire::PolicyGroup {
                group_name: g.record.name.clone(),
                group_id: g.record.id.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let roles = if wants(wire::EntityType::Role) {
        state
            .roles(account)
            .filter(|r| {
                on_path(&r.record.path)
                    && (attached(&r.record.attached_policies)
                        || bounded(&r.record.permissions_boundary))
            })
            .map(|r| wire::PolicyRole {
                role_name: r.record.name.clone(),
                role_id: r.record.id.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    (users, groups, roles)
}
