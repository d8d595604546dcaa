//! Client-side signing, for tests and tools: the "hand signer" that can send
//! what SDKs will not (old dates, odd header sets).
//!
//! Not used by the server's verification path. Builds the same canonical
//! request as [`verify`](crate::verify) does, from the same code.

use crate::HttpRequest;
use crate::canonical::{
    ALGORITHM, CanonicalInput, build_canonical_request, canonical_query_from_pairs,
    canonical_query_string, decode_query, encode_query_component, payload_hash, string_to_sign,
};
use crate::signing_key::{derive_signing_key, signature_hex};

/// Lowercased, sorted, de-duplicated header names and the `SignedHeaders` line.
fn signed_header_list(names: &[&str]) -> (Vec<String>, String) {
    let mut list: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    list.sort_unstable();
    list.dedup();
    let line = list.join(";");
    (list, line)
}

fn scope_date(amz_date: &str) -> &str {
    amz_date.get(..8).unwrap_or(amz_date)
}

/// Signs `req` with header auth and returns the `Authorization` header value.
///
/// `signed_header_names` (any case and order) are lowercased, sorted and
/// de-duplicated; exactly those are signed, so `host` can be left out on
/// purpose. Values come from `req.headers`; `x-amz-date` (= `amz_date`) and
/// `x-amz-security-token` (= `security_token`) are used when listed but not in
/// `req.headers` (the caller must then send them). A listed header that is
/// nowhere is signed as empty. The payload hash is `x-amz-content-sha256` when
/// present, else the body's SHA-256. A query with a bad `%` escape is signed as
/// if empty (the server rejects it as `MalformedQueryString` anyway).
///
/// ```
/// use rampart_sigv4::{sign, HttpRequest};
/// let headers = [
///     ("Host", "iam.amazonaws.com"),
///     ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
///     ("X-Amz-Date", "20150830T123600Z"),
/// ];
/// let req = HttpRequest { method: "POST", path: "/", query: "", headers: &headers,
///     body: b"Action=ListUsers&Version=2010-05-08" };
/// let auth = sign(&req, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
///     "us-east-1", "iam", "20150830T123600Z", None, &["content-type", "host", "x-amz-date"]);
/// assert!(auth.ends_with("Signature=5d76d0de3e0ffe5a7a23cfce21b99d6f4e5060aad86bd9dc7c617f224e5b492a"));
/// ```
#[expect(
    clippy::too_many_arguments,
    reason = "shape fixed by the server's hand-signer contract"
)]
#[must_use]
pub fn sign(
    req: &HttpRequest<'_>,
    access_key_id: &str,
    secret_access_key: &str,
    region: &str,
    service: &str,
    amz_date: &str,
    security_token: Option<&str>,
    signed_header_names: &[&str],
) -> String {
    let (names, line) = signed_header_list(signed_header_names);
    let query = canonical_query_string(req.query, false).unwrap_or_default();
    let signature = compute(
        req,
        secret_access_key,
        region,
        service,
        amz_date,
        security_token,
        &names,
        &line,
        &query,
    );
    format!(
        "{ALGORITHM} Credential={access_key_id}/{}/{region}/{service}/aws4_request, SignedHeaders={line}, Signature={signature}",
        scope_date(amz_date)
    )
}

#[expect(
    clippy::too_many_arguments,
    reason = "private helper shared by sign and presign"
)]
fn compute(
    req: &HttpRequest<'_>,
    secret_access_key: &str,
    region: &str,
    service: &str,
    amz_date: &str,
    security_token: Option<&str>,
    names: &[String],
    line: &str,
    canonical_query: &str,
) -> String {
    let mut fallback: Vec<(&str, &str)> = vec![("x-amz-date", amz_date)];
    if let Some(token) = security_token {
        fallback.push(("x-amz-security-token", token));
    }
    let hash = payload_hash(req);
    let canonical = build_canonical_request(
        req,
        &CanonicalInput {
            signed_headers: names,
            signed_headers_line: line,
            canonical_query,
            payload_hash: hash.as_str(),
            fallback_headers: &fallback,
            allow_missing: true,
        },
    )
    .unwrap_or_default();
    let date = scope_date(amz_date);
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let key = derive_signing_key(secret_access_key.as_bytes(), date, region, service);
    signature_hex(&key, &string_to_sign(amz_date, &scope, &canonical))
}

/// Presigns `req` (query auth, sigv4.md §7) and returns the complete query
/// string to send after `?`: `req.query` followed by `X-Amz-Algorithm`,
/// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
/// `X-Amz-Security-Token` (when given) and finally `X-Amz-Signature`.
///
/// Header handling is as in [`sign`]; the payload hash is the body's SHA-256
/// (botocore hashes the then-empty body for non-S3 presigned URLs).
#[expect(clippy::too_many_arguments, reason = "mirrors sign plus the expiry")]
#[must_use]
pub fn presign(
    req: &HttpRequest<'_>,
    access_key_id: &str,
    secret_access_key: &str,
    region: &str,
    service: &str,
    amz_date: &str,
    expires_secs: i64,
    security_token: Option<&str>,
    signed_header_names: &[&str],
) -> String {
    let (names, line) = signed_header_list(signed_header_names);
    let credential = format!(
        "{access_key_id}/{}/{region}/{service}/aws4_request",
        scope_date(amz_date)
    );
    let expires = expires_secs.to_string();
    let mut added: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", &expires),
        ("X-Amz-SignedHeaders", &line),
    ];
    if let Some(token) = security_token {
        added.push(("X-Amz-Security-Token", token));
    }
    let existing = decode_query(req.query).unwrap_or_default();
    let canonical_query = canonical_query_from_pairs(
        existing
            .iter()
            .map(|(n, v)| (n.as_slice(), v.as_slice()))
            .chain(added.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes()))),
    );
    let signature = compute(
        req,
        secret_access_key,
        region,
        service,
        amz_date,
        security_token,
        &names,
        &line,
        &canonical_query,
    );
    let mut query = req.query.to_owned();
    added.push(("X-Amz-Signature", &signature));
    for (name, value) in added {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(name);
        query.push('=');
        encode_query_component(&mut query, value.as_bytes());
    }
    query
}
