//! Phase 2: recompute the signature with the secret the server looked up and
//! compare it in constant time (sigv4.md §3 rows 9–12 and 15, §4–§6).
//!
//! Takes `now` as a parameter and never reads the clock; never logs or returns
//! the expected signature, the signing key or the canonical request.

use subtle::ConstantTimeEq;

use crate::HttpRequest;
use crate::canonical::{
    CanonicalInput, PayloadHash, build_canonical_request, canonical_query_string, payload_hash,
    string_to_sign,
};
use crate::encoding::sha256_hex;
use crate::error::SigV4Error;
use crate::parse::{AuthForm, SignedRequest};
use crate::signing_key::{SigningKeyCache, derive_signing_key, signature_hex};

/// The canonical request the client should have signed, for diagnostics and
/// tests (sigv4.md §4). Contains no secret, but may contain a session token
/// (signed header or query): do not echo it to clients.
///
/// # Errors
/// `MalformedQueryString` for a bad query; [`SigV4Error::SignatureMismatch`]
/// when a signed header is absent from the request.
pub fn canonical_request(req: &HttpRequest<'_>, signed: &SignedRequest) -> Result<String, SigV4Error> {
    let query = canonical_query_string(req.query, signed.form == AuthForm::Query)?;
    let hash = payload_hash(req);
    build_canonical_request(
        req,
        &CanonicalInput {
            signed_headers: &signed.signed_headers,
            signed_headers_line: &signed.signed_headers_line,
            canonical_query: &query,
            payload_hash: hash.as_str(),
            fallback_headers: &[],
            allow_missing: false,
        },
    )
    .ok_or(SigV4Error::SignatureMismatch)
}

/// Verifies the signature of `req` against `signed` (from [`parse`](crate::parse))
/// with the secret the server looked up for `signed.access_key_id`.
///
/// Order of checks (AWS's, sigv4.md §3): ±15 minute window and presigned
/// expiry ([`SignedRequest::check_time`]); scope terminator and date (the
/// region and service are the server's to check with
/// [`SignedRequest::check_scope`]); `x-amz-content-sha256` not
/// `UNSIGNED-PAYLOAD`/`STREAMING-*`; recomputed signature equal, compared in
/// constant time; a claimed `x-amz-content-sha256` equal to the body's hash.
/// The signing key comes from `cache` when present there, and is cached only
/// when the signature matched.
///
/// ```
/// use rampart_sigv4::{parse, sign, verify, HttpRequest, SigningKeyCache};
/// let headers = [
///     ("Host", "iam.amazonaws.com"),
///     ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
///     ("X-Amz-Date", "20150830T123600Z"),
/// ];
/// let body = b"Action=ListUsers&Version=2010-05-08";
/// let unsigned = HttpRequest { method: "POST", path: "/", query: "", headers: &headers, body };
/// let auth = sign(&unsigned, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
///     "us-east-1", "iam", "20150830T123600Z", None, &["content-type", "host", "x-amz-date"]);
/// let mut with_auth = headers.to_vec();
/// with_auth.push(("Authorization", &auth));
/// let req = HttpRequest { headers: &with_auth, ..unsigned };
/// let signed = parse(&req).unwrap();
/// let now = rampart_sigv4::parse_amz_date("20150830T124000Z").unwrap();
/// let cache = SigningKeyCache::default();
/// verify(&req, &signed, b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", now, &cache).unwrap();
/// let err = verify(&req, &signed, b"wrong secret", now, &cache).unwrap_err();
/// assert_eq!(err.code(), "SignatureDoesNotMatch");
/// ```
///
/// # Errors
/// See [`SigV4Error`]; a wrong secret or any change to a signed part of the
/// request is [`SigV4Error::SignatureMismatch`].
pub fn verify(
    req: &HttpRequest<'_>,
    signed: &SignedRequest,
    secret_access_key: &[u8],
    now: i64,
    cache: &SigningKeyCache,
) -> Result<(), SigV4Error> {
    signed.check_time(now)?;
    signed.scope_problems(None, None)?;
    let hash = payload_hash(req);
    if let PayloadHash::Claimed(value) = &hash
        && (value == "UNSIGNED-PAYLOAD" || value.starts_with("STREAMING-"))
    {
        // S3-only features (sigv4.md §4.5): none of our services takes them.
        return Err(SigV4Error::UnsupportedPayloadHash { value: value.clone() });
    }
    let query = canonical_query_string(req.query, signed.form == AuthForm::Query)?;
    let canonical = build_canonical_request(
        req,
        &CanonicalInput {
            signed_headers: &signed.signed_headers,
            signed_headers_line: &signed.signed_headers_line,
            canonical_query: &query,
            payload_hash: hash.as_str(),
            fallback_headers: &[],
            allow_missing: false,
        },
    )
    .ok_or(SigV4Error::SignatureMismatch)?;
    let to_sign = string_to_sign(&signed.amz_date, &signed.credential_scope(), &canonical);
    let (slot, fingerprint, signing_key) = cache.get_or_derive(
        &signed.access_key_id,
        secret_access_key,
        &signed.scope_date,
        &signed.region,
        &signed.service,
    );
    let expected = signature_hex(&signing_key, &to_sign);
    if !bool::from(expected.as_bytes().ct_eq(signed.signature.as_bytes())) {
        return Err(SigV4Error::SignatureMismatch);
    }
    if let Some(slot) = slot {
        cache.insert(slot, fingerprint, signing_key);
    }
    if let PayloadHash::Claimed(value) = &hash
        && !value.eq_ignore_ascii_case(&sha256_hex(req.body))
    {
        return Err(SigV4Error::PayloadHashMismatch);
    }
    Ok(())
}

/// The signature the client should have sent, for tests and tools. Never send
/// it to a client or log it: it would let an observer replay the request.
///
/// # Errors
/// As [`canonical_request`].
pub fn expected_signature(
    req: &HttpRequest<'_>,
    signed: &SignedRequest,
    secret_access_key: &[u8],
) -> Result<String, SigV4Error> {
    let canonical = canonical_request(req, signed)?;
    let to_sign = string_to_sign(&signed.amz_date, &signed.credential_scope(), &canonical);
    let key = derive_signing_key(
        secret_access_key,
        &signed.scope_date,
        &signed.region,
        &signed.service,
    );
    Ok(signature_hex(&key, &to_sign))
}
