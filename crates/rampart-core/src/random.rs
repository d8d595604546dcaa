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
pub fn request_id() -> String {
    let mut bytes = bytes::<16>();
    if let Some(b) = bytes.get_mut(6) {
        *b = (*b & 0x0f) | 0x40;
    }
    if let Some(b) = bytes.get_mut(8) {
        *b = (*b & 0x3f) | 0x80;
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let part = |range: std::ops::Range<usize>| hex.get(range).unwrap_or("");
    format!(
        "{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    )
}
