//! CloudTrail's LookupEvents through boto3 and the aws CLI: every lookup attribute, time
//! range and parameter errors, paging, isolation between accounts, the permission needed.

use crate::harness::Server;

#[test]
fn lookup_events_through_boto3() {
    let server = Server::start();
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, other) = server.create_account("trail-other@example.com");
    server
        .aws_as(&other, &["sts", "get-caller-identity"])
        .json();
    server.boto3(
        "cloudtrail_lookup.py",
        &server.admin_keys(),
        &[
            ("RAMPART_ACCOUNT", account.as_str()),
            ("RAMPART_OTHER_ACCESS_KEY_ID", other.access_key_id.as_str()),
            (
                "RAMPART_OTHER_SECRET_ACCESS_KEY",
                other.secret_access_key.as_str(),
            ),
        ],
    );
}

#[test]
fn lookup_events_through_the_aws_cli() {
    let server = Server::start();
    for name in ["cli-a", "cli-b", "cli-c"] {
        server
            .aws(&["iam", "create-user", "--user-name", name])
            .json();
    }
    let page = server
        .aws(&[
            "cloudtrail",
            "lookup-events",
            "--lookup-attributes",
            "AttributeKey=EventName,AttributeValue=CreateUser",
            "--max-items",
            "2",
        ])
        .json();
    let events = page["Events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{page:#}");
    assert_eq!(events[0]["Resources"][0]["ResourceName"], "cli-c");
    assert_eq!(events[1]["Resources"][0]["ResourceName"], "cli-b");
    let record: serde_json::Value =
        serde_json::from_str(events[0]["CloudTrailEvent"].as_str().unwrap()).unwrap();
    assert_eq!(record["eventName"], "CreateUser");
    let token = page["NextToken"].as_str().unwrap();
    let rest = server
        .aws(&[
            "cloudtrail",
            "lookup-events",
            "--lookup-attributes",
            "AttributeKey=EventName,AttributeValue=CreateUser",
            "--starting-token",
            token,
        ])
        .json();
    let names: Vec<&str> = rest["Events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Resources"][0]["ResourceName"].as_str().unwrap())
        .collect();
    assert!(names.starts_with(&["cli-a"]), "{names:?}");
    server
        .aws(&[
            "cloudtrail",
            "lookup-events",
            "--start-time",
            "2024-05-02T00:00:00Z",
            "--end-time",
            "2024-05-01T00:00:00Z",
        ])
        .expect_error("InvalidTimeRangeException");
    server
        .aws(&[
            "cloudtrail",
            "lookup-events",
            "--lookup-attributes",
            "AttributeKey=EventName,AttributeValue=CreateUser",
            "AttributeKey=Username,AttributeValue=admin",
        ])
        .expect_error("InvalidLookupAttributesException");
}
