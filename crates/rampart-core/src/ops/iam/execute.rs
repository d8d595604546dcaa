//! The IAM operation table: a decoded wire operation in, a wire output out.
//!
//! Reads are answered from the snapshot; writes run in one engine transaction. This file
//! only translates between wire types and the domain functions of the sibling modules.

use std::collections::BTreeMap;
use std::sync::Arc;

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Operation as Op, Output};
use rampart_wire::xml::{PolicyDocument, Sensitive};

use super::{
    access_keys, credential_report, groups, instance_profiles, mfa_devices, oidc_providers,
    passwords, policies, policy_versions, roles, root_access, saml_providers, server_certificates,
    service_credentials, service_linked_roles, signing_certificates, simulate, ssh_public_keys,
    tags, users,
};
use crate::auth::{Caller, Principal};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::{
    AccessKeyRecord, AccountId, GroupRecord, KeyStatus, ManagedPolicyRecord, RoleRecord,
    SigningCertificateRecord, SshPublicKeyRecord, UserRecord, kind,
};
use crate::ops::accounts;
use crate::ops::paging::page;
use crate::state::State;

fn wire_user(record: &UserRecord) -> wire::User {
    wire::User {
        path: record.path.clone(),
        user_name: record.name.clone(),
        user_id: record.id.clone(),
        arn: record.arn(),
        create_date: Timestamp(record.created),
        password_last_used: record.password_last_used.map(Timestamp),
        permissions_boundary: record.permissions_boundary.as_ref().map(|arn| {
            wire::AttachedPermissionsBoundary {
                permissions_boundary_type:
                    wire::PermissionsBoundaryAttachmentType::PermissionsBoundaryPolicy,
                permissions_boundary_arn: arn.clone(),
            }
        }),
        tags: tags::to_wire(&record.tags),
    }
}

fn wire_role(record: &RoleRecord) -> wire::Role {
    wire::Role {
        path: record.path.clone(),
        role_name: record.name.clone(),
        role_id: record.id.clone(),
        arn: record.arn(),
        create_date: Timestamp(record.created),
        assume_role_policy_document: Some(PolicyDocument(record.trust_policy.clone())),
        description: record.description.clone(),
        max_session_duration: Some(i32::try_from(record.max_session_duration).unwrap_or(3600)),
        permissions_boundary: record.permissions_boundary.as_ref().map(|arn| {
            wire::AttachedPermissionsBoundary {
                permissions_boundary_type:
                    wire::PermissionsBoundaryAttachmentType::PermissionsBoundaryPolicy,
                permissions_boundary_arn: arn.clone(),
            }
        }),
        tags: tags::to_wire(&record.tags),
        role_last_used: Some(wire::RoleLastUsed::default()),
    }
}

fn wire_instance_profile(
    state: &State,
    record: &crate::model::InstanceProfileRecord,
) -> wire::InstanceProfile {
    wire::InstanceProfile {
        path: record.path.clone(),
        instance_profile_name: record.name.clone(),
        instance_profile_id: record.id.clone(),
        arn: record.arn(),
        create_date: Timestamp(record.created),
        roles: record
            .roles
            .iter()
            .filter_map(|r| state.role(&record.account, r))
            .map(|r| wire_role(&r.record))
            .collect(),
        tags: tags::to_wire(&record.tags),
    }
}

fn inline_details(list: &[(String, String)]) -> Vec<wire::PolicyDetail> {
    list.iter()
        .map(|(name, text)| wire::PolicyDetail {
            policy_name: name.clone(),
            policy_document: PolicyDocument(text.clone()),
        })
        .collect()
}

/// `GetAccountAuthorizationDetails`: every user, group, role and managed policy in use, with
/// their documents, filtered by entity type and paged as one list.
fn authorization_details(
    state: &State,
    account: &AccountId,
    i: &wire::GetAccountAuthorizationDetailsInput,
) -> Result<wire::GetAccountAuthorizationDetailsOutput, CoreError> {
    use wire::EntityType as E;
    let filter = i.filter.clone().unwrap_or_default();
    let wants = |t: E| filter.is_empty() || filter.contains(&t);
    let attached = |arns: &[String]| attached_list(state, arns, None);
    let mut entries: Vec<(String, Detail)> = Vec::new();
    enum Detail {
        User(wire::UserDetail),
        Group(wire::GroupDetail),
        Role(wire::RoleDetail),
        Policy(wire::ManagedPolicyDetail),
    }
    if wants(E::User) {
        for u in state.users(account) {
            let r = &u.record;
            entries.push((
                format!("1{}", r.name.to_ascii_lowercase()),
                Detail::User(wire::UserDetail {
                    path: r.path.clone(),
                    user_name: r.name.clone(),
                    user_id: r.id.clone(),
                    arn: r.arn(),
                    create_date: Timestamp(r.created),
                    user_policy_list: inline_details(&r.inline_policies),
                    group_list: r.groups.clone(),
                    attached_managed_policies: attached(&r.attached_policies),
                    permissions_boundary: wire_user(r).permissions_boundary,
                    tags: tags::to_wire(&r.tags),
                }),
            ));
        }
    }
    if wants(E::Group) {
        for g in state.groups(account) {
            let r = &g.record;
            entries.push((
                format!("2{}", r.name.to_ascii_lowercase()),
                Detail::Group(wire::GroupDetail {
                    path: r.path.clone(),
                    group_name: r.name.clone(),
                    group_id: r.id.clone(),
                    arn: r.arn(),
                    create_date: Timestamp(r.created),
                    group_policy_list: inline_details(&r.inline_policies),
                    attached_managed_policies: attached(&r.attached_policies),
                }),
            ));
        }
    }
    if wants(E::Role) {
        for role in state.roles(account) {
            let r = &role.record;
            let wired = wire_role(r);
            entries.push((
                format!("3{}", r.name.to_ascii_lowercase()),
                Detail::Role(wire::RoleDetail {
                    path: r.path.clone(),
                    role_name: r.name.clone(),
                    role_id: r.id.clone(),
                    arn: r.arn(),
                    create_date: Timestamp(r.created),
                    assume_role_policy_document: wired.assume_role_policy_document,
                    instance_profile_list: instance_profiles::for_role(state, account, &r.name)
                        .map(|p| wire_instance_profile(state, p))
                        .collect(),
                    role_policy_list: inline_details(&r.inline_policies),
                    attached_managed_policies: attached(&r.attached_policies),
                    permissions_boundary: wired.permissions_boundary,
                    tags: tags::to_wire(&r.tags),
                    role_last_used: wired.role_last_used,
                }),
            ));
        }
    }
    let local = wants(E::LocalManagedPolicy);
    let aws = wants(E::AwsManagedPolicy);
    for p in state.policies() {
        let r = &p.record;
        let is_local = r.account.as_ref() == Some(account);
        let arn = r.arn();
        // AWS managed policies appear only when something in the account uses them.
        let in_use = is_local || policies::attachment_count_in(state, account, &arn) > 0;
        if !in_use || (is_local && !local) || (!is_local && (r.account.is_some() || !aws)) {
            continue;
        }
        let summary = wire_policy(state, r);
        entries.push((
            format!("4{arn}"),
            Detail::Policy(wire::ManagedPolicyDetail {
                policy_name: r.name.clone(),
                policy_id: r.id.clone(),
                arn: arn.clone(),
                path: r.path.clone(),
                default_version_id: r.default_version.clone(),
                attachment_count: summary.attachment_count,
                permissions_boundary_usage_count: summary.permissions_boundary_usage_count,
                is_attachable: true,
                description: r.description.clone(),
                create_date: Timestamp(r.created),
                update_date: Timestamp(r.updated),
                policy_version_list: r
                    .versions
                    .iter()
                    .map(|v| {
                        let mut w = policy_versions::wire_version(r, v, true);
                        w.document = Some(PolicyDocument(v.document.clone()));
                        w
                    })
                    .collect(),
            }),
        ));
    }
    let (chunk, is_truncated, marker) =
        page(entries, i.marker.as_deref(), i.max_items, |(key, _)| {
            key.clone()
        })?;
    let mut out = wire::GetAccountAuthorizationDetailsOutput {
        is_truncated,
        marker,
        ..Default::default()
    };
    for (_, detail) in chunk {
        match detail {
            Detail::User(d) => out.user_detail_list.push(d),
            Detail::Group(d) => out.group_detail_list.push(d),
            Detail::Role(d) => out.role_detail_list.push(d),
            Detail::Policy(d) => out.policies.push(d),
        }
    }
    Ok(out)
}

fn wire_group(record: &GroupRecord) -> wire::Group {
    wire::Group {
        path: record.path.clone(),
        group_name: record.name.clone(),
        group_id: record.id.clone(),
        arn: record.arn(),
        create_date: Timestamp(record.created),
    }
}

fn wire_policy(state: &State, record: &ManagedPolicyRecord) -> wire::ManagedPolicy {
    let arn = record.arn();
    let boundary_uses = state
        .accounts()
        .flat_map(|a| state.users(&a.id))
        .filter(|u| u.record.permissions_boundary.as_deref() == Some(arn.as_str()))
        .count();
    wire::ManagedPolicy {
        policy_name: record.name.clone(),
        policy_id: record.id.clone(),
        path: record.path.clone(),
        default_version_id: record.default_version.clone(),
        attachment_count: i32::try_from(policies::attachment_count(state, &arn))
            .unwrap_or(i32::MAX),
        permissions_boundary_usage_count: i32::try_from(boundary_uses).unwrap_or(i32::MAX),
        is_attachable: true,
        description: record.description.clone(),
        create_date: Timestamp(record.created),
        update_date: Timestamp(record.updated),
        tags: tags::to_wire(&record.tags),
        arn,
    }
}

fn key_status(status: wire::AccessKeyStatus) -> Result<KeyStatus, CoreError> {
    match status {
        wire::AccessKeyStatus::Active => Ok(KeyStatus::Active),
        wire::AccessKeyStatus::Inactive => Ok(KeyStatus::Inactive),
        wire::AccessKeyStatus::Expired => Err(CoreError::InvalidInput(
            "Access keys cannot be set to Expired.".to_owned(),
        )),
    }
}

/// `Active`/`Inactive` for a signing certificate or SSH key (`what`); `Expired` is refused.
fn credential_status(status: wire::AccessKeyStatus, what: &str) -> Result<KeyStatus, CoreError> {
    match status {
        wire::AccessKeyStatus::Active => Ok(KeyStatus::Active),
        wire::AccessKeyStatus::Inactive => Ok(KeyStatus::Inactive),
        wire::AccessKeyStatus::Expired => Err(CoreError::InvalidInput(format!(
            "{what} cannot be set to Expired."
        ))),
    }
}

fn wire_server_certificate(
    record: &crate::model::ServerCertificateRecord,
) -> wire::ServerCertificateMetadata {
    wire::ServerCertificateMetadata {
        path: record.path.clone(),
        server_certificate_name: record.name.clone(),
        server_certificate_id: record.id.clone(),
        arn: record.arn(),
        upload_date: Some(Timestamp(record.uploaded)),
        expiration: record.expiration.map(Timestamp),
    }
}

/// A service-specific credential with its secret (shown on creation and reset only).
fn wire_service_credential(
    record: &crate::model::ServiceSpecificCredentialRecord,
    secret: String,
) -> wire::ServiceSpecificCredential {
    let bedrock = service_credentials::is_bedrock(record);
    wire::ServiceSpecificCredential {
        create_date: Timestamp(record.created),
        expiration_date: None,
        service_name: record.service.clone(),
        service_user_name: (!bedrock).then(|| record.service_user_name.clone()),
        service_password: (!bedrock).then(|| secret.clone()),
        service_credential_alias: bedrock.then(|| record.service_user_name.clone()),
        service_credential_secret: bedrock.then_some(secret),
        service_specific_credential_id: record.id.clone(),
        user_name: record.user.clone(),
        status: wire_key_status(record.status),
    }
}

/// The user a service-specific credential call targets (root has none: `NoSuchEntity`).
fn credential_user(
    state: &State,
    caller: &Caller,
    name: Option<&str>,
    id: &str,
) -> Result<String, CoreError> {
    target_user(state, caller, name)?.ok_or_else(|| {
        CoreError::NoSuchEntity(format!("No such credential {id} exists for the root user."))
    })
}

/// A stored signing certificate on the wire (root's report the account id as `UserName`).
fn wire_certificate(record: &SigningCertificateRecord) -> wire::SigningCertificate {
    wire::SigningCertificate {
        user_name: record
            .user
            .clone()
            .unwrap_or_else(|| record.account.as_str().to_owned()),
        certificate_id: record.id.clone(),
        certificate_body: record.body.clone(),
        status: wire_key_status(record.status),
        upload_date: Some(Timestamp(record.uploaded)),
    }
}

/// A stored SSH public key on the wire, with `body` in the encoding asked for.
fn wire_ssh_key(record: &SshPublicKeyRecord, body: String) -> wire::SshPublicKey {
    wire::SshPublicKey {
        user_name: record.user.clone(),
        ssh_public_key_id: record.id.clone(),
        fingerprint: record.fingerprint.clone(),
        ssh_public_key_body: body,
        status: wire_key_status(record.status),
        upload_date: Some(Timestamp(record.uploaded)),
    }
}

fn wire_key_status(status: KeyStatus) -> wire::AccessKeyStatus {
    match status {
        KeyStatus::Active => wire::AccessKeyStatus::Active,
        KeyStatus::Inactive => wire::AccessKeyStatus::Inactive,
    }
}

/// The name IAM reports as the owner of an access key (root's keys report the account id).
fn key_owner_name(record: &AccessKeyRecord) -> String {
    record
        .user
        .clone()
        .unwrap_or_else(|| record.account.as_str().to_owned())
}

/// Resolves an optional `UserName` to the user it targets: the named user, else the caller
/// (`None` when the caller is root and names no user: root's own keys).
fn target_user(
    state: &State,
    caller: &Caller,
    name: Option<&str>,
) -> Result<Option<String>, CoreError> {
    match (name, &caller.principal) {
        (Some(name), _) => Ok(Some(
            users::get(state, &caller.account, name)?
                .record
                .name
                .clone(),
        )),
        (None, Principal::User { name, .. }) => Ok(Some(name.clone())),
        (None, Principal::Root) => Ok(None),
        (None, Principal::AssumedRole { .. } | Principal::FederatedUser { .. }) => {
            Err(non_user_credentials())
        }
    }
}

fn account_record(
    state: &State,
    account: &AccountId,
) -> Result<crate::model::AccountRecord, CoreError> {
    state
        .account(account)
        .map(|a| crate::model::AccountRecord::clone(a))
        .ok_or_else(|| CoreError::Internal(format!("account {account} vanished")))
}

/// A permissions boundary must be a managed policy the account can see.
fn check_boundary(state: &State, account: &AccountId, arn: &str) -> Result<(), CoreError> {
    match state.policy(arn) {
        Some(entry)
            if entry.record.account.is_none() || entry.record.account.as_ref() == Some(account) =>
        {
            Ok(())
        }
        _ => Err(CoreError::InvalidInput(format!("ARN {arn} is not valid."))),
    }
}

fn non_user_credentials() -> CoreError {
    CoreError::Validation("Must specify userName when calling with non-User credentials".to_owned())
}

fn attached_list(
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

/// An inline policy of a user, group or role (`entity`), as IAM's Get*Policy returns it.
fn inline_policy(
    list: &[(String, String)],
    name: &str,
    entity: &str,
) -> Result<(String, PolicyDocument), CoreError> {
    list.iter()
        .find(|(existing, _)| existing == name)
        .map(|(n, document)| (n.clone(), PolicyDocument(document.clone())))
        .ok_or_else(|| {
            CoreError::NoSuchEntity(format!(
                "The {entity} policy with name {name} cannot be found."
            ))
        })
}

/// One page of inline policy names, as IAM's List*Policies returns them.
fn inline_names(
    list: &[(String, String)],
    marker: Option<&str>,
    max_items: Option<i32>,
) -> Result<(Vec<String>, bool, Option<String>), CoreError> {
    page(
        list.iter().map(|(n, _)| n.clone()).collect(),
        marker,
        max_items,
        Clone::clone,
    )
}

/// Executes an IAM operation for an authenticated, authorized caller.
pub fn execute(engine: &Engine, caller: &Caller, op: &Op, now: i64) -> Result<Output, CoreError> {
    let account = &caller.account;
    let snapshot = engine.snapshot();
    let state: &State = &snapshot;
    match op {
        // ---- users ----
        Op::CreateUser(i) => {
            let tags = tags::from_wire(i.tags.as_deref())?;
            let record = engine.write(|txn| {
                users::create(
                    txn,
                    account,
                    &i.user_name,
                    i.path.as_deref(),
                    tags.clone(),
                    i.permissions_boundary.as_deref(),
                    now,
                )
            })?;
            Ok(wire::CreateUserOutput {
                user: wire_user(&record),
            }
            .into())
        }
        Op::GetUser(i) => {
            let user = match (&i.user_name, &caller.principal) {
                (Some(name), _) => wire_user(&users::get(state, account, name)?.record),
                (None, Principal::User { name, .. }) => {
                    wire_user(&users::get(state, account, name)?.record)
                }
                (None, Principal::Root) => root_user(state, account)?,
                (None, Principal::AssumedRole { .. } | Principal::FederatedUser { .. }) => {
                    return Err(non_user_credentials());
                }
            };
            Ok(wire::GetUserOutput { user }.into())
        }
        Op::ListUsers(i) => {
            let all: Vec<_> = users::list(state, account, i.path_prefix.as_deref())
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) = page(all, i.marker.as_deref(), i.max_items, |u| {
                u.record.name.to_ascii_lowercase()
            })?;
            let users = chunk.iter().map(|u| wire_user(&u.record)).collect();
            Ok(wire::ListUsersOutput {
                users,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::DeleteUser(i) => {
            engine.write(|txn| users::delete(txn, account, &i.user_name))?;
            Ok(Output::Empty)
        }
        Op::UpdateUser(i) => {
            engine.write(|txn| {
                let current = users::get(txn.state(), account, &i.user_name)?
                    .record
                    .clone();
                let new_name = i
                    .new_user_name
                    .clone()
                    .unwrap_or_else(|| current.name.clone());
                if !new_name.eq_ignore_ascii_case(&current.name)
                    && txn.state().user(account, &new_name).is_some()
                {
                    return Err(CoreError::EntityAlreadyExists(format!(
                        "User with name {new_name} already exists."
                    )));
                }
                let mut record = current.clone();
                record.name = new_name.clone();
                if let Some(path) = &i.new_path {
                    record.path = path.clone();
                }
                txn.delete(
                    crate::model::kind::USER,
                    &crate::model::name_key(account, &current.name),
                )?;
                txn.put(
                    crate::model::kind::USER,
                    &crate::model::name_key(account, &new_name),
                    &record,
                )?;
                // Keys and memberships follow the user to its new name.
                for key in txn
                    .state()
                    .access_keys_of(account, Some(&current.name))
                    .into_iter()
                    .map(|k| k.record.clone())
                    .collect::<Vec<_>>()
                {
                    let mut moved = key;
                    moved.user = Some(new_name.clone());
                    txn.put(crate::model::kind::ACCESS_KEY, &moved.id.clone(), &moved)?;
                }
                let certs: Vec<_> = txn
                    .state()
                    .signing_certificates_of(account, Some(&current.name))
                    .into_iter()
                    .map(|c| SigningCertificateRecord::clone(c))
                    .collect();
                for mut cert in certs {
                    cert.user = Some(new_name.clone());
                    txn.put(kind::SIGNING_CERTIFICATE, &cert.id.clone(), &cert)?;
                }
                let ssh_keys: Vec<_> = txn
                    .state()
                    .ssh_public_keys_of(account, &current.name)
                    .into_iter()
                    .map(|k| SshPublicKeyRecord::clone(k))
                    .collect();
                for mut key in ssh_keys {
                    key.user = new_name.clone();
                    txn.put(kind::SSH_PUBLIC_KEY, &key.id.clone(), &key)?;
                }
                let service_creds: Vec<_> = txn
                    .state()
                    .service_credentials_of(account, Some(&current.name))
                    .into_iter()
                    .map(|c| crate::model::ServiceSpecificCredentialRecord::clone(c))
                    .collect();
                for mut cred in service_creds {
                    cred.user = new_name.clone();
                    txn.put(kind::SERVICE_SPECIFIC_CREDENTIAL, &cred.id.clone(), &cred)?;
                }
                Ok(())
            })?;
            Ok(Output::Empty)
        }
        Op::TagUser(i) => {
            let new = tags::from_wire(Some(&i.tags))?;
            engine.write(|txn| {
                users::update(txn, account, &i.user_name, |record| {
                    tags::merge(&mut record.tags, &new)
                })
            })?;
            Ok(Output::Empty)
        }
        Op::UntagUser(i) => {
            engine.write(|txn| {
                users::update(txn, account, &i.user_name, |record| {
                    tags::remove(&mut record.tags, &i.tag_keys);
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListUserTags(i) => {
            let user = users::get(state, account, &i.user_name)?;
            let (tags, is_truncated, marker) = page(
                user.record.tags.clone(),
                i.marker.as_deref(),
                i.max_items,
                |t| t.key.clone(),
            )?;
            Ok(wire::ListUserTagsOutput {
                tags: tags::to_wire(&tags),
                is_truncated,
                marker,
            }
            .into())
        }
        // ---- groups ----
        Op::CreateGroup(i) => {
            let record = engine
                .write(|txn| groups::create(txn, account, &i.group_name, i.path.as_deref(), now))?;
            Ok(wire::CreateGroupOutput {
                group: wire_group(&record),
            }
            .into())
        }
        Op::GetGroup(i) => {
            let group = groups::get(state, account, &i.group_name)?;
            let members: Vec<_> = groups::members(state, account, &group.record.name)
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) =
                page(members, i.marker.as_deref(), i.max_items, |u| {
                    u.record.name.to_ascii_lowercase()
                })?;
            let users = chunk.iter().map(|u| wire_user(&u.record)).collect();
            Ok(wire::GetGroupOutput {
                group: wire_group(&group.record),
                users,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::ListGroups(i) => {
            let all: Vec<_> = state
                .groups(account)
                .filter(|g| {
                    i.path_prefix
                        .as_deref()
                        .is_none_or(|p| g.record.path.starts_with(p))
                })
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) = page(all, i.marker.as_deref(), i.max_items, |g| {
                g.record.name.to_ascii_lowercase()
            })?;
            Ok(wire::ListGroupsOutput {
                groups: chunk.iter().map(|g| wire_group(&g.record)).collect(),
                is_truncated,
                marker,
            }
            .into())
        }
        Op::DeleteGroup(i) => {
            engine.write(|txn| {
                let group = groups::get(txn.state(), account, &i.group_name)?
                    .record
                    .clone();
                if groups::members(txn.state(), account, &group.name)
                    .next()
                    .is_some()
                {
                    return Err(CoreError::DeleteConflict(
                        "Cannot delete entity, must remove users from group first.".to_owned(),
                    ));
                }
                if !group.inline_policies.is_empty() {
                    return Err(CoreError::DeleteConflict(
                        "Cannot delete entity, must delete policies first.".to_owned(),
                    ));
                }
                if !group.attached_policies.is_empty() {
                    return Err(CoreError::DeleteConflict(
                        "Cannot delete entity, must detach all policies first.".to_owned(),
                    ));
                }
                txn.delete(
                    crate::model::kind::GROUP,
                    &crate::model::name_key(account, &group.name),
                )
            })?;
            Ok(Output::Empty)
        }
        Op::AddUserToGroup(i) => {
            engine.write(|txn| groups::add_user(txn, account, &i.group_name, &i.user_name))?;
            Ok(Output::Empty)
        }
        Op::RemoveUserFromGroup(i) => {
            engine.write(|txn| {
                let group = groups::get(txn.state(), account, &i.group_name)?
                    .record
                    .name
                    .clone();
                users::update(txn, account, &i.user_name, |record| {
                    let before = record.groups.len();
                    record.groups.retain(|g| !g.eq_ignore_ascii_case(&group));
                    if record.groups.len() == before {
                        return Err(users::no_such_user(&i.user_name));
                    }
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListGroupsForUser(i) => {
            let user = users::get(state, account, &i.user_name)?;
            let all: Vec<_> = user
                .record
                .groups
                .iter()
                .filter_map(|g| state.group(account, g))
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) = page(all, i.marker.as_deref(), i.max_items, |g| {
                g.record.name.to_ascii_lowercase()
            })?;
            Ok(wire::ListGroupsForUserOutput {
                groups: chunk.iter().map(|g| wire_group(&g.record)).collect(),
                is_truncated,
                marker,
            }
            .into())
        }
        // ---- access keys ----
        Op::CreateAccessKey(i) => {
            let (record, secret) = engine.write(|txn| {
                let target = target_user(txn.state(), caller, i.user_name.as_deref())?;
                accounts::create_access_key(txn, account, target.as_deref(), now)
            })?;
            Ok(wire::CreateAccessKeyOutput {
                access_key: wire::AccessKey {
                    user_name: key_owner_name(&record),
                    access_key_id: record.id.clone(),
                    status: wire_key_status(record.status),
                    secret_access_key: Sensitive::new(secret),
                    create_date: Timestamp(record.created),
                },
            }
            .into())
        }
        Op::ListAccessKeys(i) => {
            let target = target_user(state, caller, i.user_name.as_deref())?;
            let keys: Vec<_> = state
                .access_keys_of(account, target.as_deref())
                .into_iter()
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) =
                page(keys, i.marker.as_deref(), i.max_items, |k| {
                    format!("{:020}{}", k.record.created, k.record.id)
                })?;
            let access_key_metadata = chunk
                .iter()
                .map(|k| wire::AccessKeyMetadata {
                    user_name: key_owner_name(&k.record),
                    access_key_id: k.record.id.clone(),
                    status: wire_key_status(k.record.status),
                    create_date: Timestamp(k.record.created),
                })
                .collect();
            Ok(wire::ListAccessKeysOutput {
                access_key_metadata,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::UpdateAccessKey(i) => {
            let status = key_status(i.status)?;
            engine.write(|txn| {
                let target = target_user(txn.state(), caller, i.user_name.as_deref())?;
                access_keys::set_status(txn, account, target.as_deref(), &i.access_key_id, status)
            })?;
            Ok(Output::Empty)
        }
        Op::DeleteAccessKey(i) => {
            engine.write(|txn| {
                let target = target_user(txn.state(), caller, i.user_name.as_deref())?;
                access_keys::delete(txn, account, target.as_deref(), &i.access_key_id)
            })?;
            Ok(Output::Empty)
        }
        // ---- managed policies ----
        Op::CreatePolicy(i) => {
            let tags = tags::from_wire(i.tags.as_deref())?;
            let record = engine.write(|txn| {
                let new = policies::NewPolicy {
                    name: &i.policy_name,
                    path: i.path.as_deref(),
                    document: &i.policy_document,
                    description: i.description.as_deref(),
                    tags: tags.clone(),
                };
                policies::create(txn, account, &new, now)
            })?;
            let snapshot = engine.snapshot();
            Ok(wire::CreatePolicyOutput {
                policy: wire_policy(&snapshot, &record),
            }
            .into())
        }
        Op::GetPolicy(i) => {
            let entry = visible_policy(state, account, &i.policy_arn)?;
            Ok(wire::GetPolicyOutput {
                policy: wire_policy(state, &entry.record),
            }
            .into())
        }
        Op::DeletePolicy(i) => {
            engine.write(|txn| {
                let entry = visible_policy(txn.state(), account, &i.policy_arn)?;
                if entry.record.account.is_none() {
                    return Err(CoreError::UnmodifiableEntity(format!(
                        "Cannot delete AWS managed policy {}.",
                        i.policy_arn
                    )));
                }
                if policies::attachment_count(txn.state(), &i.policy_arn) > 0 {
                    return Err(CoreError::DeleteConflict(
                        "Cannot delete a policy attached to entities.".to_owned(),
                    ));
                }
                txn.delete(crate::model::kind::POLICY, &i.policy_arn)
            })?;
            Ok(Output::Empty)
        }
        Op::GetPolicyVersion(i) => {
            let entry = visible_policy(state, account, &i.policy_arn)?;
            let version = entry
                .record
                .versions
                .iter()
                .find(|v| v.id == i.version_id)
                .ok_or_else(|| {
                    CoreError::NoSuchEntity(format!(
                        "Policy {} version {} does not exist or is not attachable.",
                        i.policy_arn, i.version_id
                    ))
                })?;
            Ok(wire::GetPolicyVersionOutput {
                policy_version: wire::PolicyVersion {
                    document: Some(PolicyDocument(version.document.clone())),
                    version_id: version.id.clone(),
                    is_default_version: version.id == entry.record.default_version,
                    create_date: Timestamp(version.created),
                },
            }
            .into())
        }
        Op::ListPolicies(i) => {
            let scope = i.scope.unwrap_or(wire::PolicyScope::All);
            let all: Vec<_> = state
                .policies()
                .filter(|p| match (&p.record.account, scope) {
                    (None, wire::PolicyScope::All | wire::PolicyScope::Aws) => true,
                    (Some(owner), wire::PolicyScope::All | wire::PolicyScope::Local) => {
                        owner == account
                    }
                    _ => false,
                })
                .filter(|p| {
                    i.path_prefix
                        .as_deref()
                        .is_none_or(|prefix| p.record.path.starts_with(prefix))
                })
                .filter(|p| {
                    !i.only_attached.unwrap_or(false)
                        || policies::attachment_count(state, &p.record.arn()) > 0
                })
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) =
                page(all, i.marker.as_deref(), i.max_items, |p| p.record.arn())?;
            Ok(wire::ListPoliciesOutput {
                policies: chunk
                    .iter()
                    .map(|p| wire_policy(state, &p.record))
                    .collect(),
                is_truncated,
                marker,
            }
            .into())
        }
        Op::AttachUserPolicy(i) => {
            engine
                .write(|txn| policies::attach_to_user(txn, account, &i.user_name, &i.policy_arn))?;
            Ok(Output::Empty)
        }
        Op::AttachGroupPolicy(i) => {
            engine.write(|txn| {
                policies::attach_to_group(txn, account, &i.group_name, &i.policy_arn)
            })?;
            Ok(Output::Empty)
        }
        Op::DetachUserPolicy(i) => {
            engine.write(|txn| {
                users::update(txn, account, &i.user_name, |record| {
                    detach(&mut record.attached_policies, &i.policy_arn)
                })
            })?;
            Ok(Output::Empty)
        }
        Op::DetachGroupPolicy(i) => {
            engine.write(|txn| {
                groups::update(txn, account, &i.group_name, |record| {
                    detach(&mut record.attached_policies, &i.policy_arn)
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListAttachedUserPolicies(i) => {
            let user = users::get(state, account, &i.user_name)?;
            let all = attached_list(
                state,
                &user.record.attached_policies,
                i.path_prefix.as_deref(),
            );
            let (attached_policies, is_truncated, marker) =
                page(all, i.marker.as_deref(), i.max_items, |p| {
                    p.policy_arn.clone()
                })?;
            Ok(wire::ListAttachedUserPoliciesOutput {
                attached_policies,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::ListAttachedGroupPolicies(i) => {
            let group = groups::get(state, account, &i.group_name)?;
            let all = attached_list(
                state,
                &group.record.attached_policies,
                i.path_prefix.as_deref(),
            );
            let (attached_policies, is_truncated, marker) =
                page(all, i.marker.as_deref(), i.max_items, |p| {
                    p.policy_arn.clone()
                })?;
            Ok(wire::ListAttachedGroupPoliciesOutput {
                attached_policies,
                is_truncated,
                marker,
            }
            .into())
        }
        // ---- inline policies ----
        Op::PutUserPolicy(i) => {
            policies::validate(&i.policy_document, rampart_policy::PolicyKind::Identity)?;
            engine.write(|txn| {
                users::update(txn, account, &i.user_name, |record| {
                    policies::put_inline(
                        &mut record.inline_policies,
                        &i.policy_name,
                        &i.policy_document,
                        rampart_policy::InlineEntity::User,
                    )
                })
            })?;
            Ok(Output::Empty)
        }
        Op::GetUserPolicy(i) => {
            let user = users::get(state, account, &i.user_name)?;
            let (policy_name, policy_document) =
                inline_policy(&user.record.inline_policies, &i.policy_name, "user")?;
            Ok(wire::GetUserPolicyOutput {
                user_name: user.record.name.clone(),
                policy_name,
                policy_document,
            }
            .into())
        }
        Op::DeleteUserPolicy(i) => {
            engine.write(|txn| {
                users::update(txn, account, &i.user_name, |record| {
                    remove_inline(&mut record.inline_policies, &i.policy_name, "user")
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListUserPolicies(i) => {
            let user = users::get(state, account, &i.user_name)?;
            let (policy_names, is_truncated, marker) = inline_names(
                &user.record.inline_policies,
                i.marker.as_deref(),
                i.max_items,
            )?;
            Ok(wire::ListUserPoliciesOutput {
                policy_names,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::PutGroupPolicy(i) => {
            policies::validate(&i.policy_document, rampart_policy::PolicyKind::Identity)?;
            engine.write(|txn| {
                groups::update(txn, account, &i.group_name, |record| {
                    policies::put_inline(
                        &mut record.inline_policies,
                        &i.policy_name,
                        &i.policy_document,
                        rampart_policy::InlineEntity::Group,
                    )
                })
            })?;
            Ok(Output::Empty)
        }
        Op::GetGroupPolicy(i) => {
            let group = groups::get(state, account, &i.group_name)?;
            let (policy_name, policy_document) =
                inline_policy(&group.record.inline_policies, &i.policy_name, "group")?;
            Ok(wire::GetGroupPolicyOutput {
                group_name: group.record.name.clone(),
                policy_name,
                policy_document,
            }
            .into())
        }
        Op::DeleteGroupPolicy(i) => {
            engine.write(|txn| {
                groups::update(txn, account, &i.group_name, |record| {
                    remove_inline(&mut record.inline_policies, &i.policy_name, "group")
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListGroupPolicies(i) => {
            let group = groups::get(state, account, &i.group_name)?;
            let (policy_names, is_truncated, marker) = inline_names(
                &group.record.inline_policies,
                i.marker.as_deref(),
                i.max_items,
            )?;
            Ok(wire::ListGroupPoliciesOutput {
                policy_names,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::GetAccountSummary(_) => Ok(wire::GetAccountSummaryOutput {
            summary_map: account_summary(state, account),
        }
        .into()),
        // ---- roles ----
        Op::CreateRole(i) => {
            let new = roles::NewRole {
                name: &i.role_name,
                path: i.path.as_deref(),
                trust_policy: &i.assume_role_policy_document,
                description: i.description.as_deref(),
                max_session_duration: i.max_session_duration.map(i64::from),
                permissions_boundary: i.permissions_boundary.as_deref(),
                tags: tags::from_wire(i.tags.as_deref())?,
            };
            let record = engine.write(|txn| roles::create(txn, account, &new, now))?;
            Ok(wire::CreateRoleOutput {
                role: wire_role(&record),
            }
            .into())
        }
        Op::GetRole(i) => Ok(wire::GetRoleOutput {
            role: wire_role(&roles::get(state, account, &i.role_name)?.record),
        }
        .into()),
        Op::DeleteRole(i) => {
            engine.write(|txn| roles::delete(txn, account, &i.role_name))?;
            Ok(Output::Empty)
        }
        Op::ListRoles(i) => {
            let all: Vec<_> = state
                .roles(account)
                .filter(|r| {
                    i.path_prefix
                        .as_deref()
                        .is_none_or(|p| r.record.path.starts_with(p))
                })
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) = page(all, i.marker.as_deref(), i.max_items, |r| {
                r.record.name.to_ascii_lowercase()
            })?;
            let mut roles: Vec<wire::Role> = chunk.iter().map(|r| wire_role(&r.record)).collect();
            // ListRoles leaves out the last-used details and tags, as AWS does.
            for role in &mut roles {
                role.role_last_used = None;
                role.tags.clear();
            }
            Ok(wire::ListRolesOutput {
                roles,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::UpdateAssumeRolePolicy(i) => {
            policies::validate(&i.policy_document, rampart_policy::PolicyKind::Trust)?;
            engine.write(|txn| {
                roles::update(txn, account, &i.role_name, |record| {
                    record.trust_policy = i.policy_document.clone();
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::AttachRolePolicy(i) => {
            engine
                .write(|txn| policies::attach_to_role(txn, account, &i.role_name, &i.policy_arn))?;
            Ok(Output::Empty)
        }
        Op::DetachRolePolicy(i) => {
            engine.write(|txn| {
                roles::update(txn, account, &i.role_name, |record| {
                    detach(&mut record.attached_policies, &i.policy_arn)
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListAttachedRolePolicies(i) => {
            let role = roles::get(state, account, &i.role_name)?;
            let all = attached_list(
                state,
                &role.record.attached_policies,
                i.path_prefix.as_deref(),
            );
            let (attached_policies, is_truncated, marker) =
                page(all, i.marker.as_deref(), i.max_items, |p| {
                    p.policy_arn.clone()
                })?;
            Ok(wire::ListAttachedRolePoliciesOutput {
                attached_policies,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::PutRolePolicy(i) => {
            policies::validate(&i.policy_document, rampart_policy::PolicyKind::Identity)?;
            engine.write(|txn| {
                roles::update(txn, account, &i.role_name, |record| {
                    policies::put_inline(
                        &mut record.inline_policies,
                        &i.policy_name,
                        &i.policy_document,
                        rampart_policy::InlineEntity::Role,
                    )
                })
            })?;
            Ok(Output::Empty)
        }
        Op::GetRolePolicy(i) => {
            let role = roles::get(state, account, &i.role_name)?;
            let (policy_name, policy_document) =
                inline_policy(&role.record.inline_policies, &i.policy_name, "role")?;
            Ok(wire::GetRolePolicyOutput {
                role_name: role.record.name.clone(),
                policy_name,
                policy_document,
            }
            .into())
        }
        Op::DeleteRolePolicy(i) => {
            engine.write(|txn| {
                roles::update(txn, account, &i.role_name, |record| {
                    remove_inline(&mut record.inline_policies, &i.policy_name, "role")
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListRolePolicies(i) => {
            let role = roles::get(state, account, &i.role_name)?;
            let (policy_names, is_truncated, marker) = inline_names(
                &role.record.inline_policies,
                i.marker.as_deref(),
                i.max_items,
            )?;
            Ok(wire::ListRolePoliciesOutput {
                policy_names,
                is_truncated,
                marker,
            }
            .into())
        }
        // ---- simulation and boundaries ----
        Op::SimulatePrincipalPolicy(i) => {
            Ok(simulate::simulate_principal(state, account, i, now)?.into())
        }
        Op::SimulateCustomPolicy(i) => Ok(simulate::simulate_custom(account, i, now)?.into()),
        Op::PutUserPermissionsBoundary(i) => {
            engine.write(|txn| {
                check_boundary(txn.state(), account, &i.permissions_boundary)?;
                users::update(txn, account, &i.user_name, |record| {
                    record.permissions_boundary = Some(i.permissions_boundary.clone());
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::DeleteUserPermissionsBoundary(i) => {
            engine.write(|txn| {
                users::update(txn, account, &i.user_name, |record| {
                    record.permissions_boundary = None;
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::PutRolePermissionsBoundary(i) => {
            engine.write(|txn| {
                check_boundary(txn.state(), account, &i.permissions_boundary)?;
                roles::update(txn, account, &i.role_name, |record| {
                    record.permissions_boundary = Some(i.permissions_boundary.clone());
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::DeleteRolePermissionsBoundary(i) => {
            engine.write(|txn| {
                roles::update(txn, account, &i.role_name, |record| {
                    record.permissions_boundary = None;
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        // ---- policy versions and entities ----
        Op::CreatePolicyVersion(i) => {
            let version = engine.write(|txn| {
                policy_versions::create(
                    txn,
                    account,
                    &i.policy_arn,
                    &i.policy_document,
                    i.set_as_default.unwrap_or(false),
                    now,
                )
            })?;
            Ok(wire::CreatePolicyVersionOutput {
                policy_version: version,
            }
            .into())
        }
        Op::ListPolicyVersions(i) => {
            let entry = visible_policy(state, account, &i.policy_arn)?;
            let mut versions: Vec<_> = entry
                .record
                .versions
                .iter()
                .map(|v| policy_versions::wire_version(&entry.record, v, false))
                .collect();
            versions.reverse();
            let (versions, is_truncated, marker) =
                page(versions, i.marker.as_deref(), i.max_items, |v| {
                    format!(
                        "{:020}",
                        1_000_000u64.saturating_sub(
                            v.version_id
                                .trim_start_matches('v')
                                .parse::<u64>()
                                .unwrap_or(0)
                        )
                    )
                })?;
            Ok(wire::ListPolicyVersionsOutput {
                versions,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::DeletePolicyVersion(i) => {
            engine
                .write(|txn| policy_versions::delete(txn, account, &i.policy_arn, &i.version_id))?;
            Ok(Output::Empty)
        }
        Op::SetDefaultPolicyVersion(i) => {
            engine.write(|txn| {
                policy_versions::set_default(txn, account, &i.policy_arn, &i.version_id, now)
            })?;
            Ok(Output::Empty)
        }
        Op::ListEntitiesForPolicy(i) => {
            visible_policy(state, account, &i.policy_arn)?;
            let (users, groups, roles) = policy_versions::entities(
                state,
                account,
                &i.policy_arn,
                i.entity_filter,
                i.policy_usage_filter,
                i.path_prefix.as_deref(),
            );
            // One page over the three lists, in IAM's order: groups, users, roles.
            let all: Vec<(u8, String, usize)> = groups
                .iter()
                .enumerate()
                .map(|(n, g)| (0u8, g.group_name.to_ascii_lowercase(), n))
                .chain(
                    users
                        .iter()
                        .enumerate()
                        .map(|(n, u)| (1u8, u.user_name.to_ascii_lowercase(), n)),
                )
                .chain(
                    roles
                        .iter()
                        .enumerate()
                        .map(|(n, r)| (2u8, r.role_name.to_ascii_lowercase(), n)),
                )
                .collect();
            let (chunk, is_truncated, marker) =
                page(all, i.marker.as_deref(), i.max_items, |(k, name, _)| {
                    format!("{k}{name}")
                })?;
            let pick = |kind_id: u8| {
                chunk
                    .iter()
                    .filter(move |(k, _, _)| *k == kind_id)
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
        // ---- role and policy tags, role updates ----
        Op::TagRole(i) => {
            let new = tags::from_wire(Some(&i.tags))?;
            engine.write(|txn| {
                roles::update(txn, account, &i.role_name, |record| {
                    tags::merge(&mut record.tags, &new)
                })
            })?;
            Ok(Output::Empty)
        }
        Op::UntagRole(i) => {
            engine.write(|txn| {
                roles::update(txn, account, &i.role_name, |record| {
                    tags::remove(&mut record.tags, &i.tag_keys);
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListRoleTags(i) => {
            let role = roles::get(state, account, &i.role_name)?;
            let (list, is_truncated, marker) = page(
                role.record.tags.clone(),
                i.marker.as_deref(),
                i.max_items,
                |t| t.key.clone(),
            )?;
            Ok(wire::ListRoleTagsOutput {
                tags: tags::to_wire(&list),
                is_truncated,
                marker,
            }
            .into())
        }
        Op::UpdateRole(i) => {
            engine.write(|txn| {
                roles::update(txn, account, &i.role_name, |record| {
                    if let Some(description) = &i.description {
                        record.description = Some(description.clone());
                    }
                    if let Some(max) = i.max_session_duration {
                        record.max_session_duration = i64::from(max);
                    }
                    Ok(())
                })
            })?;
            Ok(wire::UpdateRoleOutput::default().into())
        }
        Op::UpdateRoleDescription(i) => {
            let record = engine.write(|txn| {
                roles::update(txn, account, &i.role_name, |record| {
                    record.description = Some(i.description.clone());
                    Ok(())
                })
            })?;
            Ok(wire::UpdateRoleDescriptionOutput {
                role: wire_role(&record),
            }
            .into())
        }
        Op::TagPolicy(i) => {
            let new = tags::from_wire(Some(&i.tags))?;
            engine.write(|txn| {
                let mut record =
                    policy_versions::owned_policy(txn.state(), account, &i.policy_arn)?;
                tags::merge(&mut record.tags, &new)?;
                txn.put(kind::POLICY, &i.policy_arn, &record)
            })?;
            Ok(Output::Empty)
        }
        Op::UntagPolicy(i) => {
            engine.write(|txn| {
                let mut record =
                    policy_versions::owned_policy(txn.state(), account, &i.policy_arn)?;
                tags::remove(&mut record.tags, &i.tag_keys);
                txn.put(kind::POLICY, &i.policy_arn, &record)
            })?;
            Ok(Output::Empty)
        }
        Op::ListPolicyTags(i) => {
            let entry = visible_policy(state, account, &i.policy_arn)?;
            let (list, is_truncated, marker) = page(
                entry.record.tags.clone(),
                i.marker.as_deref(),
                i.max_items,
                |t| t.key.clone(),
            )?;
            Ok(wire::ListPolicyTagsOutput {
                tags: tags::to_wire(&list),
                is_truncated,
                marker,
            }
            .into())
        }
        Op::GetAccessKeyLastUsed(i) => {
            // Any principal of the account may ask about any of its keys.
            let entry = state
                .access_key(&i.access_key_id)
                .filter(|k| &k.record.account == account)
                .ok_or_else(|| {
                    CoreError::NoSuchEntity(format!(
                        "The Access Key with id {} cannot be found.",
                        i.access_key_id
                    ))
                })?;
            let usage = engine.key_last_used(&i.access_key_id);
            let last = match usage {
                Some(u) => wire::AccessKeyLastUsed {
                    last_used_date: Some(Timestamp(u.at)),
                    service_name: u.service,
                    region: u.region,
                },
                None => wire::AccessKeyLastUsed {
                    last_used_date: None,
                    service_name: "N/A".to_owned(),
                    region: "N/A".to_owned(),
                },
            };
            Ok(wire::GetAccessKeyLastUsedOutput {
                user_name: Some(key_owner_name(&entry.record)),
                access_key_last_used: Some(last),
            }
            .into())
        }
        // ---- instance profiles ----
        Op::CreateInstanceProfile(i) => {
            let tags = tags::from_wire(i.tags.as_deref())?;
            let record = engine.write(|txn| {
                instance_profiles::create(
                    txn,
                    account,
                    &i.instance_profile_name,
                    i.path.as_deref(),
                    tags.clone(),
                    now,
                )
            })?;
            let snapshot = engine.snapshot();
            Ok(wire::CreateInstanceProfileOutput {
                instance_profile: wire_instance_profile(&snapshot, &record),
            }
            .into())
        }
        Op::GetInstanceProfile(i) => {
            let record = instance_profiles::get(state, account, &i.instance_profile_name)?;
            Ok(wire::GetInstanceProfileOutput {
                instance_profile: wire_instance_profile(state, &record),
            }
            .into())
        }
        Op::DeleteInstanceProfile(i) => {
            engine
                .write(|txn| instance_profiles::delete(txn, account, &i.instance_profile_name))?;
            Ok(Output::Empty)
        }
        Op::ListInstanceProfiles(i) => {
            let all: Vec<_> = state
                .instance_profiles(account)
                .filter(|p| {
                    i.path_prefix
                        .as_deref()
                        .is_none_or(|prefix| p.path.starts_with(prefix))
                })
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) = page(all, i.marker.as_deref(), i.max_items, |p| {
                p.name.to_ascii_lowercase()
            })?;
            let instance_profiles = chunk
                .iter()
                .map(|p| wire_instance_profile(state, p))
                .collect();
            Ok(wire::ListInstanceProfilesOutput {
                instance_profiles,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::ListInstanceProfilesForRole(i) => {
            let role = roles::get(state, account, &i.role_name)?;
            let all: Vec<_> = instance_profiles::for_role(state, account, &role.record.name)
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) = page(all, i.marker.as_deref(), i.max_items, |p| {
                p.name.to_ascii_lowercase()
            })?;
            let instance_profiles = chunk
                .iter()
                .map(|p| wire_instance_profile(state, p))
                .collect();
            Ok(wire::ListInstanceProfilesForRoleOutput {
                instance_profiles,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::AddRoleToInstanceProfile(i) => {
            engine.write(|txn| {
                instance_profiles::add_role(txn, account, &i.instance_profile_name, &i.role_name)
            })?;
            Ok(Output::Empty)
        }
        Op::RemoveRoleFromInstanceProfile(i) => {
            engine.write(|txn| {
                instance_profiles::remove_role(txn, account, &i.instance_profile_name, &i.role_name)
            })?;
            Ok(Output::Empty)
        }
        Op::GetAccountAuthorizationDetails(i) => {
            Ok(authorization_details(state, account, i)?.into())
        }
        // ---- console passwords and the password policy ----
        Op::CreateLoginProfile(i) => {
            let user = target_user(state, caller, i.user_name.as_deref())?
                .ok_or_else(non_user_credentials)?;
            let password = i.password.as_ref().map(Sensitive::expose).ok_or_else(|| {
                CoreError::Validation("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null".to_owned())
            })?;
            let record = engine.write(|txn| {
                passwords::create_login_profile(
                    txn,
                    account,
                    &user,
                    password,
                    i.password_reset_required.unwrap_or(false),
                    now,
                )
            })?;
            let login_profile = passwords::wire_login_profile(&record)
                .ok_or_else(|| CoreError::Internal("login profile vanished".into()))?;
            Ok(wire::CreateLoginProfileOutput { login_profile }.into())
        }
        Op::GetLoginProfile(i) => {
            let user = target_user(state, caller, i.user_name.as_deref())?
                .ok_or_else(non_user_credentials)?;
            let record = &users::get(state, account, &user)?.record;
            let login_profile = passwords::wire_login_profile(record).ok_or_else(|| {
                CoreError::NoSuchEntity(format!("Login Profile for User {user} cannot be found."))
            })?;
            Ok(wire::GetLoginProfileOutput { login_profile }.into())
        }
        Op::UpdateLoginProfile(i) => {
            let password = i.password.as_ref().map(Sensitive::expose);
            engine.write(|txn| {
                passwords::update_login_profile(
                    txn,
                    account,
                    &i.user_name,
                    password,
                    i.password_reset_required,
                    now,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::DeleteLoginProfile(i) => {
            let user = target_user(state, caller, i.user_name.as_deref())?
                .ok_or_else(non_user_credentials)?;
            engine.write(|txn| passwords::delete_login_profile(txn, account, &user))?;
            Ok(Output::Empty)
        }
        Op::ChangePassword(i) => {
            let Principal::User { name, .. } = &caller.principal else {
                return Err(CoreError::InvalidUserType(
                    "Only IAM users can change their own password.".to_owned(),
                ));
            };
            engine.write(|txn| {
                passwords::change_password(
                    txn,
                    account,
                    name,
                    i.old_password.expose(),
                    i.new_password.expose(),
                    now,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::UpdateAccountPasswordPolicy(i) => {
            engine.write(|txn| passwords::update_policy(txn, account, i))?;
            Ok(Output::Empty)
        }
        Op::GetAccountPasswordPolicy(_) => Ok(wire::GetAccountPasswordPolicyOutput {
            password_policy: passwords::get_policy(state, account)?,
        }
        .into()),
        Op::DeleteAccountPasswordPolicy(_) => {
            engine.write(|txn| passwords::delete_policy(txn, account))?;
            Ok(Output::Empty)
        }
        // ---- virtual MFA ----
        Op::CreateVirtualMFADevice(i) => {
            let tags = tags::from_wire(i.tags.as_deref())?;
            let device = engine.write(|txn| {
                mfa_devices::create(
                    txn,
                    account,
                    &i.virtual_mfa_device_name,
                    i.path.as_deref(),
                    tags.clone(),
                    now,
                )
            })?;
            Ok(wire::CreateVirtualMfaDeviceOutput {
                virtual_mfa_device: device,
            }
            .into())
        }
        Op::EnableMFADevice(i) => {
            engine.write(|txn| {
                mfa_devices::enable(
                    txn,
                    caller,
                    &i.user_name,
                    &i.serial_number,
                    &i.authentication_code1,
                    &i.authentication_code2,
                    now,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::ResyncMFADevice(i) => {
            engine.write(|txn| {
                mfa_devices::resync(
                    txn,
                    caller,
                    &i.user_name,
                    &i.serial_number,
                    &i.authentication_code1,
                    &i.authentication_code2,
                    now,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::DeactivateMFADevice(i) => {
            engine.write(|txn| {
                mfa_devices::deactivate(txn, caller, i.user_name.as_deref(), &i.serial_number)
            })?;
            Ok(Output::Empty)
        }
        Op::DeleteVirtualMFADevice(i) => {
            engine.write(|txn| mfa_devices::delete(txn, caller, &i.serial_number))?;
            Ok(Output::Empty)
        }
        Op::ListMFADevices(i) => {
            let owner = mfa_devices::owner_for(state, caller, i.user_name.as_deref())?;
            let all: Vec<_> = state
                .mfa_devices_of(account, &owner)
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) =
                page(all, i.marker.as_deref(), i.max_items, |d| d.serial())?;
            let mfa_devices = chunk
                .iter()
                .map(|d| wire::MfaDevice {
                    user_name: mfa_devices::owner_name(account, &owner),
                    serial_number: d.serial(),
                    enable_date: Timestamp(d.enabled.unwrap_or(d.created)),
                })
                .collect();
            Ok(wire::ListMfaDevicesOutput {
                mfa_devices,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::ListVirtualMFADevices(i) => {
            let status = i.assignment_status.unwrap_or(wire::AssignmentStatus::Any);
            let all: Vec<_> = state
                .mfa_devices(account)
                .filter(|d| match status {
                    wire::AssignmentStatus::Assigned => d.owner.is_some(),
                    wire::AssignmentStatus::Unassigned => d.owner.is_none(),
                    wire::AssignmentStatus::Any => true,
                })
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) =
                page(all, i.marker.as_deref(), i.max_items, |d| d.serial())?;
            let virtual_mfa_devices = chunk
                .iter()
                .map(|d| wire::VirtualMfaDevice {
                    serial_number: d.serial(),
                    user: mfa_devices::wire_owner(state, d),
                    enable_date: d.enabled.map(Timestamp),
                    ..Default::default()
                })
                .collect();
            Ok(wire::ListVirtualMfaDevicesOutput {
                virtual_mfa_devices,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::GetMFADevice(i) => {
            let device = mfa_devices::get(state, account, &i.serial_number)?;
            Ok(wire::GetMfaDeviceOutput {
                user_name: device
                    .owner
                    .as_ref()
                    .map(|o| mfa_devices::owner_name(account, o)),
                serial_number: device.serial(),
                enable_date: device.enabled.map(Timestamp),
                certifications: BTreeMap::new(),
            }
            .into())
        }
        // ---- credential report ----
        Op::GenerateCredentialReport(_) => {
            let report_state =
                engine.write(|txn| credential_report::generate(engine, txn, account, now))?;
            let state_out = match report_state {
                crate::credential_report::ReportState::Started => wire::ReportState::Started,
                crate::credential_report::ReportState::InProgress => wire::ReportState::InProgress,
                crate::credential_report::ReportState::Complete => wire::ReportState::Complete,
            };
            Ok(wire::GenerateCredentialReportOutput {
                state: Some(state_out),
                description: report_state.description().map(str::to_owned),
            }
            .into())
        }
        Op::GetCredentialReport(_) => {
            let (content, generated) = credential_report::get(state, account, now)?;
            Ok(wire::GetCredentialReportOutput {
                content: Some(rampart_wire::xml::Blob(content.into_bytes())),
                report_format: Some(wire::ReportFormat::TextCsv),
                generated_time: Some(Timestamp(generated)),
            }
            .into())
        }
        // ---- account aliases ----
        Op::CreateAccountAlias(i) => {
            engine.write(|txn| {
                if txn
                    .state()
                    .accounts()
                    .any(|a| a.alias.as_deref() == Some(i.account_alias.as_str()))
                {
                    return Err(CoreError::EntityAlreadyExists(format!(
                        "The account alias {} already exists.",
                        i.account_alias
                    )));
                }
                let mut record = account_record(txn.state(), account)?;
                record.alias = Some(i.account_alias.clone());
                txn.put(kind::ACCOUNT, account.as_str(), &record)
            })?;
            Ok(Output::Empty)
        }
        Op::DeleteAccountAlias(i) => {
            engine.write(|txn| {
                let mut record = account_record(txn.state(), account)?;
                if record.alias.as_deref() != Some(i.account_alias.as_str()) {
                    return Err(CoreError::NoSuchEntity(format!(
                        "The account alias {} cannot be found.",
                        i.account_alias
                    )));
                }
                record.alias = None;
                txn.put(kind::ACCOUNT, account.as_str(), &record)
            })?;
            Ok(Output::Empty)
        }
        Op::ListAccountAliases(_) => {
            let aliases = account_record(state, account)?.alias.into_iter().collect();
            Ok(wire::ListAccountAliasesOutput {
                account_aliases: aliases,
                is_truncated: false,
                marker: None,
            }
            .into())
        }
        Op::EnableOrganizationsRootCredentialsManagement(_) => {
            let (organization_id, enabled_features) = engine.write(|txn| {
                root_access::set_feature(txn, account, root_access::CREDENTIALS_MANAGEMENT, true)
            })?;
            Ok(wire::EnableOrganizationsRootCredentialsManagementOutput {
                organization_id,
                enabled_features,
            }
            .into())
        }
        Op::DisableOrganizationsRootCredentialsManagement(_) => {
            let (organization_id, enabled_features) = engine.write(|txn| {
                root_access::set_feature(txn, account, root_access::CREDENTIALS_MANAGEMENT, false)
            })?;
            Ok(wire::DisableOrganizationsRootCredentialsManagementOutput {
                organization_id,
                enabled_features,
            }
            .into())
        }
        Op::EnableOrganizationsRootSessions(_) => {
            let (organization_id, enabled_features) = engine.write(|txn| {
                root_access::set_feature(txn, account, root_access::ROOT_SESSIONS, true)
            })?;
            Ok(wire::EnableOrganizationsRootSessionsOutput {
                organization_id,
                enabled_features,
            }
            .into())
        }
        Op::DisableOrganizationsRootSessions(_) => {
            let (organization_id, enabled_features) = engine.write(|txn| {
                root_access::set_feature(txn, account, root_access::ROOT_SESSIONS, false)
            })?;
            Ok(wire::DisableOrganizationsRootSessionsOutput {
                organization_id,
                enabled_features,
            }
            .into())
        }
        Op::ListOrganizationsFeatures(_) => {
            let (organization_id, enabled_features) = root_access::list(state, account)?;
            Ok(wire::ListOrganizationsFeaturesOutput {
                organization_id,
                enabled_features,
            }
            .into())
        }
        Op::GetContextKeysForPrincipalPolicy(i) => {
            let context_key_names = simulate::context_keys_for_principal(
                state,
                account,
                &i.policy_source_arn,
                i.policy_input_list.as_deref(),
            )?;
            Ok(wire::GetContextKeysForPrincipalPolicyOutput { context_key_names }.into())
        }
        Op::GetContextKeysForCustomPolicy(i) => {
            let context_key_names = simulate::context_keys_for_custom(&i.policy_input_list)?;
            Ok(wire::GetContextKeysForCustomPolicyOutput { context_key_names }.into())
        }
        Op::UpdateGroup(i) => {
            engine.write(|txn| {
                groups::rename(
                    txn,
                    account,
                    &i.group_name,
                    i.new_group_name.as_deref(),
                    i.new_path.as_deref(),
                )
            })?;
            Ok(Output::Empty)
        }
        Op::TagMFADevice(i) => {
            let new = tags::from_wire(Some(&i.tags))?;
            engine.write(|txn| {
                let mut device = mfa_devices::get(txn.state(), account, &i.serial_number)?;
                tags::merge(&mut device.tags, &new)?;
                txn.put(kind::MFA_DEVICE, &i.serial_number, &device)
            })?;
            Ok(Output::Empty)
        }
        Op::UntagMFADevice(i) => {
            engine.write(|txn| {
                let mut device = mfa_devices::get(txn.state(), account, &i.serial_number)?;
                tags::remove(&mut device.tags, &i.tag_keys);
                txn.put(kind::MFA_DEVICE, &i.serial_number, &device)
            })?;
            Ok(Output::Empty)
        }
        Op::ListMFADeviceTags(i) => {
            let device = mfa_devices::get(state, account, &i.serial_number)?;
            let (list, is_truncated, marker) =
                page(device.tags, i.marker.as_deref(), i.max_items, |t| {
                    t.key.clone()
                })?;
            Ok(wire::ListMfaDeviceTagsOutput {
                tags: tags::to_wire(&list),
                is_truncated,
                marker,
            }
            .into())
        }
        Op::TagInstanceProfile(i) => {
            let new = tags::from_wire(Some(&i.tags))?;
            engine.write(|txn| {
                let mut profile =
                    instance_profiles::get(txn.state(), account, &i.instance_profile_name)?;
                tags::merge(&mut profile.tags, &new)?;
                txn.put(
                    kind::INSTANCE_PROFILE,
                    &crate::model::name_key(account, &profile.name),
                    &profile,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::UntagInstanceProfile(i) => {
            engine.write(|txn| {
                let mut profile =
                    instance_profiles::get(txn.state(), account, &i.instance_profile_name)?;
                tags::remove(&mut profile.tags, &i.tag_keys);
                txn.put(
                    kind::INSTANCE_PROFILE,
                    &crate::model::name_key(account, &profile.name),
                    &profile,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::ListInstanceProfileTags(i) => {
            let profile = instance_profiles::get(state, account, &i.instance_profile_name)?;
            let (list, is_truncated, marker) =
                page(profile.tags, i.marker.as_deref(), i.max_items, |t| {
                    t.key.clone()
                })?;
            Ok(wire::ListInstanceProfileTagsOutput {
                tags: tags::to_wire(&list),
                is_truncated,
                marker,
            }
            .into())
        }
        Op::CreateServiceLinkedRole(i) => {
            let record = engine.write(|txn| {
                service_linked_roles::create(
                    txn,
                    account,
                    &i.aws_service_name,
                    i.description.as_deref(),
                    i.custom_suffix.as_deref(),
                    now,
                )
            })?;
            Ok(wire::CreateServiceLinkedRoleOutput {
                role: wire_role(&record),
            }
            .into())
        }
        Op::DeleteServiceLinkedRole(i) => {
            let deletion_task_id =
                engine.write(|txn| service_linked_roles::delete(txn, account, &i.role_name))?;
            Ok(wire::DeleteServiceLinkedRoleOutput { deletion_task_id }.into())
        }
        Op::GetServiceLinkedRoleDeletionStatus(i) => {
            let done =
                service_linked_roles::deletion_succeeded(state, account, &i.deletion_task_id)?;
            let status = if done {
                wire::DeletionTaskStatus::Succeeded
            } else {
                wire::DeletionTaskStatus::InProgress
            };
            Ok(wire::GetServiceLinkedRoleDeletionStatusOutput {
                status,
                reason: None,
            }
            .into())
        }
        Op::UploadSigningCertificate(i) => {
            let record = engine.write(|txn| {
                let target = target_user(txn.state(), caller, i.user_name.as_deref())?;
                signing_certificates::upload(
                    txn,
                    account,
                    target.as_deref(),
                    &i.certificate_body,
                    now,
                )
            })?;
            Ok(wire::UploadSigningCertificateOutput {
                certificate: wire_certificate(&record),
            }
            .into())
        }
        Op::ListSigningCertificates(i) => {
            let target = target_user(state, caller, i.user_name.as_deref())?;
            let certs: Vec<_> = state
                .signing_certificates_of(account, target.as_deref())
                .into_iter()
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) =
                page(certs, i.marker.as_deref(), i.max_items, |c| {
                    format!("{:020}{:020}{}", c.uploaded, c.ordinal, c.id)
                })?;
            Ok(wire::ListSigningCertificatesOutput {
                certificates: chunk.iter().map(|c| wire_certificate(c)).collect(),
                is_truncated,
                marker,
            }
            .into())
        }
        Op::UpdateSigningCertificate(i) => {
            let status = credential_status(i.status, "Signing certificates")?;
            engine.write(|txn| {
                let target = target_user(txn.state(), caller, i.user_name.as_deref())?;
                signing_certificates::set_status(
                    txn,
                    account,
                    target.as_deref(),
                    &i.certificate_id,
                    status,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::DeleteSigningCertificate(i) => {
            engine.write(|txn| {
                let target = target_user(txn.state(), caller, i.user_name.as_deref())?;
                signing_certificates::delete(txn, account, target.as_deref(), &i.certificate_id)
            })?;
            Ok(Output::Empty)
        }
        Op::UploadSSHPublicKey(i) => {
            let record = engine.write(|txn| {
                let user = users::get(txn.state(), account, &i.user_name)?
                    .record
                    .name
                    .clone();
                ssh_public_keys::upload(txn, account, &user, &i.ssh_public_key_body, now)
            })?;
            Ok(wire::UploadSshPublicKeyOutput {
                ssh_public_key: wire_ssh_key(&record, record.body.clone()),
            }
            .into())
        }
        Op::GetSSHPublicKey(i) => {
            users::get(state, account, &i.user_name)?;
            let record =
                ssh_public_keys::owned(state, account, &i.user_name, &i.ssh_public_key_id)?;
            let blob = ssh_public_keys::blob_of(record)?;
            let body = match i.encoding {
                wire::SshKeyEncoding::Ssh => ssh_public_keys::to_ssh(&blob)?,
                wire::SshKeyEncoding::Pem => ssh_public_keys::to_pem(&blob)?,
            };
            Ok(wire::GetSshPublicKeyOutput {
                ssh_public_key: wire_ssh_key(record, body),
            }
            .into())
        }
        Op::ListSSHPublicKeys(i) => {
            let target = target_user(state, caller, i.user_name.as_deref())?;
            let keys: Vec<_> = match &target {
                Some(user) => state
                    .ssh_public_keys_of(account, user)
                    .into_iter()
                    .map(Arc::clone)
                    .collect(),
                None => vec![],
            };
            let (chunk, is_truncated, marker) =
                page(keys, i.marker.as_deref(), i.max_items, |k| {
                    format!("{:020}{:020}{}", k.uploaded, k.ordinal, k.id)
                })?;
            let ssh_public_keys = chunk
                .iter()
                .map(|k| wire::SshPublicKeyMetadata {
                    user_name: k.user.clone(),
                    ssh_public_key_id: k.id.clone(),
                    status: wire_key_status(k.status),
                    upload_date: Timestamp(k.uploaded),
                })
                .collect();
            Ok(wire::ListSshPublicKeysOutput {
                ssh_public_keys,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::UpdateSSHPublicKey(i) => {
            let status = credential_status(i.status, "SSH public keys")?;
            engine.write(|txn| {
                users::get(txn.state(), account, &i.user_name)?;
                ssh_public_keys::set_status(
                    txn,
                    account,
                    &i.user_name,
                    &i.ssh_public_key_id,
                    status,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::DeleteSSHPublicKey(i) => {
            engine.write(|txn| {
                users::get(txn.state(), account, &i.user_name)?;
                ssh_public_keys::delete(txn, account, &i.user_name, &i.ssh_public_key_id)
            })?;
            Ok(Output::Empty)
        }
        Op::CreateOpenIDConnectProvider(i) => {
            let tags = tags::from_wire(i.tags.as_deref())?;
            let record = engine.write(|txn| {
                oidc_providers::create(
                    txn,
                    account,
                    &i.url,
                    i.client_id_list.as_deref().unwrap_or_default(),
                    i.thumbprint_list.as_deref().unwrap_or_default(),
                    tags.clone(),
                    now,
                )
            })?;
            Ok(wire::CreateOpenIdConnectProviderOutput {
                open_id_connect_provider_arn: Some(record.arn()),
                tags: tags::to_wire(&record.tags),
            }
            .into())
        }
        Op::GetOpenIDConnectProvider(i) => {
            let record = oidc_providers::get(state, account, &i.open_id_connect_provider_arn)?;
            Ok(wire::GetOpenIdConnectProviderOutput {
                url: Some(record.url.clone()),
                client_id_list: record.client_ids.clone(),
                thumbprint_list: record.thumbprints.clone(),
                create_date: Some(Timestamp(record.created)),
                tags: tags::to_wire(&record.tags),
            }
            .into())
        }
        Op::ListOpenIDConnectProviders(_) => {
            let open_id_connect_provider_list = state
                .oidc_providers(account)
                .map(|p| wire::OpenIdConnectProviderListEntry { arn: Some(p.arn()) })
                .collect();
            Ok(wire::ListOpenIdConnectProvidersOutput {
                open_id_connect_provider_list,
            }
            .into())
        }
        Op::DeleteOpenIDConnectProvider(i) => {
            engine.write(|txn| {
                oidc_providers::delete(txn, account, &i.open_id_connect_provider_arn)
            })?;
            Ok(Output::Empty)
        }
        Op::AddClientIDToOpenIDConnectProvider(i) => {
            engine.write(|txn| {
                oidc_providers::add_client_id(
                    txn,
                    account,
                    &i.open_id_connect_provider_arn,
                    &i.client_id,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::RemoveClientIDFromOpenIDConnectProvider(i) => {
            engine.write(|txn| {
                oidc_providers::remove_client_id(
                    txn,
                    account,
                    &i.open_id_connect_provider_arn,
                    &i.client_id,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::UpdateOpenIDConnectProviderThumbprint(i) => {
            let list = oidc_providers::thumbprints(&i.thumbprint_list)?;
            engine.write(|txn| {
                oidc_providers::update(txn, account, &i.open_id_connect_provider_arn, |record| {
                    record.thumbprints = list.clone();
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::TagOpenIDConnectProvider(i) => {
            let new = tags::from_wire(Some(&i.tags))?;
            engine.write(|txn| {
                oidc_providers::update(txn, account, &i.open_id_connect_provider_arn, |record| {
                    tags::merge(&mut record.tags, &new)
                })
            })?;
            Ok(Output::Empty)
        }
        Op::UntagOpenIDConnectProvider(i) => {
            engine.write(|txn| {
                oidc_providers::update(txn, account, &i.open_id_connect_provider_arn, |record| {
                    tags::remove(&mut record.tags, &i.tag_keys);
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListOpenIDConnectProviderTags(i) => {
            let record = oidc_providers::get(state, account, &i.open_id_connect_provider_arn)?;
            let (list, is_truncated, marker) =
                page(record.tags, i.marker.as_deref(), i.max_items, |t| {
                    t.key.clone()
                })?;
            Ok(wire::ListOpenIdConnectProviderTagsOutput {
                tags: tags::to_wire(&list),
                is_truncated,
                marker,
            }
            .into())
        }
        Op::UploadServerCertificate(i) => {
            let tags = tags::from_wire(i.tags.as_deref())?;
            let record = engine.write(|txn| {
                let input = server_certificates::Upload {
                    name: &i.server_certificate_name,
                    path: i.path.as_deref(),
                    body: &i.certificate_body,
                    private_key: &i.private_key,
                    chain: i.certificate_chain.as_deref(),
                    tags: tags.clone(),
                };
                server_certificates::upload(txn, account, input, now)
            })?;
            Ok(wire::UploadServerCertificateOutput {
                server_certificate_metadata: Some(wire_server_certificate(&record)),
                tags: tags::to_wire(&record.tags),
            }
            .into())
        }
        Op::GetServerCertificate(i) => {
            let record = server_certificates::get(state, account, &i.server_certificate_name)?;
            Ok(wire::GetServerCertificateOutput {
                server_certificate: wire::ServerCertificate {
                    server_certificate_metadata: wire_server_certificate(&record),
                    certificate_body: record.body.clone(),
                    certificate_chain: record.chain.clone(),
                    tags: tags::to_wire(&record.tags),
                },
            }
            .into())
        }
        Op::ListServerCertificates(i) => {
            let prefix = i.path_prefix.as_deref().unwrap_or("/");
            let all: Vec<_> = state
                .server_certificates(account)
                .filter(|c| c.path.starts_with(prefix))
                .map(Arc::clone)
                .collect();
            let (chunk, is_truncated, marker) = page(all, i.marker.as_deref(), i.max_items, |c| {
                c.name.to_ascii_lowercase()
            })?;
            let server_certificate_metadata_list =
                chunk.iter().map(|c| wire_server_certificate(c)).collect();
            Ok(wire::ListServerCertificatesOutput {
                server_certificate_metadata_list,
                is_truncated,
                marker,
            }
            .into())
        }
        Op::UpdateServerCertificate(i) => {
            engine.write(|txn| {
                server_certificates::update(txn, account, &i.server_certificate_name, |record| {
                    if let Some(name) = &i.new_server_certificate_name {
                        record.name = name.clone();
                    }
                    if let Some(path) = &i.new_path {
                        record.path = path.clone();
                    }
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::DeleteServerCertificate(i) => {
            engine.write(|txn| {
                server_certificates::delete(txn, account, &i.server_certificate_name)
            })?;
            Ok(Output::Empty)
        }
        Op::TagServerCertificate(i) => {
            let new = tags::from_wire(Some(&i.tags))?;
            engine.write(|txn| {
                server_certificates::update(txn, account, &i.server_certificate_name, |record| {
                    tags::merge(&mut record.tags, &new)
                })
            })?;
            Ok(Output::Empty)
        }
        Op::UntagServerCertificate(i) => {
            engine.write(|txn| {
                server_certificates::update(txn, account, &i.server_certificate_name, |record| {
                    tags::remove(&mut record.tags, &i.tag_keys);
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListServerCertificateTags(i) => {
            let record = server_certificates::get(state, account, &i.server_certificate_name)?;
            let (list, is_truncated, marker) =
                page(record.tags, i.marker.as_deref(), i.max_items, |t| {
                    t.key.clone()
                })?;
            Ok(wire::ListServerCertificateTagsOutput {
                tags: tags::to_wire(&list),
                is_truncated,
                marker,
            }
            .into())
        }
        Op::CreateServiceSpecificCredential(i) => {
            let (record, secret) = engine.write(|txn| {
                let user = users::get(txn.state(), account, &i.user_name)?
                    .record
                    .name
                    .clone();
                service_credentials::create(txn, account, &user, &i.service_name, now)
            })?;
            Ok(wire::CreateServiceSpecificCredentialOutput {
                service_specific_credential: Some(wire_service_credential(&record, secret)),
            }
            .into())
        }
        Op::ListServiceSpecificCredentials(i) => {
            if let Some(service) = &i.service_name {
                service_credentials::check_service(service)?;
            }
            let creds: Vec<_> = if i.all_users == Some(true) {
                state.service_credentials_of(account, None)
            } else {
                match target_user(state, caller, i.user_name.as_deref())? {
                    Some(user) => state.service_credentials_of(account, Some(&user)),
                    None => vec![],
                }
            }
            .into_iter()
            .filter(|c| i.service_name.as_ref().is_none_or(|s| &c.service == s))
            .map(Arc::clone)
            .collect();
            let (chunk, is_truncated, marker) =
                page(creds, i.marker.as_deref(), i.max_items, |c| {
                    format!("{:020}{}", c.created, c.id)
                })?;
            let service_specific_credentials = chunk
                .iter()
                .map(|c| {
                    let bedrock = service_credentials::is_bedrock(c);
                    wire::ServiceSpecificCredentialMetadata {
                        user_name: c.user.clone(),
                        status: wire_key_status(c.status),
                        service_user_name: (!bedrock).then(|| c.service_user_name.clone()),
                        service_credential_alias: bedrock.then(|| c.service_user_name.clone()),
                        create_date: Timestamp(c.created),
                        expiration_date: None,
                        service_specific_credential_id: c.id.clone(),
                        service_name: c.service.clone(),
                    }
                })
                .collect();
            Ok(wire::ListServiceSpecificCredentialsOutput {
                service_specific_credentials,
                marker,
                is_truncated,
            }
            .into())
        }
        Op::UpdateServiceSpecificCredential(i) => {
            let status = credential_status(i.status, "Service-specific credentials")?;
            engine.write(|txn| {
                let user = credential_user(
                    txn.state(),
                    caller,
                    i.user_name.as_deref(),
                    &i.service_specific_credential_id,
                )?;
                service_credentials::set_status(
                    txn,
                    account,
                    &user,
                    &i.service_specific_credential_id,
                    status,
                )
            })?;
            Ok(Output::Empty)
        }
        Op::ResetServiceSpecificCredential(i) => {
            let (record, secret) = engine.write(|txn| {
                let user = credential_user(
                    txn.state(),
                    caller,
                    i.user_name.as_deref(),
                    &i.service_specific_credential_id,
                )?;
                service_credentials::reset(txn, account, &user, &i.service_specific_credential_id)
            })?;
            Ok(wire::ResetServiceSpecificCredentialOutput {
                service_specific_credential: Some(wire_service_credential(&record, secret)),
            }
            .into())
        }
        Op::DeleteServiceSpecificCredential(i) => {
            engine.write(|txn| {
                let user = credential_user(
                    txn.state(),
                    caller,
                    i.user_name.as_deref(),
                    &i.service_specific_credential_id,
                )?;
                service_credentials::delete(txn, account, &user, &i.service_specific_credential_id)
            })?;
            Ok(Output::Empty)
        }
        Op::CreateSAMLProvider(i) => {
            let tags = tags::from_wire(i.tags.as_deref())?;
            let record = engine.write(|txn| {
                saml_providers::create(
                    txn,
                    account,
                    &i.name,
                    &i.saml_metadata_document,
                    tags.clone(),
                    now,
                )
            })?;
            Ok(wire::CreateSamlProviderOutput {
                saml_provider_arn: Some(record.arn()),
                tags: tags::to_wire(&record.tags),
            }
            .into())
        }
        Op::GetSAMLProvider(i) => {
            let record = saml_providers::get(state, account, &i.saml_provider_arn)?;
            Ok(wire::GetSamlProviderOutput {
                saml_provider_uuid: Some(record.uuid.clone()),
                saml_metadata_document: Some(record.metadata.clone()),
                create_date: Some(Timestamp(record.created)),
                valid_until: record.valid_until.map(Timestamp),
                tags: tags::to_wire(&record.tags),
            }
            .into())
        }
        Op::ListSAMLProviders(_) => {
            let saml_provider_list = state
                .saml_providers(account)
                .map(|p| wire::SamlProviderListEntry {
                    arn: Some(p.arn()),
                    valid_until: p.valid_until.map(Timestamp),
                    create_date: Some(Timestamp(p.created)),
                })
                .collect();
            Ok(wire::ListSamlProvidersOutput { saml_provider_list }.into())
        }
        Op::UpdateSAMLProvider(i) => {
            let record = engine.write(|txn| {
                saml_providers::update(txn, account, &i.saml_provider_arn, |record| {
                    if let Some(document) = &i.saml_metadata_document {
                        record.valid_until = saml_providers::check_metadata(document)?;
                        record.metadata = document.clone();
                    }
                    Ok(())
                })
            })?;
            Ok(wire::UpdateSamlProviderOutput {
                saml_provider_arn: Some(record.arn()),
            }
            .into())
        }
        Op::DeleteSAMLProvider(i) => {
            engine.write(|txn| saml_providers::delete(txn, account, &i.saml_provider_arn))?;
            Ok(Output::Empty)
        }
        Op::TagSAMLProvider(i) => {
            let new = tags::from_wire(Some(&i.tags))?;
            engine.write(|txn| {
                saml_providers::update(txn, account, &i.saml_provider_arn, |record| {
                    tags::merge(&mut record.tags, &new)
                })
            })?;
            Ok(Output::Empty)
        }
        Op::UntagSAMLProvider(i) => {
            engine.write(|txn| {
                saml_providers::update(txn, account, &i.saml_provider_arn, |record| {
                    tags::remove(&mut record.tags, &i.tag_keys);
                    Ok(())
                })
            })?;
            Ok(Output::Empty)
        }
        Op::ListSAMLProviderTags(i) => {
            let record = saml_providers::get(state, account, &i.saml_provider_arn)?;
            let (list, is_truncated, marker) =
                page(record.tags, i.marker.as_deref(), i.max_items, |t| {
                    t.key.clone()
                })?;
            Ok(wire::ListSamlProviderTagsOutput {
                tags: tags::to_wire(&list),
                is_truncated,
                marker,
            }
            .into())
        }
    }
}

/// A managed policy the account may see: its own or AWS's.
fn visible_policy<'s>(
    state: &'s State,
    account: &AccountId,
    arn: &str,
) -> Result<&'s Arc<crate::state::PolicyEntry>, CoreError> {
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

fn remove_inline(
    list: &mut Vec<(String, String)>,
    name: &str,
    entity: &str,
) -> Result<(), CoreError> {
    let before = list.len();
    list.retain(|(existing, _)| existing != name);
    if list.len() == before {
        return Err(CoreError::NoSuchEntity(format!(
            "The {entity} policy with name {name} cannot be found."
        )));
    }
    Ok(())
}

/// `GetUser` with root credentials and no name describes the root user.
fn root_user(state: &State, account: &AccountId) -> Result<wire::User, CoreError> {
    let record = state
        .account(account)
        .ok_or_else(|| CoreError::Internal(format!("account {account} vanished")))?;
    Ok(wire::User {
        path: "/".to_owned(),
        user_name: String::new(),
        user_id: account.as_str().to_owned(),
        arn: account.root_arn(),
        create_date: Timestamp(record.created),
        ..wire::User::default()
    })
}

/// `GetAccountSummary`'s map: usage counts and IAM's quotas, every key AWS returns.
fn account_summary(state: &State, account: &AccountId) -> BTreeMap<String, i32> {
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    let users = state.users(account).count();
    let groups = state.groups(account).count();
    let local_policies: Vec<_> = state
        .policies()
        .filter(|p| p.record.account.as_ref() == Some(account))
        .collect();
    let versions: usize = local_policies.iter().map(|p| p.record.versions.len()).sum();
    let attached_in_account: std::collections::BTreeSet<&str> = state
        .users(account)
        .flat_map(|u| u.record.attached_policies.iter())
        .chain(
            state
                .groups(account)
                .flat_map(|g| g.record.attached_policies.iter()),
        )
        .map(String::as_str)
        .collect();
    let root_keys = !state.access_keys_of(account, None).is_empty();
    let mut map = BTreeMap::new();
    let mut put = |key: &str, value: i32| {
        map.insert(key.to_owned(), value);
    };
    put("AccessKeysPerUserQuota", 2);
    put("AccountAccessKeysPresent", i32::from(root_keys));
    put(
        "AccountMFAEnabled",
        i32::from(
            state
                .mfa_devices_of(account, &crate::model::MfaOwner::Root)
                .next()
                .is_some(),
        ),
    );
    put(
        "AccountPasswordPresent",
        i32::from(
            state
                .account(account)
                .is_some_and(|a| a.root_password_hash.is_some()),
        ),
    );
    put(
        "AccountSigningCertificatesPresent",
        i32::from(!state.signing_certificates_of(account, None).is_empty()),
    );
    put("AssumeRolePolicySizeQuota", 2048);
    put("AttachedPoliciesPerGroupQuota", 10);
    put("AttachedPoliciesPerRoleQuota", 10);
    put("AttachedPoliciesPerUserQuota", 10);
    put("GlobalEndpointTokenVersion", 1);
    put("GroupPolicySizeQuota", 5120);
    put("Groups", count(groups));
    put("GroupsPerUserQuota", 10);
    put("GroupsQuota", 300);
    put("InstanceProfiles", 0);
    put("InstanceProfilesQuota", 1000);
    put("MFADevices", count(state.mfa_devices(account).count()));
    put(
        "MFADevicesInUse",
        count(
            state
                .mfa_devices(account)
                .filter(|d| d.owner.is_some())
                .count(),
        ),
    );
    put("Policies", count(local_policies.len()));
    put("PoliciesQuota", 1500);
    put("PolicySizeQuota", 6144);
    put(
        "PolicyVersionsInUse",
        count(
            versions
                + attached_in_account
                    .iter()
                    .filter(|arn| arn.starts_with("arn:aws:iam::aws:"))
                    .count(),
        ),
    );
    put("PolicyVersionsInUseQuota", 10000);
    put(
        "Providers",
        count(state.oidc_providers(account).count() + state.saml_providers(account).count()),
    );
    put("RolePolicySizeQuota", 10240);
    put("Roles", 0);
    put("RolesQuota", 1000);
    put(
        "ServerCertificates",
        count(state.server_certificates(account).count()),
    );
    put("ServerCertificatesQuota", 20);
    put("SigningCertificatesPerUserQuota", 2);
    put("UserPolicySizeQuota", 2048);
    put("Users", count(users));
    put("UsersQuota", 5000);
    put("VersionsPerPolicyQuota", 5);
    map
}
