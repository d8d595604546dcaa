//! rampart-policy vs cedar-policy on an equivalent policy set, measured in the same run.
//!
//! `evaluate/*`: one authorization of a pre-parsed set (3 managed + 2 inline IAM policies with
//! 30 statements, conditions on 15, one SCP level, a boundary); `parse/*`: parsing the
//! 20-statement policy (IAM JSON) and the 35 Cedar policies.
#![expect(clippy::expect_used, reason = "benchmark fixtures are static and valid")]

use std::hint::black_box;

use cedar_policy::{Authorizer, Entities, PolicySet};
use criterion::{Criterion, criterion_group, criterion_main};
use policy_vs_cedar::{CEDAR_POLICIES, Ours, TWENTY, cedar_allows, cedar_policies, cedar_request, our_request};
use rampart_policy::{Decision, Policy, PolicyKind, evaluate};

fn benches(c: &mut Criterion) {
    let ours = Ours::load();
    let sets = ours.sets();
    let cedar = cedar_policies();
    let authorizer = Authorizer::new();
    let entities = Entities::empty();

    // The two sets decide alike on a few requests before anything is measured.
    for (action, resource) in [
        ("iam:CreateAccessKey", "arn:aws:iam::111111111111:user/alice"),
        ("iam:CreateAccessKey", "arn:aws:iam::111111111111:user/breakglass"),
        ("iam:DeleteAccountPasswordPolicy", "*"),
        ("iam:CreateUser", "arn:aws:iam::111111111111:user/new"),
        ("iam:ListUsers", "*"),
        ("s3:GetObject", "arn:aws:s3:::corp-data/x"),
        ("s3:GetObject", "arn:aws:s3:::other/x"),
        ("iam:DeleteUser", "arn:aws:iam::111111111111:user/bob"),
        ("organizations:LeaveOrganization", "*"),
        ("lambda:InvokeFunction", "*"),
    ] {
        let a = evaluate(&our_request(action, resource), &sets).decision == Decision::Allow;
        let b = cedar_allows(&authorizer, &cedar_request(action, resource), &cedar, &entities);
        assert_eq!(a, b, "engines disagree on {action} {resource}");
    }

    let ctx = our_request("iam:CreateAccessKey", "arn:aws:iam::111111111111:user/alice");
    let request = cedar_request("iam:CreateAccessKey", "arn:aws:iam::111111111111:user/alice");
    assert_eq!(evaluate(&ctx, &sets).decision, Decision::Allow);
    assert!(cedar_allows(&authorizer, &request, &cedar, &entities));

    let mut group = c.benchmark_group("evaluate");
    group.bench_function("rampart-policy", |b| b.iter(|| evaluate(black_box(&ctx), black_box(&sets))));
    group.bench_function("cedar-policy", |b| {
        b.iter(|| authorizer.is_authorized(black_box(&request), black_box(&cedar), black_box(&entities)));
    });
    group.finish();

    let mut group = c.benchmark_group("parse");
    group.bench_function("rampart-policy (20 statements)", |b| {
        b.iter(|| Policy::parse(black_box(TWENTY), PolicyKind::Managed).expect("parses"));
    });
    group.bench_function("cedar-policy (35 policies)", |b| {
        b.iter(|| black_box(CEDAR_POLICIES).parse::<PolicySet>().expect("parses"));
    });
    group.finish();
}

criterion_group!(compare, benches);
criterion_main!(compare);
