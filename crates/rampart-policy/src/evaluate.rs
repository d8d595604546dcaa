//! The decision procedure: which policy sets apply and how they combine.
//!
//! Implements `policy-evaluation.md` §2–§8: explicit deny anywhere, RCP and SCP levels, the
//! resource policy with its principal-naming subtleties, identity policies, permissions
//! boundary and session policies, the root user, the management account (an empty SCP list)
//! and service-linked roles. It returns the decision, the statements that decided and AWS's
//! reason phrase (§9). Pure: no I/O, no clock; evaluating pre-parsed policies allocates only the
//! list of matched statements.

use std::sync::Arc;

use crate::arn::SplitArn;
use crate::context::{PrincipalInfo, PrincipalKind, RequestContext};
use crate::document::{Effect, Policy, PolicyKind, PrincipalElement, PrincipalMatcher, Statement};
use crate::pattern::eq_text;

/// Every policy set that may apply to one request.
///
/// ```
/// use rampart_policy::{evaluate, Decision, Policy, PolicyKind, PolicySets, PrincipalInfo, RequestContext};
/// let admin = Policy::parse(
///     r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
///     PolicyKind::Managed,
/// )?;
/// let ctx = RequestContext::new(
///     "iam:ListUsers",
///     "*",
///     PrincipalInfo::user("arn:aws:iam::111111111111:user/alice"),
/// );
/// let sets = PolicySets { identity: vec![&admin], ..PolicySets::default() };
/// assert_eq!(evaluate(&ctx, &sets).decision, Decision::Allow);
/// # Ok::<(), rampart_policy::PolicyError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct PolicySets<'a> {
    /// SCPs of the principal's account, one inner list per organization level (root, each OU,
    /// the account). Empty = not restricted (no organization, management account).
    pub service_control: Vec<Vec<&'a Policy>>,
    /// RCPs of the resource's account, one inner list per level. Empty = not restricted
    /// (no organization, management-account resource, service not RCP-governed).
    pub resource_control: Vec<Vec<&'a Policy>>,
    /// The resource's resource policy; for a role, its trust policy (kind
    /// [`PolicyKind::Trust`], which must itself allow the caller).
    pub resource_policy: Option<&'a Policy>,
    /// The account owning the resource; `None` = the principal's account.
    pub resource_account: Option<String>,
    /// Identity policies: inline and managed policies of the user and all its groups, or of
    /// the role.
    pub identity: Vec<&'a Policy>,
    /// The resource policy must itself allow the caller, as for KMS key policies; role trust
    /// policies ([`PolicyKind::Trust`]) always must (`policy-evaluation.md` §4).
    pub resource_policy_must_allow: bool,
    /// The permissions boundary of the user or role, if any.
    pub permissions_boundary: Option<&'a Policy>,
    /// Session policies, `None` when the session was given none (a federated-user session
    /// without session policies has no permissions).
    pub session: Option<Vec<&'a Policy>>,
}

/// The outcome of an authorization question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Some policy allows and nothing denies.
    Allow,
    /// An applicable `Deny` statement (or a hard rule such as root assuming a role).
    ExplicitDeny,
    /// No applicable allow where one is required.
    ImplicitDeny,
}

/// Which policy set a statement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicySource {
    /// An SCP at organization level `level` (0 = root).
    ServiceControl {
        /// Index into [`PolicySets::service_control`].
        level: usize,
    },
    /// An RCP at organization level `level`.
    ResourceControl {
        /// Index into [`PolicySets::resource_control`].
        level: usize,
    },
    /// The resource policy (trust policy for roles).
    ResourcePolicy,
    /// An identity policy.
    Identity,
    /// The permissions boundary.
    PermissionsBoundary,
    /// A session policy.
    Session,
}

/// A statement that took part in the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedStatement {
    /// The set it belongs to.
    pub source: PolicySource,
    /// Index of the policy within its set (within the level for SCPs/RCPs).
    pub policy_index: usize,
    /// Index of the statement within the policy.
    pub statement_index: usize,
    /// The statement's Sid.
    pub sid: Option<Arc<str>>,
    /// Its effect.
    pub effect: Effect,
}

/// Why a request was denied, worded as AWS words it (`policy-evaluation.md` §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DenialReason {
    /// No identity-based policy allows.
    NoIdentityAllow,
    /// An identity-based policy denies.
    IdentityDeny,
    /// The permissions boundary does not allow.
    NoBoundaryAllow,
    /// The permissions boundary denies.
    BoundaryDeny,
    /// No session policy allows.
    NoSessionAllow,
    /// A session policy denies.
    SessionDeny,
    /// Some SCP level has no allow.
    NoServiceControlAllow,
    /// An SCP denies.
    ServiceControlDeny,
    /// Some RCP level has no allow (wording by analogy: the reference gives only the
    /// explicit form).
    NoResourceControlAllow,
    /// An RCP denies.
    ResourceControlDeny,
    /// The resource policy does not allow (required cross-account and for trust policies).
    NoResourcePolicyAllow,
    /// The resource policy denies.
    ResourcePolicyDeny,
    /// The root user called `sts:AssumeRole` (§7.1): the whole message is fixed.
    RootCannotAssumeRole,
}

impl DenialReason {
    /// The reason part of AWS's `AccessDenied` message.
    ///
    /// ```
    /// use rampart_policy::DenialReason;
    /// assert_eq!(
    ///     DenialReason::NoIdentityAllow.phrase("iam:CreateUser"),
    ///     "because no identity-based policy allows the iam:CreateUser action"
    /// );
    /// ```
    #[must_use]
    pub fn phrase(&self, action: &str) -> String {
        let no = |what: &str| format!("because no {what} allows the {action} action");
        let deny = |what: &str| format!("with an explicit deny in {what}");
        match self {
            DenialReason::NoIdentityAllow => no("identity-based policy"),
            DenialReason::IdentityDeny => deny("an identity-based policy"),
            DenialReason::NoBoundaryAllow => no("permissions boundary"),
            DenialReason::BoundaryDeny => deny("a permissions boundary"),
            DenialReason::NoSessionAllow => no("session policy"),
            DenialReason::SessionDeny => deny("a session policy"),
            DenialReason::NoServiceControlAllow => no("service control policy"),
            DenialReason::ServiceControlDeny => deny("a service control policy"),
            DenialReason::NoResourceControlAllow => no("resource control policy"),
            DenialReason::ResourceControlDeny => deny("a resource control policy"),
            DenialReason::NoResourcePolicyAllow => no("resource-based policy"),
            DenialReason::ResourcePolicyDeny => deny("a resource-based policy"),
            DenialReason::RootCannotAssumeRole => {
                "Roles may not be assumed by root accounts.".to_owned()
            }
        }
    }

    /// The whole `AccessDenied` message: `User: <caller> is not authorized to perform:
    /// <action> on resource: <arn> <reason>`; `on resource` is omitted when `resource` is
    /// `None` or `*` (*choice*, §9).
    #[must_use]
    pub fn message(&self, caller_arn: &str, action: &str, resource: Option<&str>) -> String {
        if *self == DenialReason::RootCannotAssumeRole {
            return self.phrase(action);
        }
        match resource.filter(|r| *r != "*") {
            Some(r) => format!(
                "User: {caller_arn} is not authorized to perform: {action} on resource: {r} {}",
                self.phrase(action)
            ),
            None => format!(
                "User: {caller_arn} is not authorized to perform: {action} {}",
                self.phrase(action)
            ),
        }
    }
}

/// The answer: decision, deciding statements and denial reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// Allow, explicit deny or implicit deny.
    pub decision: Decision,
    /// For `ExplicitDeny`: every applicable `Deny` statement. For `Allow`: the deciding
    /// `Allow` statements ([`evaluate`]) or every applicable one ([`evaluate_all`]). For
    /// `ImplicitDeny`: empty.
    pub matched: Vec<MatchedStatement>,
    /// Why it was denied (`None` when allowed).
    pub reason: Option<DenialReason>,
}

impl Evaluation {
    /// True when the request is allowed.
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allow
    }

    fn allow(matched: Vec<MatchedStatement>) -> Self {
        Evaluation {
            decision: Decision::Allow,
            matched,
            reason: None,
        }
    }

    fn implicit(reason: DenialReason) -> Self {
        Evaluation {
            decision: Decision::ImplicitDeny,
            matched: Vec::new(),
            reason: Some(reason),
        }
    }
}

/// How strongly a resource-policy `Principal` names the caller (§4). Ordered weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Naming {
    Account,
    Role,
    Direct,
}

struct Request<'c> {
    ctx: &'c RequestContext,
    arn: Option<SplitArn<'c>>,
    has_boundary: bool,
}

/// Decides one request against every applicable policy set.
///
/// `matched` holds every applicable `Deny` when explicitly denied, and for an `Allow` the
/// first applicable `Allow` of each policy set that was consulted (the statements that
/// decided). [`evaluate_all`] lists every applicable statement instead, for simulation.
///
/// ```
/// use rampart_policy::{evaluate, Decision, DenialReason, Policy, PolicyKind, PolicySets, PrincipalInfo, RequestContext};
/// let p = Policy::parse(
///     r#"{"Version":"2012-10-17","Statement":[
///         {"Effect":"Allow","Action":"iam:*","Resource":"*"},
///         {"Sid":"NoDelete","Effect":"Deny","Action":"iam:Delete*","Resource":"*"}]}"#,
///     PolicyKind::Identity,
/// )?;
/// let ctx = RequestContext::new("iam:DeleteUser", "arn:aws:iam::111111111111:user/bob",
///     PrincipalInfo::user("arn:aws:iam::111111111111:user/alice"));
/// let e = evaluate(&ctx, &PolicySets { identity: vec![&p], ..Default::default() });
/// assert_eq!(e.decision, Decision::ExplicitDeny);
/// assert_eq!(e.reason, Some(DenialReason::IdentityDeny));
/// assert_eq!(e.matched[0].sid.as_deref(), Some("NoDelete"));
/// # Ok::<(), rampart_policy::PolicyError>(())
/// ```
#[must_use]
pub fn evaluate(ctx: &RequestContext, sets: &PolicySets<'_>) -> Evaluation {
    decide(ctx, sets, false)
}

/// Like [`evaluate`] (same decision and reason), but `matched` lists every applicable statement
/// of the winning effect in every consulted set, as `SimulatePrincipalPolicy` reports them.
#[must_use]
pub fn evaluate_all(ctx: &RequestContext, sets: &PolicySets<'_>) -> Evaluation {
    decide(ctx, sets, true)
}

fn decide(ctx: &RequestContext, sets: &PolicySets<'_>, all: bool) -> Evaluation {
    let action = ctx.action.as_str();
    let p = &ctx.principal;
    // Authentication operations need no permission, even under an explicit deny (§6).
    if eq_text(action, "sts:GetCallerIdentity", true)
        || eq_text(action, "sts:GetSessionToken", true)
    {
        return Evaluation {
            decision: Decision::Allow,
            matched: Vec::new(),
            reason: None,
        };
    }
    // §7.1: the root user can never assume a role.
    if p.kind == PrincipalKind::Root && eq_text(action, "sts:AssumeRole", true) {
        return Evaluation {
            decision: Decision::ExplicitDeny,
            matched: Vec::new(),
            reason: Some(DenialReason::RootCannotAssumeRole),
        };
    }

    let req = Request {
        ctx,
        arn: SplitArn::new(&ctx.resource),
        has_boundary: sets.permissions_boundary.is_some(),
    };
    let mut matched = Vec::new();

    // SCPs restrict account principals of member accounts, never service-linked roles (§5.1).
    let scp_applies =
        !sets.service_control.is_empty() && p.kind.is_account_principal() && !p.service_linked_role;
    let rcp_applies = !sets.resource_control.is_empty() && !p.service_linked_role;
    let rp = sets.resource_policy.as_ref().map(std::slice::from_ref);
    let boundary = sets.permissions_boundary.as_ref().map(std::slice::from_ref);

    // 1. An explicit deny anywhere. Every set is scanned so that all denies are reported.
    let mut deny = None;
    let mut note = |found: bool, reason: DenialReason| {
        if found && deny.is_none() {
            deny = Some(reason);
        }
    };
    if scp_applies {
        for (level, policies) in sets.service_control.iter().enumerate() {
            let found = deny_scan(
                PolicySource::ServiceControl { level },
                policies,
                &req,
                &mut matched,
            );
            note(found, DenialReason::ServiceControlDeny);
        }
    }
    if rcp_applies {
        for (level, policies) in sets.resource_control.iter().enumerate() {
            let found = deny_scan(
                PolicySource::ResourceControl { level },
                policies,
                &req,
                &mut matched,
            );
            note(found, DenialReason::ResourceControlDeny);
        }
    }
    if let Some(rp) = rp {
        note(
            deny_scan(PolicySource::ResourcePolicy, rp, &req, &mut matched),
            DenialReason::ResourcePolicyDeny,
        );
    }
    note(
        deny_scan(PolicySource::Identity, &sets.identity, &req, &mut matched),
        DenialReason::IdentityDeny,
    );
    if let Some(b) = boundary {
        note(
            deny_scan(PolicySource::PermissionsBoundary, b, &req, &mut matched),
            DenialReason::BoundaryDeny,
        );
    }
    if let Some(s) = &sets.session {
        note(
            deny_scan(PolicySource::Session, s, &req, &mut matched),
            DenialReason::SessionDeny,
        );
    }
    if let Some(reason) = deny {
        return Evaluation {
            decision: Decision::ExplicitDeny,
            matched,
            reason: Some(reason),
        };
    }

    // 2. Every RCP level must allow.
    if rcp_applies {
        for (level, policies) in sets.resource_control.iter().enumerate() {
            if allow_scan(
                PolicySource::ResourceControl { level },
                policies,
                &req,
                &mut matched,
                all,
            )
            .is_none()
            {
                return Evaluation::implicit(DenialReason::NoResourceControlAllow);
            }
        }
    }
    // 3. Every SCP level must allow ("explicitly denied, even if the denial is implicit").
    if scp_applies {
        for (level, policies) in sets.service_control.iter().enumerate() {
            if allow_scan(
                PolicySource::ServiceControl { level },
                policies,
                &req,
                &mut matched,
                all,
            )
            .is_none()
            {
                return Evaluation::implicit(DenialReason::NoServiceControlAllow);
            }
        }
    }

    // The resource policy's strongest naming of the caller decides which path applies.
    let naming =
        rp.and_then(|rp| allow_scan(PolicySource::ResourcePolicy, rp, &req, &mut matched, all));
    // Callers that are not account principals have no identity policies: only a resource
    // policy can grant them anything.
    if !p.kind.is_account_principal() {
        return match naming {
            Some(_) => Evaluation::allow(matched),
            None => Evaluation::implicit(DenialReason::NoResourcePolicyAllow),
        };
    }
    let same_account = sets
        .resource_account
        .as_deref()
        .is_none_or(|a| a == p.account);
    let trust = sets
        .resource_policy
        .is_some_and(|pol| pol.kind() == PolicyKind::Trust || sets.resource_policy_must_allow);

    // Steps 5-7, evaluated only as far as needed.
    let mut identity = || {
        // The root user has implicit full access in its own account (§8).
        p.kind == PrincipalKind::Root
            || allow_scan(
                PolicySource::Identity,
                &sets.identity,
                &req,
                &mut matched,
                all,
            )
            .is_some()
    };
    let verdict = if same_account && naming == Some(Naming::Direct) {
        // 4. Same-account grant to the user/session/federated ARN or "*": allowed even when
        // identity policy, boundary and session policy are silent.
        None
    } else if same_account && naming == Some(Naming::Role) {
        // Grant to the role ARN (or to the user behind a federated session): identity implicit
        // deny ignored, boundary and session policies still limit.
        limits(&req, boundary, sets.session.as_deref(), &mut matched, all)
    } else if same_account && naming.is_none() && trust {
        // A trust policy must itself allow the caller; an identity policy never suffices.
        Some(DenialReason::NoResourcePolicyAllow)
    } else if !identity() {
        Some(DenialReason::NoIdentityAllow)
    } else if let Some(reason) = limits(&req, boundary, sets.session.as_deref(), &mut matched, all)
    {
        Some(reason)
    } else if !same_account && naming.is_none() {
        // §3: cross-account needs the resource side too.
        Some(DenialReason::NoResourcePolicyAllow)
    } else {
        None
    };
    match verdict {
        None => Evaluation::allow(matched),
        Some(reason) => Evaluation::implicit(reason),
    }
}

/// Steps 6-7: the permissions boundary and the session policies must allow.
fn limits(
    req: &Request<'_>,
    boundary: Option<&[&Policy]>,
    session: Option<&[&Policy]>,
    matched: &mut Vec<MatchedStatement>,
    all: bool,
) -> Option<DenialReason> {
    if let Some(b) = boundary
        && allow_scan(PolicySource::PermissionsBoundary, b, req, matched, all).is_none()
    {
        return Some(DenialReason::NoBoundaryAllow);
    }
    match session {
        Some(s) => allow_scan(PolicySource::Session, s, req, matched, all)
            .is_none()
            .then_some(DenialReason::NoSessionAllow),
        // §2 step 7: a federated-user session without session policies has no permissions.
        None => (req.ctx.principal.kind == PrincipalKind::FederatedUser)
            .then_some(DenialReason::NoSessionAllow),
    }
}

fn record(
    out: &mut Vec<MatchedStatement>,
    source: PolicySource,
    policy_index: usize,
    statement_index: usize,
    st: &Statement,
) {
    out.push(MatchedStatement {
        source,
        policy_index,
        statement_index,
        sid: st.sid.clone(),
        effect: st.effect,
    });
}

/// Records every applicable `Deny`; true if there is one.
fn deny_scan(
    source: PolicySource,
    policies: &[&Policy],
    req: &Request<'_>,
    out: &mut Vec<MatchedStatement>,
) -> bool {
    let with_principal = matches!(
        source,
        PolicySource::ResourcePolicy | PolicySource::ResourceControl { .. }
    );
    let mut found = false;
    for (policy_index, policy) in policies.iter().enumerate() {
        for (statement_index, st) in policy.document().statements.iter().enumerate() {
            if st.effect == Effect::Deny && applies(st, req, with_principal).is_some() {
                found = true;
                record(out, source, policy_index, statement_index, st);
            }
        }
    }
    found
}

/// Looks for an applicable `Allow`: the strongest naming of the caller, recording the first
/// applicable statement (every one when `all`). Stops early unless `all` or a stronger
/// naming may still come (resource policies).
fn allow_scan(
    source: PolicySource,
    policies: &[&Policy],
    req: &Request<'_>,
    out: &mut Vec<MatchedStatement>,
    all: bool,
) -> Option<Naming> {
    let with_principal = matches!(
        source,
        PolicySource::ResourcePolicy | PolicySource::ResourceControl { .. }
    );
    let mut best: Option<Naming> = None;
    for (policy_index, policy) in policies.iter().enumerate() {
        for (statement_index, st) in policy.document().statements.iter().enumerate() {
            if st.effect != Effect::Allow {
                continue;
            }
            let Some(naming) = applies(st, req, with_principal) else {
                continue;
            };
            if all || best.is_none_or(|b| naming > b) {
                record(out, source, policy_index, statement_index, st);
            }
            best = best.max(Some(naming));
            if !all && best == Some(Naming::Direct) {
                return best;
            }
        }
    }
    best
}

/// Whether `st` applies to the request, and how it named the caller.
fn applies(st: &Statement, req: &Request<'_>, with_principal: bool) -> Option<Naming> {
    let action = &req.ctx.action;
    let hit = st.action.globs.iter().any(|g| g.matches(action, true));
    if hit == st.action.negated {
        return None;
    }
    if let Some(res) = &st.resource {
        let hit = res
            .patterns
            .iter()
            .any(|p| p.matches(req.arn.as_ref(), req.ctx));
        if hit == res.negated {
            return None;
        }
    }
    let naming = match (&st.principal, with_principal) {
        (Some(elem), true) => {
            principal_naming(elem, st.effect, &req.ctx.principal, req.has_boundary)?
        }
        _ => Naming::Direct,
    };
    if let Some(cond) = &st.condition
        && !cond.holds(req.ctx)
    {
        return None;
    }
    Some(naming)
}

fn principal_naming(
    elem: &PrincipalElement,
    effect: Effect,
    p: &PrincipalInfo,
    has_boundary: bool,
) -> Option<Naming> {
    if !elem.negated {
        if elem.bare_star {
            return Some(Naming::Direct);
        }
        return elem
            .entries
            .iter()
            .flat_map(|e| e.matchers.iter())
            .filter_map(|m| naming_of(m, p))
            .max();
    }
    // NotPrincipal. Documented trap (§3.3): with Deny it always applies to a principal that has
    // a permissions boundary.
    if effect == Effect::Deny && has_boundary {
        return Some(Naming::Direct);
    }
    if elem.bare_star {
        return None;
    }
    // The caller is exempt only if every level AWS may check is listed: the account, then the
    // role (or the user behind a federated session), then the session or user itself.
    let mut account = false;
    let mut role = false;
    let mut direct = false;
    for m in elem.entries.iter().flat_map(|e| e.matchers.iter()) {
        match (m, naming_of(m, p)) {
            (PrincipalMatcher::Any, _) => return None,
            (_, Some(Naming::Account)) => account = true,
            (_, Some(Naming::Role)) => role = true,
            (_, Some(Naming::Direct)) => direct = true,
            (_, None) => {}
        }
    }
    let exempt = match p.kind {
        PrincipalKind::Root => account,
        PrincipalKind::User | PrincipalKind::FederatedUser => account && direct,
        PrincipalKind::Role => account && role,
        PrincipalKind::AssumedRole => account && role && direct,
        PrincipalKind::Service | PrincipalKind::IdentityProvider | PrincipalKind::Anonymous => {
            direct
        }
    };
    if exempt { None } else { Some(Naming::Direct) }
}

fn naming_of(m: &PrincipalMatcher, p: &PrincipalInfo) -> Option<Naming> {
    use PrincipalKind as K;
    let parent_is = |arn: &str| p.parent_arn.as_deref() == Some(arn);
    match m {
        PrincipalMatcher::Any => Some(Naming::Direct),
        PrincipalMatcher::Account(a) => {
            (p.kind.is_account_principal() && p.account == *a).then_some(Naming::Account)
        }
        PrincipalMatcher::User(arn) => match p.kind {
            K::User if p.arn == *arn => Some(Naming::Direct),
            K::FederatedUser if parent_is(arn) => Some(Naming::Role),
            _ => None,
        },
        PrincipalMatcher::Role(arn) => match p.kind {
            K::AssumedRole if parent_is(arn) => Some(Naming::Role),
            K::Role if p.arn == *arn || parent_is(arn) => Some(Naming::Role),
            _ => None,
        },
        PrincipalMatcher::Session(arn) => {
            (p.kind == K::AssumedRole && p.arn == *arn).then_some(Naming::Direct)
        }
        PrincipalMatcher::FederatedUser(arn) => {
            (p.kind == K::FederatedUser && p.arn == *arn).then_some(Naming::Direct)
        }
        PrincipalMatcher::UniqueId(id) => {
            if p.unique_id.as_deref() != Some(id.as_str()) {
                return None;
            }
            match p.kind {
                K::User => Some(Naming::Direct),
                K::Role | K::AssumedRole | K::FederatedUser => Some(Naming::Role),
                _ => None,
            }
        }
        PrincipalMatcher::Service(name) => {
            (p.kind == K::Service && p.arn == *name).then_some(Naming::Direct)
        }
        PrincipalMatcher::Federated(name) => {
            (p.kind == K::IdentityProvider && p.arn == *name).then_some(Naming::Direct)
        }
        PrincipalMatcher::Other => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(text: &str, kind: PolicyKind) -> Policy {
        Policy::parse(text, kind).unwrap()
    }

    fn alice(action: &str) -> RequestContext {
        RequestContext::new(
            action,
            "*",
            PrincipalInfo::user("arn:aws:iam::111111111111:user/alice"),
        )
    }

    const TWO_ALLOWS: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"A","Effect":"Allow","Action":"iam:*","Resource":"*"},
        {"Sid":"B","Effect":"Allow","Action":"iam:List*","Resource":"*"}]}"#;

    #[test]
    fn evaluate_reports_the_deciding_allow_and_evaluate_all_every_allow() {
        let p = policy(TWO_ALLOWS, PolicyKind::Identity);
        let sets = PolicySets {
            identity: vec![&p],
            ..PolicySets::default()
        };
        let ctx = alice("iam:ListUsers");
        let first = evaluate(&ctx, &sets);
        let every = evaluate_all(&ctx, &sets);
        assert_eq!(first.decision, Decision::Allow);
        assert_eq!(every.decision, Decision::Allow);
        fn sids(e: &Evaluation) -> Vec<String> {
            e.matched
                .iter()
                .map(|m| m.sid.as_deref().unwrap_or("").to_owned())
                .collect()
        }
        assert_eq!(sids(&first), ["A"]);
        assert_eq!(sids(&every), ["A", "B"]);
    }

    #[test]
    fn implicit_deny_has_no_matched_statements_and_a_reason() {
        let p = policy(TWO_ALLOWS, PolicyKind::Identity);
        let e = evaluate(
            &alice("s3:GetObject"),
            &PolicySets {
                identity: vec![&p],
                ..PolicySets::default()
            },
        );
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert!(e.matched.is_empty());
        assert_eq!(e.reason, Some(DenialReason::NoIdentityAllow));
    }

    #[test]
    fn denial_message_has_aws_shape() {
        let m = DenialReason::NoIdentityAllow.message(
            "arn:aws:iam::111111111111:user/alice",
            "iam:CreateUser",
            Some("arn:aws:iam::111111111111:user/bob"),
        );
        assert_eq!(
            m,
            "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111111111111:user/bob because no identity-based policy allows the iam:CreateUser action"
        );
        let m = DenialReason::ServiceControlDeny.message(
            "arn:aws:iam::1:user/a",
            "iam:ListUsers",
            Some("*"),
        );
        assert_eq!(
            m,
            "User: arn:aws:iam::1:user/a is not authorized to perform: iam:ListUsers with an explicit deny in a service control policy"
        );
        assert_eq!(
            DenialReason::RootCannotAssumeRole.message(
                "arn:aws:iam::1:root",
                "sts:AssumeRole",
                None
            ),
            "Roles may not be assumed by root accounts."
        );
    }

    #[test]
    fn root_is_allowed_without_policies_but_not_past_a_member_scp() {
        let deny_all = policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#,
            PolicyKind::ServiceControl,
        );
        let ctx = RequestContext::new("iam:CreateUser", "*", PrincipalInfo::root("111111111111"));
        assert!(evaluate(&ctx, &PolicySets::default()).is_allowed());
        let sets = PolicySets {
            service_control: vec![vec![&deny_all]],
            ..PolicySets::default()
        };
        assert_eq!(
            evaluate(&ctx, &sets).reason,
            Some(DenialReason::ServiceControlDeny)
        );
    }
}
