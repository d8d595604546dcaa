"""Issue 2's IAM operations through boto3, happy paths and AWS errors, as the admin user."""
import json
import os

import boto3
from rampart_test import expect_error

endpoint = os.environ["RAMPART_ENDPOINT"]
session = boto3.session.Session(
    aws_access_key_id=os.environ["RAMPART_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["RAMPART_SECRET_ACCESS_KEY"],
    region_name="us-east-1",
)
iam = session.client("iam", endpoint_url=endpoint)
sts = session.client("sts", endpoint_url=endpoint)


account = sts.get_caller_identity()["Account"]

user = iam.create_user(UserName="alice", Path="/eng/", Tags=[{"Key": "team", "Value": "blue"}])["User"]
assert user["Arn"] == f"arn:aws:iam::{account}:user/eng/alice", user
assert user["UserId"].startswith("AIDA") and len(user["UserId"]) == 21
assert user["Tags"] == [{"Key": "team", "Value": "blue"}]
msg = expect_error("EntityAlreadyExists", status=409, fn=iam.create_user, UserName="ALICE")
assert msg == "User with name ALICE already exists.", msg
assert iam.get_user(UserName="alice")["User"]["Path"] == "/eng/"
msg = expect_error("NoSuchEntity", status=404, fn=iam.get_user, UserName="nobody")
assert msg == "The user with name nobody cannot be found.", msg
expect_error("ValidationError", status=400, fn=iam.create_user, UserName="bad name!")

# Paging: MaxItems/Marker/IsTruncated over more users than a page.
for i in range(7):
    iam.create_user(UserName=f"pager{i}")
page = iam.list_users(MaxItems=3)
assert page["IsTruncated"] and "Marker" in page and len(page["Users"]) == 3
names = [u["UserName"] for p in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 3}) for u in p["Users"]]
assert names == sorted(names, key=str.lower) and len(names) == 9, names
assert [u["UserName"] for u in iam.list_users(PathPrefix="/eng/")["Users"]] == ["alice"]

group = iam.create_group(GroupName="devs")["Group"]
assert group["GroupId"].startswith("AGPA") and group["Arn"] == f"arn:aws:iam::{account}:group/devs"
expect_error("EntityAlreadyExists", status=409, fn=iam.create_group, GroupName="devs")
iam.add_user_to_group(GroupName="devs", UserName="alice")
expect_error("NoSuchEntity", status=404, fn=iam.add_user_to_group, GroupName="nogroup", UserName="alice")
assert [u["UserName"] for u in iam.get_group(GroupName="devs")["Users"]] == ["alice"]

doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}]}
policy = iam.create_policy(PolicyName="readers", PolicyDocument=json.dumps(doc), Description="read")["Policy"]
assert policy["Arn"] == f"arn:aws:iam::{account}:policy/readers" and policy["PolicyId"].startswith("ANPA")
assert policy["DefaultVersionId"] == "v1" and policy["AttachmentCount"] == 0
expect_error("EntityAlreadyExists", status=409, fn=iam.create_policy, PolicyName="readers", PolicyDocument=json.dumps(doc))
expect_error("MalformedPolicyDocument", status=400, fn=iam.create_policy, PolicyName="broken", PolicyDocument="{not json")
expect_error("MalformedPolicyDocument", status=400, fn=iam.create_policy, PolicyName="noeffect",
             PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Action": "*", "Resource": "*"}]}))
iam.attach_user_policy(UserName="alice", PolicyArn=policy["Arn"])
iam.attach_group_policy(GroupName="devs", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
expect_error("NoSuchEntity", status=404, fn=iam.attach_user_policy, UserName="alice",
             PolicyArn=f"arn:aws:iam::{account}:policy/missing")
assert iam.get_policy(PolicyArn=policy["Arn"])["Policy"]["AttachmentCount"] == 1
admin_policy = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")["Policy"]
assert admin_policy["PolicyId"] == "ANPAIWMBCKSKIEE64ZLYK" and admin_policy["DefaultVersionId"] == "v1"
version = iam.get_policy_version(PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess", VersionId="v4")["PolicyVersion"]
assert "iam:List*" in version["Document"]["Statement"][0]["Action"], version

inline = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:DeleteUser", "Resource": "*"}]}
iam.put_user_policy(UserName="alice", PolicyName="nodelete", PolicyDocument=json.dumps(inline))
got = iam.get_user_policy(UserName="alice", PolicyName="nodelete")["PolicyDocument"]
assert got == inline, got  # botocore URL-decodes and parses the document
expect_error("MalformedPolicyDocument", status=400, fn=iam.put_user_policy, UserName="alice", PolicyName="x", PolicyDocument="[]")

keys = [iam.create_access_key(UserName="alice")["AccessKey"] for _ in range(2)]
assert all(k["AccessKeyId"].startswith("AKIA") and len(k["SecretAccessKey"]) == 40 and k["Status"] == "Active" for k in keys)
msg = expect_error("LimitExceeded", status=409, fn=iam.create_access_key, UserName="alice")
assert msg == "Cannot exceed quota for AccessKeysPerUser: 2", msg
listed = iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]
assert {k["AccessKeyId"] for k in listed} == {k["AccessKeyId"] for k in keys}
assert all("SecretAccessKey" not in k for k in listed)
iam.update_access_key(UserName="alice", AccessKeyId=keys[0]["AccessKeyId"], Status="Inactive")
statuses = {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]}
assert statuses[keys[0]["AccessKeyId"]] == "Inactive"
expect_error("NoSuchEntity", status=404, fn=iam.update_access_key, UserName="alice", AccessKeyId="AKIAAAAAAAAAAAAAAAAA", Status="Active")
expect_error("ValidationError", status=400, fn=iam.update_access_key, UserName="alice", AccessKeyId=keys[0]["AccessKeyId"], Status="Sleeping")

# DeleteConflict names each dependent kind in turn.
msg = expect_error("DeleteConflict", status=409, fn=iam.delete_user, UserName="alice")
assert "access keys" in msg, msg
for k in keys:
    iam.delete_access_key(UserName="alice", AccessKeyId=k["AccessKeyId"])
expect_error("NoSuchEntity", status=404, fn=iam.delete_access_key, UserName="alice", AccessKeyId=keys[0]["AccessKeyId"])
assert "policies" in expect_error("DeleteConflict", status=409, fn=iam.delete_user, UserName="alice")
iam.delete_user_policy(UserName="alice", PolicyName="nodelete")
assert "detach" in expect_error("DeleteConflict", status=409, fn=iam.delete_user, UserName="alice")
iam.detach_user_policy(UserName="alice", PolicyArn=policy["Arn"])
assert "group" in expect_error("DeleteConflict", status=409, fn=iam.delete_user, UserName="alice")
iam.remove_user_from_group(GroupName="devs", UserName="alice")
iam.delete_user(UserName="alice")
iam.add_user_to_group(GroupName="devs", UserName="pager0")
assert "users" in expect_error("DeleteConflict", status=409, fn=iam.delete_group, GroupName="devs")
iam.remove_user_from_group(GroupName="devs", UserName="pager0")
assert "detach" in expect_error("DeleteConflict", status=409, fn=iam.delete_group, GroupName="devs")
iam.detach_group_policy(GroupName="devs", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
iam.delete_group(GroupName="devs")
expect_error("NoSuchEntity", status=404, fn=iam.delete_user, UserName="alice")

summary = iam.get_account_summary()["SummaryMap"]
assert summary["Users"] == 8 and summary["Groups"] == 1 and summary["AccessKeysPerUserQuota"] == 2, summary
assert summary["AccountAccessKeysPresent"] == 0
print("ok")
