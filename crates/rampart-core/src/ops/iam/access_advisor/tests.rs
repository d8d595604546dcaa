//! Access advisor through the request path: calls made as users are audited, then the
//! reports read them back.

use std::sync::Arc;

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Operation as Op, Output};

use crate::auth::Caller;
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::AccountId;
use crate::request::iam::Iam;
use crate::request::signin::{root_caller, user_caller};
use crate::request::{Call, Origin, RequestPath};

const T0: i64 = 1_700_000_000;
/// When root acts (and reports are generated): after every user call.
const LATER: i64 = T0 + 1_000;

struct World {
    engine: Arc<Engine>,
    requests: RequestPath,
    account: AccountId,
}

impl World {
    fn new() -> World {
        let engine = Arc::new(Engine::in_memory());
        let requests = RequestPath::new(Arc::clone(&engine), None);
        let account = requests
            .create_account(&Origin::cli(T0), "root@example.com", "a", None)
            .unwrap()
            .id;
        World {
            engine,
            requests,
            account,
        }
    }

    fn root(&self, op: Op) -> Output {
        let call = Call::cli(root_caller(self.account.clone()), LATER);
        self.requests.run::<Iam>(&call, &op).unwrap()
    }

    fn caller(&self, user: &str) -> Caller {
        user_caller(&self.engine.snapshot(), &self.account, user).unwrap()
    }

    fn as_user(&self, user: &str, at: i64, op: Op) -> Result<Output, CoreError> {
        let call = Call::cli(self.caller(user), at);
        self.requests.run::<Iam>(&call, &op)
    }

    fn user(&self, name: &str, policy: &str) {
        self.root(Op::CreateUser(wire::CreateUserInput {
            user_name: name.into(),
            ..Default::default()
        }));
        self.root(Op::PutUserPolicy(wire::PutUserPolicyInput {
            user_name: name.into(),
            policy_name: "p".into(),
            policy_document: policy.into(),
        }));
    }

    fn arn(&self, kind: &str, name: &str) -> String {
        format!("arn:aws:iam::{}:{kind}/{name}", self.account)
    }

    fn generate(&self, arn: &str, level: wire::AccessAdvisorGranularity) -> String {
        match self.root(Op::GenerateServiceLastAccessedDetails(
            wire::GenerateServiceLastAccessedDetailsInput {
                arn: arn.to_owned(),
                granularity: Some(level),
            },
        )) {
            Output::GenerateServiceLastAccessedDetails(o) => o.job_id.unwrap(),
            other => panic!("{other:?}"),
        }
    }

    fn details(&self, job_id: &str) -> wire::GetServiceLastAccessedDetailsOutput {
        let op = Op::GetServiceLastAccessedDetails(wire::GetServiceLastAccessedDetailsInput {
            job_id: job_id.to_owned(),
            max_items: Some(1000),
            marker: None,
        });
        match self.root(op) {
            Output::GetServiceLastAccessedDetails(o) => o,
            other => panic!("{other:?}"),
        }
    }
}

const IAM_READ: &str = r#"{"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},
    {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
    {"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}"#;

#[test]
fn a_users_report_lists_allowed_services_with_their_last_access_and_actions() {
    let w = World::new();
    w.user("bob", IAM_READ);
    w.as_user(
        "bob",
        T0 + 10,
        Op::ListUsers(wire::ListUsersInput::default()),
    )
    .unwrap();
    w.as_user(
        "bob",
        T0 + 20,
        Op::GetUser(wire::GetUserInput {
            user_name: Some("bob".into()),
        }),
    )
    .unwrap();
    // A denied attempt is an authenticated attempt too.
    w.as_user(
        "bob",
        T0 + 30,
        Op::CreateUser(wire::CreateUserInput {
            user_name: "eve".into(),
            ..Default::default()
        }),
    )
    .unwrap_err();

    let job = w.generate(
        &w.arn("user", "bob"),
        wire::AccessAdvisorGranularity::ActionLevel,
    );
    let report = w.details(&job);
    assert_eq!(report.job_status, wire::JobStatus::Completed);
    assert_eq!(
        report.job_type,
        Some(wire::AccessAdvisorGranularity::ActionLevel)
    );
    let namespaces: Vec<&str> = report
        .services_last_accessed
        .iter()
        .map(|s| s.service_namespace.as_str())
        .collect();
    assert_eq!(namespaces, ["iam", "s3"], "a Deny grants nothing");
    let iam = &report.services_last_accessed[0];
    assert!(iam.service_name.contains("Identity and Access Management"));
    assert_eq!(iam.last_authenticated, Some(Timestamp(T0 + 30)));
    assert_eq!(
        iam.last_authenticated_entity.as_deref(),
        Some(w.arn("user", "bob").as_str())
    );
    assert_eq!(iam.last_authenticated_region.as_deref(), Some("us-east-1"));
    assert_eq!(iam.total_authenticated_entities, 1);
    let actions = iam.tracked_actions_last_accessed.as_ref().unwrap();
    let at = |name: &str| {
        actions
            .iter()
            .find(|a| a.action_name.as_deref() == Some(name))
            .map(|a| a.last_accessed_time)
    };
    assert_eq!(at("ListUsers"), Some(Some(Timestamp(T0 + 10))));
    assert_eq!(at("GetUser"), Some(Some(Timestamp(T0 + 20))));
    assert_eq!(at("GetRole"), Some(None), "allowed, never attempted");
    assert_eq!(at("CreateUser"), None, "not allowed by the policies");
    let s3 = &report.services_last_accessed[1];
    assert_eq!(s3.last_authenticated, None);
    assert_eq!(s3.total_authenticated_entities, 0);
    assert_eq!(
        s3.tracked_actions_last_accessed, None,
        "not a service Rampart records"
    );

    // Service level: no actions; paging by namespace.
    let job = w.generate(
        &w.arn("user", "bob"),
        wire::AccessAdvisorGranularity::ServiceLevel,
    );
    let first = match w.root(Op::GetServiceLastAccessedDetails(
        wire::GetServiceLastAccessedDetailsInput {
            job_id: job.clone(),
            max_items: Some(1),
            marker: None,
        },
    )) {
        Output::GetServiceLastAccessedDetails(o) => o,
        other => panic!("{other:?}"),
    };
    assert!(first.is_truncated);
    assert_eq!(first.services_last_accessed.len(), 1);
    assert_eq!(
        first.services_last_accessed[0].tracked_actions_last_accessed,
        None
    );
    let second = match w.root(Op::GetServiceLastAccessedDetails(
        wire::GetServiceLastAccessedDetailsInput {
            job_id: job,
            max_items: Some(1),
            marker: first.marker,
        },
    )) {
        Output::GetServiceLastAccessedDetails(o) => o,
        other => panic!("{other:?}"),
    };
    assert!(!second.is_truncated);
    assert_eq!(second.services_last_accessed[0].service_namespace, "s3");
}

#[test]
fn a_groups_report_counts_its_members_and_lists_them_with_entities() {
    let w = World::new();
    w.user("ann", IAM_READ);
    w.user("ben", IAM_READ);
    w.user("cat", IAM_READ);
    w.root(Op::CreateGroup(wire::CreateGroupInput {
        group_name: "readers".into(),
        ..Default::default()
    }));
    for user in ["ann", "ben", "cat"] {
        w.root(Op::AddUserToGroup(wire::AddUserToGroupInput {
            group_name: "readers".into(),
            user_name: user.into(),
        }));
    }
    w.root(Op::AttachGroupPolicy(wire::AttachGroupPolicyInput {
        group_name: "readers".into(),
        policy_arn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess".into(),
    }));
    w.as_user(
        "ann",
        T0 + 5,
        Op::ListRoles(wire::ListRolesInput::default()),
    )
    .unwrap();
    w.as_user(
        "ben",
        T0 + 7,
        Op::ListGroups(wire::ListGroupsInput::default()),
    )
    .unwrap();

    let job = w.generate(
        &w.arn("group", "readers"),
        wire::AccessAdvisorGranularity::ServiceLevel,
    );
    let report = w.details(&job);
    let iam = report
        .services_last_accessed
        .iter()
        .find(|s| s.service_namespace == "iam")
        .unwrap();
    assert_eq!(iam.total_authenticated_entities, 2);
    assert_eq!(iam.last_authenticated, Some(Timestamp(T0 + 7)));
    assert_eq!(
        iam.last_authenticated_entity.as_deref(),
        Some(w.arn("user", "ben").as_str())
    );

    let with = |namespace: &str| match w.root(Op::GetServiceLastAccessedDetailsWithEntities(
        wire::GetServiceLastAccessedDetailsWithEntitiesInput {
            job_id: job.clone(),
            service_namespace: namespace.into(),
            max_items: None,
            marker: None,
        },
    )) {
        Output::GetServiceLastAccessedDetailsWithEntities(o) => o,
        other => panic!("{other:?}"),
    };
    let entities = with("iam").entity_details_list;
    let names: Vec<(&str, Option<Timestamp>)> = entities
        .iter()
        .map(|e| (e.entity_info.name.as_str(), e.last_authenticated))
        .collect();
    assert_eq!(
        names,
        [
            ("ben", Some(Timestamp(T0 + 7))),
            ("ann", Some(Timestamp(T0 + 5))),
            ("cat", None)
        ]
    );
    assert_eq!(
        entities[0].entity_info.entity_type,
        wire::PolicyOwnerEntityType::User
    );
    assert!(
        with("ec2").entity_details_list.is_empty(),
        "not allowed: nobody could use it"
    );

    // The managed policy's report covers the same users, through the group.
    let policy = w.generate(
        "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
        wire::AccessAdvisorGranularity::ServiceLevel,
    );
    let report = w.details(&policy);
    assert_eq!(report.services_last_accessed.len(), 1);
    assert_eq!(
        report.services_last_accessed[0].total_authenticated_entities,
        2
    );
}

#[test]
fn policies_granting_a_service_are_listed_with_their_owner() {
    let w = World::new();
    w.user("bob", IAM_READ);
    w.root(Op::AttachUserPolicy(wire::AttachUserPolicyInput {
        user_name: "bob".into(),
        policy_arn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess".into(),
    }));
    let out = match w.root(Op::ListPoliciesGrantingServiceAccess(
        wire::ListPoliciesGrantingServiceAccessInput {
            marker: None,
            arn: w.arn("user", "bob"),
            service_namespaces: vec!["s3".into(), "iam".into(), "ec2".into()],
        },
    )) {
        Output::ListPoliciesGrantingServiceAccess(o) => o,
        other => panic!("{other:?}"),
    };
    let entries = &out.policies_granting_service_access;
    assert_eq!(entries.len(), 3);
    let names = |n: usize| -> Vec<(String, wire::GrantingPolicyType)> {
        entries[n]
            .policies
            .iter()
            .map(|p| (p.policy_name.clone(), p.policy_type))
            .collect()
    };
    assert_eq!(
        names(0),
        [
            ("p".to_owned(), wire::GrantingPolicyType::Inline),
            (
                "AmazonS3ReadOnlyAccess".to_owned(),
                wire::GrantingPolicyType::Managed
            )
        ]
    );
    assert_eq!(
        entries[0].policies[0].entity_type,
        Some(wire::PolicyOwnerEntityType::User)
    );
    assert_eq!(entries[0].policies[0].entity_name.as_deref(), Some("bob"));
    assert_eq!(
        names(1),
        [("p".to_owned(), wire::GrantingPolicyType::Inline)]
    );
    assert!(names(2).is_empty());
}

#[test]
fn unknown_jobs_entities_and_malformed_arns_are_refused() {
    let w = World::new();
    let call = Call::cli(root_caller(w.account.clone()), T0);
    let run = |op: Op| w.requests.run::<Iam>(&call, &op).unwrap_err();
    let err = run(Op::GetServiceLastAccessedDetails(
        wire::GetServiceLastAccessedDetailsInput {
            job_id: "00000000-0000-4000-8000-000000000000".into(),
            ..Default::default()
        },
    ));
    assert!(matches!(err, CoreError::NoSuchEntity(_)), "{err:?}");
    let generate = |arn: &str| {
        run(Op::GenerateServiceLastAccessedDetails(
            wire::GenerateServiceLastAccessedDetailsInput {
                arn: arn.into(),
                granularity: None,
            },
        ))
    };
    let err = generate(&w.arn("user", "nobody"));
    assert!(
        matches!(&err, CoreError::NoSuchEntity(m) if m == "The user with name nobody cannot be found."),
        "{err:?}"
    );
    let err = generate("arn:aws:s3:::some-bucket-name");
    assert!(matches!(err, CoreError::InvalidInput(_)), "{err:?}");
    let err = generate(&format!("arn:aws:iam::{}:policy/missing", w.account));
    assert!(matches!(err, CoreError::NoSuchEntity(_)), "{err:?}");
    // A policy ARN is not an identity for ListPoliciesGrantingServiceAccess.
    let err = run(Op::ListPoliciesGrantingServiceAccess(
        wire::ListPoliciesGrantingServiceAccessInput {
            marker: None,
            arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            service_namespaces: vec!["iam".into()],
        },
    ));
    assert!(matches!(err, CoreError::InvalidInput(_)), "{err:?}");
    // Another account's job and entities are not found.
    let other = w
        .requests
        .create_account(&Origin::cli(T0), "other@example.com", "b", None)
        .unwrap()
        .id;
    let other_root = Call::cli(root_caller(other.clone()), T0);
    let generate_there =
        Op::GenerateServiceLastAccessedDetails(wire::GenerateServiceLastAccessedDetailsInput {
            arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            granularity: None,
        });
    let Output::GenerateServiceLastAccessedDetails(theirs) =
        w.requests.run::<Iam>(&other_root, &generate_there).unwrap()
    else {
        panic!("no job");
    };
    let err = run(Op::GetServiceLastAccessedDetails(
        wire::GetServiceLastAccessedDetailsInput {
            job_id: theirs.job_id.unwrap(),
            ..Default::default()
        },
    ));
    assert!(matches!(err, CoreError::NoSuchEntity(_)), "{err:?}");
    let err = generate(&format!("arn:aws:iam::{other}:user/root"));
    assert!(matches!(err, CoreError::NoSuchEntity(_)), "{err:?}");
}
