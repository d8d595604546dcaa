//! Tests of the IAM operations over the whole AWS managed policy catalogue
//! (`managed::catalogue`): attaching and evaluating policies beyond the handful Rampart
//! used to ship, their versions, permissions boundaries, and listing all of them.

use rampart_wire::iam::{self as wire, Operation as Op, Output};

use super::fixture::Fixture;
use crate::managed::catalogue;

const SECURITY_AUDIT: &str = "arn:aws:iam::aws:policy/SecurityAudit";
const SUPPORT: &str = "arn:aws:iam::aws:policy/AWSSupportAccess";
const VIEW_ONLY: &str = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";
const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

fn attach_user(f: &Fixture, user: &str, arn: &str) {
    f.run(Op::AttachUserPolicy(wire::AttachUserPolicyInput {
        user_name: user.into(),
        policy_arn: arn.into(),
    }))
    .unwrap();
}

fn simulate(f: &Fixture, user: &str, action: &str) -> wire::PolicyEvaluationDecision {
    let arn = f.state().user(f.account(), user).unwrap().record.arn();
    let Output::SimulatePrincipalPolicy(out) = f
        .run(Op::SimulatePrincipalPolicy(
            wire::SimulatePrincipalPolicyInput {
                policy_source_arn: arn,
                action_names: vec![action.into()],
                ..Default::default()
            },
        ))
        .unwrap()
    else {
        panic!("unexpected output")
    };
    out.evaluation_results.first().unwrap().eval_decision
}

#[test]
fn security_audit_and_support_access_attach_and_evaluate() {
    let f = Fixture::new();
    f.user("auditor");
    attach_user(&f, "auditor", SECURITY_AUDIT);
    attach_user(&f, "auditor", SUPPORT);

    // SecurityAudit reads IAM; it never writes.
    assert_eq!(
        simulate(&f, "auditor", "iam:ListUsers"),
        wire::PolicyEvaluationDecision::Allowed
    );
    assert_ne!(
        simulate(&f, "auditor", "iam:CreateUser"),
        wire::PolicyEvaluationDecision::Allowed
    );
    // AWSSupportAccess grants `support:*`.
    assert_eq!(
        simulate(&f, "auditor", "support:DescribeCases"),
        wire::PolicyEvaluationDecision::Allowed
    );
    assert_eq!(
        simulate(&f, "auditor", "iam:GetAccountPasswordPolicy"),
        wire::PolicyEvaluationDecision::Allowed
    );
    assert_ne!(
        simulate(&f, "auditor", "iam:DeleteUser"),
        wire::PolicyEvaluationDecision::Allowed
    );

    let Output::ListAttachedUserPolicies(out) = f
        .run(Op::ListAttachedUserPolicies(
            wire::ListAttachedUserPoliciesInput {
                user_name: "auditor".into(),
                ..Default::default()
            },
        ))
        .unwrap()
    else {
        panic!("unexpected output")
    };
    let names: Vec<_> = out
        .attached_policies
        .iter()
        .map(|p| p.policy_name.as_str())
        .collect();
    assert_eq!(names, ["SecurityAudit", "AWSSupportAccess"]);
}

#[test]
fn an_aws_managed_permissions_boundary_limits_an_administrator() {
    let f = Fixture::new();
    f.user("admin");
    attach_user(&f, "admin", ADMIN);
    f.run(Op::PutUserPermissionsBoundary(
        wire::PutUserPermissionsBoundaryInput {
            user_name: "admin".into(),
            permissions_boundary: VIEW_ONLY.into(),
        },
    ))
    .unwrap();
    assert_eq!(
        simulate(&f, "admin", "iam:ListUsers"),
        wire::PolicyEvaluationDecision::Allowed
    );
    assert_ne!(
        simulate(&f, "admin", "iam:CreateUser"),
        wire::PolicyEvaluationDecision::Allowed
    );
}

#[test]
fn a_policy_with_several_versions_lists_and_serves_them() {
    let f = Fixture::new();
    let Output::ListPolicyVersions(out) = f
        .run(Op::ListPolicyVersions(wire::ListPolicyVersionsInput {
            policy_arn: SECURITY_AUDIT.into(),
            max_items: Some(1000),
            ..Default::default()
        }))
        .unwrap()
    else {
        panic!("unexpected output")
    };
    assert!(out.versions.len() > 1, "{out:?}");
    assert_eq!(
        out.versions.iter().filter(|v| v.is_default_version).count(),
        1
    );
    let Output::GetPolicy(policy) = f
        .run(Op::GetPolicy(wire::GetPolicyInput {
            policy_arn: SECURITY_AUDIT.into(),
        }))
        .unwrap()
    else {
        panic!("unexpected output")
    };
    let default = policy.policy.default_version_id;
    assert!(
        out.versions
            .iter()
            .any(|v| v.is_default_version && v.version_id == default)
    );

    let Output::GetPolicyVersion(v1) = f
        .run(Op::GetPolicyVersion(wire::GetPolicyVersionInput {
            policy_arn: SECURITY_AUDIT.into(),
            version_id: "v1".into(),
        }))
        .unwrap()
    else {
        panic!("unexpected output")
    };
    assert!(!v1.policy_version.is_default_version);
    let document = v1.policy_version.document.unwrap().0;
    rampart_policy::Policy::parse(&document, rampart_policy::PolicyKind::Identity).unwrap();
}

#[test]
fn list_policies_scope_aws_pages_through_the_whole_catalogue() {
    let f = Fixture::new();
    let mut arns: Vec<String> = Vec::new();
    let mut marker = None;
    loop {
        let Output::ListPolicies(out) = f
            .run(Op::ListPolicies(wire::ListPoliciesInput {
                scope: Some(wire::PolicyScope::Aws),
                marker: marker.take(),
                max_items: Some(1000),
                ..Default::default()
            }))
            .unwrap()
        else {
            panic!("unexpected output")
        };
        arns.extend(out.policies.into_iter().map(|p| p.arn));
        if !out.is_truncated {
            break;
        }
        marker = out.marker;
    }
    assert_eq!(arns.len(), catalogue::catalogue().len());
    assert!(arns.windows(2).all(|w| w[0] < w[1]), "not in ARN order");
    assert!(arns.iter().any(|a| a == VIEW_ONLY));

    let Output::ListPolicies(job) = f
        .run(Op::ListPolicies(wire::ListPoliciesInput {
            scope: Some(wire::PolicyScope::Aws),
            path_prefix: Some("/job-function/".into()),
            ..Default::default()
        }))
        .unwrap()
    else {
        panic!("unexpected output")
    };
    assert!(job.policies.iter().all(|p| p.path == "/job-function/"));
    assert!(job.policies.iter().any(|p| p.arn == VIEW_ONLY));
}

#[test]
fn only_attached_lists_the_catalogue_policies_in_use() {
    let f = Fixture::new();
    f.role("auditor");
    f.run(Op::AttachRolePolicy(wire::AttachRolePolicyInput {
        role_name: "auditor".into(),
        policy_arn: VIEW_ONLY.into(),
    }))
    .unwrap();
    let Output::ListPolicies(out) = f
        .run(Op::ListPolicies(wire::ListPoliciesInput {
            scope: Some(wire::PolicyScope::All),
            only_attached: Some(true),
            ..Default::default()
        }))
        .unwrap()
    else {
        panic!("unexpected output")
    };
    let arns: Vec<_> = out.policies.iter().map(|p| p.arn.as_str()).collect();
    assert_eq!(arns, [VIEW_ONLY]);
    assert_eq!(out.policies.first().unwrap().attachment_count, 1);
}
