//! Digest files: what one lists (the log files of a folder delivered since the previous
//! digest, with their SHA-256), how it chains to the previous digest (its signature and
//! hash), and how it is signed.
//!
//! AWS signs digests with RSA and keeps the signature in the object's metadata; Rampart
//! signs with Ed25519 under a key derived from the master key (so every node of one
//! installation signs alike and no key file is added), writes the signature beside the
//! digest as `DIGEST.sig` (hex), and says `Ed25519` in `digestSignatureAlgorithm`. The
//! signed string is AWS's: end time, `bucket/object`, hex SHA-256 of the uncompressed
//! digest, previous signature (`null` for the first digest).

use std::io::{Read, Write};

use hmac::{Hmac, KeyInit, Mac};
use ring::signature::{self, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::CoreError;
use crate::secrets::MasterKey;

/// `digestSignatureAlgorithm` of Rampart's digests.
pub const SIGNATURE_ALGORITHM: &str = "Ed25519";
/// The suffix of the file holding a digest's signature.
pub const SIGNATURE_SUFFIX: &str = ".sig";
/// What the signing key is derived for (changing it changes every signature).
const KEY_LABEL: &[u8] = b"rampart/cloudtrail-digest-signing/v1";

/// The key that signs digests.
pub struct DigestSigner {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for DigestSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestSigner")
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

impl DigestSigner {
    /// The signer derived from `master`: HMAC-SHA256(master, label) is the Ed25519 seed.
    pub fn from_master(master: &MasterKey) -> Result<DigestSigner, CoreError> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&master.to_bytes())
            .map_err(|_| CoreError::Internal("digest key derivation failed".into()))?;
        mac.update(KEY_LABEL);
        let seed = mac.finalize().into_bytes();
        let pair = Ed25519KeyPair::from_seed_unchecked(seed.as_slice())
            .map_err(|_| CoreError::Internal("digest key rejected".into()))?;
        Ok(DigestSigner { pair })
    }

    /// The raw 32-byte public key.
    pub fn public_key(&self) -> Vec<u8> {
        self.pair.public_key().as_ref().to_vec()
    }

    /// `digestPublicKeyFingerprint`: hex MD5 of the public key (32 characters, as AWS's).
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public_key())
    }

    /// The hex signature of `message`.
    pub fn sign(&self, message: &[u8]) -> String {
        hex(self.pair.sign(message).as_ref())
    }
}

/// The fingerprint of a raw public key.
pub fn fingerprint(public_key: &[u8]) -> String {
    use md5::Md5;
    hex(&Md5::digest(public_key))
}

/// Whether `signature` (hex) signs `message` under the raw Ed25519 `public_key`.
pub fn verify(public_key: &[u8], message: &[u8], signature: &str) -> bool {
    let Some(bytes) = unhex(signature) else {
        return false;
    };
    UnparsedPublicKey::new(&signature::ED25519, public_key)
        .verify(message, &bytes)
        .is_ok()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .ok()
}

/// Hex SHA-256.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `bytes` gzipped (no file name, time 0: the same input gives the same file).
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>, CoreError> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|err| CoreError::Internal(format!("gzip failed: {err}")))
}

/// `bytes` gunzipped; `None` when they are not gzip.
pub fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .ok()
        .map(|_| out)
}

/// The string a digest's signature signs (AWS's "data signing string").
pub fn signing_string(
    end_time: &str,
    bucket: &str,
    object: &str,
    content: &[u8],
    previous_signature: Option<&str>,
) -> String {
    format!(
        "{end_time}\n{bucket}/{object}\n{}\n{}",
        sha256(content),
        previous_signature.unwrap_or("null")
    )
}

/// One log file a digest lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogFileEntry {
    /// The bucket.
    pub s3_bucket: String,
    /// The object key.
    pub s3_object: String,
    /// Hex SHA-256 of the uncompressed content.
    pub hash_value: String,
    /// Always `SHA-256`.
    pub hash_algorithm: String,
    /// Newest event time in the file.
    pub newest_event_time: String,
    /// Oldest event time in the file.
    pub oldest_event_time: String,
}

/// A digest file's content, with AWS's members in AWS's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DigestDocument {
    /// The account whose folder this is.
    pub aws_account_id: String,
    /// Start of the period covered.
    pub digest_start_time: String,
    /// End of the period covered.
    pub digest_end_time: String,
    /// The bucket of this digest.
    #[serde(rename = "digestS3Bucket")]
    pub digest_s3_bucket: String,
    /// The key of this digest.
    #[serde(rename = "digestS3Object")]
    pub digest_s3_object: String,
    /// Fingerprint of the signing key.
    pub digest_public_key_fingerprint: String,
    /// `Ed25519`.
    pub digest_signature_algorithm: String,
    /// Newest event time over the listed files (`null` when none).
    pub newest_event_time: Option<String>,
    /// Oldest event time over the listed files (`null` when none).
    pub oldest_event_time: Option<String>,
    /// The previous digest's bucket (`null` for the first).
    #[serde(rename = "previousDigestS3Bucket")]
    pub previous_digest_s3_bucket: Option<String>,
    /// The previous digest's key (`null` for the first).
    #[serde(rename = "previousDigestS3Object")]
    pub previous_digest_s3_object: Option<String>,
    /// Hex SHA-256 of the previous digest's uncompressed content.
    pub previous_digest_hash_value: Option<String>,
    /// `SHA-256` (`null` for the first).
    pub previous_digest_hash_algorithm: Option<String>,
    /// The previous digest's signature.
    pub previous_digest_signature: Option<String>,
    /// The log files delivered in the period.
    pub log_files: Vec<LogFileEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_under_the_derived_key_and_fail_when_anything_changes() {
        let signer = DigestSigner::from_master(&MasterKey::from_bytes([7; 32])).unwrap();
        let again = DigestSigner::from_master(&MasterKey::from_bytes([7; 32])).unwrap();
        assert_eq!(
            signer.public_key(),
            again.public_key(),
            "derived, not random"
        );
        assert_eq!(signer.fingerprint().len(), 32);
        let other = DigestSigner::from_master(&MasterKey::from_bytes([8; 32])).unwrap();
        let text = signing_string(
            "2024-05-01T12:00:00Z",
            "logs",
            "AWSLogs/x.json.gz",
            b"{}",
            None,
        );
        assert!(text.ends_with("\nnull"));
        let signature = signer.sign(text.as_bytes());
        assert!(verify(&signer.public_key(), text.as_bytes(), &signature));
        assert!(!verify(&other.public_key(), text.as_bytes(), &signature));
        let changed = signing_string(
            "2024-05-01T12:00:00Z",
            "logs",
            "AWSLogs/x.json.gz",
            b"{ }",
            None,
        );
        assert!(!verify(
            &signer.public_key(),
            changed.as_bytes(),
            &signature
        ));
        assert!(!verify(&signer.public_key(), text.as_bytes(), "zz"));
    }

    #[test]
    fn gzip_is_deterministic_and_round_trips() {
        let a = gzip(b"{\"Records\":[]}").unwrap();
        assert_eq!(a, gzip(b"{\"Records\":[]}").unwrap());
        assert_eq!(gunzip(&a).unwrap(), b"{\"Records\":[]}");
        assert!(gunzip(b"not gzip").is_none());
    }
}
