//! Byte-level encodings SigV4 needs: lowercase hex, AWS URI percent-encoding
//! and decoding, SHA-256 as hex.
//!
//! Owns no policy: callers decide what to encode (sigv4.md §4.2, §4.3).

use sha2::{Digest, Sha256};

use crate::error::SigV4Error;

/// One hex digit, lowercase.
fn nibble_lower(n: u8) -> char {
    char::from_digit(u32::from(n & 0x0f), 16).unwrap_or('0')
}

/// One hex digit, uppercase (percent-encoding uses upper case, sigv4.md §4.2).
fn nibble_upper(n: u8) -> char {
    nibble_lower(n).to_ascii_uppercase()
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(nibble_lower(b >> 4));
        out.push(nibble_lower(b));
    }
    out
}

/// Lowercase hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex_lower(&Sha256::digest(data))
}

/// The value of one hex digit, any case.
fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Appends `bytes` percent-encoded the AWS way: every byte except
/// `A-Z a-z 0-9 - _ . ~` (and `/` when `keep_slash`) becomes `%XX`, upper-case.
pub(crate) fn uri_encode_into(out: &mut String, bytes: &[u8], keep_slash: bool) {
    for &b in bytes {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(nibble_upper(b >> 4));
            out.push(nibble_upper(b));
        }
    }
}

/// Percent-encodes `bytes` the AWS way (see [`uri_encode_into`]).
pub(crate) fn uri_encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(bytes.len());
    uri_encode_into(&mut out, bytes, keep_slash);
    out
}

/// Decodes one query-string component.
///
/// `+` becomes a space, as aws-sdk-rust reads it; no SDK emits a bare `+` for
/// these services (sigv4.md §4.3 step 2). Bad escapes are AWS's
/// `MalformedQueryString` errors (sigv4.md §3 row 1).
pub(crate) fn query_decode(s: &str) -> Result<Vec<u8>, SigV4Error> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(c) = bytes.next() {
        match c {
            b'%' => match (bytes.next(), bytes.next()) {
                (Some(hi), Some(lo)) => match (hex_value(hi), hex_value(lo)) {
                    (Some(h), Some(l)) => out.push((h << 4) | l),
                    _ => {
                        return Err(SigV4Error::IllegalQueryEscape {
                            pattern: format!("%{}", String::from_utf8_lossy(&[hi, lo])),
                        });
                    }
                },
                _ => return Err(SigV4Error::IncompleteQueryEscape),
            },
            b'+' => out.push(b' '),
            other => out.push(other),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_sha() {
        assert_eq!(hex_lower(&[0x00, 0xab, 0xff]), "00abff");
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn encode_keeps_unreserved_only() {
        assert_eq!(uri_encode(b"a b/c=d~-_.%", false), "a%20b%2Fc%3Dd~-_.%25");
        assert_eq!(uri_encode(b"/a b/", true), "/a%20b/");
        assert_eq!(uri_encode("é".as_bytes(), false), "%C3%A9");
    }

    #[test]
    fn decode_reports_aws_errors() {
        assert_eq!(query_decode("a%2Fb+c").unwrap(), b"a/b c");
        assert_eq!(
            query_decode("a%zz").unwrap_err().to_string(),
            "Illegal hex character in escape % pattern: %zz"
        );
        assert_eq!(
            query_decode("a%2").unwrap_err(),
            SigV4Error::IncompleteQueryEscape
        );
        assert_eq!(
            query_decode("%").unwrap_err(),
            SigV4Error::IncompleteQueryEscape
        );
    }
}
