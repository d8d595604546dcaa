//! Service-specific credentials: the user name and password an IAM user presents to
//! CodeCommit (Git over HTTPS) or Amazon Keyspaces, and Bedrock's long-term API keys.
//!
//! The password is generated here, returned once (on creation and on reset), and kept only
//! as an argon2id hash. `CredentialAgeDays` (expiring credentials) is not supported.

use data_encoding::BASE64;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, KeyStatus, ServiceSpecificCredentialRecord, kind};
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
    txn.put(kind::SERVICE_SPECIFIC_CREDENTIAL, &record.id, &record)?;
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
    txn.put(kind::SERVICE_SPECIFIC_CREDENTIAL, id, &record)
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
    txn.put(kind::SERVICE_SPECIFIC_CREDENTIAL, id, &record)?;
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
    txn.delete(kind::SERVICE_SPECIFIC_CREDENTIAL, id)
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
