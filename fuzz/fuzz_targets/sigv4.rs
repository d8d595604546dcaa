//! Fuzz target: SigV4 parsing and verification never panic, and a request we
//! sign ourselves always verifies.
//!
//! Input layout: the first three lines (split on `\n`) are method, path and
//! query; then `name: value` header lines up to the first empty line; the rest
//! is the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_sigv4::{HttpRequest, SigningKeyCache, parse_at, sign, verify};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const AMZ_DATE: &str = "20150830T123600Z";
/// 2015-08-30T12:36:00Z, `AMZ_DATE` as unix seconds.
const NOW: i64 = 1_440_938_160;

struct Parts<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    body: &'a [u8],
}

fn split(data: &[u8]) -> Option<Parts<'_>> {
    let mut lines = data.splitn(4, |&b| b == b'\n');
    let method = std::str::from_utf8(lines.next()?).ok()?;
    let path = std::str::from_utf8(lines.next().unwrap_or(b"/")).ok()?;
    let query = std::str::from_utf8(lines.next().unwrap_or(b"")).ok()?;
    let rest = lines.next().unwrap_or(b"");
    // The headers must be UTF-8 (they are `&str`); the body is any bytes.
    let head_len = rest
        .windows(2)
        .position(|w| w == b"\n\n")
        .map_or(rest.len(), |i| i + 2);
    let (head, body) = rest.split_at(head_len);
    let headers = std::str::from_utf8(head)
        .ok()?
        .split('\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split_once(':')
                .map_or((l, ""), |(n, v)| (n, v.trim_start()))
        })
        .collect();
    Some(Parts {
        method,
        path,
        query,
        headers,
        body,
    })
}

fn request<'a>(p: &'a Parts<'a>, headers: &'a [(&'a str, &'a str)]) -> HttpRequest<'a> {
    HttpRequest {
        method: p.method,
        path: p.path,
        query: p.query,
        headers,
        body: p.body,
    }
}

/// An HTTP header name (RFC 9110 `token`); anything else cannot reach the server.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Requests the verifier must accept once signed: a `host` header (the verifier
/// insists it is signed), and none of what the signer and the verifier may
/// legitimately read differently (a second date, a claimed payload hash,
/// presigned parameters).
fn plain(p: &Parts<'_>) -> bool {
    let reserved = |n: &str| {
        let n = n.to_ascii_lowercase();
        n.starts_with("x-amz-") || n == "authorization" || n == "date" || !is_token(&n)
    };
    !p.headers.iter().any(|(n, _)| reserved(n))
        && !p.query.to_ascii_lowercase().contains("x-amz-")
        && !p.method.is_empty()
        && p.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("host"))
}

fuzz_target!(|data: &[u8]| {
    let Some(parts) = split(data) else { return };
    let cache = SigningKeyCache::new(4);

    // Whatever the client claims: parse and verify must answer, not panic.
    let req = request(&parts, &parts.headers);
    if let Ok(signed) = parse_at(&req, NOW) {
        let _ = verify(&req, &signed, SECRET.as_bytes(), NOW, &cache);
        let _ = verify(
            &req,
            &signed,
            SECRET.as_bytes(),
            signed.request_time,
            &cache,
        );
    }

    // Round trip: sign the same request with header auth, then it must verify.
    if !plain(&parts) {
        return;
    }
    let mut headers = parts.headers.clone();
    headers.push(("X-Amz-Date", AMZ_DATE));
    let names: Vec<&str> = headers.iter().map(|(n, _)| *n).collect();
    let unsigned = request(&parts, &headers);
    let auth = sign(
        &unsigned,
        "AKIDEXAMPLE",
        SECRET,
        "us-east-1",
        "iam",
        AMZ_DATE,
        None,
        &names,
    );
    headers.push(("Authorization", &auth));
    let signed_req = request(&parts, &headers);
    let signed = match parse_at(&signed_req, NOW) {
        Ok(s) => s,
        // A query with a bad `%` escape is signed as if empty and rejected by design.
        Err(e) if e.code() == "MalformedQueryString" => return,
        Err(e) => panic!("our own signature does not parse: {e:?}"),
    };
    if let Err(e) = verify(&signed_req, &signed, SECRET.as_bytes(), NOW, &cache) {
        assert!(
            e.code() == "MalformedQueryString",
            "our own signature does not verify: {e:?}"
        );
    }
});
