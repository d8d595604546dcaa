//! X.509 signing certificates of IAM users and of the root user: upload (PEM checked,
//! per-user quota, account-wide duplicates), listing, status changes and deletion, and
//! their wire form.
//!
//! Rampart never verifies with these certificates; it keeps them so that tooling which
//! manages them (and the credential report) sees what AWS would show. It checks the PEM
//! framing and base64 only, not the ASN.1 inside beyond its outer `SEQUENCE`.

use std::sync::Arc;

use data_encoding::BASE64;
use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use super::access_keys::{status_from_wire, wire_status};
use super::users::target_user;
use crate::ops::paging::page;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, KeyStatus, SigningCertificateRecord};
use crate::state::State;

/// Signing certificates per user (IAM quota `SigningCertificatesPerUser`).
pub const CERTIFICATES_PER_USER: usize = 2;

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// AWS's wording for both errors is recorded from AWS in moto's `test_iam_signing_certificates.py`
/// (`aws_verified`): "The Certificate with id X cannot be found.", "Cannot exceed quota for
/// CertificatesPerUser: 2".
fn no_such_certificate(id: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The Certificate with id {id} cannot be found."))
}

/// The DER bytes of a PEM `CERTIFICATE` block, or `MalformedCertificate`.
pub fn parse_pem(body: &str) -> Result<Vec<u8>, CoreError> {
    let malformed = || {
        CoreError::MalformedCertificate(
            "Unable to parse certificate. Please ensure the certificate is in PEM format."
                .to_owned(),
        )
    };
    let trimmed = body.trim();
    let inner = trimmed
        .strip_prefix(BEGIN)
        .and_then(|rest| rest.strip_suffix(END))
        .ok_or_else(malformed)?;
    let text: String = inner.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = BASE64.decode(text.as_bytes()).map_err(|_| malformed())?;
    // An X.509 certificate is a DER SEQUENCE.
    if der.first() != Some(&0x30) || der.len() < 16 {
        return Err(malformed());
    }
    Ok(der)
}

/// The certificate `id` if it belongs to `user` (`None` = root) of `account`.
pub fn owned<'s>(
    state: &'s State,
    account: &AccountId,
    user: Option<&str>,
    id: &str,
) -> Result<&'s Arc<SigningCertificateRecord>, CoreError> {
    let record = state
        .signing_certificate(id)
        .ok_or_else(|| no_such_certificate(id))?;
    let same_owner = match (&record.user, user) {
        (None, None) => true,
        (Some(owner), Some(name)) => owner.eq_ignore_ascii_case(name),
        _ => false,
    };
    if &record.account == account && same_owner {
        Ok(record)
    } else {
        Err(no_such_certificate(id))
    }
}

/// Uploads a certificate for `user` (`None` = root), Active.
pub fn upload(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: Option<&str>,
    body: &str,
    now: i64,
) -> Result<SigningCertificateRecord, CoreError> {
    let der = parse_pem(body)?;
    let existing = txn.state().signing_certificates_of(account, user);
    let ordinal = existing.last().map_or(0, |c| c.ordinal + 1);
    if existing.len() >= CERTIFICATES_PER_USER {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for CertificatesPerUser: {CERTIFICATES_PER_USER}"
        )));
    }
    // The same certificate may belong to one principal of the account only.
    if let Some(existing) = txn
        .state()
        .signing_certificates(account)
        .find(|c| parse_pem(&c.body).is_ok_and(|d| d == der))
    {
        return Err(CoreError::DuplicateCertificate(format!(
            "The Certificate with id {} already exists.",
            existing.id
        )));
    }
    let record = SigningCertificateRecord {
        id: IdKind::SigningCertificate.generate(),
        account: account.clone(),
        user: user.map(str::to_owned),
        body: body.to_owned(),
        status: KeyStatus::Active,
        uploaded: now,
        ordinal,
    };
    txn.put(&record)?;
    Ok(record)
}

/// Sets a certificate `Active` or `Inactive`.
pub fn set_status(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: Option<&str>,
    id: &str,
    status: KeyStatus,
) -> Result<(), CoreError> {
    let mut record = SigningCertificateRecord::clone(owned(txn.state(), account, user, id)?);
    record.status = status;
    txn.put(&record)
}

/// Deletes a certificate.
pub fn delete(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: Option<&str>,
    id: &str,
) -> Result<(), CoreError> {
    owned(txn.state(), account, user, id)?;
    txn.delete::<SigningCertificateRecord>(id)
}

/// A stored certificate on the wire (root's report the account id as `UserName`).
fn wire_certificate(record: &SigningCertificateRecord) -> wire::SigningCertificate {
    wire::SigningCertificate {
        user_name: (record.user.clone()).unwrap_or_else(|| record.account.as_str().to_owned()),
        certificate_id: record.id.clone(),
        certificate_body: record.body.clone(),
        status: wire_status(record.status),
        upload_date: Some(Timestamp(record.uploaded)),
    }
}

/// `UploadSigningCertificate`: for the named user, else the caller (root's own for root).
pub fn upload_signing_certificate(
    cx: &Cx<'_>,
    i: &wire::UploadSigningCertificateInput,
) -> Result<Output, CoreError> {
    let record = cx.write(|txn| {
        let target = target_user(txn.state(), cx.caller, i.user_name.as_deref())?;
        upload(
            txn,
            cx.account(),
            target.as_deref(),
            &i.certificate_body,
            cx.now,
        )
    })?;
    let certificate = wire_certificate(&record);
    Ok(wire::UploadSigningCertificateOutput { certificate }.into())
}

/// `ListSigningCertificates`, oldest first.
pub fn list_signing_certificates(
    cx: &Cx<'_>,
    i: &wire::ListSigningCertificatesInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let target = target_user(&state, cx.caller, i.user_name.as_deref())?;
    let certs: Vec<_> = (state.signing_certificates_of(cx.account(), target.as_deref()))
        .into_iter()
        .map(Arc::clone)
        .collect();
    let (chunk, is_truncated, marker) = page(certs, i.marker.as_deref(), i.max_items, |c| {
        format!("{:020}{:020}{}", c.uploaded, c.ordinal, c.id)
    })?;
    Ok(wire::ListSigningCertificatesOutput {
        certificates: chunk.iter().map(|c| wire_certificate(c)).collect(),
        is_truncated,
        marker,
    }
    .into())
}

/// `UpdateSigningCertificate`.
pub fn update_signing_certificate(
    cx: &Cx<'_>,
    i: &wire::UpdateSigningCertificateInput,
) -> Result<Output, CoreError> {
    let status = status_from_wire(i.status, "Signing certificates")?;
    cx.write(|txn| {
        let target = target_user(txn.state(), cx.caller, i.user_name.as_deref())?;
        set_status(
            txn,
            cx.account(),
            target.as_deref(),
            &i.certificate_id,
            status,
        )
    })?;
    Ok(Output::Empty)
}

/// `DeleteSigningCertificate`.
pub fn delete_signing_certificate(
    cx: &Cx<'_>,
    i: &wire::DeleteSigningCertificateInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        let target = target_user(txn.state(), cx.caller, i.user_name.as_deref())?;
        delete(txn, cx.account(), target.as_deref(), &i.certificate_id)
    })?;
    Ok(Output::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_certificate_decodes_and_garbage_is_malformed() {
        let der = [0x30u8; 20];
        let pem = format!("{BEGIN}\n{}\n{END}\n", BASE64.encode(&der));
        assert_eq!(parse_pem(&pem).unwrap(), der.to_vec());
        assert!(matches!(
            parse_pem("hello"),
            Err(CoreError::MalformedCertificate(_))
        ));
        assert!(matches!(
            parse_pem(&format!("{BEGIN}\n!!!!\n{END}")),
            Err(CoreError::MalformedCertificate(_))
        ));
        let key = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----",
            BASE64.encode(&der)
        );
        assert!(matches!(
            parse_pem(&key),
            Err(CoreError::MalformedCertificate(_))
        ));
    }
}
