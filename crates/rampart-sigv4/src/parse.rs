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
            .field("security_token", &self.security_token.as_ref().map(|_| "<redacted>"))
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
            problems.push(format!("Credential should be scoped to correct service: '{service}'."));
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
            Err(SigV4Error::CredentialScope { message: problems.join(" ") })
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
    let malformed = || SigV4Error::MalformedCredential { credential: credential.to_owned() };
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
    parse_amz_date(value).ok_or_else(|| SigV4Error::MalformedDate { value: value.to_owned() })
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
        return Err(SigV4Error::UnsupportedAlgorithm { algorithm: algorithm.to_owned() });
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
            return Err(SigV4Error::MissingEqualSign { item: item.to_owned(), header: header.to_owned() });
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
    let (date_name, date_label) =
        if date_is_amz { ("x-amz-date", "X-Amz-Date") } else { ("date", "Date") };
    if !signed_headers.iter().any(|h| h == date_name) {
        return Err(SigV4Error::HeaderNotSigned { header: date_label });
    }
    let token_header = canonical_header_value(req.headers, "x-amz-security-token");
    if token_header.is_some() && !signed_headers.iter().any(|h| h == "x-amz-security-token") {
        return Err(SigV4Error::HeaderNotSigned { header: "X-Amz-Security-Token" });
    }
    // Row 8: the date parses. The string to sign always carries the basic format.
    let (request_time, amz_date) = if date_is_amz {
        (parse_request_time(&date_value)?, date_value)
    } else {
        let t = parse_http_date(&date_value)
            .ok_or_else(|| SigV4Error::MalformedDate { value: date_value.clone() })?;
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
        return Err(SigV4Error::UnsupportedAlgorithm { algorithm: algorithm.to_owned() });
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
