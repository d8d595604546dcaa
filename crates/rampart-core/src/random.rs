//! Randomness from the operating system, for ids and secrets alike.
//!
//! A failing OS random source is not recoverable for a security service, and getrandom
//! documents it as practically impossible on Linux, so it aborts the operation loudly
//! rather than producing predictable ids.

/// `N` random bytes from the OS.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    fill(&mut buf);
    buf
}

/// Fills `buf` from the OS random source.
pub fn fill(buf: &mut [u8]) {
    #[expect(
        clippy::panic,
        reason = "no safe way to continue without an OS random source"
    )]
    if let Err(err) = getrandom::fill(buf) {
        panic!("operating system random source failed: {err}");
    }
}

/// `len` random characters of the RFC 4648 base32 alphabet (`A-Z`, `2-7`).
pub fn base32(len: usize) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut raw = vec![0u8; len];
    fill(&mut raw);
    raw.iter()
        .map(|b| char::from(ALPHABET.get(usize::from(b % 32)).copied().unwrap_or(b'A')))
        .collect()
}

/// `len` random characters of `[0-9a-z]`, the alphabet of Organizations ids.
pub fn lower_alnum(len: usize) -> String {
    const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut raw = vec![0u8; len];
    fill(&mut raw);
    // The slight modulo bias is harmless: these ids are unique names, not secrets.
    raw.iter()
        .map(|b| char::from(ALPHABET.get(usize::from(*b) % 36).copied().unwrap_or(b'0')))
        .collect()
}

/// A 40-character secret access key: 30 random bytes in base64 (`A-Z a-z 0-9 + /`).
pub fn secret_access_key() -> String {
    data_encoding::BASE64.encode(&bytes::<30>())
}

/// A random UUID v4 string, AWS's request id format.
///
/// Every call makes one or two (the request's, its audit event's): the bytes come from the
/// OS in blocks kept per thread rather than one system call per id. Ids are public, so
/// holding their randomness a little earlier in memory reveals nothing.
pub fn request_id() -> String {
    uuid_text(id_bytes(), 4)
}

/// A UUID v7 string (RFC 9562: 48 bits of unix milliseconds, then 74 random bits), the
/// audit trail's `eventID`.
///
/// Still an opaque UUID to every reader, but ids made in the same millisecond sort
/// together: the store's unique index on `eventID` then grows at its right edge, in pages
/// already in memory, instead of touching a random page of an index as large as the whole
/// trail on every appended event.
pub fn event_id() -> String {
    #[expect(
        clippy::disallowed_methods,
        reason = "the clock only orders ids; no decision depends on it"
    )]
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    event_id_at(u64::try_from(millis).unwrap_or(u64::MAX))
}

/// [`event_id`] for the unix time `millis`.
fn event_id_at(millis: u64) -> String {
    let mut bytes = id_bytes();
    let stamp = millis.to_be_bytes();
    if let (Some(head), Some(low)) = (bytes.get_mut(..6), stamp.get(2..)) {
        head.copy_from_slice(low);
    }
    uuid_text(bytes, 7)
}

/// `bytes` as a lowercase hyphenated UUID of `version` and the RFC 9562 variant.
fn uuid_text(mut bytes: [u8; 16], version: u8) -> String {
    if let Some(b) = bytes.get_mut(6) {
        *b = (*b & 0x0f) | (version << 4);
    }
    if let Some(b) = bytes.get_mut(8) {
        *b = (*b & 0x3f) | 0x80;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            id.push('-');
        }
        for nibble in [b >> 4, b & 0x0f] {
            id.push(char::from(
                HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    id
}

/// 16 random bytes for an id, from this thread's block of OS randomness.
fn id_bytes() -> [u8; 16] {
    const IDS_PER_BLOCK: usize = 64;
    thread_local! {
        static BLOCK: std::cell::RefCell<([u8; 16 * IDS_PER_BLOCK], usize)> =
            const { std::cell::RefCell::new(([0; 16 * IDS_PER_BLOCK], IDS_PER_BLOCK)) };
    }
    BLOCK.with(|block| {
        let mut block = block.borrow_mut();
        let (bytes, used) = &mut *block;
        if *used >= IDS_PER_BLOCK {
            fill(bytes);
            *used = 0;
        }
        let mut id = [0u8; 16];
        if let Some(chunk) = bytes.get(*used * 16..(*used + 1) * 16) {
            id.copy_from_slice(chunk);
        }
        // Each id's bytes are handed out once.
        if let Some(chunk) = bytes.get_mut(*used * 16..(*used + 1) * 16) {
            chunk.fill(0);
        }
        *used += 1;
        id
    })
}

#[cfg(test)]
mod tests {
    use super::{event_id, event_id_at, request_id};

    #[test]
    fn request_ids_are_distinct_version_4_uuids_across_block_refills() {
        let ids: Vec<String> = (0..200).map(|_| request_id()).collect();
        for id in &ids {
            let groups: Vec<&str> = id.split('-').collect();
            let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
            assert_eq!(lengths, [8, 4, 4, 4, 12], "{id}");
            assert!(
                id.chars()
                    .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            );
            assert!(groups[2].starts_with('4'), "version 4: {id}");
            assert!(
                matches!(&groups[3][..1], "8" | "9" | "a" | "b"),
                "RFC 4122 variant: {id}"
            );
        }
        let distinct: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
    }

    #[test]
    fn event_ids_are_version_7_uuids_that_sort_by_time() {
        let millis = 1_764_900_000_123;
        let first = event_id_at(millis);
        assert!(
            first
                .replace('-', "")
                .starts_with(&format!("{millis:012x}"))
        );
        let ids: Vec<String> = (0..100).map(|_| event_id_at(millis + 1)).collect();
        for id in &ids {
            let groups: Vec<&str> = id.split('-').collect();
            let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
            assert_eq!(lengths, [8, 4, 4, 4, 12], "{id}");
            assert!(groups[2].starts_with('7'), "version 7: {id}");
            assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"), "{id}");
            // A later millisecond sorts after: the index grows at its right edge.
            assert!(id.as_str() > first.as_str(), "{id} after {first}");
        }
        let distinct: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
        assert!(event_id().starts_with(|c: char| c.is_ascii_hexdigit()));
    }
}
