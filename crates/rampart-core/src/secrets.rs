//! Secrets at rest: the master key, sealing with XChaCha20-Poly1305, and secret newtypes.
//!
//! Secret access keys must be stored reversibly (SigV4 needs the plaintext), so they are
//! sealed with a 256-bit master key that lives outside the database. Each ciphertext is
//! bound to its row through the associated data, so a sealed value copied into another row
//! does not open. The sealed form is `v1:` + base64(nonce ‖ ciphertext).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::random;

const SEALED_PREFIX: &str = "v1:";
const NONCE_LEN: usize = 24;

/// The key that seals every secret at rest.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct MasterKey([u8; 32]);

impl MasterKey {
    /// A fresh random key.
    pub fn generate() -> MasterKey {
        MasterKey(random::bytes::<32>())
    }

    /// The key from its 32 raw bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> MasterKey {
        MasterKey(bytes)
    }

    /// The raw bytes, for writing the key file.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// A key derived from this one for one `purpose` (HMAC-SHA256 of the purpose under
    /// this key): what it seals opens only under the same purpose, and it reveals nothing
    /// of the master key.
    pub fn derive(&self, purpose: &str) -> MasterKey {
        use hmac::{Hmac, KeyInit, Mac};
        // HMAC pads a short key with zeros to the block size; done here so the
        // infallible `KeyInit::new` applies.
        let mut block = zeroize::Zeroizing::new([0u8; 64]);
        for (dst, src) in block.iter_mut().zip(self.0) {
            *dst = src;
        }
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new(&(*block).into());
        mac.update(purpose.as_bytes());
        MasterKey(mac.finalize().into_bytes().into())
    }

    /// Seals `plaintext`, bound to `context` (e.g. `access_key/AKIA…`).
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Result<String, SecretError> {
        let cipher = XChaCha20Poly1305::new(&self.0.into());
        let nonce_bytes = random::bytes::<NONCE_LEN>();
        let nonce = XNonce::from(nonce_bytes);
        let ciphertext = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Seal)?;
        let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ciphertext);
        Ok(format!(
            "{SEALED_PREFIX}{}",
            data_encoding::BASE64.encode(&out)
        ))
    }

    /// Opens a value sealed by [`MasterKey::seal`] with the same `context`.
    pub fn open(&self, sealed: &str, context: &str) -> Result<SecretBytes, SecretError> {
        let encoded = sealed
            .strip_prefix(SEALED_PREFIX)
            .ok_or(SecretError::Format)?;
        let raw = data_encoding::BASE64
            .decode(encoded.as_bytes())
            .map_err(|_| SecretError::Format)?;
        let (nonce_bytes, ciphertext) =
            raw.split_at_checked(NONCE_LEN).ok_or(SecretError::Format)?;
        let nonce_array: [u8; NONCE_LEN] =
            nonce_bytes.try_into().map_err(|_| SecretError::Format)?;
        let cipher = XChaCha20Poly1305::new(&self.0.into());
        let plaintext = cipher
            .decrypt(
                &XNonce::from(nonce_array),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Open)?;
        Ok(SecretBytes(plaintext))
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

/// Failures of sealing and opening; never carry the secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The sealed text is not in the `v1:` format.
    #[error("sealed secret has an unknown format")]
    Format,
    /// Authentication failed: wrong master key or a value moved between rows.
    #[error("sealed secret does not open with this master key")]
    Open,
    /// Encryption failed.
    #[error("sealing failed")]
    Seal,
}

/// Secret bytes that are zeroed on drop, never printed, and compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Wraps bytes.
    pub fn new(bytes: Vec<u8>) -> SecretBytes {
        SecretBytes(bytes)
    }

    /// The secret, for the one place that needs it (SigV4 key derivation).
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl PartialEq for SecretBytes {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl std::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBytes(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secret_opens_only_in_its_context() {
        let key = MasterKey::generate();
        let sealed = key
            .seal(
                b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "access_key/AKIA1",
            )
            .unwrap();
        assert!(!sealed.contains("wJalr"));
        assert_eq!(
            key.open(&sealed, "access_key/AKIA1").unwrap().expose(),
            b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        );
        assert!(matches!(
            key.open(&sealed, "access_key/AKIA2"),
            Err(SecretError::Open)
        ));
        assert!(matches!(
            MasterKey::generate().open(&sealed, "access_key/AKIA1"),
            Err(SecretError::Open)
        ));
        assert!(matches!(key.open("garbage", "x"), Err(SecretError::Format)));
    }

    #[test]
    fn debug_never_prints_secrets() {
        let secret = SecretBytes::new(b"hunter2".to_vec());
        assert_eq!(format!("{secret:?}"), "SecretBytes(<redacted>)");
    }
}
