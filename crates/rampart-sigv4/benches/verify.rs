//! Cost of [`rampart_sigv4::verify`] with a cached signing key vs an uncached one
//! (sigv4.md §11: a hit saves four of the five HMACs).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rampart_sigv4::{HttpRequest, SigningKeyCache, parse, parse_amz_date, sign, verify};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn bench_verify(c: &mut Criterion) {
    let base = [
        ("Host", "iam.amazonaws.com"),
        (
            "Content-Type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
        ("X-Amz-Date", "20150830T123600Z"),
    ];
    let body = b"Action=ListUsers&Version=2010-05-08";
    let unsigned = HttpRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &base,
        body,
    };
    let auth = sign(
        &unsigned,
        "AKIDEXAMPLE",
        SECRET,
        "us-east-1",
        "iam",
        "20150830T123600Z",
        None,
        &["content-type", "host", "x-amz-date"],
    );
    let mut headers = base.to_vec();
    headers.push(("Authorization", &auth));
    let req = HttpRequest {
        headers: &headers,
        ..unsigned
    };
    let Ok(signed) = parse(&req) else { return };
    let Some(now) = parse_amz_date("20150830T123600Z") else {
        return;
    };

    let cached = SigningKeyCache::default();
    let uncached = SigningKeyCache::new(0);
    let mut group = c.benchmark_group("verify");
    group.bench_function("parse", |b| b.iter(|| parse(black_box(&req))));
    group.bench_function("cached_key", |b| {
        b.iter(|| verify(black_box(&req), &signed, SECRET.as_bytes(), now, &cached))
    });
    group.bench_function("uncached_key", |b| {
        b.iter(|| verify(black_box(&req), &signed, SECRET.as_bytes(), now, &uncached))
    });
    group.bench_function("parse_and_verify_cached", |b| {
        b.iter(|| {
            parse(black_box(&req)).and_then(|s| verify(&req, &s, SECRET.as_bytes(), now, &cached))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
