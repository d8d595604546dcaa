"""boto3 against CloudTrail's LookupEvents: lookup by every attribute, time-range and
parameter errors, paging with NextToken (by hand and with the paginator), isolation
between accounts, and AccessDeniedException without cloudtrail:LookupEvents."""
import json
import os
import time

from rampart_test import clients, expect_error

account = os.environ["RAMPART_ACCOUNT"]
admin_key = os.environ["RAMPART_ACCESS_KEY_ID"]
iam, sts, ct = clients(admin_key, os.environ["RAMPART_SECRET_ACCESS_KEY"], services=("iam", "sts", "cloudtrail"))
(other_ct,) = clients(os.environ["RAMPART_OTHER_ACCESS_KEY_ID"], os.environ["RAMPART_OTHER_SECRET_ACCESS_KEY"],
                      services=("cloudtrail",))


def lookup(client=ct, key=None, value=None, **kwargs):
    if key is not None:
        kwargs["LookupAttributes"] = [{"AttributeKey": key, "AttributeValue": value}]
    return client.lookup_events(**kwargs)


started = int(time.time())
iam.create_user(UserName="trail-alice")
alice_key = iam.create_access_key(UserName="trail-alice")["AccessKey"]
for i in range(5):
    iam.create_user(UserName=f"trail-page-{i}")
iam.list_users()

# The caller sees its own calls at once: lookups read events still being batched.
created = lookup(key="EventName", value="CreateUser")["Events"]
names = [e["Resources"][0]["ResourceName"] for e in created]
assert names[:6] == [f"trail-page-{i}" for i in reversed(range(5))] + ["trail-alice"], names
alice_event = created[5]
assert alice_event["Resources"] == [{"ResourceType": "AWS::IAM::User", "ResourceName": "trail-alice"}], alice_event
assert alice_event["EventSource"] == "iam.amazonaws.com"
assert alice_event["ReadOnly"] == "false"
assert alice_event["Username"] == "admin"
assert alice_event["AccessKeyId"] == admin_key
assert alice_event["EventTime"].timestamp() >= started - 1
record = json.loads(alice_event["CloudTrailEvent"])
assert record["eventID"] == alice_event["EventId"], record
assert record["eventName"] == "CreateUser" and record["recipientAccountId"] == account, record
assert record["userIdentity"]["userName"] == "admin", record
assert record["resources"] == [{"ARN": f"arn:aws:iam::{account}:user/trail-alice", "accountId": account,
                                "type": "AWS::IAM::User"}], record
times = [e["EventTime"] for e in created]
assert times == sorted(times, reverse=True), "newest first"

# Every lookup attribute.
by_id = lookup(key="EventId", value=alice_event["EventId"])["Events"]
assert [e["EventId"] for e in by_id] == [alice_event["EventId"]], by_id
by_user = lookup(key="Username", value="admin")["Events"]
assert by_user and all(e["Username"] == "admin" for e in by_user), by_user
read_only = lookup(key="ReadOnly", value="true")["Events"]
assert any(e["EventName"] == "ListUsers" for e in read_only), read_only
assert all(e["ReadOnly"] == "true" for e in read_only), read_only
writes = lookup(key="ReadOnly", value="false")["Events"]
assert all(e["ReadOnly"] == "false" for e in writes) and writes, writes
by_type = lookup(key="ResourceType", value="AWS::IAM::User")["Events"]
assert {"trail-alice", "trail-page-0"} <= {r["ResourceName"] for e in by_type for r in e["Resources"]}, by_type
by_name = lookup(key="ResourceName", value="trail-alice")["Events"]
assert {e["EventName"] for e in by_name} == {"CreateUser", "CreateAccessKey"}, by_name
by_source = lookup(key="EventSource", value="iam.amazonaws.com")["Events"]
assert by_source and all(e["EventSource"] == "iam.amazonaws.com" for e in by_source)
by_key = lookup(key="AccessKeyId", value=admin_key)["Events"]
assert by_key and all(e["AccessKeyId"] == admin_key for e in by_key)
assert lookup(key="EventName", value="NoSuchOperation")["Events"] == []

# Time range: inclusive, and AWS's errors.
now = int(time.time())
assert lookup(key="ResourceName", value="trail-alice", StartTime=now + 3600)["Events"] == []
assert lookup(key="ResourceName", value="trail-alice", EndTime=started - 3600)["Events"] == []
assert len(lookup(key="ResourceName", value="trail-alice", StartTime=started - 1, EndTime=now + 1)["Events"]) == 2
expect_error("InvalidTimeRangeException", lookup, StartTime=now, EndTime=now - 60, status=400)
expect_error("InvalidLookupAttributesException", ct.lookup_events, LookupAttributes=[
    {"AttributeKey": "EventName", "AttributeValue": "CreateUser"},
    {"AttributeKey": "Username", "AttributeValue": "admin"}], status=400)
expect_error("InvalidMaxResultsException", lookup, MaxResults=51, status=400)

# Paging: two at a time, newest first, no event twice, and a token only for the same query.
pages, token = [], None
while True:
    kwargs = {"MaxResults": 2} if token is None else {"MaxResults": 2, "NextToken": token}
    page = lookup(key="EventName", value="CreateUser", **kwargs)
    assert len(page["Events"]) <= 2
    pages.extend(e["EventId"] for e in page["Events"])
    token = page.get("NextToken")
    if token is None:
        break
    last_token = token
assert pages == [e["EventId"] for e in lookup(key="EventName", value="CreateUser")["Events"]], pages
assert len(pages) == len(set(pages)) >= 6
expect_error("InvalidNextTokenException", lookup, key="EventName", value="ListUsers", NextToken=last_token)
expect_error("InvalidNextTokenException", lookup, NextToken="not-a-token")
paginated = [e["EventId"] for p in ct.get_paginator("lookup_events").paginate(
    LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
    PaginationConfig={"PageSize": 3}) for e in p["Events"]]
assert paginated == pages, paginated
assert len(lookup(MaxResults=1)["Events"]) == 1
assert len(lookup()["Events"]) <= 50

# Another account sees only its own trail.
mine = lookup(other_ct)["Events"]
assert mine, "the other account's own calls are in its trail"
assert all(json.loads(e["CloudTrailEvent"])["recipientAccountId"] != account for e in mine), mine
assert lookup(other_ct, key="ResourceName", value="trail-alice")["Events"] == []

# A cross-account AssumeRole is recorded in both accounts, sharing a sharedEventID; the role
# owner sees the caller as an AWSAccount.
other_iam, other_sts = clients(os.environ["RAMPART_OTHER_ACCESS_KEY_ID"], os.environ["RAMPART_OTHER_SECRET_ACCESS_KEY"])
other_account = other_sts.get_caller_identity()["Account"]
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                                                 "Action": "sts:AssumeRole"}]}
role = other_iam.create_role(RoleName="partner", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
sts.assume_role(RoleArn=role["Arn"], RoleSessionName="visit")
mine = json.loads(lookup(key="EventName", value="AssumeRole")["Events"][0]["CloudTrailEvent"])
theirs = json.loads(lookup(other_ct, key="EventName", value="AssumeRole")["Events"][0]["CloudTrailEvent"])
assert mine["recipientAccountId"] == account and theirs["recipientAccountId"] == other_account, (mine, theirs)
assert mine["sharedEventID"] == theirs["sharedEventID"] and mine["eventID"] != theirs["eventID"], (mine, theirs)
assert theirs["userIdentity"] == {"type": "AWSAccount", "principalId": mine["userIdentity"]["principalId"],
                                  "accountId": account}, theirs
assert theirs["resources"][0]["ARN"] == role["Arn"], theirs
assert lookup(key="EventName", value="CreateUser", EventCategory="insight")["Events"] == []

# cloudtrail:LookupEvents is needed, and enough.
(alice_ct,) = clients(alice_key["AccessKeyId"], alice_key["SecretAccessKey"], services=("cloudtrail",))
message = expect_error("AccessDeniedException", lookup, alice_ct, status=400)
assert "cloudtrail:LookupEvents" in message, message
allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "cloudtrail:LookupEvents", "Resource": "*"}]}
iam.put_user_policy(UserName="trail-alice", PolicyName="trail", PolicyDocument=json.dumps(allow))
denied = lookup(alice_ct, key="Username", value="trail-alice")["Events"]
assert [e["EventName"] for e in denied][:1] == ["LookupEvents"], denied
assert json.loads(denied[0]["CloudTrailEvent"])["errorCode"] == "AccessDeniedException", denied[0]
print("ok")
