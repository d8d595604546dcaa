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
pub fn canonical_request(
    req: &HttpRequest<'_>,
    signed: &SignedRequest,
) -> Result<String, SigV4Error> {
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
        return Err(SigV4Error::UnsupportedPayloadHash {
            value: value.clone(),
        });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{format_amz_date, parse, parse_amz_date, presign, sign};
    use proptest::prelude::*;

    const AKID: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const NOW: i64 = 1_440_938_160; // 20150830T123600Z
    const BODY: &[u8] = b"Action=ListUsers&Version=2010-05-08";

    /// Signs an IAM request dated `amz_date` with header auth and verifies it at `now`.
    fn signed_at(amz_date: &str, now: i64) -> Result<(), SigV4Error> {
        let base = [("Host", "iam.amazonaws.com"), ("X-Amz-Date", amz_date)];
        let unsigned = HttpRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &base,
            body: BODY,
        };
        let auth = sign(
            &unsigned,
            AKID,
            SECRET,
            "us-east-1",
            "iam",
            amz_date,
            None,
            &["host", "x-amz-date"],
        );
        let mut headers = base.to_vec();
        headers.push(("Authorization", &auth));
        let req = HttpRequest {
            headers: &headers,
            ..unsigned
        };
        let signed = parse(&req)?;
        verify(
            &req,
            &signed,
            SECRET.as_bytes(),
            now,
            &SigningKeyCache::default(),
        )
    }

    fn minutes(m: i64) -> String {
        format_amz_date(NOW + m * 60)
    }

    #[test]
    fn verify_rejects_date_16_minutes_ahead() {
        let err = signed_at(&minutes(16), NOW).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Signature not yet current: 20150830T125200Z is still later than 20150830T125100Z (20150830T123600Z + 15 min.)"
        );
        assert_eq!(
            (err.code(), err.http_status()),
            ("SignatureDoesNotMatch", 403)
        );
    }

    #[test]
    fn verify_rejects_date_16_minutes_behind() {
        let err = signed_at(&minutes(-16), NOW).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Signature expired: 20150830T122000Z is now earlier than 20150830T122100Z (20150830T123600Z - 15 min.)"
        );
        assert_eq!(
            (err.code(), err.http_status()),
            ("SignatureDoesNotMatch", 403)
        );
    }

    #[test]
    fn verify_accepts_14_minutes_either_way_and_exactly_15() {
        for m in [-15, -14, 0, 14, 15] {
            signed_at(&minutes(m), NOW).unwrap();
        }
    }

    #[test]
    fn verify_skew_messages_match_reference_to_the_second() {
        let err = signed_at("20150830T122059Z", NOW).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Signature expired: 20150830T122059Z is now earlier than 20150830T122100Z (20150830T123600Z - 15 min.)"
        );
        let err = signed_at("20150830T125101Z", NOW).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Signature not yet current: 20150830T125101Z is still later than 20150830T125100Z (20150830T123600Z + 15 min.)"
        );
    }

    #[test]
    fn verify_rejects_scope_date_mismatch() {
        let headers = [
            ("Host", "iam.amazonaws.com"),
            ("X-Amz-Date", "20150830T122100Z"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150829/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000",
            ),
        ];
        let req = HttpRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: BODY,
        };
        let signed = parse(&req).unwrap();
        let err = verify(
            &req,
            &signed,
            SECRET.as_bytes(),
            NOW,
            &SigningKeyCache::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150829' != '20150830', from '20150830T122100Z'."
        );
        assert_eq!(err.code(), "SignatureDoesNotMatch");
    }

    #[test]
    fn verify_rejects_wrong_terminator() {
        let headers = [
            ("Host", "iam.amazonaws.com"),
            ("X-Amz-Date", "20150830T123600Z"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws5_request, SignedHeaders=host;x-amz-date, Signature=0000",
            ),
        ];
        let req = HttpRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: BODY,
        };
        let err = verify(
            &req,
            &parse(&req).unwrap(),
            SECRET.as_bytes(),
            NOW,
            &SigningKeyCache::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."
        );
    }

    /// Builds, signs and returns the headers (with Authorization) of a request.
    fn signed_headers<'h>(base: &[(&'h str, &'h str)], auth: &'h str) -> Vec<(&'h str, &'h str)> {
        let mut headers = base.to_vec();
        headers.push(("Authorization", auth));
        headers
    }

    #[test]
    fn verify_rejects_signed_header_absent_from_request() {
        let base = [
            ("Host", "iam.amazonaws.com"),
            ("X-Amz-Date", "20150830T123600Z"),
        ];
        let unsigned = HttpRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &base,
            body: BODY,
        };
        let auth = sign(
            &unsigned,
            AKID,
            SECRET,
            "us-east-1",
            "iam",
            "20150830T123600Z",
            None,
            &["host", "x-amz-date", "x-amz-target"],
        );
        let headers = signed_headers(&base, &auth);
        let req = HttpRequest {
            headers: &headers,
            ..unsigned
        };
        let signed = parse(&req).unwrap();
        let err = verify(
            &req,
            &signed,
            SECRET.as_bytes(),
            NOW,
            &SigningKeyCache::default(),
        )
        .unwrap_err();
        assert_eq!(err, SigV4Error::SignatureMismatch);
    }

    #[test]
    fn verify_handles_content_sha256_header() {
        let good = crate::encoding::sha256_hex(BODY);
        for (claimed, expected) in [
            (good.as_str(), Ok(())),
            (
                "UNSIGNED-PAYLOAD",
                Err(SigV4Error::UnsupportedPayloadHash {
                    value: "UNSIGNED-PAYLOAD".into(),
                }),
            ),
            (
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                Err(SigV4Error::UnsupportedPayloadHash {
                    value: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD".into(),
                }),
            ),
            (EMPTY, Err(SigV4Error::PayloadHashMismatch)),
        ] {
            let base = [
                ("Host", "iam.amazonaws.com"),
                ("X-Amz-Date", "20150830T123600Z"),
                ("X-Amz-Content-Sha256", claimed),
            ];
            let unsigned = HttpRequest {
                method: "POST",
                path: "/",
                query: "",
                headers: &base,
                body: BODY,
            };
            let auth = sign(
                &unsigned,
                AKID,
                SECRET,
                "us-east-1",
                "iam",
                "20150830T123600Z",
                None,
                &["host", "x-amz-date", "x-amz-content-sha256"],
            );
            let headers = signed_headers(&base, &auth);
            let req = HttpRequest {
                headers: &headers,
                ..unsigned
            };
            let signed = parse(&req).unwrap();
            assert_eq!(
                verify(
                    &req,
                    &signed,
                    SECRET.as_bytes(),
                    NOW,
                    &SigningKeyCache::default()
                ),
                expected,
                "{claimed}"
            );
        }
    }
    const EMPTY: &str = crate::EMPTY_PAYLOAD_SHA256;

    #[test]
    fn verify_date_header_request() {
        let base = [
            ("Host", "iam.amazonaws.com"),
            ("Date", "Sun, 30 Aug 2015 12:36:00 -0000"),
        ];
        let unsigned = HttpRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &base,
            body: BODY,
        };
        let auth = sign(
            &unsigned,
            AKID,
            SECRET,
            "us-east-1",
            "iam",
            "20150830T123600Z",
            None,
            &["date", "host"],
        );
        let headers = signed_headers(&base, &auth);
        let req = HttpRequest {
            headers: &headers,
            ..unsigned
        };
        let signed = parse(&req).unwrap();
        verify(
            &req,
            &signed,
            SECRET.as_bytes(),
            NOW,
            &SigningKeyCache::default(),
        )
        .unwrap();
    }

    #[test]
    fn verify_http2_authority_and_double_encoded_path() {
        let base = [
            (":authority", "127.0.0.1:18080"),
            ("X-Amz-Date", "20150830T123600Z"),
        ];
        let unsigned = HttpRequest {
            method: "GET",
            path: "/documents%20and%20settings/",
            query: "b=2&a=1",
            headers: &base,
            body: b"",
        };
        let auth = sign(
            &unsigned,
            AKID,
            SECRET,
            "us-east-1",
            "account",
            "20150830T123600Z",
            None,
            &["host", "x-amz-date"],
        );
        let headers = signed_headers(&base, &auth);
        let req = HttpRequest {
            headers: &headers,
            ..unsigned
        };
        let signed = parse(&req).unwrap();
        assert!(
            canonical_request(&req, &signed).unwrap().starts_with(
                "GET\n/documents%2520and%2520settings/\na=1&b=2\nhost:127.0.0.1:18080\n"
            )
        );
        verify(
            &req,
            &signed,
            SECRET.as_bytes(),
            NOW,
            &SigningKeyCache::default(),
        )
        .unwrap();
    }

    #[test]
    fn verify_caches_key_only_after_a_match() {
        let base = [
            ("Host", "iam.amazonaws.com"),
            ("X-Amz-Date", "20150830T123600Z"),
        ];
        let unsigned = HttpRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &base,
            body: BODY,
        };
        let auth = sign(
            &unsigned,
            AKID,
            SECRET,
            "us-east-1",
            "iam",
            "20150830T123600Z",
            None,
            &["host", "x-amz-date"],
        );
        let headers = signed_headers(&base, &auth);
        let req = HttpRequest {
            headers: &headers,
            ..unsigned
        };
        let signed = parse(&req).unwrap();
        let cache = SigningKeyCache::new(4);
        assert_eq!(
            verify(&req, &signed, b"wrong", NOW, &cache),
            Err(SigV4Error::SignatureMismatch)
        );
        assert!(cache.is_empty());
        verify(&req, &signed, SECRET.as_bytes(), NOW, &cache).unwrap();
        assert_eq!(cache.len(), 1);
        // A cached key never makes a wrong secret pass.
        assert_eq!(
            verify(&req, &signed, b"wrong", NOW, &cache),
            Err(SigV4Error::SignatureMismatch)
        );
        verify(&req, &signed, SECRET.as_bytes(), NOW, &cache).unwrap();
        assert_eq!(
            expected_signature(&req, &signed, SECRET.as_bytes()).unwrap(),
            signed.signature
        );
    }

    #[test]
    fn presign_round_trips_with_session_token_and_expires() {
        let base = [("Host", "sts.amazonaws.com")];
        let unsigned = HttpRequest {
            method: "GET",
            path: "/",
            query: "Action=GetCallerIdentity&Version=2011-06-15",
            headers: &base,
            body: b"",
        };
        let query = presign(
            &unsigned,
            "ASIAEXAMPLE",
            SECRET,
            "us-east-1",
            "sts",
            "20150830T123600Z",
            60,
            Some("tok/=+"),
            &["host"],
        );
        assert!(query.contains("X-Amz-Security-Token=tok%2F%3D%2B"));
        let req = HttpRequest {
            query: &query,
            ..unsigned
        };
        let signed = parse(&req).unwrap();
        assert_eq!(signed.security_token.as_deref(), Some("tok/=+"));
        let cache = SigningKeyCache::default();
        verify(&req, &signed, SECRET.as_bytes(), NOW, &cache).unwrap();
        verify(&req, &signed, SECRET.as_bytes(), NOW + 60, &cache).unwrap();
        assert_eq!(
            verify(&req, &signed, SECRET.as_bytes(), NOW + 61, &cache),
            Err(SigV4Error::PresignedExpired)
        );
        let tampered = query.replace("tok%2F", "tak%2F");
        let req = HttpRequest {
            query: &tampered,
            ..unsigned
        };
        assert_eq!(
            verify(&req, &parse(&req).unwrap(), SECRET.as_bytes(), NOW, &cache),
            Err(SigV4Error::SignatureMismatch)
        );
    }

    #[test]
    fn presign_reproduces_vector_c() {
        let base = [("Host", "sts.amazonaws.com")];
        let unsigned = HttpRequest {
            method: "GET",
            path: "/",
            query: "Action=GetCallerIdentity&Version=2011-06-15",
            headers: &base,
            body: b"",
        };
        let query = presign(
            &unsigned,
            AKID,
            SECRET,
            "us-east-1",
            "sts",
            "20150830T123600Z",
            60,
            None,
            &["host"],
        );
        assert!(
            query.ends_with(
                "X-Amz-Signature=1d10ef2bc2bb1b02201752f1912e9eb7a5df0d0d7bd2cc98b1f5557b7a9254be"
            ),
            "{query}"
        );
    }

    /// Percent-encodes every byte but unreserved ones, as SDKs do for queries.
    fn encode(s: &str) -> String {
        crate::encoding::uri_encode(s.as_bytes(), false)
    }

    /// A byte that changes the canonical value of a header when it replaces `b`:
    /// whitespace-for-whitespace swaps are equivalent by design (sigv4.md §4.4).
    fn replacement(b: u8) -> u8 {
        if b.is_ascii_whitespace() {
            b'x'
        } else if b == b'z' {
            b'y'
        } else {
            b'z'
        }
    }

    fn strategy_headers() -> impl Strategy<Value = Vec<(String, String)>> {
        proptest::collection::vec(("x-p-(a|b|[a-z0-9-]{1,8})", "[ -~\t]{0,24}"), 0..5)
    }

    proptest! {
        #[test]
        fn sign_then_verify_round_trips_and_detects_tampering(
            path in "(/[a-zA-Z0-9._~%!$&'()*+,;=:@ -]{0,8}){0,5}/?",
            query_pairs in proptest::collection::vec((".{0,8}", ".{0,8}"), 0..4),
            extra in strategy_headers(),
            body in proptest::collection::vec(any::<u8>(), 0..128),
            method in "(GET|POST|PUT|DELETE)",
            offset in -900i64..=900,
            tamper_at in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let query: Vec<String> = query_pairs.iter().map(|(n, v)| format!("{}={}", encode(n), encode(v))).collect();
            let query = query.join("&");
            let amz_date = format_amz_date(NOW + offset);
            let mut base: Vec<(String, String)> = vec![
                ("Host".into(), "iam.amazonaws.com".into()),
                ("X-Amz-Date".into(), amz_date.clone()),
            ];
            base.extend(extra.iter().cloned());
            let mut names: Vec<&str> = base.iter().map(|(n, _)| n.as_str()).collect();
            names.push("host");
            let borrowed: Vec<(&str, &str)> = base.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let unsigned = HttpRequest { method: &method, path: &path, query: &query, headers: &borrowed, body: &body };
            let auth = sign(&unsigned, AKID, SECRET, "us-west-2", "iam", &amz_date, None, &names);
            let mut with_auth = borrowed.clone();
            with_auth.push(("Authorization", &auth));
            let req = HttpRequest { headers: &with_auth, ..unsigned };
            let signed = parse(&req).unwrap();
            let cache = SigningKeyCache::new(2);
            prop_assert_eq!(verify(&req, &signed, SECRET.as_bytes(), NOW, &cache), Ok(()));

            // Any single-byte change of the body fails.
            if !body.is_empty() {
                let mut changed = body.clone();
                let i = tamper_at.index(changed.len());
                changed[i] ^= flip;
                let req = HttpRequest { body: &changed, ..req };
                prop_assert_eq!(verify(&req, &signed, SECRET.as_bytes(), NOW, &cache), Err(SigV4Error::SignatureMismatch));
            }
            // Any single-byte change of a signed (non-date) header value fails.
            if !extra.is_empty() {
                let which = tamper_at.index(extra.len()) + 2;
                let mut headers = base.clone();
                let mut value = headers[which].1.clone().into_bytes();
                if value.is_empty() {
                    value.push(b'x');
                } else {
                    let i = tamper_at.index(value.len());
                    value[i] = replacement(value[i]);
                }
                headers[which].1 = String::from_utf8(value).unwrap();
                let mut borrowed: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                borrowed.push(("Authorization", &auth));
                let req = HttpRequest { headers: &borrowed, ..req };
                prop_assert_eq!(verify(&req, &signed, SECRET.as_bytes(), NOW, &cache), Err(SigV4Error::SignatureMismatch));
            }
        }

        #[test]
        fn presign_then_verify_round_trips(
            path in "(/[a-zA-Z0-9._~-]{0,8}){0,3}",
            query_pairs in proptest::collection::vec(("[a-zA-Z]{1,8}", ".{0,8}"), 0..4),
            token in proptest::option::of("[ -~]{1,40}"),
            expires in 1i64..=604_800,
        ) {
            let query: Vec<String> = query_pairs.iter().map(|(n, v)| format!("{}={}", encode(n), encode(v))).collect();
            let query = query.join("&");
            let headers = [("Host", "sts.amazonaws.com")];
            let unsigned = HttpRequest { method: "GET", path: &path, query: &query, headers: &headers, body: b"" };
            let presigned = presign(&unsigned, AKID, SECRET, "us-east-1", "sts", "20150830T123600Z", expires, token.as_deref(), &["host"]);
            let req = HttpRequest { query: &presigned, ..unsigned };
            let signed = parse(&req).unwrap();
            prop_assert_eq!(&signed.security_token, &token);
            prop_assert_eq!(verify(&req, &signed, SECRET.as_bytes(), NOW, &SigningKeyCache::default()), Ok(()));
            prop_assert_eq!(verify(&req, &signed, b"not the secret", NOW, &SigningKeyCache::default()), Err(SigV4Error::SignatureMismatch));
        }
    }

    #[test]
    fn amz_date_helper_agrees() {
        assert_eq!(parse_amz_date(&minutes(0)), Some(NOW));
    }
}
