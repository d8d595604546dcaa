//! Criterion benchmarks of the policy engine (STYLE.md §7, issue 3 "Speed").
//!
//! * `parse/20-statements`: parse and validate a 20-statement managed policy.
//! * `evaluate/admin`: an administrator with 3 managed + 2 inline policies (30 statements,
//!   conditions on 15), one SCP level and a permissions boundary; target < 1 µs median.
//!
//! Run with `cargo bench -p rampart-policy --bench policy`.
#![expect(
    clippy::expect_used,
    reason = "benchmark fixtures are static and valid"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rampart_policy::{
    ContextValue, Decision, Policy, PolicyKind, PolicySets, PrincipalInfo, RequestContext,
    Timestamp, evaluate,
};

const TWENTY: &str = include_str!("fixtures/twenty-statements.json");
const MANAGED: [&str; 3] = [
    include_str!("fixtures/admin-managed-1.json"),
    include_str!("fixtures/admin-managed-2.json"),
    include_str!("fixtures/admin-managed-3.json"),
];
const INLINE: [&str; 2] = [
    include_str!("fixtures/admin-inline-1.json"),
    include_str!("fixtures/admin-inline-2.json"),
];
const SCP: &str = include_str!("fixtures/scp.json");
const BOUNDARY: &str = include_str!("fixtures/boundary.json");

/// The request the administrator makes: create an access key for itself.
fn request() -> RequestContext {
    RequestContext::new(
        "iam:CreateAccessKey",
        "arn:aws:iam::111111111111:user/alice",
        PrincipalInfo::user("arn:aws:iam::111111111111:user/alice"),
    )
    .with_key("aws:username", "alice")
    .with_key("aws:PrincipalArn", "arn:aws:iam::111111111111:user/alice")
    .with_key("aws:PrincipalAccount", "111111111111")
    .with_key("aws:PrincipalType", "User")
    .with_key("aws:userid", "AIDAEXAMPLEEXAMPLE01")
    .with_key("aws:SecureTransport", true)
    .with_key(
        "aws:SourceIp",
        ContextValue::Ip("10.1.2.3".parse().expect("ip")),
    )
    .with_key("aws:RequestedRegion", "us-east-1")
    .with_key("aws:MultiFactorAuthPresent", true)
    .with_key("aws:MultiFactorAuthAge", 300.0)
    .with_key("aws:PrincipalTag/team", "platform")
    .with_time(Timestamp::parse("2026-01-01T12:00:00Z").expect("date"))
}

fn parse(text: &str, kind: PolicyKind) -> Policy {
    Policy::parse(text, kind).expect("fixture parses")
}

fn benches(c: &mut Criterion) {
    c.bench_function("parse/20-statements", |b| {
        b.iter(|| Policy::parse(black_box(TWENTY), PolicyKind::Managed).expect("parses"));
    });

    let managed: Vec<Policy> = MANAGED
        .iter()
        .map(|t| parse(t, PolicyKind::Managed))
        .collect();
    let inline: Vec<Policy> = INLINE
        .iter()
        .map(|t| parse(t, PolicyKind::Identity))
        .collect();
    let scp = parse(SCP, PolicyKind::ServiceControl);
    let boundary = parse(BOUNDARY, PolicyKind::PermissionsBoundary);
    let sets = PolicySets {
        service_control: vec![vec![&scp]],
        identity: managed.iter().chain(inline.iter()).collect(),
        permissions_boundary: Some(&boundary),
        ..PolicySets::default()
    };
    let ctx = request();
    assert_eq!(evaluate(&ctx, &sets).decision, Decision::Allow);
    c.bench_function("evaluate/admin", |b| {
        b.iter(|| evaluate(black_box(&ctx), black_box(&sets)))
    });

    let mut denied = request();
    denied.action = "iam:DeleteAccountPasswordPolicy".into();
    denied.resource = "*".into();
    assert_eq!(evaluate(&denied, &sets).decision, Decision::ExplicitDeny);
    c.bench_function("evaluate/admin-explicit-deny", |b| {
        b.iter(|| evaluate(black_box(&denied), black_box(&sets)))
    });
}

criterion_group!(policy, benches);
criterion_main!(policy);
