//! Server certificates: TLS certificates with their private keys and chains, for the
//! services that terminate TLS with IAM-stored certificates; the `*ServerCertificate*`
//! operations, their tags and wire form.
//!
//! Rampart checks the PEM framing of the body, key and chain, walks just enough of the
//! certificate's DER (RFC 5280 §4.1) to read `notAfter` and the subject public key, and
//! answers `KeyPairMismatch` when an RSA key's modulus (or an EC key's embedded public
//! point) differs from the certificate's. It verifies no signatures and no chain order.
//! The private key is sealed with the master key and never returned.

use std::sync::Arc;

use data_encoding::BASE64;
use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::ssh_public_keys::take_der;
use super::tags::{self, Taggable};
use super::{Cx, signing_certificates};
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, ServerCertificateRecord, Tag, name_key};
use crate::ops::paging::page;
use crate::state::State;

/// Server certificates per account (IAM quota `ServerCertificatesPerAccount`).
pub const CERTIFICATES_PER_ACCOUNT: usize = 20;

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

fn malformed(what: &str) -> CoreError {
    CoreError::MalformedCertificate(format!(
        "Unable to parse {what}. Please ensure the {what} is in PEM format."
    ))
}

/// The associated data that binds a sealed private key to its certificate.
pub fn private_key_context(id: &str) -> String {
    format!("server_certificate/{id}")
}

/// The certificate `name` of `account`, or `NoSuchEntity`.
pub fn get(
    state: &State,
    account: &AccountId,
    name: &str,
) -> Result<ServerCertificateRecord, CoreError> {
    state
        .server_certificate(account, name)
        .map(|c| ServerCertificateRecord::clone(c))
        .ok_or_else(|| {
            CoreError::NoSuchEntity(format!(
                "The Server Certificate with name {name} cannot be found."
            ))
        })
}

/// Every PEM block of `text`: (label, DER). `None` if the framing or base64 is broken.
fn pem_blocks(text: &str) -> Option<Vec<(String, Vec<u8>)>> {
    let mut blocks = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let after = rest.strip_prefix("-----BEGIN ")?;
        let (label, after) = after.split_once("-----")?;
        let end = format!("-----END {label}-----");
        let (inner, after) = after.split_once(&end)?;
        let b64: String = inner.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        blocks.push((label.to_owned(), BASE64.decode(b64.as_bytes()).ok()?));
        rest = after.trim_start();
    }
    Some(blocks)
}

/// A DER `UTCTime` (tag 0x17) or `GeneralizedTime` (0x18), as unix seconds.
fn der_time(tag: u8, contents: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(contents).ok()?;
    let digits = text.strip_suffix('Z')?;
    let full = match tag {
        0x17 => {
            let yy: u32 = digits.get(0..2)?.parse().ok()?;
            format!("{}{digits}", if yy >= 50 { "19" } else { "20" })
        }
        0x18 => digits.to_owned(),
        _ => return None,
    };
    if full.len() != 14 || !full.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        full.get(0..4)?,
        full.get(4..6)?,
        full.get(6..8)?,
        full.get(8..10)?,
        full.get(10..12)?,
        full.get(12..14)?
    );
    Timestamp::parse_iso8601(&iso).map(|t| t.0)
}

/// What Rampart reads from a certificate: `notAfter` and the subject public key.
struct CertInfo {
    not_after: Option<i64>,
    /// The algorithm OID of the subject public key.
    key_oid: Vec<u8>,
    /// The subject public key BIT STRING, without its unused-bits byte.
    public_key: Vec<u8>,
}

fn cert_info(der: &[u8]) -> Option<CertInfo> {
    let (0x30, cert, _) = take_der(der)? else {
        return None;
    };
    let (0x30, tbs, _) = take_der(cert)? else {
        return None;
    };
    let mut rest = tbs;
    let (tag, _, after) = take_der(rest)?;
    if tag == 0xa0 {
        rest = after;
    }
    // serial, signature algorithm, issuer
    for expected in [0x02, 0x30, 0x30] {
        let (tag, _, after) = take_der(rest)?;
        if tag != expected {
            return None;
        }
        rest = after;
    }
    let (0x30, validity, after) = take_der(rest)? else {
        return None;
    };
    let (_, _, validity_rest) = take_der(validity)?;
    let (time_tag, time, _) = take_der(validity_rest)?;
    let not_after = der_time(time_tag, time);
    let (0x30, _, after) = take_der(after)? else {
        return None;
    };
    let (0x30, spki, _) = take_der(after)? else {
        return None;
    };
    let (0x30, algorithm, spki_rest) = take_der(spki)? else {
        return None;
    };
    let (0x06, oid, _) = take_der(algorithm)? else {
        return None;
    };
    let (0x03, bits, _) = take_der(spki_rest)? else {
        return None;
    };
    let (_, public_key) = bits.split_first()?;
    Some(CertInfo {
        not_after,
        key_oid: oid.to_vec(),
        public_key: public_key.to_vec(),
    })
}

fn strip_zeros(int: &[u8]) -> &[u8] {
    let start = int.iter().position(|b| *b != 0).unwrap_or(int.len());
    int.get(start..).unwrap_or_default()
}

/// The modulus of a PKCS#1 `RSAPrivateKey` or `RSAPublicKey` (skipping `skip` leading INTEGERs).
fn rsa_modulus(der: &[u8], skip: usize) -> Option<Vec<u8>> {
    let (0x30, mut rest, _) = take_der(der)? else {
        return None;
    };
    for _ in 0..skip {
        let (0x02, _, after) = take_der(rest)? else {
            return None;
        };
        rest = after;
    }
    let (0x02, n, _) = take_der(rest)? else {
        return None;
    };
    Some(strip_zeros(n).to_vec())
}

/// The public point a SEC1 `ECPrivateKey` carries in its `[1]` member, if any.
fn ec_public_point(der: &[u8]) -> Option<Option<Vec<u8>>> {
    let (0x30, mut rest, _) = take_der(der)? else {
        return None;
    };
    while !rest.is_empty() {
        let (tag, contents, after) = take_der(rest)?;
        if tag == 0xa1 {
            let (0x03, bits, _) = take_der(contents)? else {
                return None;
            };
            return Some(bits.split_first().map(|(_, point)| point.to_vec()));
        }
        rest = after;
    }
    Some(None)
}

/// What the private key says about its public half: `Some(modulus)` for RSA, `Some(point)`
/// for EC keys that embed it, `None` when Rampart cannot tell cheaply.
enum KeyPublic {
    Rsa(Vec<u8>),
    Ec(Vec<u8>),
    Unknown,
}

fn private_key_public(text: &str) -> Result<KeyPublic, CoreError> {
    let bad = || malformed("private key");
    let blocks = pem_blocks(text).ok_or_else(bad)?;
    let [(label, der)] = blocks.as_slice() else {
        return Err(bad());
    };
    match label.as_str() {
        "RSA PRIVATE KEY" => rsa_modulus(der, 1).map(KeyPublic::Rsa).ok_or_else(bad),
        "EC PRIVATE KEY" => Ok(ec_public_point(der)
            .ok_or_else(bad)?
            .map_or(KeyPublic::Unknown, KeyPublic::Ec)),
        "PRIVATE KEY" => {
            // PKCS#8 PrivateKeyInfo: version, AlgorithmIdentifier, OCTET STRING.
            let (0x30, info, _) = take_der(der).ok_or_else(bad)? else {
                return Err(bad());
            };
            let (0x02, _, rest) = take_der(info).ok_or_else(bad)? else {
                return Err(bad());
            };
            let (0x30, algorithm, rest) = take_der(rest).ok_or_else(bad)? else {
                return Err(bad());
            };
            let (0x06, oid, _) = take_der(algorithm).ok_or_else(bad)? else {
                return Err(bad());
            };
            let (0x04, inner, _) = take_der(rest).ok_or_else(bad)? else {
                return Err(bad());
            };
            if oid == OID_RSA {
                rsa_modulus(inner, 1).map(KeyPublic::Rsa).ok_or_else(bad)
            } else if oid.starts_with(&[0x2a, 0x86, 0x48, 0xce, 0x3d]) {
                Ok(ec_public_point(inner)
                    .ok_or_else(bad)?
                    .map_or(KeyPublic::Unknown, KeyPublic::Ec))
            } else {
                Ok(KeyPublic::Unknown)
            }
        }
        _ => Err(bad()),
    }
}

/// Checks body, key and chain; returns the certificate's `notAfter`.
pub fn check(body: &str, private_key: &str, chain: Option<&str>) -> Result<Option<i64>, CoreError> {
    let der = signing_certificates::parse_pem(body)?;
    let info = cert_info(&der).ok_or_else(|| malformed("certificate"))?;
    let key = private_key_public(private_key)?;
    let matches = match key {
        KeyPublic::Rsa(n) => {
            info.key_oid == OID_RSA && rsa_modulus(&info.public_key, 0).is_some_and(|m| m == n)
        }
        KeyPublic::Ec(point) => info.public_key == point,
        KeyPublic::Unknown => true,
    };
    if !matches {
        return Err(CoreError::KeyPairMismatch("Unable to validate certificate. Please ensure the private key matches the certificate.".to_owned()));
    }
    if let Some(chain) = chain {
        let blocks = pem_blocks(chain).ok_or_else(|| malformed("certificate chain"))?;
        if blocks.is_empty()
            || blocks
                .iter()
                .any(|(label, der)| label != "CERTIFICATE" || cert_info(der).is_none())
        {
            return Err(malformed("certificate chain"));
        }
    }
    Ok(info.not_after)
}

/// Upload input.
pub struct Upload<'a> {
    /// Name.
    pub name: &'a str,
    /// Path (`/` when absent).
    pub path: Option<&'a str>,
    /// PEM certificate.
    pub body: &'a str,
    /// PEM private key.
    pub private_key: &'a str,
    /// PEM chain.
    pub chain: Option<&'a str>,
    /// Tags.
    pub tags: Vec<Tag>,
}

/// Uploads a certificate.
pub fn upload(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    input: Upload<'_>,
    now: i64,
) -> Result<ServerCertificateRecord, CoreError> {
    let expiration = check(input.body, input.private_key, input.chain)?;
    if txn
        .state()
        .server_certificate(account, input.name)
        .is_some()
    {
        return Err(CoreError::EntityAlreadyExists(format!(
            "The Server Certificate with name {} already exists.",
            input.name
        )));
    }
    if txn.state().server_certificates(account).count() >= CERTIFICATES_PER_ACCOUNT {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for ServerCertificatesPerAccount: {CERTIFICATES_PER_ACCOUNT}"
        )));
    }
    let id = IdKind::ServerCertificate.generate();
    let sealed_private_key = txn
        .master()
        .seal(input.private_key.as_bytes(), &private_key_context(&id))
        .map_err(|err| CoreError::Internal(format!("sealing a server certificate key: {err}")))?;
    let record = ServerCertificateRecord {
        id,
        account: account.clone(),
        name: input.name.to_owned(),
        path: input.path.unwrap_or("/").to_owned(),
        body: input.body.to_owned(),
        chain: input.chain.map(str::to_owned),
        sealed_private_key,
        uploaded: now,
        expiration,
        tags: input.tags,
    };
    txn.put(&record)?;
    Ok(record)
}

/// Replaces a certificate's record after `change` edits a copy (a rename moves its key).
pub fn update(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    change: impl FnOnce(&mut ServerCertificateRecord) -> Result<(), CoreError>,
) -> Result<ServerCertificateRecord, CoreError> {
    let mut record = get(txn.state(), account, name)?;
    let old_key = name_key(account, &record.name);
    change(&mut record)?;
    let new_key = name_key(account, &record.name);
    if new_key != old_key {
        if txn
            .state()
            .server_certificate(account, &record.name)
            .is_some()
        {
            return Err(CoreError::EntityAlreadyExists(format!(
                "The Server Certificate with name {} already exists.",
                record.name
            )));
        }
        txn.delete::<ServerCertificateRecord>(&old_key)?;
    }
    txn.put(&record)?;
    Ok(record)
}

/// Deletes a certificate.
pub fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, name: &str) -> Result<(), CoreError> {
    let record = get(txn.state(), account, name)?;
    txn.delete::<ServerCertificateRecord>(&name_key(account, &record.name))
}

impl Taggable for ServerCertificateRecord {
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

fn wire_metadata(record: &ServerCertificateRecord) -> wire::ServerCertificateMetadata {
    wire::ServerCertificateMetadata {
        path: record.path.clone(),
        server_certificate_name: record.name.clone(),
        server_certificate_id: record.id.clone(),
        arn: record.arn(),
        upload_date: Some(Timestamp(record.uploaded)),
        expiration: record.expiration.map(Timestamp),
    }
}

/// `UploadServerCertificate`.
pub fn upload_server_certificate(
    cx: &Cx<'_>,
    i: &wire::UploadServerCertificateInput,
) -> Result<Output, CoreError> {
    let tags = tags::from_wire(i.tags.as_deref())?;
    let record = cx.write(|txn| {
        let input = Upload {
            name: &i.server_certificate_name,
            path: i.path.as_deref(),
            body: &i.certificate_body,
            private_key: &i.private_key,
            chain: i.certificate_chain.as_deref(),
            tags: tags.clone(),
        };
        upload(txn, cx.account(), input, cx.now)
    })?;
    Ok(wire::UploadServerCertificateOutput {
        server_certificate_metadata: Some(wire_metadata(&record)),
        tags: tags::to_wire(&record.tags),
    }
    .into())
}

/// `GetServerCertificate`: the body and chain, never the private key.
pub fn get_server_certificate(
    cx: &Cx<'_>,
    i: &wire::GetServerCertificateInput,
) -> Result<Output, CoreError> {
    let record = get(&cx.state(), cx.account(), &i.server_certificate_name)?;
    Ok(wire::GetServerCertificateOutput {
        server_certificate: wire::ServerCertificate {
            server_certificate_metadata: wire_metadata(&record),
            certificate_body: record.body.clone(),
            certificate_chain: record.chain.clone(),
            tags: tags::to_wire(&record.tags),
        },
    }
    .into())
}

/// `ListServerCertificates`.
pub fn list_server_certificates(
    cx: &Cx<'_>,
    i: &wire::ListServerCertificatesInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let prefix = i.path_prefix.as_deref().unwrap_or("/");
    let all: Vec<_> = (state.server_certificates(cx.account()))
        .filter(|c| c.path.starts_with(prefix))
        .map(Arc::clone)
        .collect();
    let (chunk, is_truncated, marker) = page(all, i.marker.as_deref(), i.max_items, |c| {
        c.name.to_ascii_lowercase()
    })?;
    Ok(wire::ListServerCertificatesOutput {
        server_certificate_metadata_list: chunk.iter().map(|c| wire_metadata(c)).collect(),
        is_truncated,
        marker,
    }
    .into())
}

/// `UpdateServerCertificate`: a new name and/or path.
pub fn update_server_certificate(
    cx: &Cx<'_>,
    i: &wire::UpdateServerCertificateInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        update(txn, cx.account(), &i.server_certificate_name, |record| {
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

/// `DeleteServerCertificate`.
pub fn delete_server_certificate(
    cx: &Cx<'_>,
    i: &wire::DeleteServerCertificateInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account(), &i.server_certificate_name))?;
    Ok(Output::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_times_read_as_unix_seconds() {
        assert_eq!(der_time(0x17, b"300102030405Z"), Some(1_893_553_445));
        assert_eq!(der_time(0x18, b"20300102030405Z"), Some(1_893_553_445));
        assert_eq!(der_time(0x17, b"3001020304Z"), None);
        assert_eq!(der_time(0x02, b"300102030405Z"), None);
    }

    #[test]
    fn pem_blocks_split_and_garbage_is_refused() {
        let text =
            "-----BEGIN A-----\nAAEC\n-----END A-----\n-----BEGIN B-----\nAw==\n-----END B-----\n";
        let blocks = pem_blocks(text).unwrap();
        assert_eq!(
            blocks,
            vec![("A".to_owned(), vec![0, 1, 2]), ("B".to_owned(), vec![3])]
        );
        assert!(pem_blocks("hello").is_none());
        assert!(pem_blocks("-----BEGIN A-----\nAAEC\n-----END B-----").is_none());
        assert!(matches!(
            private_key_public("-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----"),
            Err(CoreError::MalformedCertificate(_))
        ));
    }
}
