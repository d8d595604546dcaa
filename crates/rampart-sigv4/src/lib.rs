//! Server-side verification of AWS Signature Version 4 (SigV4), as IAM, STS,
//! Organizations, Account and CloudTrail clients send it
//! (`shared/reference/sigv4.md`).
//!
//! Two phases, so that the server looks up the secret in between:
//!
//! 1. [`parse`] (or [`parse_at`]) reads what the client claims from the
//!    `Authorization` header or the presigned `X-Amz-*` query parameters into a
//!    [`SignedRequest`];
//! 2. the server checks the scope ([`SignedRequest::check_scope`]), finds the
//!    secret for [`SignedRequest::access_key_id`], then [`verify`] recomputes
//!    the signature with `now` passed in and compares in constant time.
//!
//! This crate is pure: no I/O, no async, no clock reads, no logging. It never
//! looks up keys or sessions (`InvalidClientTokenId`, `ExpiredToken` are the
//! server's) and never puts a secret, a derived key or an expected signature
//! into an error. [`sign`] and [`presign`] are the client side, for tests and
//! tools.

mod canonical;
mod encoding;
mod error;
mod parse;
mod sign;
mod signing_key;
mod time;
mod verify;

pub use canonical::{
    ALGORITHM, EMPTY_PAYLOAD_SHA256, canonical_header_value, canonical_query_string, canonical_uri,
    string_to_sign,
};
pub use error::{SigV4Error, SigV4ErrorKind};
pub use parse::{
    AuthForm, MAX_CLOCK_SKEW_SECS, MAX_PRESIGNED_EXPIRES_SECS, SignedRequest, parse, parse_at,
};
pub use sign::{presign, sign};
pub use signing_key::{DEFAULT_CACHE_CAPACITY, SigningKeyCache, derive_signing_key, signature_hex};
pub use time::{format_amz_date, parse_amz_date, parse_http_date};
pub use verify::{canonical_request, expected_signature, verify};

/// The parts of an HTTP request that SigV4 covers. Borrowed, no copies.
#[derive(Debug, Clone, Copy)]
pub struct HttpRequest<'a> {
    /// The method as received, e.g. `POST`.
    pub method: &'a str,
    /// The raw path exactly as received (still percent-encoded), without the query.
    pub path: &'a str,
    /// The raw query string without the `?`; `""` if none.
    pub query: &'a str,
    /// Headers as received: any case, repeated names allowed, in order. For
    /// HTTP/2 include `:authority`, which stands in for `host`.
    pub headers: &'a [(&'a str, &'a str)],
    /// The whole body (the server reads and caps it before verifying).
    pub body: &'a [u8],
}
