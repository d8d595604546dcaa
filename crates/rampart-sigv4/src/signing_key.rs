//! Signing-key derivation (sigv4.md §6) and the bounded, thread-safe cache of
//! derived keys (§11).
//!
//! Owns the HMAC chain `kDate → kRegion → kService → kSigning`. It must never
//! log or expose a secret or a derived key; `Debug` of the cache shows sizes only.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::encoding::hex_lower;

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // RFC 2104 §2: a key longer than the 64-byte block is hashed first, a
    // shorter one is zero-padded. Done here so that the infallible `KeyInit::new`
    // can be used (hmac's `new_from_slice` never fails but returns a Result).
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        for (dst, src) in block.iter_mut().zip(Sha256::digest(key)) {
            *dst = src;
        }
    } else {
        for (dst, src) in block.iter_mut().zip(key) {
            *dst = *src;
        }
    }
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&block.into());
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Derives `kSigning` from a secret access key and a credential scope (sigv4.md §6).
///
/// ```
/// let key = rampart_sigv4::derive_signing_key(
///     b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
/// assert_eq!(key[..4], [0xc4, 0xaf, 0xb1, 0xcc]);
/// ```
#[must_use]
pub fn derive_signing_key(
    secret_access_key: &[u8],
    date: &str,
    region: &str,
    service: &str,
) -> [u8; 32] {
    let mut initial = Vec::with_capacity(4 + secret_access_key.len());
    initial.extend_from_slice(b"AWS4");
    initial.extend_from_slice(secret_access_key);
    let k_date = hmac_sha256(&initial, date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    hmac_sha256(&k_service, b"aws4_request")
}

/// The lowercase hex signature of `string_to_sign` under `signing_key`.
#[must_use]
pub fn signature_hex(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex_lower(&hmac_sha256(signing_key, string_to_sign.as_bytes()))
}

/// Default number of cached signing keys.
pub const DEFAULT_CACHE_CAPACITY: usize = 1024;

struct Entry {
    /// SHA-256 of the secret the key was derived from, so that a changed secret
    /// never reuses a stale key.
    secret_fingerprint: [u8; 32],
    signing_key: [u8; 32],
    last_used: u64,
}

#[derive(Default)]
struct Inner {
    /// Keyed by `access key id/date/region/service`; none of the parts contains `/`.
    entries: HashMap<String, Entry>,
    tick: u64,
}

/// A bounded, thread-safe cache of derived signing keys, keyed by
/// (access key ID, `YYYYMMDD`, region, service) (sigv4.md §11).
///
/// A hit saves four HMACs. Entries also remember a fingerprint of the secret
/// they came from, so a secret change takes effect at once; [`verify`](crate::verify)
/// only inserts keys that produced a matching signature, so clients without
/// the secret cannot churn the cache. When full, the least recently used entry
/// goes. Call [`SigningKeyCache::invalidate`] on key deletion or deactivation.
pub struct SigningKeyCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self::new(DEFAULT_CACHE_CAPACITY)
    }
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeyCache")
            .field("capacity", &self.capacity)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

fn cache_key(access_key_id: &str, date: &str, region: &str, service: &str) -> String {
    let mut key =
        String::with_capacity(access_key_id.len() + date.len() + region.len() + service.len() + 3);
    for (i, part) in [access_key_id, date, region, service]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            key.push('/');
        }
        key.push_str(part);
    }
    key
}

impl SigningKeyCache {
    /// A cache holding at most `capacity` keys; `0` disables caching.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves a consistent map (all
        // updates are single inserts/removes), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The signing key for this scope: from the cache if present, else derived
    /// (and not inserted; see [`SigningKeyCache::insert`]).
    pub(crate) fn get_or_derive(
        &self,
        access_key_id: &str,
        secret_access_key: &[u8],
        date: &str,
        region: &str,
        service: &str,
    ) -> (Option<String>, [u8; 32], [u8; 32]) {
        let fingerprint: [u8; 32] = Sha256::digest(secret_access_key).into();
        if self.capacity == 0 {
            return (
                None,
                fingerprint,
                derive_signing_key(secret_access_key, date, region, service),
            );
        }
        let key = cache_key(access_key_id, date, region, service);
        {
            let mut inner = self.lock();
            inner.tick = inner.tick.wrapping_add(1);
            let tick = inner.tick;
            if let Some(entry) = inner.entries.get_mut(&key)
                && bool::from(entry.secret_fingerprint.ct_eq(&fingerprint))
            {
                entry.last_used = tick;
                return (None, fingerprint, entry.signing_key);
            }
        }
        (
            Some(key),
            fingerprint,
            derive_signing_key(secret_access_key, date, region, service),
        )
    }

    /// Stores a freshly derived key under `key` (from [`Self::get_or_derive`]).
    pub(crate) fn insert(&self, key: String, secret_fingerprint: [u8; 32], signing_key: [u8; 32]) {
        if self.capacity == 0 {
            return;
        }
        let mut inner = self.lock();
        inner.tick = inner.tick.wrapping_add(1);
        let tick = inner.tick;
        if inner.entries.len() >= self.capacity && !inner.entries.contains_key(&key) {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                inner.entries.remove(&oldest);
            }
        }
        inner.entries.insert(
            key,
            Entry {
                secret_fingerprint,
                signing_key,
                last_used: tick,
            },
        );
    }

    /// Drops every cached key of `access_key_id` (call on deletion, deactivation, secret change).
    pub fn invalidate(&self, access_key_id: &str) {
        let prefix = format!("{access_key_id}/");
        self.lock().entries.retain(|k, _| !k.starts_with(&prefix));
    }

    /// Drops every cached key.
    pub fn clear(&self) {
        self.lock().entries.clear();
    }

    /// Number of cached keys.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether the cache holds no key.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most keys this cache holds.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex_lower;

    const SECRET: &[u8] = b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    #[test]
    fn derivation_matches_vector_a_intermediates() {
        let k_date = hmac_sha256(b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", b"20150830");
        assert_eq!(
            hex_lower(&k_date),
            "0138c7a6cbd60aa727b2f653a522567439dfb9f3e72b21f9b25941a42f04a7cd"
        );
        let k_region = hmac_sha256(&k_date, b"us-east-1");
        assert_eq!(
            hex_lower(&k_region),
            "f33d5808504bf34812e5fade63308b424b244c59189be2a591dd2282c7cb563f"
        );
        let k_service = hmac_sha256(&k_region, b"iam");
        assert_eq!(
            hex_lower(&k_service),
            "199e1f48c602a5ae77ce26a46906920e76fc8427aeaa53da643646fcda1ccfb0"
        );
        assert_eq!(
            hex_lower(&derive_signing_key(SECRET, "20150830", "us-east-1", "iam")),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

    #[test]
    fn padded_key_hmac_equals_new_from_slice() {
        for len in [0usize, 1, 32, 63, 64, 65, 200] {
            let key = vec![0x5au8; len];
            let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
            mac.update(b"data");
            let expected: [u8; 32] = mac.finalize().into_bytes().into();
            assert_eq!(hmac_sha256(&key, b"data"), expected, "key length {len}");
        }
    }

    #[test]
    fn cache_hits_evicts_and_invalidates() {
        let cache = SigningKeyCache::new(2);
        let (slot, fp, key) = cache.get_or_derive("AK1", SECRET, "20150830", "us-east-1", "iam");
        cache.insert(slot.unwrap(), fp, key);
        let (slot, _, again) = cache.get_or_derive("AK1", SECRET, "20150830", "us-east-1", "iam");
        assert!(slot.is_none(), "second lookup is a hit");
        assert_eq!(again, key);
        // A different secret for the same scope is a miss.
        let (slot, _, other) = cache.get_or_derive("AK1", b"other", "20150830", "us-east-1", "iam");
        assert!(slot.is_some());
        assert_ne!(other, key);
        for ak in ["AK2", "AK3"] {
            let (slot, fp, key) = cache.get_or_derive(ak, SECRET, "20150830", "us-east-1", "iam");
            cache.insert(slot.unwrap(), fp, key);
        }
        assert_eq!(cache.len(), 2);
        cache.invalidate("AK3");
        assert_eq!(cache.len(), 1);
        cache.clear();
        assert!(cache.is_empty());
        assert!(format!("{cache:?}").contains("capacity: 2"));
    }

    #[test]
    fn cache_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SigningKeyCache>();
        let cache = std::sync::Arc::new(SigningKeyCache::new(16));
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let cache = std::sync::Arc::clone(&cache);
                std::thread::spawn(move || {
                    for region in ["us-east-1", "eu-west-1", "ap-south-1"] {
                        let (slot, fp, key) = cache.get_or_derive(
                            &format!("AK{i}"),
                            SECRET,
                            "20150830",
                            region,
                            "iam",
                        );
                        if let Some(slot) = slot {
                            cache.insert(slot, fp, key);
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(cache.len(), 12);
    }

    #[test]
    fn zero_capacity_disables_cache() {
        let cache = SigningKeyCache::new(0);
        let (slot, fp, key) = cache.get_or_derive("AK1", SECRET, "20150830", "us-east-1", "iam");
        assert!(slot.is_none());
        cache.insert("AK1/x/y/z".into(), fp, key);
        assert!(cache.is_empty());
    }
}
