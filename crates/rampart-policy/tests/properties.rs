//! Property tests of the evaluator laws and the parse/print round trip (STYLE.md §6.4).
//!
//! Policies are generated from a small vocabulary of actions, resources and conditions so that
//! statements actually apply to the generated requests.
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test code: a panic is a test failure"
)]

use proptest::prelude::*;
use rampart_policy::{
    ContextValue, Decision, Policy, PolicyKind, PolicySets, PrincipalInfo, RequestContext, evaluate,
};
use serde_json::{Value, json};

const ACTIONS: &[&str] = &[
    "iam:ListUsers",
    "iam:CreateUser",
    "iam:DeleteUser",
    "s3:GetObject",
    "sts:AssumeRole",
];
const ACTION_PATTERNS: &[&str] = &[
    "*",
    "iam:*",
    "iam:List*",
    "IAM:createuser",
    "s3:Get?bject",
    "iam:*User",
    "sts:*",
    "ec2:*",
    "*:*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:iam::111111111111:user/alice",
    "arn:aws:iam::111111111111:user/bob",
    "arn:aws:s3:::bucket/a/b",
];
const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:iam::111111111111:user/*",
    "arn:aws:iam::111111111111:user/${aws:username}",
    "arn:aws:s3:::bucket/*",
    "arn:aws:iam::111111111111:*",
    "arn:aws:iam::222222222222:user/?lice",
];

fn condition() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(json!({"StringEquals": {"aws:username": "alice"}}))),
        1 => Just(Some(json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}}))),
        1 => Just(Some(json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}))),
        1 => Just(Some(json!({"ForAnyValue:StringLike": {"aws:TagKeys": ["te*", "x"]}}))),
        1 => Just(Some(json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}))),
        1 => Just(Some(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))),
        1 => Just(Some(json!({"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}, "Null": {"aws:TokenIssueTime": "false"}}))),
        1 => Just(Some(json!({"StringNotEqualsIfExists": {"aws:RequestedRegion": ["eu-west-1"]}}))),
    ]
}

fn one_or_many(items: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::collection::vec(prop::sample::select(items), 1..3)
        .prop_map(|v| if v.len() == 1 { json!(v[0]) } else { json!(v) })
}

fn statement() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.15),
        one_or_many(ACTION_PATTERNS),
        prop::bool::weighted(0.15),
        one_or_many(RESOURCE_PATTERNS),
        condition(),
    )
        .prop_map(
            |(deny, not_action, actions, not_resource, resources, cond)| {
                let mut s = serde_json::Map::new();
                s.insert("Effect".into(), json!(if deny { "Deny" } else { "Allow" }));
                s.insert(
                    (if not_action { "NotAction" } else { "Action" }).into(),
                    actions,
                );
                s.insert(
                    (if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    })
                    .into(),
                    resources,
                );
                if let Some(c) = cond {
                    s.insert("Condition".into(), c);
                }
                Value::Object(s)
            },
        )
}

fn policy_json() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(statement(), 1..6)
}

fn text_of(statements: &[Value]) -> String {
    let statements: Vec<Value> = statements
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut s = s.clone();
            s.as_object_mut()
                .unwrap()
                .insert("Sid".into(), json!(format!("S{i}")));
            s
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

fn parse(statements: &[Value], kind: PolicyKind) -> Policy {
    Policy::parse(&text_of(statements), kind).unwrap()
}

#[derive(Debug, Clone)]
struct Setup {
    identity: Vec<Vec<Value>>,
    boundary: Option<Vec<Value>>,
    scp: Option<Vec<Value>>,
    role_session: bool,
    action: &'static str,
    resource: &'static str,
    keys: Vec<(&'static str, ContextValue)>,
}

fn setup() -> impl Strategy<Value = Setup> {
    let key = prop_oneof![
        Just(("aws:username", ContextValue::String("alice".into()))),
        Just(("aws:MultiFactorAuthPresent", ContextValue::Bool(true))),
        Just(("aws:MultiFactorAuthPresent", ContextValue::Bool(false))),
        Just(("aws:TagKeys", ContextValue::strings(["team"]))),
        Just(("aws:TagKeys", ContextValue::strings(["team", "cost"]))),
        Just((
            "aws:SourceIp",
            ContextValue::Ip("10.1.2.3".parse().unwrap())
        )),
        Just(("aws:MultiFactorAuthAge", ContextValue::Number(10.0))),
        Just((
            "aws:TokenIssueTime",
            ContextValue::String("2020-01-01T00:00:00Z".into())
        )),
        Just((
            "aws:RequestedRegion",
            ContextValue::String("us-east-1".into())
        )),
    ];
    (
        prop::collection::vec(policy_json(), 0..3),
        prop::option::weighted(0.3, policy_json()),
        prop::option::weighted(0.3, policy_json()),
        any::<bool>(),
        prop::sample::select(ACTIONS),
        prop::sample::select(RESOURCES),
        prop::collection::vec(key, 0..4),
    )
        .prop_map(
            |(identity, boundary, scp, role_session, action, resource, keys)| Setup {
                identity,
                boundary,
                scp,
                role_session,
                action,
                resource,
                keys,
            },
        )
}

struct Parsed {
    identity: Vec<Policy>,
    boundary: Option<Policy>,
    scp: Option<Policy>,
}

fn parsed(s: &Setup) -> Parsed {
    Parsed {
        identity: s
            .identity
            .iter()
            .map(|p| parse(p, PolicyKind::Identity))
            .collect(),
        boundary: s
            .boundary
            .as_ref()
            .map(|p| parse(p, PolicyKind::PermissionsBoundary)),
        scp: s.scp.as_ref().map(|p| parse(p, PolicyKind::ServiceControl)),
    }
}

fn decide(s: &Setup, p: &Parsed) -> rampart_policy::Evaluation {
    let principal = if s.role_session {
        PrincipalInfo::assumed_role("arn:aws:iam::111111111111:role/Dev", "s1")
    } else {
        PrincipalInfo::user("arn:aws:iam::111111111111:user/alice")
    };
    let mut ctx = RequestContext::new(s.action, s.resource, principal);
    for (k, v) in &s.keys {
        ctx.set_key(k, v.clone());
    }
    let sets = PolicySets {
        identity: p.identity.iter().collect(),
        permissions_boundary: p.boundary.as_ref(),
        service_control: p.scp.iter().map(|scp| vec![scp]).collect(),
        ..PolicySets::default()
    };
    evaluate(&ctx, &sets)
}

fn sorted_sids(e: &rampart_policy::Evaluation) -> Vec<String> {
    let mut v: Vec<String> = e
        .matched
        .iter()
        .map(|m| {
            format!(
                "{:?}/{}/{}",
                m.source,
                m.policy_index,
                m.sid.as_deref().unwrap_or("")
            )
        })
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// An applicable Deny wins over every Allow, in whichever set it appears.
    #[test]
    fn explicit_deny_is_never_overridden(s in setup(), where_ in 0usize..3) {
        let mut s = s;
        let deny = json!({"Effect": "Deny", "Action": s.action, "Resource": "*"});
        match where_ {
            0 => s.identity.push(vec![deny]),
            1 => match &mut s.boundary { Some(b) => b.push(deny), None => s.identity.push(vec![deny]) },
            _ => match &mut s.scp { Some(p) => p.push(deny), None => s.scp = Some(vec![deny]) },
        }
        let e = decide(&s, &parsed(&s));
        prop_assert_eq!(e.decision, Decision::ExplicitDeny);
        prop_assert!(e.matched.iter().all(|m| m.effect == rampart_policy::Effect::Deny));
        prop_assert!(!e.matched.is_empty());
    }

    /// Reordering the statements of every policy changes nothing.
    #[test]
    fn statement_order_is_irrelevant(s in setup(), seed in any::<u64>()) {
        let before = decide(&s, &parsed(&s));
        let mut r = s.clone();
        let rotate = |v: &mut Vec<Value>, k: u64| {
            let n = v.len();
            if n > 1 {
                let k = usize::try_from(k % n as u64).unwrap();
                v.rotate_left(k);
                v.reverse();
            }
        };
        for (i, p) in r.identity.iter_mut().enumerate() { rotate(p, seed.wrapping_add(i as u64)); }
        if let Some(b) = &mut r.boundary { rotate(b, seed / 3); }
        if let Some(p) = &mut r.scp { rotate(p, seed / 7); }
        // Keep Sids attached to the same statements: re-number after the shuffle would change
        // them, so compare decisions, reasons and the multiset of matched effects.
        let after = decide(&r, &parsed(&r));
        prop_assert_eq!(before.decision, after.decision);
        prop_assert_eq!(before.reason, after.reason);
        prop_assert_eq!(before.matched.len(), after.matched.len());
    }

    /// Adding a Deny statement anywhere never turns a denial into an Allow.
    #[test]
    fn adding_a_deny_never_allows(s in setup(), extra in statement(), where_ in 0usize..3) {
        let before = decide(&s, &parsed(&s));
        let mut extra = extra;
        extra.as_object_mut().unwrap().insert("Effect".into(), json!("Deny"));
        let mut t = s.clone();
        match where_ {
            0 => match t.identity.first_mut() { Some(p) => p.push(extra), None => t.identity.push(vec![extra]) },
            1 => match &mut t.boundary { Some(b) => b.push(extra), None => t.identity.push(vec![extra]) },
            _ => match &mut t.scp { Some(p) => p.push(extra), None => t.identity.push(vec![extra]) },
        }
        let after = decide(&t, &parsed(&t));
        if before.decision != Decision::Allow {
            prop_assert_ne!(after.decision, Decision::Allow);
        }
        if before.decision == Decision::ExplicitDeny {
            prop_assert_eq!(after.decision, Decision::ExplicitDeny);
        }
    }

    /// Evaluation is deterministic and the matched list agrees with the decision.
    #[test]
    fn matched_statements_agree_with_the_decision(s in setup()) {
        let p = parsed(&s);
        let a = decide(&s, &p);
        let b = decide(&s, &p);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(sorted_sids(&a), sorted_sids(&b));
        match a.decision {
            Decision::Allow => prop_assert!(a.reason.is_none()),
            Decision::ExplicitDeny => prop_assert!(!a.matched.is_empty()),
            Decision::ImplicitDeny => prop_assert!(a.matched.is_empty() && a.reason.is_some()),
        }
    }

    /// parse → print → parse yields an equal document, and printing is stable.
    #[test]
    fn parse_print_parse_is_identity(stmts in policy_json(), kind in prop::sample::select(&[
        PolicyKind::Identity, PolicyKind::Managed, PolicyKind::PermissionsBoundary, PolicyKind::Session, PolicyKind::ServiceControl,
    ][..])) {
        let Ok(p) = Policy::parse(&text_of(&stmts), kind) else {
            // Only the size limit of session policies can reject a generated document.
            prop_assume!(false);
            unreachable!()
        };
        let printed = p.document().to_json();
        let q = Policy::parse(&printed, kind).unwrap();
        prop_assert_eq!(&p, &q);
        prop_assert_eq!(printed, q.document().to_json());
    }

    /// Arbitrary text never panics the parser; accepted text round-trips.
    #[test]
    fn parse_never_panics(text in "\\PC{0,200}") {
        for kind in [PolicyKind::Identity, PolicyKind::Trust, PolicyKind::Resource] {
            if let Ok(p) = Policy::parse(&text, kind) {
                prop_assert_eq!(Policy::parse(&p.document().to_json(), kind).ok(), Some(p));
            }
        }
    }
}
