//! Virtual MFA devices: the TOTP seed, codes (RFC 6238 over RFC 4226), the `otpauth://` URI
//! and its QR code PNG, and the acceptance rules of sign-in, EnableMFADevice and
//! ResyncMFADevice (`shared/reference/credentials-and-mfa.md` §(c)).
//!
//! Everything here is pure: time is the parameter `now` (unix seconds), and the state a
//! device carries between checks (its drift and the last counter it accepted) is passed in
//! and handed back; the caller stores it. This module never reads the clock, never stores
//! anything, and never logs or prints a seed.
//!
//! TOTP parameters are AWS's: HMAC-SHA1, 6 digits, a 30-second step, T0 = 0 (§(c) "TOTP
//! parameters"). The URI carries no `algorithm`/`digits`/`period`, so authenticator apps
//! fall back to exactly these defaults.

use std::fmt::Write as _;

use hmac::{Hmac, KeyInit, Mac};
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::random;

/// Bytes in a seed AWS generates: 40 random bytes, 64 base32 characters (§(c)).
pub const SEED_LEN: usize = 40;

/// Seconds per TOTP step.
pub const STEP_SECONDS: i64 = 30;

/// Digits in an AWS MFA code.
pub const DIGITS: u32 = 6;

/// Steps either side of the device's drift-adjusted current counter that a sign-in code may
/// come from: ±1, i.e. a code is good for 30–90 s (§(c) "Authentication window and reuse",
/// marked unverified there; this is its recommendation).
pub const CHECK_WINDOW: u64 = 1;

/// How many steps before the current counter EnableMFADevice looks for the first code of the
/// pair: 10 steps (5 minutes), for codes typed in late (§(c) "EnableMFADevice", which
/// recommends searching `c` in `[now−10, now+1]`).
pub const ENABLE_WINDOW_PAST: u64 = 10;

/// How many steps after the current counter EnableMFADevice looks for the first code of the
/// pair: 1 (§(c), the same recommendation).
pub const ENABLE_WINDOW_FUTURE: u64 = 1;

/// Steps either side of the current counter ResyncMFADevice looks for the first code of the
/// pair: 20 steps (10 minutes) each way.
///
/// The reference suggests `[now−10, now+1]` for both Enable and Resync; Resync exists to
/// repair a device clock that has drifted, which can run fast as well as slow, so it searches
/// a symmetric window that contains the Enable window. Two consecutive 6-digit codes still
/// leave a guess a chance of 41 in 10^12.
pub const RESYNC_WINDOW: u64 = 20;

/// The issuer authenticator apps show beside the code: the service that asks for it
/// (AWS puts `Amazon Web Services` here; a code for Rampart must not look like an AWS one).
pub const ISSUER: &str = "Rampart";

/// AWS's message for `InvalidAuthenticationCode` (403) from EnableMFADevice and
/// ResyncMFADevice (§(c), as seen in AWS UIs).
pub const INVALID_AUTHENTICATION_CODE_MESSAGE: &str =
    "Authentication code for device is not valid.";

/// AWS's message for the `AccessDenied` (403) that STS answers a bad MFA code, serial or
/// device with (§(c) "MFA in STS"; note the two spaces before "Please").
pub const STS_MFA_FAILED_MESSAGE: &str = "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.";

/// Pixels per QR module in [`qr_png`].
const QR_MODULE_PIXELS: usize = 4;

/// Light modules around the code in [`qr_png`] (the QR specification's quiet zone).
const QR_QUIET_MODULES: usize = 4;

/// A TOTP seed: zeroed on drop, never printed, compared in constant time.
///
/// It has no `Display`; its text form is [`TotpSeed::base32`], which is what AWS returns as
/// `Base32StringSeed` (the wire layer then base64-encodes that ASCII text as a blob).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct TotpSeed(Vec<u8>);

impl TotpSeed {
    /// A fresh seed of [`SEED_LEN`] random bytes from the OS.
    pub fn generate() -> TotpSeed {
        TotpSeed(random::bytes::<SEED_LEN>().to_vec())
    }

    /// A seed from raw bytes (any length; RFC 6238's test key is 20 bytes).
    pub fn from_bytes(bytes: Vec<u8>) -> TotpSeed {
        TotpSeed(bytes)
    }

    /// A seed from its RFC 4648 base32 text, upper or lower case, padded or not; `None` if
    /// the text is not base32 or is empty.
    pub fn from_base32(text: &str) -> Option<TotpSeed> {
        let upper = Zeroizing::new(text.trim_end_matches('=').to_ascii_uppercase());
        let decoded = data_encoding::BASE32_NOPAD.decode(upper.as_bytes()).ok();
        decoded.filter(|bytes| !bytes.is_empty()).map(TotpSeed)
    }

    /// The seed as upper-case RFC 4648 base32 without padding: AWS's `Base32StringSeed`
    /// text (64 characters for a generated seed).
    pub fn base32(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0))
    }

    /// The raw seed bytes, for the one place that seals it for storage.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl PartialEq for TotpSeed {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for TotpSeed {}

impl std::fmt::Debug for TotpSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSeed(<redacted>)")
    }
}

/// Why an MFA code or QR code was refused. Every code failure reaches clients as
/// `InvalidAuthenticationCode` ([`INVALID_AUTHENTICATION_CODE_MESSAGE`]) from IAM or as
/// `AccessDenied` ([`STS_MFA_FAILED_MESSAGE`]) from STS; the variants tell the audit log why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MfaError {
    /// Not exactly six ASCII digits.
    #[error("authentication code is not six digits")]
    MalformedCode,
    /// No counter in the accepted window produces the code (or the pair of codes).
    #[error("authentication code does not match the device")]
    InvalidCode,
    /// The code matches, but its counter is at or before the last one accepted.
    #[error("authentication code was already used")]
    Replayed,
    /// The URI does not fit in a QR code.
    #[error("the otpauth URI is too long for a QR code")]
    QrEncoding,
}

/// The TOTP counter at `now`: `floor(now / 30)`; 0 before the epoch.
pub fn counter_at(now: i64) -> u64 {
    u64::try_from(now.div_euclid(STEP_SECONDS)).unwrap_or(0)
}

/// The drift of a device whose code for `counter` was typed at `now`: `counter` minus the
/// current counter, in steps. Stored after Enable and Resync and passed to [`check_code`].
pub fn drift(counter: u64, now: i64) -> i64 {
    let steps = i128::from(counter) - i128::from(counter_at(now));
    i64::try_from(steps).unwrap_or(if steps < 0 { i64::MIN } else { i64::MAX })
}

/// HMAC-SHA1 of the 8-byte big-endian `counter` under `key`.
fn hmac_sha1(key: &[u8], counter: u64) -> [u8; 20] {
    // RFC 2104 §2: a key longer than the 64-byte block is hashed first, a shorter one is
    // zero-padded. Done here so that the infallible `KeyInit::new` can be used.
    let mut block = Zeroizing::new([0u8; 64]);
    if key.len() > block.len() {
        for (dst, src) in block.iter_mut().zip(Sha1::digest(key)) {
            *dst = src;
        }
    } else {
        for (dst, src) in block.iter_mut().zip(key) {
            *dst = *src;
        }
    }
    let mut mac = <Hmac<Sha1> as KeyInit>::new(&(*block).into());
    mac.update(&counter.to_be_bytes());
    mac.finalize().into_bytes().into()
}

/// The RFC 4226 HOTP value of `seed` at `counter`, truncated to `digits` decimal digits
/// (clamped to 1..=9; RFC 6238's test vectors use 8).
///
/// ```
/// use rampart_core::mfa::{hotp, TotpSeed};
/// let seed = TotpSeed::from_bytes(b"12345678901234567890".to_vec());
/// assert_eq!(hotp(&seed, 1, 8), 94_287_082); // RFC 6238 Appendix B, T = 59
/// ```
pub fn hotp(seed: &TotpSeed, counter: u64, digits: u32) -> u32 {
    let mac = hmac_sha1(seed.expose(), counter);
    // RFC 4226 §5.3 dynamic truncation: the low nibble of the last byte picks four bytes,
    // whose top bit is dropped. An offset is at most 15, so 15 + 4 <= 20 always holds.
    let offset = usize::from(mac.last().copied().unwrap_or(0) & 0x0f);
    let mut word = [0u8; 4];
    for (dst, src) in word.iter_mut().zip(mac.iter().skip(offset)) {
        *dst = *src;
    }
    let value = u32::from_be_bytes(word) & 0x7fff_ffff;
    value % 10u32.pow(digits.clamp(1, 9))
}

/// The 6-digit code of `seed` at `counter`.
pub fn code_at(seed: &TotpSeed, counter: u64) -> u32 {
    hotp(seed, counter, DIGITS)
}

/// The 6-digit code of `seed` at unix time `now`.
///
/// ```
/// use rampart_core::mfa::{code_for_time, TotpSeed};
/// let seed = TotpSeed::from_bytes(b"12345678901234567890".to_vec());
/// assert_eq!(code_for_time(&seed, 1_111_111_109), 81_804); // "081804"
/// ```
pub fn code_for_time(seed: &TotpSeed, now: i64) -> u32 {
    code_at(seed, counter_at(now))
}

/// A code as the six digits a user types, zero-padded (`81804` → `"081804"`).
pub fn format_code(code: u32) -> String {
    format!("{code:06}")
}

/// Parses a typed code: exactly six ASCII digits (the model's `authenticationCodeType`).
pub fn parse_code(text: &str) -> Result<u32, MfaError> {
    if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MfaError::MalformedCode);
    }
    text.parse().map_err(|_| MfaError::MalformedCode)
}

/// Whether `code` is the code of `seed` at `counter`, in constant time.
fn matches(seed: &TotpSeed, counter: u64, code: u32) -> bool {
    code_at(seed, counter).ct_eq(&code).into()
}

/// The counters `[center − below, center + above]`, clipped to the `u64` range.
fn window(center: u64, below: u64, above: u64) -> std::ops::RangeInclusive<u64> {
    center.saturating_sub(below)..=center.saturating_add(above)
}

/// Checks a sign-in code (STS `TokenCode`, console MFA) and returns the counter it was
/// accepted at, which the caller stores as the device's new `last_used_counter`.
///
/// Accepted: six digits equal to the code at some counter within [`CHECK_WINDOW`] (±1) of the
/// drift-adjusted current counter `counter_at(now) + drift`, and after `last_used_counter`,
/// so a code is good once (§(c) "Authentication window and reuse"). `drift` is what
/// [`drift`] computed after the last Enable or Resync (0 for a device never out of sync).
///
/// ```
/// use rampart_core::mfa::{check_code, MfaError, TotpSeed};
/// let seed = TotpSeed::from_bytes(b"12345678901234567890".to_vec());
/// let used = check_code(&seed, "081804", 1_111_111_109, 0, None).unwrap();
/// assert_eq!(check_code(&seed, "081804", 1_111_111_110, 0, Some(used)), Err(MfaError::Replayed));
/// ```
pub fn check_code(
    seed: &TotpSeed,
    code: &str,
    now: i64,
    drift: i64,
    last_used_counter: Option<u64>,
) -> Result<u64, MfaError> {
    let code = parse_code(code)?;
    let center = counter_at(now).saturating_add_signed(drift);
    // Every counter of the window is computed, match or not, so the time taken does not
    // tell which step matched.
    let mut accepted = None;
    let mut replayed = false;
    for counter in window(center, CHECK_WINDOW, CHECK_WINDOW) {
        if matches(seed, counter, code) {
            if last_used_counter.is_some_and(|last| counter <= last) {
                replayed = true;
            } else if accepted.is_none() {
                accepted = Some(counter);
            }
        }
    }
    match accepted {
        Some(counter) => Ok(counter),
        None if replayed => Err(MfaError::Replayed),
        None => Err(MfaError::InvalidCode),
    }
}

/// Finds the latest `c` in `candidates` with `code1` at `c` and `code2` at `c + 1`.
fn find_pair(
    seed: &TotpSeed,
    code1: &str,
    code2: &str,
    candidates: std::ops::RangeInclusive<u64>,
) -> Result<u64, MfaError> {
    let first = parse_code(code1)?;
    let second = parse_code(code2)?;
    let mut found = None;
    for c in candidates {
        let Some(next) = c.checked_add(1) else {
            continue;
        };
        // `&` not `&&`: both codes are computed for every candidate.
        if matches(seed, c, first) & matches(seed, next, second) {
            found = Some(next);
        }
    }
    found.ok_or(MfaError::InvalidCode)
}

/// Checks EnableMFADevice's `AuthenticationCode1` and `AuthenticationCode2`: two consecutive
/// codes, code1 at some counter `c` in `[now − 10, now + 1]` steps and code2 at `c + 1`
/// ([`ENABLE_WINDOW_PAST`], [`ENABLE_WINDOW_FUTURE`]; §(c) "EnableMFADevice").
///
/// Returns `c + 1`: store it as the device's `last_used_counter`, and
/// [`drift`]`(c + 1, now)` as its drift, so a late pair leaves the device usable rather
/// than "out of sync".
pub fn check_enable_pair(
    seed: &TotpSeed,
    code1: &str,
    code2: &str,
    now: i64,
) -> Result<u64, MfaError> {
    let candidates = window(counter_at(now), ENABLE_WINDOW_PAST, ENABLE_WINDOW_FUTURE);
    find_pair(seed, code1, code2, candidates)
}

/// Checks ResyncMFADevice's two consecutive codes, searching `c` within [`RESYNC_WINDOW`]
/// (±20 steps) of the undrifted current counter so that a device clock gone fast or slow is
/// found again. Both codes must come after `last_used_counter`, so a pair seen earlier cannot
/// be replayed to wind the device back.
///
/// Returns `c + 1`, stored as for [`check_enable_pair`] (new `last_used_counter` and
/// [`drift`]).
pub fn resync(
    seed: &TotpSeed,
    code1: &str,
    code2: &str,
    now: i64,
    last_used_counter: Option<u64>,
) -> Result<u64, MfaError> {
    let mut candidates = window(counter_at(now), RESYNC_WINDOW, RESYNC_WINDOW);
    if let Some(last) = last_used_counter {
        let lowest = last.saturating_add(1).max(*candidates.start());
        if lowest > *candidates.end() {
            return Err(MfaError::Replayed);
        }
        candidates = lowest..=*candidates.end();
    }
    find_pair(seed, code1, code2, candidates)
}

/// Percent-encodes everything outside RFC 3986's unreserved set (so a space is `%20`,
/// never `+`).
fn percent_encode(text: &str, out: &mut String) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// The `otpauth://` URI encoded in the QR code of a virtual MFA device, in AWS's layout
/// (§(c)) with Rampart as the issuer:
/// `otpauth://totp/Rampart:<DeviceName>@<AccountAliasOrId>?secret=<BASE32>&issuer=Rampart`.
///
/// `account_label` is the account alias if one is set, else the account id. Both label parts
/// are percent-encoded outside the unreserved set (device names may hold `+=,.@`), while the
/// `:` and `@` AWS puts between the parts are kept literal. The URI holds the seed, so it is
/// zeroed on drop.
///
/// ```
/// use rampart_core::mfa::{otpauth_uri, TotpSeed};
/// let seed = TotpSeed::from_base32("JBSWY3DPEHPK3PXP").unwrap();
/// assert_eq!(
///     otpauth_uri("alice", "123456789012", &seed).as_str(),
///     "otpauth://totp/Rampart:alice@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Rampart",
/// );
/// ```
pub fn otpauth_uri(device_name: &str, account_label: &str, seed: &TotpSeed) -> Zeroizing<String> {
    let secret = seed.base32();
    let mut uri = Zeroizing::new(String::with_capacity(128 + secret.len()));
    uri.push_str("otpauth://totp/");
    percent_encode(ISSUER, &mut uri);
    uri.push(':');
    percent_encode(device_name, &mut uri);
    uri.push('@');
    percent_encode(account_label, &mut uri);
    uri.push_str("?secret=");
    uri.push_str(&secret);
    uri.push_str("&issuer=");
    percent_encode(ISSUER, &mut uri);
    uri
}

/// A PNG image of the QR code of `uri`: AWS's `QRCodePNG` (the wire layer base64-encodes it).
///
/// Error correction level M, 4 pixels per module, a 4-module quiet zone, 1-bit greyscale,
/// with the image data in uncompressed (stored) deflate blocks: a few kilobytes for an
/// otpauth URI and no compression library to build.
pub fn qr_png(uri: &str) -> Result<Vec<u8>, MfaError> {
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| MfaError::QrEncoding)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QR_QUIET_MODULES) * QR_MODULE_PIXELS;
    let side_u32 = u32::try_from(side).map_err(|_| MfaError::QrEncoding)?;
    let row_bytes = side.div_ceil(8);

    // Raw scanlines: filter type 0 (None), then 1 bit per pixel, 1 = white.
    let mut raw = Vec::with_capacity(side * (row_bytes + 1));
    for y in 0..side {
        raw.push(0u8);
        let mut row = vec![0xffu8; row_bytes];
        let module_y = (y / QR_MODULE_PIXELS)
            .checked_sub(QR_QUIET_MODULES)
            .filter(|my| *my < modules);
        if let Some(my) = module_y {
            for x in 0..side {
                let module_x = (x / QR_MODULE_PIXELS)
                    .checked_sub(QR_QUIET_MODULES)
                    .filter(|mx| *mx < modules);
                let is_dark = module_x
                    .is_some_and(|mx| colors.get(my * modules + mx) == Some(&qrcode::Color::Dark));
                if is_dark && let Some(byte) = row.get_mut(x / 8) {
                    *byte &= !(0x80u8 >> (x % 8));
                }
            }
        }
        raw.extend_from_slice(&row);
    }

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&side_u32.to_be_bytes());
    ihdr.extend_from_slice(&side_u32.to_be_bytes());
    // Bit depth 1, colour type 0 (greyscale), deflate, adaptive filtering, no interlace.
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]);

    let mut png = Vec::with_capacity(raw.len() + 128);
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    png_chunk(&mut png, *b"IHDR", &ihdr);
    png_chunk(&mut png, *b"IDAT", &zlib_stored(&raw));
    png_chunk(&mut png, *b"IEND", &[]);
    Ok(png)
}

/// Appends a PNG chunk: length, type, data, CRC-32 of type and data.
fn png_chunk(out: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
    // Chunk data here is at most a few hundred kilobytes, far below u32::MAX.
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&kind);
    out.extend_from_slice(data);
    let crc = crc32(kind.iter().chain(data));
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream (RFC 1950) holding `data` in stored deflate blocks (RFC 1951 §3.2.4).
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    const MAX_BLOCK: usize = 65_535;
    let mut out = Vec::with_capacity(data.len() + data.len() / MAX_BLOCK * 5 + 16);
    // CMF: deflate, 32 KiB window; FLG: no dictionary, fastest, and (CMF·256 + FLG) % 31 == 0.
    out.extend_from_slice(&[0x78, 0x01]);
    let mut blocks = data.chunks(MAX_BLOCK).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        let last = blocks.peek().is_none();
        out.push(u8::from(last));
        // `chunks(MAX_BLOCK)` keeps every block within u16.
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), as PNG chunks use.
fn crc32<'a>(bytes: impl Iterator<Item = &'a u8>) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

/// Adler-32 (RFC 1950 §8), the zlib trailer.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for byte in chunk {
            a += u32::from(*byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_seed() -> TotpSeed {
        TotpSeed::from_bytes(b"12345678901234567890".to_vec())
    }

    /// The 40-byte seed of the reference's own vectors: `JBSWY3DPEHPK3PXP` four times.
    fn reference_seed() -> TotpSeed {
        TotpSeed::from_base32(&"JBSWY3DPEHPK3PXP".repeat(4)).unwrap()
    }

    const RFC_6238_SHA1: [(i64, u32); 6] = [
        (59, 94_287_082),
        (1_111_111_109, 7_081_804),
        (1_111_111_111, 14_050_471),
        (1_234_567_890, 89_005_924),
        (2_000_000_000, 69_279_037),
        (20_000_000_000, 65_353_130),
    ];

    #[test]
    fn rfc_6238_appendix_b_sha1_vectors_with_eight_digits() {
        let seed = rfc_seed();
        for (time, expected) in RFC_6238_SHA1 {
            assert_eq!(hotp(&seed, counter_at(time), 8), expected, "T = {time}");
        }
    }

    #[test]
    fn six_digit_codes_are_the_last_six_digits_of_the_rfc_vectors() {
        let seed = rfc_seed();
        for (time, expected) in RFC_6238_SHA1 {
            assert_eq!(
                code_for_time(&seed, time),
                expected % 1_000_000,
                "T = {time}"
            );
        }
        assert_eq!(format_code(code_for_time(&seed, 1_111_111_109)), "081804");
        assert_eq!(format_code(code_for_time(&seed, 1_234_567_890)), "005924");
        assert_eq!(format_code(code_for_time(&seed, 59)), "287082");
    }

    #[test]
    fn reference_vectors_for_a_forty_byte_seed() {
        let seed = reference_seed();
        assert_eq!(seed.expose().len(), SEED_LEN);
        assert_eq!(format_code(code_for_time(&seed, 1_699_999_970)), "072088");
        assert_eq!(format_code(code_for_time(&seed, 1_700_000_000)), "023539");
        assert_eq!(format_code(code_for_time(&seed, 1_700_000_030)), "674043");
        assert_eq!(format_code(code_for_time(&seed, 1_700_000_060)), "054935");
    }

    #[test]
    fn long_keys_are_hashed_first_as_hmac_requires() {
        // RFC 2104: a key longer than the 64-byte block gives the same MAC as its SHA-1 digest.
        let long = vec![7u8; 100];
        let digest: Vec<u8> = Sha1::digest(&long).to_vec();
        let a = TotpSeed::from_bytes(long);
        let b = TotpSeed::from_bytes(digest);
        assert_eq!(code_at(&a, 12_345), code_at(&b, 12_345));
    }

    #[test]
    fn hotp_digit_count_is_clamped() {
        let seed = rfc_seed();
        assert_eq!(hotp(&seed, 1, 0), hotp(&seed, 1, 1));
        assert_eq!(hotp(&seed, 1, 12), hotp(&seed, 1, 9));
        assert!(hotp(&seed, 1, 9) < 1_000_000_000);
    }

    #[test]
    fn counters_floor_and_clip_at_the_epoch() {
        assert_eq!(counter_at(0), 0);
        assert_eq!(counter_at(29), 0);
        assert_eq!(counter_at(30), 1);
        assert_eq!(counter_at(59), 1);
        assert_eq!(counter_at(-1), 0);
        assert_eq!(counter_at(1_700_000_000), 56_666_666);
        assert_eq!(drift(56_666_667, 1_700_000_000), 1);
        assert_eq!(drift(56_666_656, 1_700_000_000), -10);
        assert_eq!(
            drift(0, i64::MAX),
            -i64::try_from(counter_at(i64::MAX)).unwrap()
        );
    }

    #[test]
    fn generated_seeds_are_forty_bytes_and_sixty_four_base32_characters() {
        let seed = TotpSeed::generate();
        assert_eq!(seed.expose().len(), 40);
        let text = seed.base32();
        assert_eq!(text.len(), 64);
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        );
        assert_eq!(TotpSeed::from_base32(&text).unwrap(), seed);
        assert_ne!(TotpSeed::generate(), seed);
    }

    #[test]
    fn base32_parsing_accepts_lower_case_and_padding_and_refuses_junk() {
        let seed = TotpSeed::from_base32("jbswy3dpehpk3pxp").unwrap();
        assert_eq!(seed.expose(), b"Hello!\xde\xad\xbe\xef");
        assert_eq!(TotpSeed::from_base32("MZXW6===").unwrap().expose(), b"foo");
        assert!(TotpSeed::from_base32("not base32!").is_none());
        assert!(TotpSeed::from_base32("").is_none());
        assert_eq!(
            rfc_seed().base32().as_str(),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
    }

    #[test]
    fn debug_never_prints_the_seed() {
        let seed = reference_seed();
        let shown = format!("{seed:?}");
        assert_eq!(shown, "TotpSeed(<redacted>)");
        assert!(!shown.contains("JBSW"));
    }

    #[test]
    fn codes_must_be_six_ascii_digits() {
        let seed = reference_seed();
        for bad in [
            "",
            "02353",
            "0235390",
            "02353a",
            " 23539",
            "+23539",
            "-23539",
            "０２３５３９",
        ] {
            assert_eq!(
                check_code(&seed, bad, 1_700_000_000, 0, None),
                Err(MfaError::MalformedCode),
                "{bad:?}"
            );
        }
        assert_eq!(parse_code("000000"), Ok(0));
        assert_eq!(parse_code("023539"), Ok(23_539));
    }

    #[test]
    fn sign_in_accepts_the_current_code_and_one_step_either_side() {
        let seed = reference_seed();
        let now = 1_700_000_000; // counter 56666666
        assert_eq!(check_code(&seed, "023539", now, 0, None), Ok(56_666_666));
        assert_eq!(check_code(&seed, "072088", now, 0, None), Ok(56_666_665));
        assert_eq!(check_code(&seed, "674043", now, 0, None), Ok(56_666_667));
    }

    #[test]
    fn sign_in_refuses_codes_two_steps_away() {
        let seed = reference_seed();
        let now = 1_700_000_000;
        let two_back = format_code(code_at(&seed, 56_666_664));
        let two_ahead = format_code(code_at(&seed, 56_666_668));
        assert_eq!(two_ahead, "054935");
        assert_eq!(
            check_code(&seed, &two_back, now, 0, None),
            Err(MfaError::InvalidCode)
        );
        assert_eq!(
            check_code(&seed, &two_ahead, now, 0, None),
            Err(MfaError::InvalidCode)
        );
    }

    #[test]
    fn sign_in_window_moves_with_the_stored_drift() {
        let seed = reference_seed();
        let now = 1_700_000_000;
        // A device 5 steps slow: its code is for counter − 5.
        let slow = format_code(code_at(&seed, 56_666_661));
        assert_eq!(
            check_code(&seed, &slow, now, 0, None),
            Err(MfaError::InvalidCode)
        );
        assert_eq!(check_code(&seed, &slow, now, -5, None), Ok(56_666_661));
        assert_eq!(
            check_code(&seed, "023539", now, -5, None),
            Err(MfaError::InvalidCode)
        );
    }

    #[test]
    fn a_code_is_accepted_once() {
        let seed = reference_seed();
        let now = 1_700_000_000;
        let used = check_code(&seed, "023539", now, 0, None).unwrap();
        assert_eq!(
            check_code(&seed, "023539", now + 10, 0, Some(used)),
            Err(MfaError::Replayed)
        );
        // An older code still inside the window is a replay too.
        assert_eq!(
            check_code(&seed, "072088", now, 0, Some(used)),
            Err(MfaError::Replayed)
        );
        // The next step's code is fine.
        assert_eq!(
            check_code(&seed, "674043", now + 30, 0, Some(used)),
            Ok(56_666_667)
        );
    }

    #[test]
    fn a_wrong_code_is_invalid_not_replayed() {
        let seed = reference_seed();
        let now = 1_700_000_000;
        let wrong = if code_for_time(&seed, now) == 0 {
            "000001"
        } else {
            "000000"
        };
        assert_eq!(
            check_code(&seed, wrong, now, 0, Some(56_666_666)),
            Err(MfaError::InvalidCode)
        );
        assert_eq!(
            check_code(&rfc_seed(), "023539", now, 0, None),
            Err(MfaError::InvalidCode)
        );
    }

    #[test]
    fn enable_accepts_the_reference_pair() {
        let seed = reference_seed();
        let counter = check_enable_pair(&seed, "023539", "674043", 1_700_000_000).unwrap();
        assert_eq!(counter, 56_666_667);
        assert_eq!(drift(counter, 1_700_000_000), 1);
        // Typed at the step of code2: no drift.
        assert_eq!(
            drift(
                check_enable_pair(&seed, "023539", "674043", 1_700_000_030).unwrap(),
                1_700_000_030
            ),
            0
        );
    }

    #[test]
    fn enable_refuses_a_non_consecutive_or_reversed_pair() {
        let seed = reference_seed();
        let now = 1_700_000_000;
        assert_eq!(
            check_enable_pair(&seed, "072088", "674043", now),
            Err(MfaError::InvalidCode)
        );
        assert_eq!(
            check_enable_pair(&seed, "674043", "023539", now),
            Err(MfaError::InvalidCode)
        );
        assert_eq!(
            check_enable_pair(&seed, "023539", "023539", now),
            Err(MfaError::InvalidCode)
        );
        assert_eq!(
            check_enable_pair(&seed, "02353", "674043", now),
            Err(MfaError::MalformedCode)
        );
        assert_eq!(
            check_enable_pair(&seed, "023539", "67404x", now),
            Err(MfaError::MalformedCode)
        );
    }

    #[test]
    fn enable_window_is_ten_steps_back_and_one_ahead() {
        let seed = reference_seed();
        let now = 1_700_000_000;
        let c = counter_at(now);
        let pair = |first: u64| {
            (
                format_code(code_at(&seed, first)),
                format_code(code_at(&seed, first + 1)),
            )
        };
        for first in [c - 10, c - 1, c, c + 1] {
            let (a, b) = pair(first);
            assert_eq!(
                check_enable_pair(&seed, &a, &b, now),
                Ok(first + 1),
                "c = now{:+}",
                drift(first, now)
            );
        }
        for first in [c - 11, c + 2] {
            let (a, b) = pair(first);
            assert_eq!(
                check_enable_pair(&seed, &a, &b, now),
                Err(MfaError::InvalidCode),
                "c = now{:+}",
                drift(first, now)
            );
        }
    }

    #[test]
    fn late_enable_leaves_the_device_usable_through_its_drift() {
        let seed = reference_seed();
        // The pair was read off the phone 8 steps before it was submitted.
        let read_at = 1_700_000_000;
        let submitted = read_at + 8 * 30;
        let last = check_enable_pair(&seed, "023539", "674043", submitted).unwrap();
        let stored_drift = drift(last, submitted);
        assert_eq!(stored_drift, -7);
        // The device is really in sync, so its next code is 8 steps later than the pair
        // suggests; ±1 around the drifted counter does not reach it, which is the "out of
        // sync" AWS warns about and what Resync repairs.
        let next = format_code(code_at(&seed, counter_at(submitted)));
        assert_eq!(
            check_code(&seed, &next, submitted, stored_drift, Some(last)),
            Err(MfaError::InvalidCode)
        );
        let c = counter_at(submitted);
        let (a, b) = (
            format_code(code_at(&seed, c)),
            format_code(code_at(&seed, c + 1)),
        );
        let resynced = resync(&seed, &a, &b, submitted + 30, Some(last)).unwrap();
        assert_eq!(drift(resynced, submitted + 30), 0);
    }

    #[test]
    fn resync_finds_a_device_that_drifted_both_ways() {
        let seed = reference_seed();
        let now = 1_700_000_000;
        let c = counter_at(now);
        for first in [c - 20, c - 15, c + 12, c + 20] {
            let (a, b) = (
                format_code(code_at(&seed, first)),
                format_code(code_at(&seed, first + 1)),
            );
            let counter = resync(&seed, &a, &b, now, None).unwrap();
            assert_eq!(counter, first + 1);
            // After resync the device's next codes pass the sign-in check.
            let stored = drift(counter, now);
            let later = now + 60;
            let code = format_code(code_at(&seed, first + 3));
            assert_eq!(
                check_code(&seed, &code, later, stored, Some(counter)),
                Ok(first + 3)
            );
        }
        for first in [c - 21, c + 21] {
            let (a, b) = (
                format_code(code_at(&seed, first)),
                format_code(code_at(&seed, first + 1)),
            );
            assert_eq!(resync(&seed, &a, &b, now, None), Err(MfaError::InvalidCode));
        }
    }

    #[test]
    fn resync_refuses_a_pair_at_or_before_the_last_used_counter() {
        let seed = reference_seed();
        let now = 1_700_000_000;
        let c = counter_at(now);
        let (a, b) = (
            format_code(code_at(&seed, c)),
            format_code(code_at(&seed, c + 1)),
        );
        assert_eq!(
            resync(&seed, &a, &b, now, Some(c + 1)),
            Err(MfaError::InvalidCode)
        );
        assert_eq!(
            resync(&seed, &a, &b, now, Some(c)),
            Err(MfaError::InvalidCode)
        );
        assert_eq!(resync(&seed, &a, &b, now, Some(c - 1)), Ok(c + 1));
        assert_eq!(
            resync(&seed, &a, &b, now, Some(c + 100)),
            Err(MfaError::Replayed)
        );
        assert_eq!(
            resync(&seed, "12345", &b, now, None),
            Err(MfaError::MalformedCode)
        );
    }

    #[test]
    fn otpauth_uri_matches_aws_shape_and_encodes_the_label() {
        let seed = reference_seed();
        let secret = "JBSWY3DPEHPK3PXP".repeat(4);
        assert_eq!(
            otpauth_uri("root-account-mfa-device", "123456", &seed).as_str(),
            format!(
                "otpauth://totp/Rampart:root-account-mfa-device@123456?secret={secret}&issuer=Rampart"
            ),
        );
        assert_eq!(
            otpauth_uri("a+b=c,d.e@f_g", "my-alias", &seed).as_str(),
            format!(
                "otpauth://totp/Rampart:a%2Bb%3Dc%2Cd.e%40f_g@my-alias?secret={secret}&issuer=Rampart"
            ),
        );
        assert!(!otpauth_uri("x", "y", &seed).contains('+'));
    }

    fn chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
        let mut out = Vec::new();
        let mut rest = &png[8..];
        while !rest.is_empty() {
            let len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
            let kind: [u8; 4] = rest[4..8].try_into().unwrap();
            let data = rest[8..8 + len].to_vec();
            let crc = u32::from_be_bytes(rest[8 + len..12 + len].try_into().unwrap());
            assert_eq!(crc, crc32(kind.iter().chain(&data)));
            out.push((kind, data));
            rest = &rest[12 + len..];
        }
        out
    }

    #[test]
    fn qr_png_has_the_png_signature_and_a_square_one_bit_ihdr() {
        let uri = otpauth_uri("alice", "123456789012", &reference_seed());
        let png = qr_png(&uri).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let chunks = chunks(&png);
        let kinds: Vec<&[u8; 4]> = chunks.iter().map(|(k, _)| k).collect();
        assert_eq!(kinds, [b"IHDR", b"IDAT", b"IEND"]);
        let ihdr = &chunks[0].1;
        assert_eq!(ihdr.len(), 13);
        let width = u32::from_be_bytes(ihdr[0..4].try_into().unwrap());
        let height = u32::from_be_bytes(ihdr[4..8].try_into().unwrap());
        assert_eq!(width, height);
        let modules =
            qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
                .unwrap()
                .width();
        assert_eq!(width as usize, (modules + 8) * 4);
        assert_eq!(&ihdr[8..], &[1, 0, 0, 0, 0]);
        assert!(png.len() < 16_000, "{} bytes", png.len());
    }

    #[test]
    fn qr_png_decodes_to_the_qr_modules() {
        let uri = otpauth_uri("alice", "123456789012", &reference_seed());
        let png = qr_png(&uri).unwrap();
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(frame.color_type, png::ColorType::Grayscale);
        assert_eq!(frame.bit_depth, png::BitDepth::Eight);
        let side = frame.width as usize;
        let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
            .unwrap();
        let modules = code.width();
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / 4) as isize - 4, (y / 4) as isize - 4);
                let inside =
                    (0..modules as isize).contains(&mx) && (0..modules as isize).contains(&my);
                let dark = inside && code[(mx as usize, my as usize)] == qrcode::Color::Dark;
                let expected = if dark { 0 } else { 255 };
                assert_eq!(
                    pixels[y * frame.line_size + x],
                    expected,
                    "pixel ({x}, {y})"
                );
            }
        }
    }

    #[test]
    fn qr_png_refuses_data_too_long_for_a_qr_code() {
        assert_eq!(qr_png(&"x".repeat(5000)), Err(MfaError::QrEncoding));
    }

    #[test]
    fn zlib_stream_splits_large_data_into_stored_blocks() {
        let data = vec![0xabu8; 70_000];
        let z = zlib_stored(&data);
        assert_eq!(&z[..2], &[0x78, 0x01]);
        assert_eq!((0x78u32 * 256 + 0x01) % 31, 0);
        assert_eq!(z[2], 0); // first block not final
        assert_eq!(u16::from_le_bytes([z[3], z[4]]), 65_535);
        let second = 2 + 5 + 65_535;
        assert_eq!(z[second], 1);
        assert_eq!(u16::from_le_bytes([z[second + 1], z[second + 2]]), 4_465);
        assert_eq!(z.len(), 2 + 5 + 65_535 + 5 + 4_465 + 4);
        assert_eq!(
            zlib_stored(&[]),
            [0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0, 0, 0, 1]
        );
    }

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"123456789".iter()), 0xcbf4_3926);
        assert_eq!(crc32(b"IEND".iter()), 0xae42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        assert_eq!(adler32(&[]), 1);
        let big = vec![0xffu8; 100_000];
        // Reference: the modular sums computed without chunking.
        let (mut a, mut b) = (1u64, 0u64);
        for byte in &big {
            a = (a + u64::from(*byte)) % 65_521;
            b = (b + a) % 65_521;
        }
        assert_eq!(adler32(&big), ((b << 16) | a) as u32);
    }

    #[test]
    fn aws_messages_are_verbatim() {
        assert_eq!(
            INVALID_AUTHENTICATION_CODE_MESSAGE,
            "Authentication code for device is not valid."
        );
        assert!(STS_MFA_FAILED_MESSAGE.contains("MFA code.  Please verify"));
    }
}
