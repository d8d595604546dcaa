//! SSH public keys of IAM users (the CodeCommit / EC2 Instance Connect credential): upload
//! in OpenSSH one-line or PEM form, the MD5 fingerprint AWS shows, status and deletion;
//! the `*SSHPublicKey*` operations and the key's wire form.
//!
//! Keys are kept as the OpenSSH wire blob (RFC 4253 §6.6, RFC 8709, RFC 5656); the PEM form
//! is the X.509 `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7). This module parses just enough
//! DER to move between the two; it never verifies signatures.

use std::sync::Arc;

use data_encoding::BASE64;
use md5::{Digest, Md5};
use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use super::access_keys::{status_from_wire, wire_status};
use super::users::{self, target_user};
use crate::ops::paging::page;

use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, IdKind, KeyStatus, SshPublicKeyRecord};
use crate::state::State;

/// SSH public keys per user (IAM quota `SSHPublicKeysPerUser`).
pub const KEYS_PER_USER: usize = 5;
/// Smallest RSA modulus IAM accepts, in bits.
const MIN_RSA_BITS: usize = 2048;

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// (OpenSSH curve name, DER OID of the named curve, uncompressed point length).
const CURVES: [(&str, &[u8], usize); 3] = [
    (
        "nistp256",
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
        65,
    ),
    ("nistp384", &[0x2b, 0x81, 0x04, 0x00, 0x22], 97),
    ("nistp521", &[0x2b, 0x81, 0x04, 0x00, 0x23], 133),
];

fn unrecognized() -> CoreError {
    CoreError::UnrecognizedPublicKeyEncoding(
        "The public key encoding format is unsupported or unrecognized.".to_owned(),
    )
}

fn invalid() -> CoreError {
    CoreError::InvalidPublicKey("The public key is malformed or otherwise invalid.".to_owned())
}

fn no_such_key(id: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The Public Key with id {id} cannot be found."))
}

/// A key's algorithm and material, as both encodings carry it.
#[derive(Debug, PartialEq, Eq)]
enum Key {
    Rsa { e: Vec<u8>, n: Vec<u8> },
    Ed25519(Vec<u8>),
    Ecdsa { curve: &'static str, point: Vec<u8> },
}

// ---- OpenSSH wire format ----

fn take_string<'a>(input: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, rest) = input.split_first_chunk::<4>()?;
    let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
    let (value, rest) = rest.split_at_checked(len)?;
    *input = rest;
    Some(value)
}

fn put_string(out: &mut Vec<u8>, value: &[u8]) {
    out.extend_from_slice(&u32::try_from(value.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(value);
}

/// A positive integer's significant bits (leading zero bytes and bits skipped).
fn bit_length(int: &[u8]) -> usize {
    let mut bytes = int.iter().skip_while(|b| **b == 0);
    match bytes.next() {
        Some(first) => 8 * bytes.count() + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}

impl Key {
    fn type_name(&self) -> String {
        match self {
            Key::Rsa { .. } => "ssh-rsa".to_owned(),
            Key::Ed25519(_) => "ssh-ed25519".to_owned(),
            Key::Ecdsa { curve, .. } => format!("ecdsa-sha2-{curve}"),
        }
    }

    fn from_blob(blob: &[u8]) -> Result<Key, CoreError> {
        let mut input = blob;
        let name = take_string(&mut input).ok_or_else(invalid)?;
        let key = match name {
            b"ssh-rsa" => {
                let e = take_string(&mut input).ok_or_else(invalid)?.to_vec();
                let n = take_string(&mut input).ok_or_else(invalid)?.to_vec();
                Key::Rsa { e, n }
            }
            b"ssh-ed25519" => Key::Ed25519(take_string(&mut input).ok_or_else(invalid)?.to_vec()),
            other => {
                let curve_name = other
                    .strip_prefix(b"ecdsa-sha2-")
                    .ok_or_else(unrecognized)?;
                let &(curve, _, _) = CURVES
                    .iter()
                    .find(|(c, _, _)| c.as_bytes() == curve_name)
                    .ok_or_else(unrecognized)?;
                if take_string(&mut input) != Some(curve.as_bytes()) {
                    return Err(invalid());
                }
                Key::Ecdsa {
                    curve,
                    point: take_string(&mut input).ok_or_else(invalid)?.to_vec(),
                }
            }
        };
        if !input.is_empty() {
            return Err(invalid());
        }
        key.validate()?;
        Ok(key)
    }

    fn validate(&self) -> Result<(), CoreError> {
        let ok = match self {
            Key::Rsa { e, n } => bit_length(e) > 1 && bit_length(n) >= MIN_RSA_BITS,
            Key::Ed25519(k) => k.len() == 32,
            Key::Ecdsa { curve, point } => {
                CURVES
                    .iter()
                    .any(|(c, _, len)| c == curve && point.len() == *len)
                    && point.first() == Some(&0x04)
            }
        };
        if ok { Ok(()) } else { Err(invalid()) }
    }

    fn to_blob(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_string(&mut out, self.type_name().as_bytes());
        match self {
            Key::Rsa { e, n } => {
                put_string(&mut out, e);
                put_string(&mut out, n);
            }
            Key::Ed25519(k) => put_string(&mut out, k),
            Key::Ecdsa { curve, point } => {
                put_string(&mut out, curve.as_bytes());
                put_string(&mut out, point);
            }
        }
        out
    }
}

// ---- DER (SubjectPublicKeyInfo) ----

/// One DER element: (tag, contents, what follows).
pub(crate) fn take_der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 3 {
            return None;
        }
        let (bytes, rest) = rest.split_at_checked(count)?;
        (
            bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)),
            rest,
        )
    };
    let (contents, rest) = rest.split_at_checked(len)?;
    Some((tag, contents, rest))
}

fn der(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(u8::try_from(len).unwrap_or(0));
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | u8::try_from(bytes.len()).unwrap_or(0));
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(contents);
    out
}

fn der_all(input: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let (tag, contents, next) = take_der(rest)?;
        out.push((tag, contents));
        rest = next;
    }
    Some(out)
}

/// An RSA key from a PKCS#1 `RSAPublicKey` SEQUENCE's contents.
fn rsa_from_pkcs1(seq: &[u8]) -> Option<Key> {
    match der_all(seq)?.as_slice() {
        [(0x02, n), (0x02, e)] => Some(Key::Rsa {
            e: e.to_vec(),
            n: n.to_vec(),
        }),
        _ => None,
    }
}

impl Key {
    fn from_spki(bytes: &[u8]) -> Option<Key> {
        let (0x30, spki, []) = take_der(bytes)? else {
            return None;
        };
        let parts = der_all(spki)?;
        let [(0x30, algorithm), (0x03, bits)] = parts.as_slice() else {
            return None;
        };
        let (&0, key) = bits.split_first()? else {
            return None;
        };
        let params = der_all(algorithm)?;
        match params.as_slice() {
            [(0x06, oid), rest @ ..] if *oid == OID_RSA && matches!(rest, [] | [(0x05, [])]) => {
                let (0x30, seq, []) = take_der(key)? else {
                    return None;
                };
                rsa_from_pkcs1(seq)
            }
            [(0x06, oid)] if *oid == OID_ED25519 => Some(Key::Ed25519(key.to_vec())),
            [(0x06, oid), (0x06, curve_oid)] if *oid == OID_EC => {
                let &(curve, _, _) = CURVES.iter().find(|(_, o, _)| o == curve_oid)?;
                Some(Key::Ecdsa {
                    curve,
                    point: key.to_vec(),
                })
            }
            _ => None,
        }
    }

    fn to_spki(&self) -> Vec<u8> {
        let (algorithm, key) = match self {
            Key::Rsa { e, n } => {
                let algorithm = [der(0x06, OID_RSA), der(0x05, &[])].concat();
                (algorithm, der(0x30, &[der(0x02, n), der(0x02, e)].concat()))
            }
            Key::Ed25519(k) => (der(0x06, OID_ED25519), k.clone()),
            Key::Ecdsa { curve, point } => {
                let curve_oid = CURVES
                    .iter()
                    .find(|(c, _, _)| c == curve)
                    .map_or(&[][..], |(_, o, _)| *o);
                (
                    [der(0x06, OID_EC), der(0x06, curve_oid)].concat(),
                    point.clone(),
                )
            }
        };
        let bits = [&[0u8][..], &key].concat();
        der(0x30, &[der(0x30, &algorithm), der(0x03, &bits)].concat())
    }
}

/// The PEM block's label and decoded contents.
fn parse_pem(text: &str) -> Option<(&str, Vec<u8>)> {
    let rest = text.strip_prefix("-----BEGIN ")?;
    let (label, rest) = rest.split_once("-----")?;
    let body = rest.strip_suffix(&format!("-----END {label}-----"))?;
    let b64: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    Some((label, BASE64.decode(b64.as_bytes()).ok()?))
}

/// The OpenSSH blob of an uploaded key body, or AWS's encoding/validity error.
pub fn parse(body: &str) -> Result<Vec<u8>, CoreError> {
    let text = body.trim();
    if text.starts_with("-----BEGIN ") {
        let (label, bytes) = parse_pem(text).ok_or_else(invalid)?;
        let key = match label {
            "PUBLIC KEY" => Key::from_spki(&bytes),
            "RSA PUBLIC KEY" => match take_der(&bytes) {
                Some((0x30, seq, [])) => rsa_from_pkcs1(seq),
                _ => None,
            },
            _ => return Err(unrecognized()),
        }
        .ok_or_else(invalid)?;
        key.validate()?;
        return Ok(key.to_blob());
    }
    let mut fields = text.split_ascii_whitespace();
    let type_name = fields.next().ok_or_else(unrecognized)?;
    let known = type_name == "ssh-rsa"
        || type_name == "ssh-ed25519"
        || CURVES
            .iter()
            .any(|(c, _, _)| type_name == format!("ecdsa-sha2-{c}"));
    if !known {
        return Err(unrecognized());
    }
    let blob = BASE64
        .decode(fields.next().ok_or_else(invalid)?.as_bytes())
        .map_err(|_| invalid())?;
    let key = Key::from_blob(&blob)?;
    if key.type_name() != type_name {
        return Err(invalid());
    }
    Ok(blob)
}

/// AWS's fingerprint: the MD5 of the OpenSSH blob, as colon-separated lower-case hex.
pub fn fingerprint(blob: &[u8]) -> String {
    Md5::digest(blob)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The key as one OpenSSH line (`TYPE BASE64`).
pub fn to_ssh(blob: &[u8]) -> Result<String, CoreError> {
    let key = Key::from_blob(blob)?;
    Ok(format!("{} {}", key.type_name(), BASE64.encode(blob)))
}

/// The key as a PEM `PUBLIC KEY` block, 64 base64 characters a line.
pub fn to_pem(blob: &[u8]) -> Result<String, CoreError> {
    let encoded = BASE64.encode(&Key::from_blob(blob)?.to_spki());
    let mut out = String::from("-----BEGIN PUBLIC KEY-----\n");
    for line in encoded.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str("-----END PUBLIC KEY-----\n");
    Ok(out)
}

/// The key `id` if it belongs to `user` of `account`.
pub fn owned<'s>(
    state: &'s State,
    account: &AccountId,
    user: &str,
    id: &str,
) -> Result<&'s Arc<SshPublicKeyRecord>, CoreError> {
    match state.ssh_public_key(id) {
        Some(record) if &record.account == account && record.user.eq_ignore_ascii_case(user) => {
            Ok(record)
        }
        _ => Err(no_such_key(id)),
    }
}

/// Uploads a key for `user`, Active.
pub fn upload(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    body: &str,
    now: i64,
) -> Result<SshPublicKeyRecord, CoreError> {
    let blob = parse(body)?;
    let existing = txn.state().ssh_public_keys_of(account, user);
    let encoded = BASE64.encode(&blob);
    if existing.iter().any(|k| k.blob == encoded) {
        return Err(CoreError::DuplicateSshPublicKey(
            "The SSH public key is already associated with the specified IAM user.".to_owned(),
        ));
    }
    if existing.len() >= KEYS_PER_USER {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for SSHPublicKeysPerUser: {KEYS_PER_USER}"
        )));
    }
    let record = SshPublicKeyRecord {
        id: IdKind::SshPublicKey.generate(),
        account: account.clone(),
        user: user.to_owned(),
        body: body.to_owned(),
        fingerprint: fingerprint(&blob),
        blob: encoded,
        status: KeyStatus::Active,
        uploaded: now,
        ordinal: existing.last().map_or(0, |k| k.ordinal + 1),
    };
    txn.put(&record)?;
    Ok(record)
}

/// Sets a key `Active` or `Inactive`.
pub fn set_status(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    id: &str,
    status: KeyStatus,
) -> Result<(), CoreError> {
    let mut record = SshPublicKeyRecord::clone(owned(txn.state(), account, user, id)?);
    record.status = status;
    txn.put(&record)
}

/// Deletes a key.
pub fn delete(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    user: &str,
    id: &str,
) -> Result<(), CoreError> {
    owned(txn.state(), account, user, id)?;
    txn.delete::<SshPublicKeyRecord>(id)
}

/// The stored blob of a record, decoded.
pub fn blob_of(record: &SshPublicKeyRecord) -> Result<Vec<u8>, CoreError> {
    BASE64
        .decode(record.blob.as_bytes())
        .map_err(|err| CoreError::Internal(format!("ssh key {}: {err}", record.id)))
}

/// A stored key on the wire, with `body` in the encoding asked for.
fn wire_ssh_key(record: &SshPublicKeyRecord, body: String) -> wire::SshPublicKey {
    wire::SshPublicKey {
        user_name: record.user.clone(),
        ssh_public_key_id: record.id.clone(),
        fingerprint: record.fingerprint.clone(),
        ssh_public_key_body: body,
        status: wire_status(record.status),
        upload_date: Some(Timestamp(record.uploaded)),
    }
}

/// `UploadSSHPublicKey`.
pub fn upload_ssh_public_key(
    cx: &Cx<'_>,
    i: &wire::UploadSshPublicKeyInput,
) -> Result<Output, CoreError> {
    let record = cx.write(|txn| {
        let user = users::get(txn.state(), cx.account(), &i.user_name)?;
        let user = user.record.name.clone();
        upload(txn, cx.account(), &user, &i.ssh_public_key_body, cx.now)
    })?;
    let ssh_public_key = wire_ssh_key(&record, record.body.clone());
    Ok(wire::UploadSshPublicKeyOutput { ssh_public_key }.into())
}

/// `GetSSHPublicKey`, in OpenSSH or PEM encoding.
pub fn get_ssh_public_key(
    cx: &Cx<'_>,
    i: &wire::GetSshPublicKeyInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    users::get(&state, cx.account(), &i.user_name)?;
    let record = owned(&state, cx.account(), &i.user_name, &i.ssh_public_key_id)?;
    let blob = blob_of(record)?;
    let body = match i.encoding {
        wire::SshKeyEncoding::Ssh => to_ssh(&blob)?,
        wire::SshKeyEncoding::Pem => to_pem(&blob)?,
    };
    let ssh_public_key = wire_ssh_key(record, body);
    Ok(wire::GetSshPublicKeyOutput { ssh_public_key }.into())
}

/// `ListSSHPublicKeys`: the named user's, else the caller's (root has none), oldest first.
pub fn list_ssh_public_keys(
    cx: &Cx<'_>,
    i: &wire::ListSshPublicKeysInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let keys: Vec<_> = match target_user(&state, cx.caller, i.user_name.as_deref())? {
        Some(user) => (state.ssh_public_keys_of(cx.account(), &user).into_iter())
            .map(Arc::clone)
            .collect(),
        None => vec![],
    };
    let (chunk, is_truncated, marker) = page(keys, i.marker.as_deref(), i.max_items, |k| {
        format!("{:020}{:020}{}", k.uploaded, k.ordinal, k.id)
    })?;
    let ssh_public_keys = (chunk.iter())
        .map(|k| wire::SshPublicKeyMetadata {
            user_name: k.user.clone(),
            ssh_public_key_id: k.id.clone(),
            status: wire_status(k.status),
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

/// `UpdateSSHPublicKey`.
pub fn update_ssh_public_key(
    cx: &Cx<'_>,
    i: &wire::UpdateSshPublicKeyInput,
) -> Result<Output, CoreError> {
    let status = status_from_wire(i.status, "SSH public keys")?;
    cx.write(|txn| {
        users::get(txn.state(), cx.account(), &i.user_name)?;
        set_status(
            txn,
            cx.account(),
            &i.user_name,
            &i.ssh_public_key_id,
            status,
        )
    })?;
    Ok(Output::Empty)
}

/// `DeleteSSHPublicKey`.
pub fn delete_ssh_public_key(
    cx: &Cx<'_>,
    i: &wire::DeleteSshPublicKeyInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| {
        users::get(txn.state(), cx.account(), &i.user_name)?;
        delete(txn, cx.account(), &i.user_name, &i.ssh_public_key_id)
    })?;
    Ok(Output::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    // `ssh-keygen -t ed25519`; fingerprint from `ssh-keygen -l -E md5 -f`.
    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbnWaS5pnvT3FUhKvkCu3csuH0pAEBAO4lKzFsfjBYl test@example";

    #[test]
    fn ed25519_line_round_trips_through_pem() {
        let blob = parse(ED25519).unwrap();
        let pem = to_pem(&blob).unwrap();
        assert!(
            pem.starts_with("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA"),
            "{pem}"
        );
        assert_eq!(parse(&pem).unwrap(), blob);
        assert_eq!(to_ssh(&blob).unwrap(), ED25519.rsplit_once(' ').unwrap().0);
        assert_eq!(
            fingerprint(&blob),
            "4e:ba:ac:70:dc:26:6e:01:78:e8:ba:ce:0e:9c:4d:54"
        );
    }

    #[test]
    fn bad_keys_get_aws_codes() {
        assert!(matches!(
            parse("ssh-dss AAAA"),
            Err(CoreError::UnrecognizedPublicKeyEncoding(_))
        ));
        assert!(matches!(
            parse("hello"),
            Err(CoreError::UnrecognizedPublicKeyEncoding(_))
        ));
        assert!(matches!(
            parse("ssh-ed25519 !!!"),
            Err(CoreError::InvalidPublicKey(_))
        ));
        assert!(matches!(
            parse("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIPbnWaS5pnvT3FUhKvkCu3csuH0pAEBAO4lKzFsfjBYl"),
            Err(CoreError::InvalidPublicKey(_))
        ));
        assert!(matches!(
            parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
            Err(CoreError::InvalidPublicKey(_))
        ));
    }

    #[test]
    fn short_rsa_keys_are_invalid() {
        let mut blob = Vec::new();
        put_string(&mut blob, b"ssh-rsa");
        put_string(&mut blob, &[1, 0, 1]);
        put_string(&mut blob, &[0x80; 128]);
        assert!(matches!(
            Key::from_blob(&blob),
            Err(CoreError::InvalidPublicKey(_))
        ));
        let mut blob = Vec::new();
        put_string(&mut blob, b"ssh-rsa");
        put_string(&mut blob, &[1, 0, 1]);
        let n = [&[0u8][..], &[0x80; 256]].concat();
        put_string(&mut blob, &n);
        let key = Key::from_blob(&blob).unwrap();
        assert_eq!(Key::from_spki(&key.to_spki()), Some(key));
    }
}
