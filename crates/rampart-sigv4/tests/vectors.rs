//! The worked vectors of `shared/reference/sigv4.md` §10 (A–F): each verifies,
//! and a tampered copy of each fails with `SignatureDoesNotMatch`.
#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use rampart_sigv4::{
    HttpRequest, SigV4Error, SigningKeyCache, canonical_request, parse, parse_amz_date, parse_at,
    verify,
};

const SECRET: &[u8] = b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const AMZ_DATE: &str = "20150830T123600Z";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==";

fn now() -> i64 {
    parse_amz_date(AMZ_DATE).unwrap()
}

fn auth(akid: &str, scope: &str, signed_headers: &str, signature: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential={akid}/{scope}/aws4_request, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

/// An owned request, so that tests can tamper with it.
#[derive(Clone)]
struct Owned {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Owned {
    fn check(&self, secret: &[u8], now: i64) -> Result<(), SigV4Error> {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let req = HttpRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        let signed = parse_at(&req, now)?;
        // Uncached and cached (second call hits the cache).
        let cache = SigningKeyCache::new(8);
        verify(&req, &signed, secret, now, &SigningKeyCache::new(0))?;
        verify(&req, &signed, secret, now, &cache)?;
        verify(&req, &signed, secret, now, &cache)
    }

    fn canonical(&self) -> String {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let req = HttpRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        canonical_request(&req, &parse(&req).unwrap()).unwrap()
    }

    fn set_header(&mut self, name: &str, value: &str) {
        for (n, v) in &mut self.headers {
            if n.eq_ignore_ascii_case(name) {
                *v = value.to_owned();
            }
        }
    }
}

fn post(
    host: &str,
    content_type: &str,
    path: &str,
    body: &str,
    extra: &[(&str, &str)],
    authz: String,
) -> Owned {
    let mut headers = vec![
        ("Host".to_owned(), host.to_owned()),
        ("Content-Type".to_owned(), content_type.to_owned()),
        ("X-Amz-Date".to_owned(), AMZ_DATE.to_owned()),
    ];
    headers.extend(
        extra
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    headers.push(("Authorization".to_owned(), authz));
    Owned {
        method: "POST".into(),
        path: path.into(),
        query: String::new(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn vector_a() -> Owned {
    post(
        "iam.amazonaws.com",
        "application/x-www-form-urlencoded; charset=utf-8",
        "/",
        "Action=ListUsers&Version=2010-05-08",
        &[],
        auth(
            "AKIDEXAMPLE",
            "20150830/us-east-1/iam",
            "content-type;host;x-amz-date",
            "5d76d0de3e0ffe5a7a23cfce21b99d6f4e5060aad86bd9dc7c617f224e5b492a",
        ),
    )
}

fn vector_b() -> Owned {
    post(
        "sts.us-east-1.amazonaws.com",
        "application/x-www-form-urlencoded; charset=utf-8",
        "/",
        "Action=GetCallerIdentity&Version=2011-06-15",
        &[("X-Amz-Security-Token", TOKEN)],
        auth(
            "ASIAEXAMPLEEXAMPLE01",
            "20150830/us-east-1/sts",
            "content-type;host;x-amz-date;x-amz-security-token",
            "75060afde02d262fbdfd2ebaf948a659ba748134774b060b7971dc3edbe890f2",
        ),
    )
}

fn vector_c() -> Owned {
    Owned {
        method: "GET".into(),
        path: "/".into(),
        query: "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256\
            &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z\
            &X-Amz-Expires=60&X-Amz-SignedHeaders=host\
            &X-Amz-Signature=1d10ef2bc2bb1b02201752f1912e9eb7a5df0d0d7bd2cc98b1f5557b7a9254be"
            .into(),
        headers: vec![("Host".into(), "sts.amazonaws.com".into())],
        body: Vec::new(),
    }
}

fn vector_d() -> Owned {
    Owned {
        method: "GET".into(),
        path: "/".into(),
        query: String::new(),
        headers: vec![
            ("Host".into(), "example.amazonaws.com".into()),
            ("X-Amz-Date".into(), AMZ_DATE.into()),
            (
                "Authorization".into(),
                auth(
                    "AKIDEXAMPLE",
                    "20150830/us-east-1/service",
                    "host;x-amz-date",
                    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
                ),
            ),
        ],
        body: Vec::new(),
    }
}

fn vector_e() -> Owned {
    post(
        "account.us-east-1.amazonaws.com",
        "application/json",
        "/putAlternateContact",
        r#"{"AlternateContactType": "SECURITY", "EmailAddress": "sec@example.com", "Name": "Sec", "PhoneNumber": "+1-555-0100", "Title": "CISO"}"#,
        &[],
        auth(
            "AKIDEXAMPLE",
            "20150830/us-east-1/account",
            "content-type;host;x-amz-date",
            "bc053e5f9d8ee546c46ecc141908ded701a5fd585e905cfc9de7af5432c3f00f",
        ),
    )
}

fn vector_f() -> Owned {
    post(
        "iam.amazonaws.com",
        "application/x-www-form-urlencoded",
        "/",
        "Action=ListUsers&Version=2010-05-08",
        &[(
            "X-Amz-User-Agent",
            "aws-sdk-rust/1.7.0 ua/2.1 api/iam/1.0.0 os/linux lang/rust/1.95.0",
        )],
        auth(
            "AKIDEXAMPLE",
            "20150830/us-east-1/iam",
            "content-type;host;x-amz-date;x-amz-user-agent",
            "d87a2f28e7dc30f6fd71f1e748cc0c6582e4f0808dc7639369d0cd05ab88a686",
        ),
    )
}

fn assert_mismatch(result: Result<(), SigV4Error>) {
    let err = result.unwrap_err();
    assert_eq!(err, SigV4Error::SignatureMismatch, "{err}");
    assert_eq!(err.code(), "SignatureDoesNotMatch");
    assert_eq!(err.http_status(), 403);
}

#[test]
fn vector_a_iam_list_users_verifies() {
    let a = vector_a();
    assert_eq!(
        a.canonical(),
        "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\nb6359072c78d70ebee1e81adcbab4f01bf2c23245fa365ef83fe8f1f955085e2"
    );
    a.check(SECRET, now()).unwrap();
}

#[test]
fn vector_a_tampered_fails() {
    let mut a = vector_a();
    a.body = b"Action=ListUsers&Version=2010-05-09".to_vec();
    assert_mismatch(a.check(SECRET, now()));
    assert_mismatch(vector_a().check(b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ", now()));
}

#[test]
fn vector_b_sts_session_token_verifies() {
    let b = vector_b();
    b.check(SECRET, now()).unwrap();
    let headers: Vec<(&str, &str)> = b
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let req = HttpRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: &b.body,
    };
    let signed = parse(&req).unwrap();
    assert_eq!(signed.security_token.as_deref(), Some(TOKEN));
    assert_eq!(signed.access_key_id, "ASIAEXAMPLEEXAMPLE01");
}

#[test]
fn vector_b_tampered_fails() {
    let mut b = vector_b();
    b.set_header("X-Amz-Security-Token", &TOKEN.replace("EXAMPLE", "EXAMPLF"));
    assert_mismatch(b.check(SECRET, now()));
}

#[test]
fn vector_c_presigned_sts_verifies() {
    let c = vector_c();
    assert_eq!(
        c.canonical(),
        "GET\n/\nAction=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host\nhost:sts.amazonaws.com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    c.check(SECRET, now()).unwrap();
    c.check(SECRET, now() + 60).unwrap();
}

#[test]
fn vector_c_tampered_fails() {
    let mut c = vector_c();
    c.query = c.query.replace("Version=2011-06-15", "Version=2011-06-16");
    assert_mismatch(c.check(SECRET, now()));
    let mut c = vector_c();
    c.set_header("Host", "sts.amazonaws.com:443");
    assert_mismatch(c.check(SECRET, now()));
}

#[test]
fn vector_c_presigned_expires_after_x_amz_expires() {
    let err = vector_c().check(SECRET, now() + 61).unwrap_err();
    assert_eq!(err, SigV4Error::PresignedExpired);
    assert_eq!(err.code(), "RequestExpired");
    assert_eq!(err.http_status(), 400);
}

#[test]
fn vector_d_get_vanilla_verifies() {
    vector_d().check(SECRET, now()).unwrap();
}

#[test]
fn vector_d_tampered_fails() {
    let mut d = vector_d();
    d.method = "HEAD".into();
    assert_mismatch(d.check(SECRET, now()));
    let mut d = vector_d();
    d.path = "/x".into();
    assert_mismatch(d.check(SECRET, now()));
}

#[test]
fn vector_e_account_put_alternate_contact_verifies() {
    vector_e().check(SECRET, now()).unwrap();
}

#[test]
fn vector_e_tampered_fails() {
    let mut e = vector_e();
    e.body = e
        .body
        .iter()
        .map(|&b| if b == b'S' { b's' } else { b })
        .collect();
    assert_mismatch(e.check(SECRET, now()));
    let mut e = vector_e();
    e.set_header("Content-Type", "application/x-amz-json-1.1");
    assert_mismatch(e.check(SECRET, now()));
}

#[test]
fn vector_f_rust_sdk_shape_verifies() {
    vector_f().check(SECRET, now()).unwrap();
}

#[test]
fn vector_f_tampered_fails() {
    let mut f = vector_f();
    f.set_header(
        "X-Amz-User-Agent",
        "aws-sdk-rust/1.7.1 ua/2.1 api/iam/1.0.0 os/linux lang/rust/1.95.0",
    );
    assert_mismatch(f.check(SECRET, now()));
}

#[test]
fn vectors_tolerate_header_case_spacing_and_order() {
    // Header names in any case, values with extra spaces, Authorization items
    // in another order and separated by bare commas.
    let mut a = vector_a();
    a.headers = vec![
        ("content-type".into(), "  application/x-www-form-urlencoded;   charset=utf-8 ".into()),
        ("X-AMZ-DATE".into(), AMZ_DATE.into()),
        ("HOST".into(), "iam.amazonaws.com".into()),
        (
            "authorization".into(),
            "AWS4-HMAC-SHA256 Signature=5d76d0de3e0ffe5a7a23cfce21b99d6f4e5060aad86bd9dc7c617f224e5b492a,SignedHeaders=content-type;host;x-amz-date ,  Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,".into(),
        ),
    ];
    a.check(SECRET, now()).unwrap();
}
