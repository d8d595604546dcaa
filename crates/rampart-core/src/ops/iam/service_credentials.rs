//! Service-specific credentials: the user name and password an IAM user presents to
//! CodeCommit (Git over HTTPS) or Amazon Keyspaces, and Bedrock's long-term API keys;
//! the `*ServiceSpecificCredential*` operations and their wire form.
//!
//! The password is generated here, returned once (on creation and on reset), and kept only
//! as an argon2id hash. `CredentialAgeDays` (expiring credentials) is not supported.

use std::sync::Arc;

use data_encoding::BASE64;
use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use super::access_keys::{status_from_wire, wire_status};
use super::users::{self, target_user};
use crate::auth::Caller;
use crate::ops::paging::page;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, KeyStatus, ServiceSpecificCredentialRecord};
use crate::password;
use crate::random;
use crate::state::State;

/// Credentials per user and service (IAM quota `ServiceSpecificCredentialsPerUserPerService`).
pub const CREDENTIALS_PER_USER_PER_SERVICE: usize = 2;

/// The services that accept service-specific credentials.
pub const SERVICES: [&str; 3] = [
    "codecommit.amazonaws.com",
    "cassandra.amazonaws.com",
    "bedrock.amazonaws.com",
];
const BEDROCK: &str = "bedrock.amazonaws.com";

/// `NotSupportedService` unless `service` takes service-specific credentials.
pub fn check_service(service: &str) -> Result<(), CoreError> {
    if SERVICES.contains(&service) {
        Ok(())
    } else {
        Err(CoreError::NotSupportedService(format!(
            "The specified service {service} is not supported."
        )))
    }
}

/// Whether the credential is a Bedrock API key (alias and secret rather than user name and password).
pub fn is_bedrock(record: &ServiceSpecificCredentialRecord) -> bool {
    record.service == BEDROCK
}

/// The credential `id` of `user`, or `NoSuchEntity`.
pub fn owned(
    state: &State,
    account: &AccountId,
    user: &str,
    id: &str,
) -> Result<ServiceSpecificCredentialRecord, CoreError> {
    match state.service_credential(id) {
        Some(c) if &c.account == account && c.user.eq_ignore_ascii_case(user) => {
            Ok(ServiceSpecificCredentialRecord::clone(c))
        }
        _ => Err(CoreError::NoSuchEntity(format!(
            "No such credential {id} exists for user {user}."
        ))),
    }
}

/// A fresh secret: for Bedrock the `ABSK…` key, otherwise a 44-character password.
fn new_secret(service_user_name: &str, bedrock: bool) -> String {
    let password = BASE64.encode(&random::bytes::<32>());
    if bedrock {
        format!(
            "ABSK{}",
            BASE64.encode(format!("{service_user_name}:{password}").as_bytes())
        )
    } else {
        password
    }
}

fn hash(secret: &str) -> Result<String, CoreError> {
    password::hash(secret)
        .map_err(|err| CoreError::Internal(format!("hashing a service credential: {err}")))
}

/// Creates a credential for `user` (already resolved to its stored name); returns the record and its secret.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    service: &str,
    now: i64,
) -> Result<(ServiceSpecificCredentialRecord, String), CoreError> {
    check_service(service)?;
    let existing = txn
        .state()
        .service_credentials_of(account, Some(user))
        .into_iter()
        .filter(|c| c.service == service)
        .count();
    if existing >= CREDENTIALS_PER_USER_PER_SERVICE {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: {CREDENTIALS_PER_USER_PER_SERVICE}"
        )));
    }
    let bedrock = service == BEDROCK;
    let service_user_name = if bedrock {
        format!("BedrockAPIKey-{}-at-{account}", random::lower_alnum(4))
    } else {
        format!("{user}-at-{account}")
    };
    let secret = new_secret(&service_user_name, bedrock);
    let record = ServiceSpecificCredentialRecord {
        id: IdKind::ServiceSpecificCredential.generate(),
        account: account.clone(),
        user: user.to_owned(),
        service: service.to_owned(),
        service_user_name,
        password_hash: hash(&secret)?,
        status: KeyStatus::Active,
        created: now,
    };
    txn.put(&record)?;
    Ok((record, secret))
}

/// Sets a credential `Active` or `Inactive`.
pub fn set_status(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    id: &str,
    status: KeyStatus,
) -> Result<(), CoreError> {
    let mut record = owned(txn.state(), account, user, id)?;
    record.status = status;
    txn.put(&record)
}

/// Replaces a credential's password; returns the record and the new secret.
pub fn reset(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    id: &str,
) -> Result<(ServiceSpecificCredentialRecord, String), CoreError> {
    let mut record = owned(txn.state(), account, user, id)?;
    let secret = new_secret(&record.service_user_name, is_bedrock(&record));
    record.password_hash = hash(&secret)?;
    txn.put(&record)?;
    Ok((record, secret))
}

/// Deletes a credential.
pub fn delete(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    id: &str,
) -> Result<(), CoreError> {
    owned(txn.state(), account, user, id)?;
    txn.delete::<ServiceSpecificCredentialRecord>(id)
}

/// A credential with its secret (shown on creation and reset only).
fn wire_credential(
    record: &ServiceSpecificCredentialRecord,
    secret: String,
) -> wire::ServiceSpecificCredential {
    let bedrock = is_bedrock(record);
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
        status: wire_status(record.status),
    }
}

/// A credential without its secret.
fn wire_metadata(
    record: &ServiceSpecificCredentialRecord,
) -> wire::ServiceSpecificCredentialMetadata {
    let bedrock = is_bedrock(record);
    wire::ServiceSpecificCredentialMetadata {
        user_name: record.user.clone(),
        status: wire_status(record.status),
        service_user_name: (!bedrock).then(|| record.service_user_name.clone()),
        service_credential_alias: bedrock.then(|| record.service_user_name.clone()),
        create_date: Timestamp(record.created),
        expiration_date: None,
        service_specific_credential_id: record.id.clone(),
        service_name: record.service.clone(),
    }
}

/// The user a credential call targets (root has none: `NoSuchEntity`).
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

/// `CreateServiceSpecificCredential`.
pub fn create_service_specific_credential(
    cx: &Cx<'_>,
    i: &wire::CreateServiceSpecificCredentialInput,
) -> Result<Output, CoreError> {
    let (record, secret) = cx.write(|txn| {
        let user = users::get(txn.state(), cx.account(), &i.user_name)?;
        let user = user.record.name.clone();
        create(txn, cx.account(), &user, &i.service_name, cx.now)
    })?;
    let credential = wire_credential(&record, secret);
    Ok(wire::CreateServiceSpecificCredentialOutput {
        service_specific_credential: Some(credential),
    }
    .into())
}

/// `ListServiceSpecificCredentials`: the named user's, the caller's, or (`AllUsers`) every
/// user's, optionally for one service.
pub fn list_service_specific_credentials(
    cx: &Cx<'_>,
    i: &wire::ListServiceSpecificCredentialsInput,
) -> Result<Output, CoreError> {
    if let Some(service) = &i.service_name {
        check_service(service)?;
    }
    let state = cx.state();
    let account = cx.account();
    let owned = if i.all_users == Some(true) {
        state.service_credentials_of(account, None)
    } else {
        match target_user(&state, cx.caller, i.user_name.as_deref())? {
            Some(user) => state.service_credentials_of(account, Some(&user)),
            None => vec![],
        }
    };
    let creds: Vec<_> = (owned.into_iter())
        .filter(|c| i.service_name.as_ref().is_none_or(|s| &c.service == s))
        .map(Arc::clone)
        .collect();
    let (chunk, is_truncated, marker) = page(creds, i.marker.as_deref(), i.max_items, |c| {
        format!("{:020}{}", c.created, c.id)
    })?;
    Ok(wire::ListServiceSpecificCredentialsOutput {
        service_specific_credentials: chunk.iter().map(|c| wire_metadata(c)).collect(),
        marker,
        is_truncated,
    }
    .into())
}

/// `UpdateServiceSpecificCredential`.
pub fn update_service_specific_credential(
    cx: &Cx<'_>,
    i: &wire::UpdateServiceSpecificCredentialInput,
) -> Result<Output, CoreError> {
    let status = status_from_wire(i.status, "Service-specific credentials")?;
    let id = &i.service_specific_credential_id;
    cx.write(|txn| {
        let user = credential_user(txn.state(), cx.caller, i.user_name.as_deref(), id)?;
        set_status(txn, cx.account(), &user, id, status)
    })?;
    Ok(Output::Empty)
}

/// `ResetServiceSpecificCredential`: a new secret, shown this once.
pub fn reset_service_specific_credential(
    cx: &Cx<'_>,
    i: &wire::ResetServiceSpecificCredentialInput,
) -> Result<Output, CoreError> {
    let id = &i.service_specific_credential_id;
    let (record, secret) = cx.write(|txn| {
        let user = credential_user(txn.state(), cx.caller, i.user_name.as_deref(), id)?;
        reset(txn, cx.account(), &user, id)
    })?;
    let credential = wire_credential(&record, secret);
    Ok(wire::ResetServiceSpecificCredentialOutput {
        service_specific_credential: Some(credential),
    }
    .into())
}

/// `DeleteServiceSpecificCredential`.
pub fn delete_service_specific_credential(
    cx: &Cx<'_>,
    i: &wire::DeleteServiceSpecificCredentialInput,
) -> Result<Output, CoreError> {
    let id = &i.service_specific_credential_id;
    cx.write(|txn| {
        let user = credential_user(txn.state(), cx.caller, i.user_name.as_deref(), id)?;
        delete(txn, cx.account(), &user, id)
    })?;
    Ok(Output::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_three_services_are_supported_and_secrets_differ() {
        assert!(check_service("codecommit.amazonaws.com").is_ok());
        assert!(matches!(
            check_service("s3.amazonaws.com"),
            Err(CoreError::NotSupportedService(_))
        ));
        let a = new_secret("u-at-1", false);
        assert_eq!(a.len(), 44);
        assert_ne!(a, new_secret("u-at-1", false));
        assert!(new_secret("BedrockAPIKey-abcd-at-1", true).starts_with("ABSK"));
    }
}
