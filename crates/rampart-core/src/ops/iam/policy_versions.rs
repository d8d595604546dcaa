//! Versions of managed policies: `CreatePolicyVersion` (at most five per policy),
//! `GetPolicyVersion`, `ListPolicyVersions`, `DeletePolicyVersion` (never the default),
//! `SetDefaultPolicyVersion`; and `ListEntitiesForPolicy`, the entities a policy is on.

use rampart_policy::PolicyKind;
use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};
use rampart_wire::xml::PolicyDocument;

use super::Cx;
use super::policies::{self, visible_policy};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, ManagedPolicyRecord, PolicyVersionRecord};
use crate::ops::paging::page;
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
        document: with_document
            .then(|| PolicyDocument(crate::managed::catalogue::version_document(policy, version))),
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
    txn.put(&record)?;
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
    txn.put(&record)
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
    txn.put(&record)
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

/// `CreatePolicyVersion`.
pub fn create_policy_version(
    cx: &Cx<'_>,
    i: &wire::CreatePolicyVersionInput,
) -> Result<Output, CoreError> {
    let set_as_default = i.set_as_default.unwrap_or(false);
    let policy_version = cx.write(|txn| {
        let document = &i.policy_document;
        create(
            txn,
            cx.account(),
            &i.policy_arn,
            document,
            set_as_default,
            cx.now,
        )
    })?;
    Ok(wire::CreatePolicyVersionOutput { policy_version }.into())
}

/// `GetPolicyVersion`: one version with its document.
pub fn get_policy_version(
    cx: &Cx<'_>,
    i: &wire::GetPolicyVersionInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let entry = visible_policy(&state, cx.account(), &i.policy_arn)?;
    let version = (entry.record.versions.iter())
        .find(|v| v.id == i.version_id)
        .ok_or_else(|| no_such_version(&i.policy_arn, &i.version_id))?;
    let policy_version = wire_version(&entry.record, version, true);
    Ok(wire::GetPolicyVersionOutput { policy_version }.into())
}

/// `ListPolicyVersions`, newest first.
pub fn list_policy_versions(
    cx: &Cx<'_>,
    i: &wire::ListPolicyVersionsInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let entry = visible_policy(&state, cx.account(), &i.policy_arn)?;
    let mut versions: Vec<_> = (entry.record.versions.iter())
        .map(|v| wire_version(&entry.record, v, false))
        .collect();
    versions.reverse();
    // The page key sorts higher version numbers first, matching the list's order.
    let (versions, is_truncated, marker) = page(versions, i.marker.as_deref(), i.max_items, |v| {
        let number = v.version_id.trim_start_matches('v').parse::<u64>();
        format!("{:020}", 1_000_000u64.saturating_sub(number.unwrap_or(0)))
    })?;
    Ok(wire::ListPolicyVersionsOutput {
        versions,
        is_truncated,
        marker,
    }
    .into())
}

/// `DeletePolicyVersion`.
pub fn delete_policy_version(
    cx: &Cx<'_>,
    i: &wire::DeletePolicyVersionInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account(), &i.policy_arn, &i.version_id))?;
    Ok(Output::Empty)
}

/// `SetDefaultPolicyVersion`.
pub fn set_default_policy_version(
    cx: &Cx<'_>,
    i: &wire::SetDefaultPolicyVersionInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| set_default(txn, cx.account(), &i.policy_arn, &i.version_id, cx.now))?;
    Ok(Output::Empty)
}

/// `ListEntitiesForPolicy`: one page over the three lists, in IAM's order (groups, users,
/// roles).
pub fn list_entities_for_policy(
    cx: &Cx<'_>,
    i: &wire::ListEntitiesForPolicyInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    visible_policy(&state, cx.account(), &i.policy_arn)?;
    let (users, groups, roles) = entities(
        &state,
        cx.account(),
        &i.policy_arn,
        i.entity_filter,
        i.policy_usage_filter,
        i.path_prefix.as_deref(),
    );
    let keyed = |kind: u8, names: Vec<String>| {
        (names.into_iter().enumerate()).map(move |(n, name)| (kind, name.to_ascii_lowercase(), n))
    };
    let all: Vec<(u8, String, usize)> =
        keyed(0, groups.iter().map(|g| g.group_name.clone()).collect())
            .chain(keyed(
                1,
                users.iter().map(|u| u.user_name.clone()).collect(),
            ))
            .chain(keyed(
                2,
                roles.iter().map(|r| r.role_name.clone()).collect(),
            ))
            .collect();
    let (chunk, is_truncated, marker) =
        page(all, i.marker.as_deref(), i.max_items, |(k, name, _)| {
            format!("{k}{name}")
        })?;
    let pick = |kind: u8| {
        (chunk.iter())
            .filter(move |(k, _, _)| *k == kind)
            .map(|(_, _, n)| *n)
    };
    Ok(wire::ListEntitiesForPolicyOutput {
        policy_groups: pick(0).filter_map(|n| groups.get(n).cloned()).collect(),
        policy_users: pick(1).filter_map(|n| users.get(n).cloned()).collect(),
        policy_roles: pick(2).filter_map(|n| roles.get(n).cloned()).collect(),
        is_truncated,
        marker,
    }
    .into())
}
