//! The decision: the caller's policies, the organization's guard rails and any resource
//! policy, evaluated by `rampart-policy` over the request context (`context`), with each
//! deciding statement named by the policy it came from.
//!
//! Collect-then-decide, like Cedar's authorizer: everything that applies is gathered from
//! the snapshot first, then one pure evaluation answers. The answer keeps the statements
//! that decided it (for the audit trail) and AWS's `AccessDenied` sentence (for the caller).
//! It reads the snapshot and writes nothing.

use std::sync::Arc;

use rampart_policy::{Evaluation, MatchedStatement, Policy, PolicySets, PolicySource, evaluate};
use serde::{Deserialize, Serialize};

use super::{Access, RequestEnv, ResourcePolicy};
use crate::auth::{Caller, Principal};
use crate::error::CoreError;
use crate::model::{AccountId, OrgPolicyRecord};
use crate::org_tree::{self, Guardrail, RCP, SCP};
use crate::state::State;

/// How a request was decided; IAM tells the two denials apart, and so do we.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Some policy allows and nothing denies.
    Allow,
    /// An applicable `Deny` statement (or a hard rule such as root assuming a role).
    ExplicitDeny,
    /// No applicable `Allow` where one is required.
    ImplicitDeny,
}

/// The kind of policy a deciding statement belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyType {
    /// An identity-based policy of the user (or its groups) or role: managed or inline.
    Identity,
    /// The permissions boundary of the user or role.
    PermissionsBoundary,
    /// A session policy passed when the temporary credentials were created.
    Session,
    /// A service control policy of the organization.
    ServiceControl,
    /// A resource control policy of the organization.
    ResourceControl,
    /// The resource's own policy (a role's trust policy for `sts:AssumeRole`).
    Resource,
}

/// A statement that took part in a decision, named for the audit trail.
///
/// `policy` names the policy:
/// * a managed policy (identity or permissions boundary): its ARN;
/// * an inline policy: `user/NAME/POLICY`, `group/NAME/POLICY` or `role/NAME/POLICY` (IAM
///   names never contain `/`, so this cannot collide, and never starts with `arn:`);
/// * a session policy: `session/N`, its position in the session's policies (the inline
///   `Policy` first, then the `PolicyArns` in request order);
/// * an SCP or RCP: the organization policy's ARN;
/// * a resource policy: the ARN of the resource it belongs to (the role, for a trust policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecidingStatement {
    /// The kind of policy.
    pub policy_type: PolicyType,
    /// Which policy (see the type's documentation for the naming).
    pub policy: String,
    /// The statement's `Sid`, when it has one.
    pub sid: Option<String>,
}

/// The answer to one authorization question.
///
/// `deciding` holds, for an explicit deny, every applicable `Deny` statement; for an allow,
/// the first applicable `Allow` of each policy set consulted; for an implicit deny, nothing
/// (no statement decided it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Allow, explicit deny or implicit deny.
    pub outcome: Outcome,
    /// The statements that decided.
    pub deciding: Vec<DecidingStatement>,
    /// AWS's `AccessDenied` message; `None` when allowed.
    pub message: Option<String>,
}

impl Decision {
    /// True when the request is allowed.
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allow
    }

    /// `Ok` when allowed, else `AccessDenied` with AWS's sentence.
    pub fn check(&self) -> Result<(), CoreError> {
        if self.is_allowed() {
            return Ok(());
        }
        Err(CoreError::AccessDenied(
            self.message.clone().unwrap_or_default(),
        ))
    }
}

/// Names a policy without allocating; turned into text only when one of its statements
/// decides.
#[derive(Debug, Clone, Copy)]
enum PolicyName<'s> {
    /// A managed policy, by ARN.
    Managed(&'s str),
    /// An inline policy: entity kind, entity name, policy name.
    Inline(&'static str, &'s str, &'s str),
    /// An organization policy.
    Organization(&'s OrgPolicyRecord),
}

impl PolicyName<'_> {
    fn text(self) -> String {
        match self {
            PolicyName::Managed(arn) => arn.to_owned(),
            PolicyName::Inline(kind, entity, name) => format!("{kind}/{entity}/{name}"),
            PolicyName::Organization(record) => record.arn(),
        }
    }
}

/// A policy with its name.
#[derive(Debug, Clone, Copy)]
struct Named<'s> {
    policy: &'s Policy,
    name: PolicyName<'s>,
}

/// The policies that apply to the caller as a principal: identity-based (its own and its
/// groups', or the role's), the permissions boundary, and session policies.
#[derive(Debug, Default)]
pub struct CallerPolicies<'s> {
    identity: Vec<Named<'s>>,
    boundary: Option<Named<'s>>,
    /// Session policies, when the session was created with some.
    session: Option<Vec<&'s Policy>>,
}

impl<'s> CallerPolicies<'s> {
    /// Identity-based policies.
    pub fn identity(&self) -> Vec<&'s Policy> {
        self.identity.iter().map(|n| n.policy).collect()
    }

    /// The permissions boundary.
    pub fn boundary(&self) -> Option<&'s Policy> {
        self.boundary.map(|n| n.policy)
    }

    /// Session policies, `None` when the session was given none.
    pub fn session(&self) -> Option<Vec<&'s Policy>> {
        self.session.clone()
    }
}

/// The inline policies of one user, group or role, named `KIND/ENTITY/POLICY`.
fn inline<'s>(
    kind: &'static str,
    entity: &'s str,
    names: &'s [(String, String)],
    parsed: &'s [Arc<Policy>],
) -> impl Iterator<Item = Named<'s>> {
    names
        .iter()
        .zip(parsed)
        .map(move |((name, _), policy)| Named {
            policy: policy.as_ref(),
            name: PolicyName::Inline(kind, entity, name),
        })
}

/// Collects the caller's policies. Root has none: it is allowed by being root.
pub fn caller_policies<'s>(state: &'s State, caller: &'s Caller) -> CallerPolicies<'s> {
    let managed = |arn: &'s String| {
        state.policy(arn).and_then(|p| p.document()).map(|p| Named {
            policy: p.as_ref(),
            name: PolicyName::Managed(arn),
        })
    };
    let mut out = CallerPolicies::default();
    let user_name = match &caller.principal {
        Principal::User { name, .. } => Some(name),
        Principal::FederatedUser { parent_user, .. } => parent_user.as_ref(),
        _ => None,
    };
    match &caller.principal {
        Principal::Root => {}
        Principal::User { .. } | Principal::FederatedUser { .. } => {
            if let Some(user) = user_name.and_then(|name| state.user(&caller.account, name)) {
                let record = &user.record;
                out.identity.extend(inline(
                    "user",
                    &record.name,
                    &record.inline_policies,
                    &user.inline,
                ));
                out.identity
                    .extend(record.attached_policies.iter().filter_map(managed));
                for group_name in &record.groups {
                    if let Some(group) = state.group(&caller.account, group_name) {
                        let g = &group.record;
                        out.identity.extend(inline(
                            "group",
                            &g.name,
                            &g.inline_policies,
                            &group.inline,
                        ));
                        out.identity
                            .extend(g.attached_policies.iter().filter_map(managed));
                    }
                }
                out.boundary = record.permissions_boundary.as_ref().and_then(managed);
            } else if let Some(policy) = crate::ops::test_mode::test_user_policy(state, caller) {
                out.identity.push(Named {
                    policy,
                    name: PolicyName::Managed(crate::ops::test_mode::TEST_USER_POLICY),
                });
            }
        }
        Principal::AssumedRole { role_name, .. } => {
            if let Some(role) = state.role(&caller.account, role_name) {
                let record = &role.record;
                out.identity.extend(inline(
                    "role",
                    &record.name,
                    &record.inline_policies,
                    &role.inline,
                ));
                out.identity
                    .extend(record.attached_policies.iter().filter_map(managed));
                out.boundary = record.permissions_boundary.as_ref().and_then(managed);
            }
        }
    }
    if let Some(crate::auth::StsSession(session)) =
        caller.session.as_ref().and_then(|s| s.sts.as_ref())
    {
        out.session = session
            .policies
            .as_ref()
            .map(|ps| ps.iter().map(AsRef::as_ref).collect());
    }
    out
}

/// Actions RCPs govern in Rampart: STS actions on roles (policy-evaluation.md §5.1
/// [choice]: IAM, Organizations and Account actions are not RCP-governed).
const RCP_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
];

/// The organization's guard rails with their records, one inner list per level.
type Levels<'s> = Vec<Vec<Guardrail<'s>>>;

fn guardrails<'s>(
    state: &'s State,
    principal_account: &AccountId,
    resource_account: &AccountId,
    action: &str,
) -> (Levels<'s>, Levels<'s>) {
    let scps = org_tree::levels(state, principal_account, SCP);
    let rcps = if RCP_ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(action)) {
        org_tree::levels(state, resource_account, RCP)
    } else {
        Vec::new()
    };
    (scps, rcps)
}

fn documents<'s>(levels: &Levels<'s>) -> Vec<Vec<&'s Policy>> {
    levels
        .iter()
        .map(|level| level.iter().map(|g| g.document).collect())
        .collect()
}

/// The organization guard rails of a request, one inner list per level (root, each OU,
/// the account): the SCPs of the principal's account and, for RCP-governed actions, the
/// RCPs of the resource's account. Both are empty outside an organization, for the
/// management account, and when the policy type is not enabled (policy-evaluation.md §5).
pub fn org_guardrails<'s>(
    state: &'s State,
    principal_account: &AccountId,
    resource_account: &AccountId,
    action: &str,
) -> (Vec<Vec<&'s Policy>>, Vec<Vec<&'s Policy>>) {
    let (scps, rcps) = guardrails(state, principal_account, resource_account, action);
    (documents(&scps), documents(&rcps))
}

/// Everything one request is decided against, with the names of its policies.
struct Collected<'s> {
    caller: CallerPolicies<'s>,
    scps: Levels<'s>,
    rcps: Levels<'s>,
}

impl Collected<'_> {
    /// Names a matched statement; `resource` names the resource policy.
    fn name(&self, m: &MatchedStatement, resource: &str) -> Option<DecidingStatement> {
        let org = |levels: &Levels<'_>, level: usize| {
            levels
                .get(level)
                .and_then(|l| l.get(m.policy_index))
                .map(|g| PolicyName::Organization(g.record).text())
        };
        let (policy_type, policy) = match m.source {
            PolicySource::Identity => (
                PolicyType::Identity,
                self.caller.identity.get(m.policy_index)?.name.text(),
            ),
            PolicySource::PermissionsBoundary => (
                PolicyType::PermissionsBoundary,
                self.caller.boundary?.name.text(),
            ),
            PolicySource::Session => (PolicyType::Session, format!("session/{}", m.policy_index)),
            PolicySource::ServiceControl { level } => {
                (PolicyType::ServiceControl, org(&self.scps, level)?)
            }
            PolicySource::ResourceControl { level } => {
                (PolicyType::ResourceControl, org(&self.rcps, level)?)
            }
            PolicySource::ResourcePolicy => (PolicyType::Resource, resource.to_owned()),
        };
        Some(DecidingStatement {
            policy_type,
            policy,
            sid: m.sid.as_deref().map(str::to_owned),
        })
    }
}

/// Evaluates `access` for `caller` against every applicable policy set.
fn evaluate_request<'s>(
    state: &'s State,
    caller: &'s Caller,
    access: &Access,
    env: &RequestEnv,
    resource: Option<ResourcePolicy<'_>>,
) -> (Evaluation, Collected<'s>) {
    let ctx = super::context::full_context(state, caller, access, env);
    let policies = caller_policies(state, caller);
    let resource_account = resource.map_or(&caller.account, |r| r.account);
    let (scps, rcps) = guardrails(state, &caller.account, resource_account, &access.action);
    let sets = PolicySets {
        service_control: documents(&scps),
        resource_control: documents(&rcps),
        identity: policies.identity(),
        permissions_boundary: policies.boundary(),
        session: policies.session(),
        resource_policy: resource.map(|r| r.policy),
        resource_account: resource.map(|r| r.account.as_str().to_owned()),
        ..PolicySets::default()
    };
    let evaluation = evaluate(&ctx, &sets);
    let collected = Collected {
        caller: policies,
        scps,
        rcps,
    };
    (evaluation, collected)
}

/// Decides `access` for `caller`, with `resource`'s policy also in play when given (a
/// role's trust policy for `sts:AssumeRole`).
pub fn authorize(
    state: &State,
    caller: &Caller,
    access: &Access,
    env: &RequestEnv,
    resource: Option<ResourcePolicy<'_>>,
) -> Decision {
    let (evaluation, collected) = evaluate_request(state, caller, access, env, resource);
    let deciding = evaluation
        .matched
        .iter()
        .filter_map(|m| collected.name(m, &access.resource))
        .collect();
    let outcome = match evaluation.decision {
        rampart_policy::Decision::Allow => Outcome::Allow,
        rampart_policy::Decision::ExplicitDeny => Outcome::ExplicitDeny,
        rampart_policy::Decision::ImplicitDeny => Outcome::ImplicitDeny,
    };
    let message = (outcome != Outcome::Allow).then(|| denial_message(caller, access, &evaluation));
    Decision {
        outcome,
        deciding,
        message,
    }
}

/// AWS's `AccessDenied` sentence for a denied request.
fn denial_message(caller: &Caller, access: &Access, evaluation: &Evaluation) -> String {
    let reason = evaluation
        .reason
        .unwrap_or(rampart_policy::DenialReason::NoIdentityAllow);
    // STS words its AssumeRole denial without a reason (wire-protocols.md §1.5).
    if access.action == "sts:AssumeRole"
        && reason != rampart_policy::DenialReason::RootCannotAssumeRole
    {
        return format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
            caller.arn(),
            access.resource
        );
    }
    reason.message(&caller.arn(), &access.action, Some(&access.resource))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::authz::tests::{carol, sample_state};
    use crate::model::kind;
    use crate::org_tree::tests::put_row;

    const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
    const READ_ONLY: &str = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";

    fn env() -> RequestEnv {
        RequestEnv {
            now: 1_700_000_000,
            source_ip: std::net::IpAddr::from([127, 0, 0, 1]),
            secure_transport: true,
            region: "us-east-1".into(),
        }
    }

    /// Adds IAM user `name` to `account` and returns it as a caller.
    fn user(state: &mut State, account: &str, name: &str, extra: serde_json::Value) -> Caller {
        let mut record = json!({"account": account, "name": name, "id": format!("AIDA{name}"),
            "path": "/", "created": 0, "tags": [], "groups": [], "attached_policies": [],
            "inline_policies": []});
        if let (Some(record), Some(extra)) = (record.as_object_mut(), extra.as_object()) {
            record.extend(extra.clone());
        }
        put_row(state, kind::USER, &format!("{account}/{name}"), &record);
        Caller {
            account: AccountId::parse(account).unwrap(),
            principal: Principal::User {
                name: name.into(),
                id: format!("AIDA{name}"),
                arn: format!("arn:aws:iam::{account}:user/{name}"),
            },
            access_key_id: format!("AKIA{name}"),
            session: None,
        }
    }

    fn access(action: &str, resource: &str) -> Access {
        Access::new(action, resource.to_owned())
    }

    fn statement(policy_type: PolicyType, policy: &str, sid: Option<&str>) -> DecidingStatement {
        DecidingStatement {
            policy_type,
            policy: policy.into(),
            sid: sid.map(str::to_owned),
        }
    }

    /// Erin: `AdministratorAccess` plus an inline policy denying `iam:DeleteUser`.
    fn erin(state: &mut State) -> Caller {
        let deny = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoDelete","Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}"#;
        user(
            state,
            "111111111111",
            "erin",
            json!({"attached_policies": [ADMIN], "inline_policies": [["no-delete", deny]]}),
        )
    }

    #[test]
    fn explicit_deny_wins_and_names_the_denying_inline_statement() {
        let mut state = sample_state();
        let erin = erin(&mut state);
        let bob = "arn:aws:iam::111111111111:user/bob";
        let decision = authorize(&state, &erin, &access("iam:DeleteUser", bob), &env(), None);
        assert_eq!(decision.outcome, Outcome::ExplicitDeny);
        assert!(!decision.is_allowed());
        assert_eq!(
            decision.deciding,
            [statement(
                PolicyType::Identity,
                "user/erin/no-delete",
                Some("NoDelete")
            )]
        );
        let Err(CoreError::AccessDenied(message)) = decision.check() else {
            panic!("a denial is AccessDenied");
        };
        assert_eq!(
            message,
            "User: arn:aws:iam::111111111111:user/erin is not authorized to perform: \
             iam:DeleteUser on resource: arn:aws:iam::111111111111:user/bob with an explicit \
             deny in an identity-based policy"
        );
    }

    #[test]
    fn an_allow_names_the_managed_policy_that_allowed_it() {
        let mut state = sample_state();
        let erin = erin(&mut state);
        let list = access("iam:ListUsers", "arn:aws:iam::111111111111:user/");
        let decision = authorize(&state, &erin, &list, &env(), None);
        assert_eq!(decision.outcome, Outcome::Allow);
        assert_eq!(decision.check().ok(), Some(()));
        assert_eq!(decision.message, None);
        assert_eq!(
            decision.deciding,
            [statement(PolicyType::Identity, ADMIN, None)]
        );
    }

    #[test]
    fn no_policy_is_an_implicit_deny_with_no_deciding_statement() {
        let state = sample_state();
        let list = access("iam:ListUsers", "arn:aws:iam::111111111111:user/");
        let decision = authorize(&state, &carol(), &list, &env(), None);
        assert_eq!(decision.outcome, Outcome::ImplicitDeny);
        assert!(decision.deciding.is_empty());
        assert_eq!(
            decision.message.as_deref(),
            Some(
                "User: arn:aws:iam::111111111111:user/carol is not authorized to perform: \
                 iam:ListUsers on resource: arn:aws:iam::111111111111:user/ because no \
                 identity-based policy allows the iam:ListUsers action"
            )
        );
    }

    #[test]
    fn the_permissions_boundary_caps_and_is_named_when_it_allows() {
        let mut state = sample_state();
        let frank = user(
            &mut state,
            "111111111111",
            "frank",
            json!({"attached_policies": [ADMIN], "permissions_boundary": READ_ONLY}),
        );
        let create = access("iam:CreateUser", "arn:aws:iam::111111111111:user/x");
        let decision = authorize(&state, &frank, &create, &env(), None);
        assert_eq!(decision.outcome, Outcome::ImplicitDeny);
        assert!(
            decision
                .message
                .unwrap()
                .ends_with("because no permissions boundary allows the iam:CreateUser action")
        );
        let list = access("iam:ListUsers", "arn:aws:iam::111111111111:user/");
        let decision = authorize(&state, &frank, &list, &env(), None);
        assert_eq!(decision.outcome, Outcome::Allow);
        let types: Vec<_> = decision.deciding.iter().map(|s| s.policy_type).collect();
        assert_eq!(
            types,
            [PolicyType::Identity, PolicyType::PermissionsBoundary]
        );
        assert_eq!(
            decision.deciding.get(1).map(|s| s.policy.as_str()),
            Some(READ_ONLY)
        );
    }

    #[test]
    fn an_scp_deny_binds_member_accounts_and_is_named_by_its_arn() {
        let mut state = sample_state();
        let gina = user(
            &mut state,
            "222222222222",
            "gina",
            json!({"attached_policies": [ADMIN]}),
        );
        let list = access("iam:ListUsers", "arn:aws:iam::222222222222:user/");
        let decision = authorize(&state, &gina, &list, &env(), None);
        assert_eq!(decision.outcome, Outcome::ExplicitDeny);
        assert_eq!(
            decision.deciding,
            [statement(
                PolicyType::ServiceControl,
                "arn:aws:organizations::111111111111:policy/o-abcdefghij/service_control_policy/p-denyall1",
                None
            )]
        );
        assert!(
            decision
                .message
                .unwrap()
                .ends_with("with an explicit deny in a service control policy")
        );
        // The same user in the management account is not bound by SCPs.
        let mut state = sample_state();
        let erin = erin(&mut state);
        let list = access("iam:ListUsers", "arn:aws:iam::111111111111:user/");
        assert!(authorize(&state, &erin, &list, &env(), None).is_allowed());
    }

    #[test]
    fn assume_role_is_denied_in_sts_words_and_allowed_by_trust_and_identity() {
        let mut state = sample_state();
        let role = "arn:aws:iam::111111111111:role/app/deployer";
        let form = format!("RoleArn={role}&RoleSessionName=s1");
        let params = rampart_wire::QueryParams::parse(form.as_bytes()).unwrap();
        let op = rampart_wire::sts::Operation::decode("AssumeRole", &params).unwrap();
        let trust = super::super::sts::resource_policy(&state, &op);
        let assume = super::super::sts::access(&carol(), &op, false);
        let decision = authorize(&state, &carol(), &assume, &env(), trust);
        assert_eq!(
            decision.check().err().map(|e| e.to_string()),
            Some(format!(
                "User: arn:aws:iam::111111111111:user/carol is not authorized to perform: \
                 sts:AssumeRole on resource: {role}"
            ))
        );
        let erin = erin(&mut state);
        let trust = super::super::sts::resource_policy(&state, &op);
        let assume = super::super::sts::access(&erin, &op, false);
        let decision = authorize(&state, &erin, &assume, &env(), trust);
        assert_eq!(decision.outcome, Outcome::Allow);
        assert!(
            decision
                .deciding
                .contains(&statement(PolicyType::Resource, role, None)),
            "{:?}",
            decision.deciding
        );
    }

    #[test]
    fn session_policies_are_named_by_position() {
        let name = PolicyName::Inline("group", "admins", "p").text();
        assert_eq!(name, "group/admins/p");
        let m = MatchedStatement {
            source: PolicySource::Session,
            policy_index: 1,
            statement_index: 0,
            sid: Some("S".into()),
            effect: rampart_policy::Effect::Deny,
        };
        let collected = Collected {
            caller: CallerPolicies::default(),
            scps: Vec::new(),
            rcps: Vec::new(),
        };
        assert_eq!(
            collected.name(&m, "*"),
            Some(statement(PolicyType::Session, "session/1", Some("S")))
        );
    }

    #[test]
    fn a_decision_serialises_for_the_audit_trail() {
        let decision = Decision {
            outcome: Outcome::ExplicitDeny,
            deciding: vec![statement(PolicyType::Identity, ADMIN, Some("S"))],
            message: Some("m".into()),
        };
        let value = serde_json::to_value(&decision).unwrap();
        assert_eq!(value["outcome"], "ExplicitDeny");
        assert_eq!(value["deciding"][0]["policy_type"], "Identity");
        let back: Decision = serde_json::from_value(value).unwrap();
        assert_eq!(back, decision);
    }
}
