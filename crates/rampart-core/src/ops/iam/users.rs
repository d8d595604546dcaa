//! IAM users: `CreateUser`, `GetUser`, `ListUsers`, `UpdateUser` (the rename cascade),
//! `DeleteUser` (its dependents check) and permissions boundaries; the user's wire form,
//! its tags, and how an optional `UserName` resolves to the user a call targets.

use std::sync::Arc;

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::tags::{self, Taggable};
use super::{Cx, policies};
use crate::auth::{Caller, Principal};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{
    AccountId, IdKind, MfaDeviceRecord, MfaOwner, ServiceSpecificCredentialRecord,
    SigningCertificateRecord, SshPublicKeyRecord, Tag, UserRecord, name_key,
};
use crate::ops::paging;
use crate::state::{State, UserEntry};

/// AWS's message for a missing user.
pub fn no_such_user(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The user with name {name} cannot be found."))
}

/// The user `name` or `NoSuchEntity`.
pub fn get<'s>(
    state: &'s State,
    account: &AccountId,
    name: &str,
) -> Result<&'s Arc<UserEntry>, CoreError> {
    state.user(account, name).ok_or_else(|| no_such_user(name))
}

/// AWS's answer when a role or federated session names no user where one is needed.
pub fn non_user_credentials() -> CoreError {
    CoreError::Validation("Must specify userName when calling with non-User credentials".to_owned())
}

/// Resolves an optional `UserName` to the user it targets: the named user, else the caller
/// (`None` when the caller is root and names no user: root's own credentials).
pub fn target_user(
    state: &State,
    caller: &Caller,
    name: Option<&str>,
) -> Result<Option<String>, CoreError> {
    match (name, &caller.principal) {
        (Some(name), _) => Ok(Some(get(state, &caller.account, name)?.record.name.clone())),
        (None, Principal::User { name, .. }) => Ok(Some(name.clone())),
        (None, Principal::Root) => Ok(None),
        (None, Principal::AssumedRole { .. } | Principal::FederatedUser { .. }) => {
            Err(non_user_credentials())
        }
    }
}

/// The wire form of a user.
pub fn wire_user(record: &UserRecord) -> wire::User {
    wire::User {
        path: record.path.clone(),
        user_name: record.name.clone(),
        user_id: record.id.clone(),
        arn: record.arn(),
        create_date: Timestamp(record.created),
        password_last_used: record.password_last_used.map(Timestamp),
        permissions_boundary: record
            .permissions_boundary
            .as_deref()
            .map(policies::wire_boundary),
        tags: tags::to_wire(&record.tags),
    }
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

/// Creates a user.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    path: Option<&str>,
    tags: Vec<Tag>,
    permissions_boundary: Option<&str>,
    now: i64,
) -> Result<UserRecord, CoreError> {
    if txn.state().user(account, name).is_some() {
        return Err(CoreError::EntityAlreadyExists(format!(
            "User with name {name} already exists."
        )));
    }
    if let Some(arn) = permissions_boundary {
        policies::get(txn.state(), arn)?;
    }
    let record = UserRecord {
        account: account.clone(),
        name: name.to_owned(),
        id: IdKind::User.generate(),
        path: path.unwrap_or("/").to_owned(),
        created: now,
        tags,
        groups: vec![],
        attached_policies: vec![],
        inline_policies: vec![],
        permissions_boundary: permissions_boundary.map(str::to_owned),
        login_profile: None,
        password_history: vec![],
        password_last_used: None,
    };
    txn.put(&record)?;
    Ok(record)
}

/// What still belongs to a user, as the `DeleteConflict` message names it; `None` when
/// the user owns nothing. AWS checks dependents in this order and names the first found.
fn dependents(state: &State, account: &AccountId, record: &UserRecord) -> Option<&'static str> {
    let name = record.name.as_str();
    if record.login_profile.is_some() {
        Some("Cannot delete entity, must delete login profile first.")
    } else if !state.access_keys_of(account, Some(name)).is_empty() {
        Some("Cannot delete entity, must delete access keys first.")
    } else if !state
        .signing_certificates_of(account, Some(name))
        .is_empty()
    {
        Some("Cannot delete entity, must delete signing certificates first.")
    } else if !state.ssh_public_keys_of(account, name).is_empty() {
        Some("Cannot delete entity, must delete SSH public keys first.")
    } else if !state.service_credentials_of(account, Some(name)).is_empty() {
        Some("Cannot delete entity, must delete service specific credentials first.")
    } else if state
        .mfa_devices_of(account, &MfaOwner::User(name.to_owned()))
        .next()
        .is_some()
    {
        Some("Cannot delete entity, must delete MFA device first.")
    } else if !record.inline_policies.is_empty() {
        Some("Cannot delete entity, must delete policies first.")
    } else if !record.attached_policies.is_empty() {
        Some("Cannot delete entity, must detach all policies first.")
    } else if !record.groups.is_empty() {
        Some("Cannot delete entity, must remove users from group first.")
    } else {
        None
    }
}

/// Deletes a user that owns nothing, or answers `DeleteConflict` naming what is left.
pub fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, name: &str) -> Result<(), CoreError> {
    let user = get(txn.state(), account, name)?;
    if let Some(message) = dependents(txn.state(), account, &user.record) {
        return Err(CoreError::DeleteConflict(message.to_owned()));
    }
    let (arn, id) = (user.record.arn(), user.record.id.clone());
    txn.delete::<UserRecord>(&name_key(account, name))?;
    super::trust_principals::replace(txn, &arn, &id)
}

/// Replaces a user's record after `change` edits a copy of it.
pub fn update(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    change: impl FnOnce(&mut UserRecord) -> Result<(), CoreError>,
) -> Result<UserRecord, CoreError> {
    let mut record = get(txn.state(), account, name)?.record.clone();
    change(&mut record)?;
    txn.put(&record)?;
    Ok(record)
}

/// `UpdateUser`: a new name and/or path. The user's access keys, signing certificates, SSH
/// keys and service-specific credentials follow it to its new name (group memberships and
/// policies live in the user's own record and move with it).
pub fn rename(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    new_name: Option<&str>,
    new_path: Option<&str>,
) -> Result<(), CoreError> {
    let current = get(txn.state(), account, name)?.record.clone();
    let target = new_name.unwrap_or(&current.name).to_owned();
    if !target.eq_ignore_ascii_case(&current.name) && txn.state().user(account, &target).is_some() {
        return Err(CoreError::EntityAlreadyExists(format!(
            "User with name {target} already exists."
        )));
    }
    let mut record = current.clone();
    record.name.clone_from(&target);
    if let Some(path) = new_path {
        record.path = path.to_owned();
    }
    txn.delete::<UserRecord>(&name_key(account, &current.name))?;
    txn.put(&record)?;
    if record.arn() != current.arn() {
        super::trust_principals::replace(txn, &current.arn(), &record.arn())?;
    }
    move_credentials(txn, account, &current.name, &target)
}

/// Re-points every credential record owned by user `from` at user `to`.
fn move_credentials(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    from: &str,
    to: &str,
) -> Result<(), CoreError> {
    let state = txn.state();
    let keys: Vec<_> = (state.access_keys_of(account, Some(from)).into_iter())
        .map(|k| k.record.clone())
        .collect();
    let certs: Vec<_> = (state
        .signing_certificates_of(account, Some(from))
        .into_iter())
    .map(|c| SigningCertificateRecord::clone(c))
    .collect();
    let ssh_keys: Vec<_> = (state.ssh_public_keys_of(account, from).into_iter())
        .map(|k| SshPublicKeyRecord::clone(k))
        .collect();
    let service_creds: Vec<_> = (state
        .service_credentials_of(account, Some(from))
        .into_iter())
    .map(|c| ServiceSpecificCredentialRecord::clone(c))
    .collect();
    for mut key in keys {
        key.user = Some(to.to_owned());
        txn.put(&key)?;
    }
    for mut cert in certs {
        cert.user = Some(to.to_owned());
        txn.put(&cert)?;
    }
    for mut key in ssh_keys {
        key.user = to.to_owned();
        txn.put(&key)?;
    }
    for mut cred in service_creds {
        cred.user = to.to_owned();
        txn.put(&cred)?;
    }
    // MFA devices belong to the user, not to its name: the device stays assigned.
    let old_owner = MfaOwner::User(from.to_owned());
    let devices: Vec<_> = txn
        .state()
        .mfa_devices_of(account, &old_owner)
        .map(|d| MfaDeviceRecord::clone(d))
        .collect();
    for mut device in devices {
        device.owner = Some(MfaOwner::User(to.to_owned()));
        txn.put(&device)?;
    }
    Ok(())
}

/// Users of an account whose path starts with `path_prefix`, in IAM's order.
pub fn list<'s>(
    state: &'s State,
    account: &AccountId,
    path_prefix: Option<&'s str>,
) -> impl Iterator<Item = &'s Arc<UserEntry>> {
    state
        .users(account)
        .filter(move |u| path_prefix.is_none_or(|prefix| u.record.path.starts_with(prefix)))
}

impl Taggable for UserRecord {
    fn tags(state: &State, account: &AccountId, id: &str) -> Result<Vec<Tag>, CoreError> {
        Ok(get(state, account, id)?.record.tags.clone())
    }

    fn retag(
        txn: &mut WriteTxn<'_>,
        account: &AccountId,
        id: &str,
        change: impl FnOnce(&mut Vec<Tag>) -> Result<(), CoreError>,
    ) -> Result<(), CoreError> {
        update(txn, account, id, |record| change(&mut record.tags))?;
        Ok(())
    }
}

/// `CreateUser`.
pub fn create_user(cx: &Cx<'_>, i: &wire::CreateUserInput) -> Result<Output, CoreError> {
    let tags = tags::from_wire(i.tags.as_deref())?;
    let record = cx.write(|txn| {
        let boundary = i.permissions_boundary.as_deref();
        let path = i.path.as_deref();
        create(
            txn,
            cx.account(),
            &i.user_name,
            path,
            tags.clone(),
            boundary,
            cx.now,
        )
    })?;
    let user = wire_user(&record);
    Ok(wire::CreateUserOutput { user }.into())
}

/// `GetUser`: the named user, else the caller (root describes itself).
pub fn get_user(cx: &Cx<'_>, i: &wire::GetUserInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let account = cx.account();
    let user = match (&i.user_name, &cx.caller.principal) {
        (Some(name), _) | (None, Principal::User { name, .. }) => {
            wire_user(&get(&state, account, name)?.record)
        }
        (None, Principal::Root) => root_user(&state, account)?,
        (None, Principal::AssumedRole { .. } | Principal::FederatedUser { .. }) => {
            return Err(non_user_credentials());
        }
    };
    Ok(wire::GetUserOutput { user }.into())
}

/// `ListUsers`.
pub fn list_users(cx: &Cx<'_>, i: &wire::ListUsersInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let start = paging::start_key(i.marker.as_deref())?;
    let prefix = i.path_prefix.as_deref();
    // From the marker on, so a page costs O(page) whatever the account's size.
    let from = (state.users_from(cx.account(), start.as_deref()))
        .filter(|u| prefix.is_none_or(|p| u.record.path.starts_with(p)));
    let (chunk, is_truncated, marker) =
        paging::page_from(from, start.as_deref(), i.max_items, |u| {
            u.record.name.to_ascii_lowercase()
        });
    // "This operation does not return the following attributes, even though they are an
    // attribute of the returned object: PermissionsBoundary, Tags" (IAM API reference, ListUsers).
    let users = (chunk.iter())
        .map(|u| wire::User {
            permissions_boundary: None,
            tags: vec![],
            ..wire_user(&u.record)
        })
        .collect();
    Ok(wire::ListUsersOutput {
        users,
        is_truncated,
        marker,
    }
    .into())
}

/// `UpdateUser`.
pub fn update_user(cx: &Cx<'_>, i: &wire::UpdateUserInput) -> Result<Output, CoreError> {
    cx.write(|txn| {
        let new_name = i.new_user_name.as_deref();
        rename(
            txn,
            cx.account(),
            &i.user_name,
            new_name,
            i.new_path.as_deref(),
        )
    })?;
    Ok(Output::Empty)
}

/// `DeleteUser`.
pub fn delete_user(cx: &Cx<'_>, i: &wire::DeleteUserInput) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account(), &i.user_name))?;
    Ok(Output::Empty)
}

/// `PutUserPermissionsBoundary`.
pub fn put_user_permissions_boundary(
    cx: &Cx<'_>,
    i: &wire::PutUserPermissionsBoundaryInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        policies::check_boundary(txn.state(), cx.account(), &i.permissions_boundary)?;
        update(txn, cx.account(), &i.user_name, |record| {
            record.permissions_boundary = Some(i.permissions_boundary.clone());
            Ok(())
        })
    })?;
    Ok(Output::Empty)
}

/// `DeleteUserPermissionsBoundary`.
pub fn delete_user_permissions_boundary(
    cx: &Cx<'_>,
    i: &wire::DeleteUserPermissionsBoundaryInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        update(txn, cx.account(), &i.user_name, |record| {
            record.permissions_boundary = None;
            Ok(())
        })
    })?;
    Ok(Output::Empty)
}

#[cfg(test)]
mod tests {
    use data_encoding::BASE64;
    use rampart_wire::iam::{self as wire, Operation as Op, Output};

    use super::super::fixture::Fixture;
    use crate::error::CoreError;

    const SSH_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbnWaS5pnvT3FUhKvkCu3csuH0pAEBAO4lKzFsfjBYl test@example";

    fn certificate() -> String {
        let der = [0x30u8; 20];
        let body = BASE64.encode(&der);
        format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
    }

    fn rename(f: &Fixture, from: &str, to: &str) -> Result<Output, CoreError> {
        f.run(Op::UpdateUser(wire::UpdateUserInput {
            user_name: from.to_owned(),
            new_user_name: Some(to.to_owned()),
            ..Default::default()
        }))
    }

    #[test]
    fn update_user_rename_moves_every_credential_and_membership() {
        let f = Fixture::new();
        f.user("alice");
        f.group("devs");
        let alice = || Some("alice".to_owned());
        let ops = [
            Op::AddUserToGroup(wire::AddUserToGroupInput {
                group_name: "devs".into(),
                user_name: "alice".into(),
            }),
            Op::CreateAccessKey(wire::CreateAccessKeyInput { user_name: alice() }),
            Op::UploadSigningCertificate(wire::UploadSigningCertificateInput {
                user_name: alice(),
                certificate_body: certificate(),
            }),
            Op::UploadSSHPublicKey(wire::UploadSshPublicKeyInput {
                user_name: "alice".into(),
                ssh_public_key_body: SSH_KEY.into(),
            }),
            Op::CreateServiceSpecificCredential(wire::CreateServiceSpecificCredentialInput {
                user_name: "alice".into(),
                service_name: "codecommit.amazonaws.com".into(),
            }),
        ];
        for op in ops {
            f.run(op).unwrap();
        }
        rename(&f, "alice", "bob").unwrap();

        let state = f.state();
        let account = f.account();
        assert!(state.user(account, "alice").is_none());
        let bob = state.user(account, "bob").unwrap();
        assert_eq!(bob.record.groups, vec!["devs".to_owned()]);
        assert_eq!(state.access_keys_of(account, Some("bob")).len(), 1);
        assert_eq!(state.signing_certificates_of(account, Some("bob")).len(), 1);
        assert_eq!(state.ssh_public_keys_of(account, "bob").len(), 1);
        assert_eq!(state.service_credentials_of(account, Some("bob")).len(), 1);
        assert!(state.access_keys_of(account, Some("alice")).is_empty());
        assert!(
            state
                .signing_certificates_of(account, Some("alice"))
                .is_empty()
        );
        assert!(state.ssh_public_keys_of(account, "alice").is_empty());
        assert!(
            state
                .service_credentials_of(account, Some("alice"))
                .is_empty()
        );
    }

    #[test]
    fn update_user_rename_keeps_the_users_mfa_device_assigned() {
        use crate::model::MfaOwner;
        let f = Fixture::new();
        f.user("alice");
        f.run(Op::CreateVirtualMFADevice(
            wire::CreateVirtualMfaDeviceInput {
                virtual_mfa_device_name: "phone".into(),
                ..Default::default()
            },
        ))
        .unwrap();
        // Assign the device as EnableMFADevice would (without computing two codes).
        let mut device = crate::model::MfaDeviceRecord::clone(
            f.state().mfa_devices(f.account()).next().unwrap(),
        );
        device.owner = Some(MfaOwner::User("alice".into()));
        device.enabled = Some(super::super::fixture::NOW);
        f.engine.write(|txn| txn.put(&device)).unwrap();
        rename(&f, "alice", "bob").unwrap();
        let state = f.state();
        let bob = MfaOwner::User("bob".into());
        assert_eq!(state.mfa_devices_of(f.account(), &bob).count(), 1);
        let err = f
            .run(Op::DeleteUser(wire::DeleteUserInput {
                user_name: "bob".into(),
            }))
            .unwrap_err();
        assert!(matches!(err, CoreError::DeleteConflict(_)), "{err:?}");
    }

    #[test]
    fn update_user_refuses_a_name_another_user_has() {
        let f = Fixture::new();
        f.user("alice");
        f.user("bob");
        let err = rename(&f, "alice", "BOB").unwrap_err();
        assert!(
            matches!(&err, CoreError::EntityAlreadyExists(m) if m == "User with name BOB already exists."),
            "{err:?}"
        );
        assert!(f.state().user(f.account(), "alice").is_some());
    }

    #[test]
    fn update_user_may_change_the_case_of_its_own_name_and_its_path() {
        let f = Fixture::new();
        f.user("alice");
        f.run(Op::UpdateUser(wire::UpdateUserInput {
            user_name: "alice".into(),
            new_user_name: Some("Alice".into()),
            new_path: Some("/staff/".into()),
        }))
        .unwrap();
        let user = f.state().user(f.account(), "alice").unwrap().record.clone();
        assert_eq!(
            (user.name.as_str(), user.path.as_str()),
            ("Alice", "/staff/")
        );
    }

    #[test]
    fn delete_user_names_the_first_dependent_left() {
        let f = Fixture::new();
        f.user("alice");
        f.run(Op::CreateAccessKey(wire::CreateAccessKeyInput {
            user_name: Some("alice".into()),
        }))
        .unwrap();
        let delete = || {
            f.run(Op::DeleteUser(wire::DeleteUserInput {
                user_name: "alice".into(),
            }))
        };
        let err = delete().unwrap_err();
        assert!(
            matches!(&err, CoreError::DeleteConflict(m) if m == "Cannot delete entity, must delete access keys first."),
            "{err:?}"
        );
        let key = f.state().access_keys_of(f.account(), Some("alice"))[0]
            .record
            .id
            .clone();
        f.run(Op::DeleteAccessKey(wire::DeleteAccessKeyInput {
            user_name: Some("alice".into()),
            access_key_id: key,
        }))
        .unwrap();
        delete().unwrap();
        assert!(f.state().user(f.account(), "alice").is_none());
    }

    #[test]
    fn get_user_without_a_name_describes_the_caller() {
        let f = Fixture::new();
        f.user("alice");
        let get = || Op::GetUser(wire::GetUserInput::default());
        let Output::GetUser(root) = f.run(get()).unwrap() else {
            panic!("not a GetUser output");
        };
        assert_eq!(root.user.arn, f.account().root_arn());
        let Output::GetUser(alice) = f.run_as("alice", get()).unwrap() else {
            panic!("not a GetUser output");
        };
        assert_eq!(alice.user.user_name, "alice");
    }
}
