//! OpenID Connect identity providers: the issuer URL, its audiences (client ids) and the
//! thumbprints of its TLS certificates, as `AssumeRoleWithWebIdentity` will trust them;
//! the `*OpenIDConnectProvider*` operations and the provider's tags.
//!
//! Rampart never contacts the issuer (so never answers `OpenIdIdpCommunicationError`); it
//! stores what the caller declares, validated as IAM validates it.

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use super::tags::{self, Taggable};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, OidcProviderRecord, Tag};
use crate::state::State;

pub use crate::arns::{oidc_issuer as issuer, oidc_provider_arn as arn_for};

/// Thumbprints per provider (IAM quota).
pub const THUMBPRINTS_PER_PROVIDER: usize = 5;
/// Client ids per provider (IAM quota `ClientIdsPerOpenIdConnectProvider`).
pub const CLIENT_IDS_PER_PROVIDER: usize = 100;
/// OIDC providers per account (IAM quota `OpenIdConnectProvidersPerAccount`).
pub const PROVIDERS_PER_ACCOUNT: usize = 100;

/// The provider `arn` of `account`, or AWS's `NoSuchEntity`.
pub fn get(state: &State, account: &AccountId, arn: &str) -> Result<OidcProviderRecord, CoreError> {
    match state.oidc_provider(arn) {
        Some(p) if &p.account == account => Ok(OidcProviderRecord::clone(p)),
        _ => Err(CoreError::NoSuchEntity(format!(
            "OpenIDConnect Provider not found for arn {arn}"
        ))),
    }
}

/// Thumbprints must be 40 hex digits, at most [`THUMBPRINTS_PER_PROVIDER`]; repeats (ignoring
/// case) are kept once.
pub fn thumbprints(list: &[String]) -> Result<Vec<String>, CoreError> {
    if list.len() > THUMBPRINTS_PER_PROVIDER {
        return Err(CoreError::LimitExceeded(format!(
            "Thumbprint list must contain fewer than {} entries.",
            THUMBPRINTS_PER_PROVIDER + 1
        )));
    }
    let mut out: Vec<String> = Vec::new();
    for t in list {
        if t.len() != 40 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CoreError::InvalidInput(format!(
                "Thumbprint {t} is not a valid 40 character hex string."
            )));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.clone());
        }
    }
    Ok(out)
}

fn client_ids(list: &[String]) -> Result<Vec<String>, CoreError> {
    let mut out: Vec<String> = Vec::new();
    for id in list {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    if out.len() > CLIENT_IDS_PER_PROVIDER {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {CLIENT_IDS_PER_PROVIDER}"
        )));
    }
    Ok(out)
}

/// Creates a provider.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    url: &str,
    client_id_list: &[String],
    thumbprint_list: &[String],
    tags: Vec<Tag>,
    now: i64,
) -> Result<OidcProviderRecord, CoreError> {
    let record = OidcProviderRecord {
        account: account.clone(),
        url: issuer(url)?,
        client_ids: client_ids(client_id_list)?,
        thumbprints: thumbprints(thumbprint_list)?,
        created: now,
        tags,
    };
    let arn = record.arn();
    if txn.state().oidc_provider(&arn).is_some() {
        return Err(CoreError::EntityAlreadyExists(format!(
            "Provider with url https://{} already exists.",
            record.url
        )));
    }
    if txn.state().oidc_providers(account).count() >= PROVIDERS_PER_ACCOUNT {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for OpenIdConnectProvidersPerAccount: {PROVIDERS_PER_ACCOUNT}"
        )));
    }
    txn.put(&record)?;
    Ok(record)
}

/// Replaces a provider's record after `change` edits a copy of it.
pub fn update(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    arn: &str,
    change: impl FnOnce(&mut OidcProviderRecord) -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    let mut record = get(txn.state(), account, arn)?;
    change(&mut record)?;
    txn.put(&record)
}

/// Adds a client id (present already: no change, as AWS documents).
pub fn add_client_id(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    arn: &str,
    client_id: &str,
) -> Result<(), CoreError> {
    update(txn, account, arn, |record| {
        if !record.client_ids.iter().any(|c| c == client_id) {
            record.client_ids.push(client_id.to_owned());
            record.client_ids = client_ids(&record.client_ids)?;
        }
        Ok(())
    })
}

/// Removes a client id (absent: no error, as AWS documents).
pub fn remove_client_id(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    arn: &str,
    client_id: &str,
) -> Result<(), CoreError> {
    update(txn, account, arn, |record| {
        record.client_ids.retain(|c| c != client_id);
        Ok(())
    })
}

/// Deletes a provider.
/// Idempotent, as AWS documents for `DeleteOpenIDConnectProvider`: a provider that does not
/// exist (or belongs to another account) is already deleted.
pub fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, arn: &str) -> Result<(), CoreError> {
    if get(txn.state(), account, arn).is_err() {
        return Ok(());
    }
    txn.delete::<OidcProviderRecord>(arn)
}

impl Taggable for OidcProviderRecord {
    fn tags(state: &State, account: &AccountId, id: &str) -> Result<Vec<Tag>, CoreError> {
        Ok(get(state, account, id)?.tags)
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

/// `CreateOpenIDConnectProvider`.
pub fn create_open_id_connect_provider(
    cx: &Cx<'_>,
    i: &wire::CreateOpenIdConnectProviderInput,
) -> Result<Output, CoreError> {
    let tags = tags::from_wire(i.tags.as_deref())?;
    let client_ids = i.client_id_list.as_deref().unwrap_or_default();
    let thumbprints = i.thumbprint_list.as_deref().unwrap_or_default();
    let record = cx.write(|txn| {
        let tags = tags.clone();
        create(
            txn,
            cx.account(),
            &i.url,
            client_ids,
            thumbprints,
            tags,
            cx.now,
        )
    })?;
    Ok(wire::CreateOpenIdConnectProviderOutput {
        open_id_connect_provider_arn: Some(record.arn()),
        tags: tags::to_wire(&record.tags),
    }
    .into())
}

/// `GetOpenIDConnectProvider`.
pub fn get_open_id_connect_provider(
    cx: &Cx<'_>,
    i: &wire::GetOpenIdConnectProviderInput,
) -> Result<Output, CoreError> {
    let record = get(&cx.state(), cx.account(), &i.open_id_connect_provider_arn)?;
    Ok(wire::GetOpenIdConnectProviderOutput {
        url: Some(record.url.clone()),
        client_id_list: record.client_ids.clone(),
        thumbprint_list: record.thumbprints.clone(),
        create_date: Some(Timestamp(record.created)),
        tags: tags::to_wire(&record.tags),
    }
    .into())
}

/// `ListOpenIDConnectProviders`.
pub fn list_open_id_connect_providers(
    cx: &Cx<'_>,
    _: &wire::ListOpenIdConnectProvidersInput,
) -> Result<Output, CoreError> {
    let open_id_connect_provider_list = (cx.state().oidc_providers(cx.account()))
        .map(|p| wire::OpenIdConnectProviderListEntry { arn: Some(p.arn()) })
        .collect();
    Ok(wire::ListOpenIdConnectProvidersOutput {
        open_id_connect_provider_list,
    }
    .into())
}

/// `DeleteOpenIDConnectProvider`.
pub fn delete_open_id_connect_provider(
    cx: &Cx<'_>,
    i: &wire::DeleteOpenIdConnectProviderInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account(), &i.open_id_connect_provider_arn))?;
    Ok(Output::Empty)
}

/// `AddClientIDToOpenIDConnectProvider`.
pub fn add_client_id_to_open_id_connect_provider(
    cx: &Cx<'_>,
    i: &wire::AddClientIdToOpenIdConnectProviderInput,
) -> Result<Output, CoreError> {
    let arn = &i.open_id_connect_provider_arn;
    cx.write(|txn| add_client_id(txn, cx.account(), arn, &i.client_id))?;
    Ok(Output::Empty)
}

/// `RemoveClientIDFromOpenIDConnectProvider`.
pub fn remove_client_id_from_open_id_connect_provider(
    cx: &Cx<'_>,
    i: &wire::RemoveClientIdFromOpenIdConnectProviderInput,
) -> Result<Output, CoreError> {
    let arn = &i.open_id_connect_provider_arn;
    cx.write(|txn| remove_client_id(txn, cx.account(), arn, &i.client_id))?;
    Ok(Output::Empty)
}

/// `UpdateOpenIDConnectProviderThumbprint`: replaces the whole list.
pub fn update_open_id_connect_provider_thumbprint(
    cx: &Cx<'_>,
    i: &wire::UpdateOpenIdConnectProviderThumbprintInput,
) -> Result<Output, CoreError> {
    let list = thumbprints(&i.thumbprint_list)?;
    cx.write(|txn| {
        update(
            txn,
            cx.account(),
            &i.open_id_connect_provider_arn,
            |record| {
                record.thumbprints = list.clone();
                Ok(())
            },
        )
    })?;
    Ok(Output::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_drops_scheme_and_trailing_slash() {
        assert_eq!(
            issuer("https://token.actions.githubusercontent.com/").unwrap(),
            "token.actions.githubusercontent.com"
        );
        assert_eq!(
            issuer("https://example.com:8443/tenant/v2").unwrap(),
            "example.com:8443/tenant/v2"
        );
        assert!(matches!(
            issuer("http://example.com"),
            Err(CoreError::InvalidInput(_))
        ));
        assert!(matches!(
            issuer("https:///x"),
            Err(CoreError::InvalidInput(_))
        ));
    }

    #[test]
    fn thumbprints_are_forty_hex_digits_at_most_five() {
        let good = "9E99A48A9960B14926BB7F3B02E22DA2B0AB7280".to_owned();
        assert_eq!(
            thumbprints(std::slice::from_ref(&good)).unwrap(),
            vec![good.clone()]
        );
        assert!(matches!(
            thumbprints(&["z".repeat(40)]),
            Err(CoreError::InvalidInput(_))
        ));
        assert!(matches!(
            thumbprints(&vec![good; 6]),
            Err(CoreError::LimitExceeded(_))
        ));
    }

    #[test]
    fn deleting_a_provider_that_does_not_exist_succeeds() {
        use rampart_wire::iam::Operation as Op;
        let f = super::super::fixture::Fixture::new();
        let arn = format!("arn:aws:iam::{}:oidc-provider/example.com", f.account());
        f.run(Op::CreateOpenIDConnectProvider(
            wire::CreateOpenIdConnectProviderInput {
                url: "https://example.com".into(),
                ..Default::default()
            },
        ))
        .unwrap();
        for _ in 0..2 {
            f.run(Op::DeleteOpenIDConnectProvider(
                wire::DeleteOpenIdConnectProviderInput {
                    open_id_connect_provider_arn: arn.clone(),
                },
            ))
            .unwrap();
        }
        assert!(f.state().oidc_provider(&arn).is_none());
    }
}
