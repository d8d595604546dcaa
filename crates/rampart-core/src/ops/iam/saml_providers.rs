//! SAML 2.0 identity providers: a named IdP metadata document that
//! `AssumeRoleWithSAML` will trust; the `*SAMLProvider*` operations and the provider's tags.
//!
//! Rampart checks that the document looks like SAML metadata (an XML `EntityDescriptor`)
//! and reads its `validUntil`; it does not verify the IdP's signing certificates.
//! Assertion encryption (`AssertionEncryptionMode`, private keys) is not supported.

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use super::tags::{self, Taggable};

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, SamlProviderRecord, Tag};
use crate::random;
use crate::state::State;

/// SAML providers per account (IAM quota `SAMLProvidersPerAccount`).
pub const PROVIDERS_PER_ACCOUNT: usize = 100;

/// The provider `arn` of `account`, or `NoSuchEntity`.
pub fn get(state: &State, account: &AccountId, arn: &str) -> Result<SamlProviderRecord, CoreError> {
    match state.saml_provider(arn) {
        Some(p) if &p.account == account => Ok(SamlProviderRecord::clone(p)),
        _ => Err(CoreError::NoSuchEntity(format!(
            "SAMLProvider not found for arn {arn}"
        ))),
    }
}

/// Checks that `document` is SAML metadata and returns its `validUntil`, if any.
pub fn check_metadata(document: &str) -> Result<Option<i64>, CoreError> {
    let text = document.trim_start_matches('\u{feff}').trim_start();
    if !text.starts_with('<') || !text.contains("EntityDescriptor") {
        return Err(CoreError::InvalidInput(
            "Could not parse metadata".to_owned(),
        ));
    }
    let valid_until = text.split_once("validUntil=").and_then(|(_, rest)| {
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = rest.get(1..)?.split(quote).next()?;
        Timestamp::parse_iso8601(value).map(|t| t.0)
    });
    Ok(valid_until)
}

/// Creates a provider.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    metadata: &str,
    tags: Vec<Tag>,
    now: i64,
) -> Result<SamlProviderRecord, CoreError> {
    let valid_until = check_metadata(metadata)?;
    if txn
        .state()
        .saml_providers(account)
        .any(|p| p.name.eq_ignore_ascii_case(name))
    {
        return Err(CoreError::EntityAlreadyExists(format!(
            "SAMLProvider {name} already exists."
        )));
    }
    if txn.state().saml_providers(account).count() >= PROVIDERS_PER_ACCOUNT {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for SAMLProvidersPerAccount: {PROVIDERS_PER_ACCOUNT}"
        )));
    }
    let record = SamlProviderRecord {
        account: account.clone(),
        name: name.to_owned(),
        metadata: metadata.to_owned(),
        uuid: random::base32(26),
        created: now,
        valid_until,
        tags,
    };
    txn.put(&record)?;
    Ok(record)
}

/// Replaces a provider's record after `change` edits a copy of it.
pub fn update(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    arn: &str,
    change: impl FnOnce(&mut SamlProviderRecord) -> Result<(), CoreError>,
) -> Result<SamlProviderRecord, CoreError> {
    let mut record = get(txn.state(), account, arn)?;
    change(&mut record)?;
    txn.put(&record)?;
    Ok(record)
}

/// Deletes a provider.
pub fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, arn: &str) -> Result<(), CoreError> {
    get(txn.state(), account, arn)?;
    txn.delete::<SamlProviderRecord>(arn)
}

impl Taggable for SamlProviderRecord {
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

/// `CreateSAMLProvider`.
pub fn create_saml_provider(
    cx: &Cx<'_>,
    i: &wire::CreateSamlProviderInput,
) -> Result<Output, CoreError> {
    let tags = tags::from_wire(i.tags.as_deref())?;
    let record = cx.write(|txn| {
        let document = &i.saml_metadata_document;
        create(txn, cx.account(), &i.name, document, tags.clone(), cx.now)
    })?;
    Ok(wire::CreateSamlProviderOutput {
        saml_provider_arn: Some(record.arn()),
        tags: tags::to_wire(&record.tags),
    }
    .into())
}

/// `GetSAMLProvider`.
pub fn get_saml_provider(cx: &Cx<'_>, i: &wire::GetSamlProviderInput) -> Result<Output, CoreError> {
    let record = get(&cx.state(), cx.account(), &i.saml_provider_arn)?;
    Ok(wire::GetSamlProviderOutput {
        saml_provider_uuid: Some(record.uuid.clone()),
        saml_metadata_document: Some(record.metadata.clone()),
        create_date: Some(Timestamp(record.created)),
        valid_until: record.valid_until.map(Timestamp),
        tags: tags::to_wire(&record.tags),
    }
    .into())
}

/// `ListSAMLProviders`.
pub fn list_saml_providers(
    cx: &Cx<'_>,
    _: &wire::ListSamlProvidersInput,
) -> Result<Output, CoreError> {
    let saml_provider_list = (cx.state().saml_providers(cx.account()))
        .map(|p| wire::SamlProviderListEntry {
            arn: Some(p.arn()),
            valid_until: p.valid_until.map(Timestamp),
            create_date: Some(Timestamp(p.created)),
        })
        .collect();
    Ok(wire::ListSamlProvidersOutput { saml_provider_list }.into())
}

/// `UpdateSAMLProvider`: a new metadata document, checked as on creation.
pub fn update_saml_provider(
    cx: &Cx<'_>,
    i: &wire::UpdateSamlProviderInput,
) -> Result<Output, CoreError> {
    let record = cx.write(|txn| {
        update(txn, cx.account(), &i.saml_provider_arn, |record| {
            if let Some(document) = &i.saml_metadata_document {
                record.valid_until = check_metadata(document)?;
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

/// `DeleteSAMLProvider`.
pub fn delete_saml_provider(
    cx: &Cx<'_>,
    i: &wire::DeleteSamlProviderInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account(), &i.saml_provider_arn))?;
    Ok(Output::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_must_be_an_entity_descriptor_and_valid_until_is_read() {
        let doc = r#"<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" validUntil="2030-01-02T03:04:05Z" entityID="x"/>"#;
        assert_eq!(check_metadata(doc).unwrap(), Some(1_893_553_445));
        assert_eq!(check_metadata("<EntityDescriptor/>").unwrap(), None);
        assert!(matches!(
            check_metadata("{\"json\": true}"),
            Err(CoreError::InvalidInput(_))
        ));
        assert!(matches!(
            check_metadata("<html/>"),
            Err(CoreError::InvalidInput(_))
        ));
    }
}
