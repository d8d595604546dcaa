//! The canonical request and the string to sign (sigv4.md §4, §5).
//!
//! Owns the byte-exact rules: path normalisation and double encoding, query
//! sorting and re-encoding, canonical headers, payload hash. It must not decide
//! whether a request is acceptable beyond what building these strings needs.

use crate::HttpRequest;
use crate::encoding::{query_decode, sha256_hex, uri_encode, uri_encode_into};
use crate::error::SigV4Error;

/// The algorithm name that starts the string to sign and the `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// SHA-256 of the empty string, the payload hash of a request without a body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The canonical URI of a raw (still percent-encoded) path, for non-S3 services.
///
/// sigv4.md §4.2: empty is `/`; drop empty and `.` segments, resolve `..`, keep
/// the leading `/` and a trailing `/` (if something is left), then
/// percent-encode again, so `%` becomes `%25` ("double encoding").
///
/// ```
/// use rampart_sigv4::canonical_uri;
/// assert_eq!(canonical_uri(""), "/");
/// assert_eq!(canonical_uri("/documents%20and%20settings/"), "/documents%2520and%2520settings/");
/// assert_eq!(canonical_uri("/a/./b/../c//d"), "/a/c/d");
/// ```
#[must_use]
pub fn canonical_uri(raw_path: &str) -> String {
    if raw_path.is_empty() {
        return "/".to_owned();
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in raw_path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut normalized = String::with_capacity(raw_path.len());
    if raw_path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(&segments.join("/"));
    // Same as botocore's remove_dot_segments: a trailing '/' survives only if
    // some segment is left ("/a/.." is "/", "/a/" is "/a/").
    if raw_path.ends_with('/') && !segments.is_empty() {
        normalized.push('/');
    }
    uri_encode(normalized.as_bytes(), true)
}

/// Decoded query parameters, `(name, value)` bytes in received order.
pub(crate) type QueryPairs = Vec<(Vec<u8>, Vec<u8>)>;

/// Splits and decodes a raw query string into `(name, value)` byte pairs.
///
/// Items are split on `&`, then on the first `=` (no `=`: empty value); empty
/// items (`a=1&&b=2`) are skipped. Errors are AWS's `MalformedQueryString`.
pub(crate) fn decode_query(raw_query: &str) -> Result<QueryPairs, SigV4Error> {
    let mut pairs = Vec::new();
    for item in raw_query.split('&') {
        if item.is_empty() {
            continue;
        }
        let (name, value) = item.split_once('=').unwrap_or((item, ""));
        pairs.push((query_decode(name)?, query_decode(value)?));
    }
    Ok(pairs)
}

/// The canonical query string of a raw query (sigv4.md §4.3).
///
/// Decodes each name and value, re-encodes them (everything but
/// `A-Z a-z 0-9 - _ . ~` as upper-case `%XX`), sorts by name then value and
/// joins with `&`. With `presigned`, `X-Amz-Signature` is left out.
///
/// ```
/// use rampart_sigv4::canonical_query_string;
/// assert_eq!(canonical_query_string("b=2&a=x%2fy&a=&c", false).unwrap(), "a=&a=x%2Fy&b=2&c=");
/// ```
///
/// # Errors
/// `MalformedQueryString` ([`SigV4Error::IllegalQueryEscape`],
/// [`SigV4Error::IncompleteQueryEscape`]) for a bad `%` escape.
pub fn canonical_query_string(raw_query: &str, presigned: bool) -> Result<String, SigV4Error> {
    let pairs = decode_query(raw_query)?;
    Ok(canonical_query_from_pairs(
        pairs
            .iter()
            .filter(|(name, _)| !(presigned && name.as_slice() == b"X-Amz-Signature"))
            .map(|(name, value)| (name.as_slice(), value.as_slice())),
    ))
}

/// Encodes, sorts and joins decoded `(name, value)` pairs.
pub(crate) fn canonical_query_from_pairs<'p>(
    pairs: impl Iterator<Item = (&'p [u8], &'p [u8])>,
) -> String {
    let mut encoded: Vec<(String, String)> = pairs
        .map(|(name, value)| (uri_encode(name, false), uri_encode(value, false)))
        .collect();
    encoded.sort_unstable();
    let mut out = String::new();
    for (i, (name, value)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Appends one header value trimmed, with internal whitespace runs collapsed to one space.
fn push_trimmed(out: &mut String, value: &str) {
    for (i, word) in value.split_ascii_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// The canonical value of header `name` (lowercase): every occurrence,
/// case-insensitively, trimmed and collapsed, joined with `,` in received
/// order; `None` if absent. `host` falls back to HTTP/2's `:authority`.
#[must_use]
pub fn canonical_header_value(headers: &[(&str, &str)], name: &str) -> Option<String> {
    let value = collect_header(headers, name);
    if value.is_none() && name == "host" {
        return collect_header(headers, ":authority");
    }
    value
}

fn collect_header(headers: &[(&str, &str)], name: &str) -> Option<String> {
    let mut out: Option<String> = None;
    for (_, value) in headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)) {
        let buf = match out.as_mut() {
            Some(buf) => {
                buf.push(',');
                buf
            }
            None => out.insert(String::with_capacity(value.len())),
        };
        push_trimmed(buf, value);
    }
    out
}

/// Where the payload hash of the canonical request comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PayloadHash {
    /// The client's `x-amz-content-sha256` value, used literally (sigv4.md §4.5).
    Claimed(String),
    /// SHA-256 of the body as received.
    Computed(String),
}

impl PayloadHash {
    /// The hash as it goes into the canonical request.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Claimed(h) | Self::Computed(h) => h,
        }
    }
}

/// The payload hash line of `req`: `x-amz-content-sha256` if sent, else the body's SHA-256.
pub(crate) fn payload_hash(req: &HttpRequest<'_>) -> PayloadHash {
    match canonical_header_value(req.headers, "x-amz-content-sha256") {
        Some(claimed) => PayloadHash::Claimed(claimed),
        None => PayloadHash::Computed(sha256_hex(req.body)),
    }
}

/// Everything but the request itself that the canonical request needs.
pub(crate) struct CanonicalInput<'s> {
    /// Lowercase names, in the client's order.
    pub(crate) signed_headers: &'s [String],
    /// The `SignedHeaders` line, verbatim.
    pub(crate) signed_headers_line: &'s str,
    /// The canonical query string, already built.
    pub(crate) canonical_query: &'s str,
    /// The payload hash line.
    pub(crate) payload_hash: &'s str,
    /// Headers to use when the request lacks them (client-side signing only).
    pub(crate) fallback_headers: &'s [(&'s str, &'s str)],
    /// Sign an absent header as empty (client side) instead of failing (server side).
    pub(crate) allow_missing: bool,
}

/// Builds the canonical request (sigv4.md §4). `None` when a signed header is
/// absent and `allow_missing` is off: such a request cannot match (§4.4).
pub(crate) fn build_canonical_request(
    req: &HttpRequest<'_>,
    input: &CanonicalInput<'_>,
) -> Option<String> {
    let mut out = String::with_capacity(
        256 + req.path.len() + input.canonical_query.len() + input.signed_headers_line.len() * 2,
    );
    out.push_str(req.method);
    out.push('\n');
    out.push_str(&canonical_uri(req.path));
    out.push('\n');
    out.push_str(input.canonical_query);
    out.push('\n');
    for name in input.signed_headers {
        let value = canonical_header_value(req.headers, name)
            .or_else(|| canonical_header_value(input.fallback_headers, name));
        let value = match value {
            Some(v) => v,
            None if input.allow_missing => String::new(),
            None => return None,
        };
        out.push_str(name);
        out.push(':');
        out.push_str(&value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(input.signed_headers_line);
    out.push('\n');
    out.push_str(input.payload_hash);
    Some(out)
}

/// The string to sign (sigv4.md §5).
#[must_use]
pub fn string_to_sign(amz_date: &str, credential_scope: &str, canonical_request: &str) -> String {
    let mut out =
        String::with_capacity(ALGORITHM.len() + amz_date.len() + credential_scope.len() + 68);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(amz_date);
    out.push('\n');
    out.push_str(credential_scope);
    out.push('\n');
    out.push_str(&sha256_hex(canonical_request.as_bytes()));
    out
}

/// Encodes one query component the AWS way (for building presigned URLs).
pub(crate) fn encode_query_component(out: &mut String, bytes: &[u8]) {
    uri_encode_into(out, bytes, false);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_normalisation_follows_botocore() {
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("//"), "/");
        assert_eq!(canonical_uri("/a/.."), "/");
        assert_eq!(canonical_uri("/a/../.."), "/");
        assert_eq!(canonical_uri("/a/."), "/a");
        assert_eq!(canonical_uri("/a/b/"), "/a/b/");
        assert_eq!(
            canonical_uri("/putAlternateContact"),
            "/putAlternateContact"
        );
        assert_eq!(canonical_uri("/a%2Fb"), "/a%252Fb");
        assert_eq!(canonical_uri("/ü"), "/%C3%BC");
        assert_eq!(canonical_uri("/example space/"), "/example%20space/");
    }

    #[test]
    fn query_is_sorted_and_reencoded() {
        assert_eq!(canonical_query_string("", false).unwrap(), "");
        assert_eq!(
            canonical_query_string("Param2=value2&Param1=value1", false).unwrap(),
            "Param1=value1&Param2=value2"
        );
        assert_eq!(
            canonical_query_string("Param1=value2&Param1=Value1", false).unwrap(),
            "Param1=Value1&Param1=value2"
        );
        assert_eq!(
            canonical_query_string("a=b c&x=%7e%2F=", false).unwrap(),
            "a=b%20c&x=~%2F%3D"
        );
        assert_eq!(
            canonical_query_string("X-Amz-Signature=abc&a=1", true).unwrap(),
            "a=1"
        );
        assert_eq!(
            canonical_query_string("X-Amz-Signature=abc&a=1", false).unwrap(),
            "X-Amz-Signature=abc&a=1"
        );
        assert!(canonical_query_string("a=%g0", false).is_err());
    }

    #[test]
    fn header_values_trimmed_collapsed_joined() {
        let headers = [
            ("My-Header1", "  value1  "),
            ("my-header2", "\"a   b   c\""),
            ("MY-HEADER1", "value2\t  value3"),
            (":authority", "h2.example"),
        ];
        assert_eq!(
            canonical_header_value(&headers, "my-header1").unwrap(),
            "value1,value2 value3"
        );
        assert_eq!(
            canonical_header_value(&headers, "my-header2").unwrap(),
            "\"a b c\""
        );
        assert_eq!(
            canonical_header_value(&headers, "host").unwrap(),
            "h2.example"
        );
        assert_eq!(canonical_header_value(&headers, "absent"), None);
    }
}
