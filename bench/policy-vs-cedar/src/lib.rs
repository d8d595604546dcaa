//! Fixtures shared by the comparison benchmark: the administrator's policy set of
//! `crates/rampart-policy/benches/fixtures/` for rampart-policy, the same set written in Cedar
//! (`admin.cedar`), and one request expressed for each engine.
//!
//! Run with `cargo bench` in this directory (its own workspace; the main workspace excludes it).
#![expect(clippy::expect_used, reason = "benchmark fixtures are static and valid")]

use std::str::FromStr;

use cedar_policy::{Authorizer, Context, Entities, EntityUid, PolicySet, Request};
use rampart_policy::{ContextValue, Policy, PolicyKind, PolicySets, PrincipalInfo, RequestContext, Timestamp};

/// The Cedar translation of the whole set.
pub const CEDAR_POLICIES: &str = include_str!("admin.cedar");
const FIXTURES: &str = "../../crates/rampart-policy/benches/fixtures";
/// The 20-statement policy parsed by the parse benchmark.
pub const TWENTY: &str = include_str!("../../../crates/rampart-policy/benches/fixtures/twenty-statements.json");
const MANAGED: [&str; 3] = [
    include_str!("../../../crates/rampart-policy/benches/fixtures/admin-managed-1.json"),
    include_str!("../../../crates/rampart-policy/benches/fixtures/admin-managed-2.json"),
    include_str!("../../../crates/rampart-policy/benches/fixtures/admin-managed-3.json"),
];
const INLINE: [&str; 2] = [
    include_str!("../../../crates/rampart-policy/benches/fixtures/admin-inline-1.json"),
    include_str!("../../../crates/rampart-policy/benches/fixtures/admin-inline-2.json"),
];
const SCP: &str = include_str!("../../../crates/rampart-policy/benches/fixtures/scp.json");
const BOUNDARY: &str = include_str!("../../../crates/rampart-policy/benches/fixtures/boundary.json");

/// Where the IAM fixtures live (for messages).
#[must_use]
pub fn fixtures_dir() -> &'static str {
    FIXTURES
}

/// The parsed rampart-policy set.
pub struct Ours {
    /// 3 managed + 2 inline identity policies.
    pub identity: Vec<Policy>,
    /// One SCP level.
    pub scp: Policy,
    /// The permissions boundary.
    pub boundary: Policy,
}

impl Ours {
    /// Parses the fixtures.
    #[must_use]
    pub fn load() -> Ours {
        let parse = |t: &str, k| Policy::parse(t, k).expect("fixture parses");
        Ours {
            identity: MANAGED
                .iter()
                .map(|t| parse(t, PolicyKind::Managed))
                .chain(INLINE.iter().map(|t| parse(t, PolicyKind::Identity)))
                .collect(),
            scp: parse(SCP, PolicyKind::ServiceControl),
            boundary: parse(BOUNDARY, PolicyKind::PermissionsBoundary),
        }
    }

    /// The policy sets for `evaluate`.
    #[must_use]
    pub fn sets(&self) -> PolicySets<'_> {
        PolicySets {
            service_control: vec![vec![&self.scp]],
            identity: self.identity.iter().collect(),
            permissions_boundary: Some(&self.boundary),
            ..PolicySets::default()
        }
    }
}

/// One request of alice (an administrator) for rampart-policy.
#[must_use]
pub fn our_request(action: &str, resource: &str) -> RequestContext {
    RequestContext::new(action, resource, PrincipalInfo::user("arn:aws:iam::111111111111:user/alice"))
        .with_key("aws:username", "alice")
        .with_key("aws:PrincipalArn", "arn:aws:iam::111111111111:user/alice")
        .with_key("aws:PrincipalAccount", "111111111111")
        .with_key("aws:PrincipalType", "User")
        .with_key("aws:userid", "AIDAEXAMPLEEXAMPLE01")
        .with_key("aws:SecureTransport", true)
        .with_key("aws:SourceIp", ContextValue::Ip("10.1.2.3".parse().expect("ip")))
        .with_key("aws:RequestedRegion", "us-east-1")
        .with_key("aws:MultiFactorAuthPresent", true)
        .with_key("aws:MultiFactorAuthAge", 300.0)
        .with_key("aws:PrincipalTag/team", "platform")
        .with_time(Timestamp::parse("2026-01-01T12:00:00Z").expect("date"))
}

/// The parsed Cedar policy set.
#[must_use]
pub fn cedar_policies() -> PolicySet {
    PolicySet::from_str(CEDAR_POLICIES).expect("cedar policies parse")
}

/// The same request for Cedar (context carries what IAM's condition keys carry).
#[must_use]
pub fn cedar_request(action: &str, resource: &str) -> Request {
    let context = Context::from_json_value(
        serde_json::json!({
            "action": action,
            "resource": resource,
            "own_user_arn": "arn:aws:iam::111111111111:user/alice",
            "principal_arn": "arn:aws:iam::111111111111:user/alice",
            "secure_transport": true,
            "source_ip": {"__extn": {"fn": "ip", "arg": "10.1.2.3"}},
            "requested_region": "us-east-1",
            "mfa": true,
            "mfa_age": 300,
            "principal_tag_team": "platform",
            "epoch": 1_767_268_800_i64,
        }),
        None,
    )
    .expect("context");
    Request::new(
        EntityUid::from_str(r#"User::"alice""#).expect("uid"),
        EntityUid::from_str(r#"Action::"call""#).expect("uid"),
        EntityUid::from_str(r#"Resource::"r""#).expect("uid"),
        context,
        None,
    )
    .expect("request")
}

/// Cedar's decision, as allow / deny.
#[must_use]
pub fn cedar_allows(authorizer: &Authorizer, request: &Request, policies: &PolicySet, entities: &Entities) -> bool {
    authorizer.is_authorized(request, policies, entities).decision() == cedar_policy::Decision::Allow
}
