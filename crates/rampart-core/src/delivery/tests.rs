//! Delivery end to end over the in-memory engine and an in-memory bucket: the layout, the
//! selectors, the digest chain and what `verify` catches, a batch written again after a
//! failed write, organization trails.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use rampart_wire::cloudtrail as ct;
use rampart_wire::iam as wire;
use serde_json::json;

use super::verify::{VerifyRange, verify};
use super::*;
use crate::model::AccountId;
use crate::request::cloudtrail::CloudTrail;
use crate::request::iam::Iam;
use crate::request::signin::root_caller;
use crate::request::{Call, Origin, RequestPath};

const T0: i64 = 1_700_000_000;
const SETTINGS: DeliverySettings = DeliverySettings {
    digest_interval: 100,
    settle: 5,
};

#[derive(Default)]
struct MemoryBucket {
    objects: RefCell<BTreeMap<String, Vec<u8>>>,
    fail_next: RefCell<bool>,
}

impl Bucket for MemoryBucket {
    fn put(&self, bucket: &str, key: &str, bytes: &[u8]) -> Result<(), String> {
        if self.fail_next.replace(false) {
            return Err("disk full".into());
        }
        self.objects
            .borrow_mut()
            .insert(format!("{bucket}/{key}"), bytes.to_vec());
        Ok(())
    }
    fn get(&self, bucket: &str, key: &str) -> Result<Option<Vec<u8>>, String> {
        Ok(self
            .objects
            .borrow()
            .get(&format!("{bucket}/{key}"))
            .cloned())
    }
}

impl MemoryBucket {
    fn keys(&self, containing: &str) -> Vec<String> {
        self.objects
            .borrow()
            .keys()
            .filter(|k| k.contains(containing))
            .cloned()
            .collect()
    }
    fn records(&self, key: &str) -> Vec<serde_json::Value> {
        let gz = self.objects.borrow().get(key).cloned().unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&digest::gunzip(&gz).unwrap()).unwrap();
        doc["Records"].as_array().unwrap().clone()
    }
}

struct World {
    engine: Arc<Engine>,
    requests: RequestPath,
    signer: DigestSigner,
    bucket: MemoryBucket,
}

impl World {
    fn over(engine: Engine) -> World {
        let engine = Arc::new(engine);
        World {
            requests: RequestPath::new(Arc::clone(&engine), None),
            signer: DigestSigner::from_master(engine.master()).unwrap(),
            engine,
            bucket: MemoryBucket::default(),
        }
    }

    fn trail(
        &self,
        account: &AccountId,
        at: i64,
        op: ct::Operation,
    ) -> Result<ct::Output, CoreError> {
        let call = Call::cli(root_caller(account.clone()), at);
        self.requests.run::<CloudTrail>(&call, &op)
    }

    fn create_user(&self, account: &AccountId, at: i64, name: &str) {
        let call = Call::cli(root_caller(account.clone()), at);
        let op = wire::Operation::CreateUser(wire::CreateUserInput {
            user_name: name.to_owned(),
            ..Default::default()
        });
        self.requests.run::<Iam>(&call, &op).unwrap();
    }

    fn list_users(&self, account: &AccountId, at: i64) {
        let call = Call::cli(root_caller(account.clone()), at);
        let op = wire::Operation::ListUsers(wire::ListUsersInput::default());
        self.requests.run::<Iam>(&call, &op).unwrap();
    }

    fn deliver(&self, now: i64) -> Delivered {
        self.engine.flush_audit().unwrap();
        deliver(&self.engine, &self.signer, &self.bucket, SETTINGS, now).unwrap()
    }

    fn verify(&self, arn: &str) -> verify::VerifyReport {
        let state = self.engine.snapshot();
        verify(
            state.trail(arn).unwrap(),
            state.trail_delivery(arn).unwrap(),
            &self.bucket,
            &self.signer.public_key(),
            VerifyRange {
                start: i64::MIN,
                end: i64::MAX,
            },
        )
    }
}

fn create(name: &str, org: bool) -> ct::Operation {
    ct::Operation::CreateTrail(ct::CreateTrailInput {
        name: name.into(),
        s3_bucket_name: "audit-logs".into(),
        enable_log_file_validation: Some(true),
        is_organization_trail: Some(org),
        ..Default::default()
    })
}

fn start(name: &str) -> ct::Operation {
    ct::Operation::StartLogging(ct::TrailNameInput { name: name.into() })
}

fn standalone() -> (World, AccountId) {
    let world = World::over(Engine::in_memory());
    let account = world
        .requests
        .create_account(&Origin::cli(T0), "a@example.com", "a", None)
        .unwrap()
        .id;
    (world, account)
}

#[test]
fn a_logging_trail_writes_its_events_in_cloudtrails_layout_and_chains_digests() {
    let (world, account) = standalone();
    world.trail(&account, T0, create("main", false)).unwrap();
    world.create_user(&account, T0 + 1, "before");
    world.trail(&account, T0 + 2, start("main")).unwrap();
    world.create_user(&account, T0 + 3, "alice");
    world.list_users(&account, T0 + 4);
    // Too fresh: nothing yet.
    assert_eq!(world.deliver(T0 + 5).log_files, 0);
    let done = world.deliver(T0 + 60);
    assert_eq!(done.log_files, 1);
    let keys = world.bucket.keys("/CloudTrail/");
    let prefix = format!(
        "audit-logs/AWSLogs/{account}/CloudTrail/us-east-1/2023/11/14/{account}_CloudTrail_us-east-1_20231114T2214Z_"
    );
    assert!(keys[0].starts_with(&prefix), "{keys:?}");
    let names: Vec<String> = world
        .bucket
        .records(&keys[0])
        .iter()
        .map(|r| r["eventName"].as_str().unwrap().to_owned())
        .collect();
    // The StartLogging call itself and what came after; not the user created before.
    assert_eq!(names, ["StartLogging", "CreateUser", "ListUsers"]);

    // The first digest comes when the interval has passed since logging started.
    assert_eq!(world.deliver(T0 + 102).digests, 1);
    world.create_user(&account, T0 + 110, "bob");
    let done = world.deliver(T0 + 210);
    assert_eq!((done.log_files, done.digests), (1, 1));
    let digests = world.bucket.keys("CloudTrail-Digest/");
    assert_eq!(
        digests.len(),
        4,
        "two digests and their signatures: {digests:?}"
    );
    let arn = format!("arn:aws:cloudtrail:us-east-1:{account}:trail/main");
    let report = world.verify(&arn);
    assert!(report.ok(), "{report:#?}");
    assert_eq!((report.digests_valid, report.logs_valid), (2, 2));

    // An edited log file, then a deleted one, then a deleted digest.
    let first_log = keys[0].clone();
    let original = world.bucket.objects.borrow()[&first_log].clone();
    let edited = digest::gzip(br#"{"Records":[]}"#).unwrap();
    world
        .bucket
        .objects
        .borrow_mut()
        .insert(first_log.clone(), edited);
    let report = world.verify(&arn);
    assert!(!report.ok());
    assert!(
        report
            .lines
            .iter()
            .any(|l| l.contains("hash value doesn't match")),
        "{report:#?}"
    );
    world.bucket.objects.borrow_mut().remove(&first_log);
    let report = world.verify(&arn);
    assert!(
        report
            .lines
            .iter()
            .any(|l| l.contains(&first_log.replacen("audit-logs/", "", 1))
                && l.ends_with("INVALID: not found")),
        "{report:#?}"
    );
    world
        .bucket
        .objects
        .borrow_mut()
        .insert(first_log, original);
    assert!(world.verify(&arn).ok());
    let first_digest = digests
        .iter()
        .find(|k| k.ends_with(".json.gz"))
        .unwrap()
        .clone();
    world.bucket.objects.borrow_mut().remove(&first_digest);
    let report = world.verify(&arn);
    assert_eq!(report.digests_invalid, 1, "{report:#?}");
    assert!(
        report.summary().contains("1/2 digest files valid"),
        "{}",
        report.summary()
    );
}

#[test]
fn selectors_choose_writes_and_a_failed_write_is_retried_under_the_same_name() {
    let (world, account) = standalone();
    world.trail(&account, T0, create("writes", false)).unwrap();
    let put = ct::Operation::PutEventSelectors(ct::PutEventSelectorsInput {
        trail_name: "writes".into(),
        event_selectors: Some(vec![ct::EventSelector {
            read_write_type: Some(ct::ReadWriteType::WriteOnly),
            ..Default::default()
        }]),
        advanced_event_selectors: None,
    });
    world.trail(&account, T0, put).unwrap();
    world.trail(&account, T0, start("writes")).unwrap();
    world.list_users(&account, T0 + 1);
    world.create_user(&account, T0 + 2, "carol");
    *world.bucket.fail_next.borrow_mut() = true;
    world.deliver(T0 + 60);
    let arn = format!("arn:aws:cloudtrail:us-east-1:{account}:trail/writes");
    let progress = world
        .engine
        .snapshot()
        .trail_delivery(&arn)
        .cloned()
        .unwrap();
    assert!(
        progress.pending.is_some(),
        "the batch waits for the next round"
    );
    assert!(progress.latest_error.is_some());
    // The retry at a later time keeps the batch's names (its time is the planned one).
    assert_eq!(world.deliver(T0 + 500).log_files, 1);
    let keys = world.bucket.keys("/CloudTrail/");
    assert!(keys[0].contains("_20231114T2214Z_"), "{keys:?}");
    let names: Vec<String> = world
        .bucket
        .records(&keys[0])
        .iter()
        .map(|r| r["eventName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["StartLogging", "CreateUser"]);
    let status = world
        .trail(
            &account,
            T0 + 501,
            ct::Operation::GetTrailStatus(ct::TrailNameInput {
                name: "writes".into(),
            }),
        )
        .unwrap();
    let ct::Output::GetTrailStatus(status) = status else {
        panic!("not a status")
    };
    assert_eq!(status.is_logging, Some(true));
    assert_eq!(
        status.latest_delivery_time,
        Some(rampart_wire::Timestamp(T0 + 60))
    );
    assert_eq!(status.latest_delivery_error, None);
}

#[test]
fn an_organization_trail_needs_trusted_access_and_covers_member_accounts() {
    use crate::ops::organizations::testing::{NOW, member, organization, run};
    let (engine, management) = organization();
    let member = member(&engine, &management, "member@example.com");
    let world = World::over(engine);
    let code = |r: Result<ct::Output, CoreError>| r.unwrap_err().code().code();
    assert_eq!(
        code(world.trail(&management, NOW, create("org", true))),
        "CloudTrailAccessNotEnabledException"
    );
    assert_eq!(
        code(world.trail(&member, NOW, create("org", true))),
        "NotOrganizationMasterAccountException"
    );
    let (solo_world, solo) = standalone();
    assert_eq!(
        code(solo_world.trail(&solo, NOW, create("org", true))),
        "OrganizationsNotInUseException"
    );
    run(
        &world.engine,
        &management,
        "EnableAWSServiceAccess",
        json!({"ServicePrincipal": "cloudtrail.amazonaws.com"}),
    )
    .unwrap();
    world.trail(&management, NOW, create("org", true)).unwrap();
    world.trail(&management, NOW, start("org")).unwrap();
    world.create_user(&member, NOW + 1, "in-member");
    world.create_user(&management, NOW + 2, "in-management");
    world.deliver(NOW + 60);
    let org = world
        .engine
        .snapshot()
        .org_of(&management)
        .unwrap()
        .0
        .id
        .clone();
    let member_logs = world
        .bucket
        .keys(&format!("AWSLogs/{org}/{member}/CloudTrail/us-east-1/"));
    assert_eq!(member_logs.len(), 1);
    let records = world.bucket.records(&member_logs[0]);
    assert_eq!(records[0]["requestParameters"]["userName"], "in-member");
    assert_eq!(
        world
            .bucket
            .keys(&format!("AWSLogs/{org}/{management}/CloudTrail/"))
            .len(),
        1
    );
    // The member sees the trail as a shadow and cannot change it.
    let listed = world
        .trail(
            &member,
            NOW,
            ct::Operation::DescribeTrails(ct::DescribeTrailsInput::default()),
        )
        .unwrap();
    let ct::Output::DescribeTrails(listed) = listed else {
        panic!("not DescribeTrails")
    };
    assert_eq!(listed.trail_list.len(), 1);
    let arn = listed.trail_list[0].trail_arn.clone().unwrap();
    assert_eq!(
        code(world.trail(
            &member,
            NOW,
            ct::Operation::StopLogging(ct::TrailNameInput { name: arn })
        )),
        "NotOrganizationMasterAccountException"
    );
}
