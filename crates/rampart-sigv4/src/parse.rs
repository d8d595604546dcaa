//! Phase 1: what the client claims. Parses the `Authorization` header or the
//! presigned `X-Amz-*` query parameters into a [`SignedRequest`], checking in
//! AWS's reporting order (sigv4.md §3 rows 1–11).
//!
//! Needs no secret and does no lookup; the server uses the result to find the
//! secret and then calls [`verify`](crate::verify). Must never panic on any input.

use crate::HttpRequest;
use crate::canonical::{ALGORITHM, canonical_header_value, decode_query};
use crate::error::SigV4Error;
use crate::time::{format_amz_date, parse_amz_date, parse_http_date};

/// Allowed clock skew each way between request time and server time (sigv4.md §9).
pub const MAX_CLOCK_SKEW_SECS: i64 = 15 * 60;

/// Largest `X-Amz-Expires` accepted, seven days (sigv4.md §7).
pub const MAX_PRESIGNED_EXPIRES_SECS: i64 = 604_800;

/// How the signature travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthForm {
    /// `Authorization: AWS4-HMAC-SHA256 ...` header.
    Header,
    /// Presigned URL: `X-Amz-Algorithm`, `X-Amz-Signature`, ... query parameters.
    Query,
}

/// Phase 1 result: what the client claims, parsed from the `Authorization`
/// header or the presigned `X-Amz-*` query parameters.
///
/// `Debug` redacts the signature and the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// Header or query auth.
    pub form: AuthForm,
    /// The access key ID from the credential (first part).
    pub access_key_id: String,
    /// Credential scope date, `YYYYMMDD` as sent (not yet checked).
    pub scope_date: String,
    /// Credential scope region as sent.
    pub region: String,
    /// Credential scope service as sent.
    pub service: String,
    /// Credential scope terminator as sent (should be `aws4_request`).
    pub scope_terminator: String,
    /// Signed header names, lowercased, in the client's order.
    pub signed_headers: Vec<String>,
    /// The `SignedHeaders` value verbatim, as it goes into the canonical request.
    pub signed_headers_line: String,
    /// The signature the client sent (should be 64 lowercase hex).
    pub signature: String,
    /// Request time in unix seconds, from `X-Amz-Date` (or the `Date` header).
    pub request_time: i64,
    /// Request time as `YYYYMMDDTHHMMSSZ`, as it goes into the string to sign.
    pub amz_date: String,
    /// `X-Amz-Security-Token` (header, else query parameter), when sent.
    pub security_token: Option<String>,
    /// `X-Amz-Expires` of a presigned request, when sent.
    pub presigned_expires: Option<i64>,
}

impl std::fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedRequest")
            .field("form", &self.form)
            .field("access_key_id", &self.access_key_id)
            .field("scope_date", &self.scope_date)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("scope_terminator", &self.scope_terminator)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &"<redacted>")
            .field("request_time", &self.request_time)
            .field("amz_date", &self.amz_date)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("presigned_expires", &self.presigned_expires)
            .finish()
    }
}

impl SignedRequest {
    /// `YYYYMMDD/region/service/terminator`, as in the string to sign.
    #[must_use]
    pub fn credential_scope(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.scope_date, self.region, self.service, self.scope_terminator
        )
    }

    /// Checks the ±15 minute window (sigv4.md §3 rows 9–10) and, for presigned
    /// requests, that `X-Amz-Date + X-Amz-Expires` has not passed (§7).
    ///
    /// # Errors
    /// [`SigV4Error::SignatureExpired`], [`SigV4Error::SignatureNotYetCurrent`]
    /// (`SignatureDoesNotMatch`), [`SigV4Error::PresignedExpired`] (`RequestExpired`).
    pub fn check_time(&self, now: i64) -> Result<(), SigV4Error> {
        check_skew(self.request_time, now)?;
        if let Some(expires) = self.presigned_expires
            && now > self.request_time.saturating_add(expires)
        {
            return Err(SigV4Error::PresignedExpired);
        }
        Ok(())
    }

    /// Checks the credential scope (sigv4.md §3 row 12): region accepted by
    /// `region_ok`, service equal to `service` (the service the request was
    /// routed to), terminator `aws4_request`, date equal to the request date.
    /// Every failing part is reported, in AWS's order, in one error.
    ///
    /// [`verify`](crate::verify) repeats the terminator and date checks; the
    /// server calls this before looking up the access key, as AWS does.
    ///
    /// # Errors
    /// [`SigV4Error::CredentialScope`] (`SignatureDoesNotMatch`).
    pub fn check_scope(
        &self,
        region_ok: impl FnOnce(&str) -> bool,
        service: &str,
    ) -> Result<(), SigV4Error> {
        self.scope_problems(Some(region_ok(&self.region)), Some(service))
    }

    /// Scope checks; `None` skips the region or service check.
    pub(crate) fn scope_problems(
        &self,
        region_ok: Option<bool>,
        service: Option<&str>,
    ) -> Result<(), SigV4Error> {
        let mut problems: Vec<String> = Vec::new();
        if region_ok == Some(false) {
            problems.push(format!(
                "Credential should be scoped to a valid region, not '{}'.",
                self.region
            ));
        }
        if let Some(service) = service
            && service != self.service
        {
            problems.push(format!(
                "Credential should be scoped to correct service: '{service}'."
            ));
        }
        if self.scope_terminator != "aws4_request" {
            problems.push(format!(
                "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.",
                self.scope_terminator
            ));
        }
        let request_date = self.amz_date.get(..8).unwrap_or(&self.amz_date);
        if self.scope_date != request_date {
            problems.push(format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{}'.",
                self.scope_date, request_date, self.amz_date
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(SigV4Error::CredentialScope {
                message: problems.join(" "),
            })
        }
    }
}

/// The ±15 minute window (sigv4.md §3 rows 9–10, messages quoted there).
pub(crate) fn check_skew(request_time: i64, now: i64) -> Result<(), SigV4Error> {
    let earliest = now.saturating_sub(MAX_CLOCK_SKEW_SECS);
    let latest = now.saturating_add(MAX_CLOCK_SKEW_SECS);
    if request_time < earliest {
        return Err(SigV4Error::SignatureExpired {
            request_time: format_amz_date(request_time),
            earliest: format_amz_date(earliest),
            now: format_amz_date(now),
        });
    }
    if request_time > latest {
        return Err(SigV4Error::SignatureNotYetCurrent {
            request_time: format_amz_date(request_time),
            latest: format_amz_date(latest),
            now: format_amz_date(now),
        });
    }
    Ok(())
}

/// Parses what the client claims, without the time window.
///
/// Checks, in AWS's order (sigv4.md §3): query escapes, presence of auth,
/// algorithm, `key=value` items, missing parts, `host` (and the date header and
/// session token) signed, date format, credential shape. Use [`parse_at`] to
/// also report clock skew at AWS's position (before the credential shape).
///
/// ```
/// use rampart_sigv4::{parse, HttpRequest};
/// let headers = [
///     ("Host", "iam.amazonaws.com"),
///     ("X-Amz-Date", "20150830T123600Z"),
///     ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"),
/// ];
/// let req = HttpRequest { method: "GET", path: "/", query: "", headers: &headers, body: b"" };
/// let signed = parse(&req).unwrap();
/// assert_eq!(signed.access_key_id, "AKIDEXAMPLE");
/// assert_eq!(signed.service, "iam");
/// ```
///
/// # Errors
/// See [`SigV4Error`]: `MalformedQueryString`, `MissingAuthenticationToken`,
/// `IncompleteSignature`, `SignatureDoesNotMatch` (unsigned `host`/date/token).
pub fn parse(req: &HttpRequest<'_>) -> Result<SignedRequest, SigV4Error> {
    parse_inner(req, None)
}

/// Like [`parse`], and also checks the ±15 minute window and presigned expiry
/// right after the date is parsed, which is where AWS reports them (sigv4.md §3
/// rows 9–10, before row 11).
///
/// # Errors
/// As [`parse`], plus those of [`SignedRequest::check_time`].
pub fn parse_at(req: &HttpRequest<'_>, now: i64) -> Result<SignedRequest, SigV4Error> {
    parse_inner(req, Some(now))
}

/// The value of the first query parameter named exactly `name`, lossily as UTF-8.
fn query_param(params: &[(Vec<u8>, Vec<u8>)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(n, _)| n.as_slice() == name.as_bytes())
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
}

fn parse_inner(req: &HttpRequest<'_>, now: Option<i64>) -> Result<SignedRequest, SigV4Error> {
    // Row 1: the query string decodes.
    let params = decode_query(req.query)?;
    let authorization = req
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| *value);
    let algorithm = query_param(&params, "X-Amz-Algorithm");
    // Row 2: some auth is present; both forms at once is rejected (sigv4.md §1).
    match (authorization, algorithm) {
        (None, None) => Err(SigV4Error::MissingAuthenticationToken),
        (Some(_), Some(_)) => Err(SigV4Error::MultipleAuthMechanisms),
        (Some(header), None) => parse_header_auth(req, header, &params, now),
        (None, Some(algorithm)) => parse_query_auth(&algorithm, &params, now),
    }
}

/// Credential parts after the shape check.
struct Credential {
    access_key_id: String,
    date: String,
    region: String,
    service: String,
    terminator: String,
}

/// Row 11: exactly five `/`-separated parts.
fn split_credential(credential: &str) -> Result<Credential, SigV4Error> {
    let mut parts = credential.split('/');
    let malformed = || SigV4Error::MalformedCredential {
        credential: credential.to_owned(),
    };
    let mut next = || parts.next().map(str::to_owned).ok_or_else(malformed);
    let parsed = Credential {
        access_key_id: next()?,
        date: next()?,
        region: next()?,
        service: next()?,
        terminator: next()?,
    };
    if parts.next().is_some() {
        return Err(malformed());
    }
    Ok(parsed)
}

fn split_signed_headers(line: &str) -> Vec<String> {
    line.split(';').map(str::to_ascii_lowercase).collect()
}

/// Row 8 for `X-Amz-Date`: ISO 8601 basic format.
fn parse_request_time(value: &str) -> Result<i64, SigV4Error> {
    parse_amz_date(value).ok_or_else(|| SigV4Error::MalformedDate {
        value: value.to_owned(),
    })
}

fn parse_header_auth(
    req: &HttpRequest<'_>,
    header: &str,
    params: &[(Vec<u8>, Vec<u8>)],
    now: Option<i64>,
) -> Result<SignedRequest, SigV4Error> {
    let trimmed = header.trim_matches(|c: char| c.is_ascii_whitespace());
    // Row 3: the first token is the algorithm.
    let (algorithm, rest) = trimmed
        .split_once(|c: char| c.is_ascii_whitespace())
        .unwrap_or((trimmed, ""));
    if algorithm != ALGORITHM {
        return Err(SigV4Error::UnsupportedAlgorithm {
            algorithm: algorithm.to_owned(),
        });
    }
    // Row 4: comma-separated key=value items, trimmed, any order; empty items
    // (doubled or trailing commas) are tolerated.
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for item in rest.split(',') {
        let item = item.trim_matches(|c: char| c.is_ascii_whitespace());
        if item.is_empty() {
            continue;
        }
        let Some((key, value)) = item.split_once('=') else {
            return Err(SigV4Error::MissingEqualSign {
                item: item.to_owned(),
                header: header.to_owned(),
            });
        };
        let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
        let slot = match key.trim_matches(|c: char| c.is_ascii_whitespace()) {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
    // Row 5: everything present. X-Amz-Date wins over Date (sigv4.md §2).
    let amz_date_header = canonical_header_value(req.headers, "x-amz-date");
    let date_header = canonical_header_value(req.headers, "date");
    let (Some(credential), Some(signed_headers_line), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(SigV4Error::MissingAuthorizationParameters {
            credential: credential.is_none(),
            signature: signature.is_none(),
            signed_headers: signed_headers.is_none(),
            date: amz_date_header.is_none() && date_header.is_none(),
            algorithm: algorithm.to_owned(),
        });
    };
    let (date_value, date_is_amz) = match (amz_date_header, date_header) {
        (Some(v), _) => (v, true),
        (None, Some(v)) => (v, false),
        (None, None) => {
            return Err(SigV4Error::MissingAuthorizationParameters {
                credential: false,
                signature: false,
                signed_headers: false,
                date: true,
                algorithm: algorithm.to_owned(),
            });
        }
    };
    let signed_headers = split_signed_headers(signed_headers_line);
    // Row 6: host signed.
    if !signed_headers.iter().any(|h| h == "host") {
        return Err(SigV4Error::HostNotSigned);
    }
    // Row 7: the date header in use and the session token are signed.
    let (date_name, date_label) = if date_is_amz {
        ("x-amz-date", "X-Amz-Date")
    } else {
        ("date", "Date")
    };
    if !signed_headers.iter().any(|h| h == date_name) {
        return Err(SigV4Error::HeaderNotSigned { header: date_label });
    }
    let token_header = canonical_header_value(req.headers, "x-amz-security-token");
    if token_header.is_some() && !signed_headers.iter().any(|h| h == "x-amz-security-token") {
        return Err(SigV4Error::HeaderNotSigned {
            header: "X-Amz-Security-Token",
        });
    }
    // Row 8: the date parses. The string to sign always carries the basic format.
    let (request_time, amz_date) = if date_is_amz {
        (parse_request_time(&date_value)?, date_value)
    } else {
        let t = parse_http_date(&date_value).ok_or_else(|| SigV4Error::MalformedDate {
            value: date_value.clone(),
        })?;
        (t, format_amz_date(t))
    };
    // Rows 9–10 when the caller gave us the time.
    if let Some(now) = now {
        check_skew(request_time, now)?;
    }
    // Row 11.
    let scope = split_credential(credential)?;
    Ok(SignedRequest {
        form: AuthForm::Header,
        access_key_id: scope.access_key_id,
        scope_date: scope.date,
        region: scope.region,
        service: scope.service,
        scope_terminator: scope.terminator,
        signed_headers,
        signed_headers_line: signed_headers_line.to_owned(),
        signature: signature.to_owned(),
        request_time,
        amz_date,
        security_token: token_header.or_else(|| query_param(params, "X-Amz-Security-Token")),
        presigned_expires: None,
    })
}

fn parse_query_auth(
    algorithm: &str,
    params: &[(Vec<u8>, Vec<u8>)],
    now: Option<i64>,
) -> Result<SignedRequest, SigV4Error> {
    // Row 3.
    if algorithm != ALGORITHM {
        return Err(SigV4Error::UnsupportedAlgorithm {
            algorithm: algorithm.to_owned(),
        });
    }
    // Row 5 (query form, sigv4.md §7): the first missing parameter is reported.
    let required = |name: &'static str| {
        query_param(params, name).ok_or(SigV4Error::MissingQueryParameter { parameter: name })
    };
    let credential = required("X-Amz-Credential")?;
    let signature = required("X-Amz-Signature")?;
    let signed_headers_line = required("X-Amz-SignedHeaders")?;
    let date_value = required("X-Amz-Date")?;
    let signed_headers = split_signed_headers(&signed_headers_line);
    // Row 6. (Date and token travel in the query, which is signed as a whole.)
    if !signed_headers.iter().any(|h| h == "host") {
        return Err(SigV4Error::HostNotSigned);
    }
    // Row 8.
    let request_time = parse_request_time(&date_value)?;
    let presigned_expires = match query_param(params, "X-Amz-Expires") {
        None => None,
        Some(value) => match value.parse::<i64>() {
            Ok(secs) if (1..=MAX_PRESIGNED_EXPIRES_SECS).contains(&secs) => Some(secs),
            _ => return Err(SigV4Error::InvalidExpires { value }),
        },
    };
    let mut signed = SignedRequest {
        form: AuthForm::Query,
        access_key_id: String::new(),
        scope_date: String::new(),
        region: String::new(),
        service: String::new(),
        scope_terminator: String::new(),
        signed_headers,
        signed_headers_line,
        signature,
        request_time,
        amz_date: date_value,
        security_token: query_param(params, "X-Amz-Security-Token"),
        presigned_expires,
    };
    // Rows 9–10 and presigned expiry.
    if let Some(now) = now {
        signed.check_time(now)?;
    }
    // Row 11.
    let scope = split_credential(&credential)?;
    signed.access_key_id = scope.access_key_id;
    signed.scope_date = scope.date;
    signed.region = scope.region;
    signed.service = scope.service;
    signed.scope_terminator = scope.terminator;
    Ok(signed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d76d0de3e0ffe5a7a23cfce21b99d6f4e5060aad86bd9dc7c617f224e5b492a";

    fn parse_with(headers: &[(&str, &str)], query: &str) -> Result<SignedRequest, SigV4Error> {
        parse(&HttpRequest {
            method: "POST",
            path: "/",
            query,
            headers,
            body: b"",
        })
    }

    fn header_auth(authorization: &str) -> Result<SignedRequest, SigV4Error> {
        parse_with(
            &[
                ("Host", "iam.amazonaws.com"),
                ("X-Amz-Date", "20150830T123600Z"),
                ("Authorization", authorization),
            ],
            "",
        )
    }

    fn message(result: Result<SignedRequest, SigV4Error>) -> (String, &'static str, u16) {
        let err = result.unwrap_err();
        (err.to_string(), err.code(), err.http_status())
    }

    #[test]
    fn parse_reads_header_auth() {
        let signed = header_auth(AUTH).unwrap();
        assert_eq!(signed.form, AuthForm::Header);
        assert_eq!(signed.access_key_id, "AKIDEXAMPLE");
        assert_eq!(signed.scope_date, "20150830");
        assert_eq!(signed.region, "us-east-1");
        assert_eq!(signed.service, "iam");
        assert_eq!(signed.scope_terminator, "aws4_request");
        assert_eq!(
            signed.signed_headers,
            ["content-type", "host", "x-amz-date"]
        );
        assert_eq!(signed.signed_headers_line, "content-type;host;x-amz-date");
        assert_eq!(signed.signature.len(), 64);
        assert_eq!(signed.request_time, 1_440_938_160);
        assert_eq!(signed.amz_date, "20150830T123600Z");
        assert_eq!(signed.security_token, None);
        assert_eq!(signed.presigned_expires, None);
        assert_eq!(
            signed.credential_scope(),
            "20150830/us-east-1/iam/aws4_request"
        );
    }

    #[test]
    fn parse_without_auth_is_missing_authentication_token() {
        let (msg, code, status) = message(parse_with(
            &[("Host", "iam.amazonaws.com")],
            "Action=ListUsers",
        ));
        assert_eq!(msg, "Request is missing Authentication Token");
        assert_eq!(code, "MissingAuthenticationToken");
        assert_eq!(status, 403);
    }

    #[test]
    fn parse_rejects_bad_query_escapes_first() {
        let headers = [("Authorization", "garbage")];
        let (msg, code, status) = message(parse_with(&headers, "a=%zz"));
        assert_eq!(
            (msg.as_str(), code, status),
            (
                "Illegal hex character in escape % pattern: %zz",
                "MalformedQueryString",
                400
            )
        );
        let (msg, code, _) = message(parse_with(&[], "a=%4"));
        assert_eq!(
            (msg.as_str(), code),
            (
                "Incomplete trailing escape % sequence",
                "MalformedQueryString"
            )
        );
    }

    #[test]
    fn parse_rejects_both_auth_forms() {
        let headers = [("Host", "h"), ("Authorization", AUTH)];
        let err = parse_with(&headers, "X-Amz-Algorithm=AWS4-HMAC-SHA256").unwrap_err();
        assert_eq!(err, SigV4Error::MultipleAuthMechanisms);
        assert_eq!(err.http_status(), 400);
    }

    #[test]
    fn parse_rejects_unsupported_algorithm() {
        let (msg, code, status) = message(header_auth(&AUTH.replace("AWS4-HMAC", "AWS5-HMAC")));
        assert_eq!(msg, "Unsupported AWS 'algorithm': 'AWS5-HMAC-SHA256'.");
        assert_eq!((code, status), ("IncompleteSignature", 400));
        let (msg, _, _) = message(header_auth("AWS4-ECDSA-P256-SHA256 Credential=x"));
        assert_eq!(
            msg,
            "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'."
        );
        let (msg, _, _) = message(header_auth("AWS AKIDEXAMPLE:c2lnbmF0dXJl"));
        assert_eq!(msg, "Unsupported AWS 'algorithm': 'AWS'.");
        let (msg, _, _) = message(parse_with(
            &[("Host", "h")],
            "X-Amz-Algorithm=AWS4-HMAC-SHA1",
        ));
        assert_eq!(msg, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1'.");
    }

    #[test]
    fn parse_rejects_item_without_equal_sign() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, FooBar, SignedHeaders=host;x-amz-date, Signature=abc";
        let (msg, code, _) = message(header_auth(header));
        assert_eq!(
            msg,
            format!(
                "'FooBar' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'"
            )
        );
        assert_eq!(code, "IncompleteSignature");
    }

    #[test]
    fn parse_reports_every_missing_part_in_aws_order() {
        let (msg, code, status) = message(parse_with(
            &[("Host", "h"), ("Authorization", "AWS4-HMAC-SHA256")],
            "",
        ));
        assert_eq!(
            msg,
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256"
        );
        assert_eq!((code, status), ("IncompleteSignature", 400));
        let (msg, _, _) = message(header_auth(
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host",
        ));
        assert_eq!(
            msg,
            "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256"
        );
        let (msg, _, _) = message(header_auth("AWS4-HMAC-SHA256 Signature=abc"));
        assert_eq!(
            msg,
            "Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"
        );
        // Only the date header is missing.
        let (msg, _, _) = message(parse_with(&[("Host", "h"), ("Authorization", AUTH)], ""));
        assert_eq!(
            msg,
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256"
        );
    }

    #[test]
    fn parse_rejects_credential_without_five_parts() {
        for credential in [
            "AKIDEXAMPLE/20150830/us-east-1/iam",
            "AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request/x",
            "",
        ] {
            let (msg, code, _) = message(header_auth(&AUTH.replace(
                "AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request",
                credential,
            )));
            assert_eq!(
                msg,
                format!(
                    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"
                )
            );
            assert_eq!(code, "IncompleteSignature");
        }
    }

    #[test]
    fn parse_rejects_malformed_date() {
        let headers = [
            ("Host", "h"),
            ("X-Amz-Date", "2015/08/30T12/36/00Z"),
            ("Authorization", AUTH),
        ];
        let (msg, code, status) = message(parse_with(&headers, ""));
        assert_eq!(
            msg,
            "Date must be in ISO-8601 'basic format'. Got '2015/08/30T12/36/00Z'. See http://en.wikipedia.org/wiki/ISO_8601"
        );
        assert_eq!((code, status), ("IncompleteSignature", 400));
    }

    #[test]
    fn parse_requires_host_date_and_token_signed() {
        let (msg, code, status) = message(header_auth(
            &AUTH.replace("content-type;host;x-amz-date", "content-type;x-amz-date"),
        ));
        assert_eq!(
            msg,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        );
        assert_eq!((code, status), ("SignatureDoesNotMatch", 403));
        let (msg, _, _) = message(header_auth(
            &AUTH.replace("content-type;host;x-amz-date", "content-type;host"),
        ));
        assert_eq!(
            msg,
            "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."
        );
        let headers = [
            ("Host", "h"),
            ("X-Amz-Date", "20150830T123600Z"),
            ("X-Amz-Security-Token", "tok"),
            ("Authorization", AUTH),
        ];
        let (msg, _, _) = message(parse_with(&headers, ""));
        assert_eq!(
            msg,
            "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization."
        );
        let headers = [
            ("Host", "h"),
            ("Date", "Sun, 30 Aug 2015 12:36:00 GMT"),
            ("Authorization", AUTH),
        ];
        let (msg, _, _) = message(parse_with(&headers, ""));
        assert_eq!(
            msg,
            "'Date' must be a 'SignedHeader' in the AWS Authorization."
        );
    }

    #[test]
    fn parse_uses_date_header_when_no_x_amz_date() {
        let auth = AUTH.replace("x-amz-date", "date");
        let headers = [
            ("Host", "h"),
            ("Date", "Sun, 30 Aug 2015 12:36:00 GMT"),
            ("Authorization", auth.as_str()),
        ];
        let signed = parse_with(&headers, "").unwrap();
        assert_eq!(signed.amz_date, "20150830T123600Z");
        assert_eq!(signed.request_time, 1_440_938_160);
        let headers = [
            ("Host", "h"),
            ("Date", "yesterday"),
            ("Authorization", auth.as_str()),
        ];
        assert!(matches!(
            parse_with(&headers, ""),
            Err(SigV4Error::MalformedDate { .. })
        ));
    }

    #[test]
    fn parse_x_amz_date_wins_over_date() {
        let headers = [
            ("Host", "h"),
            ("Date", "Mon, 31 Aug 2015 00:00:00 GMT"),
            ("X-Amz-Date", "20150830T123600Z"),
            ("Authorization", AUTH),
        ];
        assert_eq!(
            parse_with(&headers, "").unwrap().amz_date,
            "20150830T123600Z"
        );
    }

    #[test]
    fn parse_surfaces_session_token_from_header_or_query() {
        let auth = AUTH.replace("x-amz-date,", "x-amz-date;x-amz-security-token,");
        let headers = [
            ("Host", "h"),
            ("X-Amz-Date", "20150830T123600Z"),
            ("X-Amz-Security-Token", "tok"),
            ("Authorization", auth.as_str()),
        ];
        assert_eq!(
            parse_with(&headers, "").unwrap().security_token.as_deref(),
            Some("tok")
        );
        let headers = [
            ("Host", "h"),
            ("X-Amz-Date", "20150830T123600Z"),
            ("Authorization", AUTH),
        ];
        assert_eq!(
            parse_with(&headers, "X-Amz-Security-Token=a%2Bb")
                .unwrap()
                .security_token
                .as_deref(),
            Some("a+b")
        );
    }

    const PRESIGNED: &str = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=abc";

    #[test]
    fn parse_reads_presigned_query() {
        let signed = parse_with(
            &[("Host", "sts.amazonaws.com")],
            &format!("{PRESIGNED}&X-Amz-Security-Token=t%2F1"),
        )
        .unwrap();
        assert_eq!(signed.form, AuthForm::Query);
        assert_eq!(signed.access_key_id, "AKIDEXAMPLE");
        assert_eq!(signed.service, "sts");
        assert_eq!(signed.presigned_expires, Some(60));
        assert_eq!(signed.signed_headers, ["host"]);
        assert_eq!(signed.signature, "abc");
        assert_eq!(signed.security_token.as_deref(), Some("t/1"));
    }

    #[test]
    fn parse_reports_missing_presigned_parameters() {
        for name in [
            "X-Amz-Credential",
            "X-Amz-Signature",
            "X-Amz-SignedHeaders",
            "X-Amz-Date",
        ] {
            let query: Vec<&str> = PRESIGNED
                .split('&')
                .filter(|p| !p.starts_with(&format!("{name}=")))
                .collect();
            let (msg, code, status) = message(parse_with(&[("Host", "h")], &query.join("&")));
            assert_eq!(
                msg,
                format!(
                    "AWS query-string parameters must include '{name}'. Re-examine the query-string parameters."
                )
            );
            assert_eq!((code, status), ("IncompleteSignature", 400));
        }
        let (msg, _, _) = message(parse_with(
            &[("Host", "h")],
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
        ));
        assert_eq!(
            msg,
            "AWS query-string parameters must include 'X-Amz-Credential'. Re-examine the query-string parameters."
        );
    }

    #[test]
    fn parse_presigned_checks_host_and_expires() {
        let (msg, _, _) = message(parse_with(
            &[("Host", "h")],
            &PRESIGNED.replace("SignedHeaders=host", "SignedHeaders=x-k8s-aws-id"),
        ));
        assert_eq!(
            msg,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        );
        for bad in ["0", "-1", "604801", "1e3", ""] {
            let err = parse_with(
                &[("Host", "h")],
                &PRESIGNED.replace("Expires=60", &format!("Expires={bad}")),
            )
            .unwrap_err();
            assert_eq!(err, SigV4Error::InvalidExpires { value: bad.into() });
            assert_eq!(err.code(), "IncompleteSignature");
        }
        let without: Vec<&str> = PRESIGNED
            .split('&')
            .filter(|p| !p.starts_with("X-Amz-Expires"))
            .collect();
        assert_eq!(
            parse_with(&[("Host", "h")], &without.join("&"))
                .unwrap()
                .presigned_expires,
            None
        );
    }

    #[test]
    fn parse_at_reports_skew_before_credential_shape() {
        let auth = AUTH.replace("iam/aws4_request", "iam");
        let headers = [
            ("Host", "h"),
            ("X-Amz-Date", "20150830T123600Z"),
            ("Authorization", auth.as_str()),
        ];
        let req = HttpRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: b"",
        };
        let now = 1_440_938_160 + 16 * 60;
        assert!(matches!(
            parse_at(&req, now),
            Err(SigV4Error::SignatureExpired { .. })
        ));
        assert!(matches!(
            parse(&req),
            Err(SigV4Error::MalformedCredential { .. })
        ));
        assert!(matches!(
            parse_at(&req, 1_440_938_160),
            Err(SigV4Error::MalformedCredential { .. })
        ));
        // Presigned: the X-Amz-Expires window too.
        let req = HttpRequest {
            method: "GET",
            path: "/",
            query: PRESIGNED,
            headers: &[("Host", "h")],
            body: b"",
        };
        assert_eq!(
            parse_at(&req, 1_440_938_160 + 61).unwrap_err(),
            SigV4Error::PresignedExpired
        );
        assert!(parse_at(&req, 1_440_938_160 + 60).is_ok());
    }

    #[test]
    fn check_scope_reports_all_problems_in_aws_order() {
        let headers = [
            ("Host", "h"),
            ("X-Amz-Date", "20150830T122100Z"),
            ("Authorization", AUTH),
        ];
        let mut signed = parse_with(&headers, "").unwrap();
        signed.region = "wrong-region".into();
        signed.service = "sts".into();
        signed.scope_terminator = "aws5_request".into();
        signed.scope_date = "20150829".into();
        let err = signed.check_scope(|r| r == "us-east-1", "iam").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Credential should be scoped to a valid region, not 'wrong-region'. Credential should be scoped to correct service: 'iam'. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150829' != '20150830', from '20150830T122100Z'."
        );
        assert_eq!(
            (err.code(), err.http_status()),
            ("SignatureDoesNotMatch", 403)
        );
        let ok = parse_with(&headers, "").unwrap();
        ok.check_scope(|r| r == "us-east-1", "iam").unwrap();
        let err = ok.check_scope(|_| true, "sts").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Credential should be scoped to correct service: 'sts'."
        );
    }

    #[test]
    fn debug_redacts_signature_and_token() {
        let auth = AUTH.replace("x-amz-date,", "x-amz-date;x-amz-security-token,");
        let headers = [
            ("Host", "h"),
            ("X-Amz-Date", "20150830T123600Z"),
            ("X-Amz-Security-Token", "SECRETTOKEN"),
            ("Authorization", auth.as_str()),
        ];
        let debug = format!("{:?}", parse_with(&headers, "").unwrap());
        assert!(!debug.contains("SECRETTOKEN"));
        assert!(!debug.contains("5d76d0de"));
        assert!(debug.contains("AKIDEXAMPLE"));
    }

    fn header_name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("Authorization".to_owned()),
            Just("authorization".to_owned()),
            Just("X-Amz-Date".to_owned()),
            Just("Date".to_owned()),
            Just("Host".to_owned()),
            Just(":authority".to_owned()),
            Just("X-Amz-Security-Token".to_owned()),
            Just("x-amz-content-sha256".to_owned()),
            ".{0,12}",
        ]
    }

    fn header_value() -> impl Strategy<Value = String> {
        prop_oneof![
            ".{0,40}",
            ".{0,200}".prop_map(|rest| format!("AWS4-HMAC-SHA256 {rest}")),
            "[ ,=;/a-zA-Z0-9_-]{0,120}"
                .prop_map(|rest| format!("AWS4-HMAC-SHA256 Credential={rest}")),
            Just(AUTH.to_owned()),
            "[0-9TZ]{0,17}",
        ]
    }

    fn query() -> impl Strategy<Value = String> {
        prop_oneof![
            ".{0,80}",
            "[&=%0-9a-fA-FXZ-]{0,80}",
            ".{0,120}".prop_map(|rest| format!("X-Amz-Algorithm=AWS4-HMAC-SHA256&{rest}")),
            "[&=%/a-zA-Z0-9-]{0,160}".prop_map(|rest| format!("{PRESIGNED}&{rest}")),
        ]
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_arbitrary_strings(
            headers in proptest::collection::vec((header_name(), header_value()), 0..6),
            query in query(),
            path in ".{0,40}",
            body in proptest::collection::vec(any::<u8>(), 0..64),
            now in any::<i64>(),
        ) {
            let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let req = HttpRequest { method: "POST", path: &path, query: &query, headers: &headers, body: &body };
            let cache = crate::SigningKeyCache::new(4);
            if let Ok(signed) = parse(&req) {
                let _ = signed.check_scope(|_| true, "iam");
                let _ = crate::verify(&req, &signed, b"secret", now, &cache);
                let _ = crate::canonical_request(&req, &signed);
            }
            let _ = parse_at(&req, now);
        }

        #[test]
        fn parse_never_panics_on_arbitrary_bytes(
            authorization in proptest::collection::vec(any::<u8>(), 0..200),
            query in proptest::collection::vec(any::<u8>(), 0..200),
            date in proptest::collection::vec(any::<u8>(), 0..20),
        ) {
            let authorization = String::from_utf8_lossy(&authorization);
            let query = String::from_utf8_lossy(&query);
            let date = String::from_utf8_lossy(&date);
            let headers = [("Host", "h"), ("X-Amz-Date", &*date), ("Date", &*date), ("Authorization", &*authorization)];
            let req = HttpRequest { method: "GET", path: "/", query: &query, headers: &headers, body: b"" };
            let _ = parse(&req);
            let no_auth = HttpRequest { headers: &headers[..3], ..req };
            let _ = parse_at(&no_auth, 0);
        }
    }
}
