"""IAM beyond the foundation through boto3: policy versions, entities for a policy, tags on
roles and policies, account aliases, access key last-used."""
import json
import os

import boto3
from rampart_test import expect_error

endpoint = os.environ["RAMPART_ENDPOINT"]
session = boto3.session.Session(aws_access_key_id=os.environ["RAMPART_ACCESS_KEY_ID"],
                                aws_secret_access_key=os.environ["RAMPART_SECRET_ACCESS_KEY"], region_name="us-east-1")
iam = session.client("iam", endpoint_url=endpoint)
account = session.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]


def doc(action):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})


arn = iam.create_policy(PolicyName="versioned", PolicyDocument=doc("iam:Get*"))["Policy"]["Arn"]
for n in range(2, 6):
    v = iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc(f"iam:List{n}*"), SetAsDefault=(n == 3))["PolicyVersion"]
    assert v["VersionId"] == f"v{n}" and "Document" not in v, v
msg = expect_error("LimitExceeded", iam.create_policy_version, PolicyArn=arn, PolicyDocument=doc("iam:x"))
assert "5 versions" in msg, msg
versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
assert [v["VersionId"] for v in versions] == ["v5", "v4", "v3", "v2", "v1"], versions
assert [v["IsDefaultVersion"] for v in versions] == [False, False, True, False, False]
assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v3"
expect_error("DeleteConflict", iam.delete_policy_version, PolicyArn=arn, VersionId="v3")
iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
iam.set_default_policy_version(PolicyArn=arn, VersionId="v5")
expect_error("NoSuchEntity", iam.set_default_policy_version, PolicyArn=arn, VersionId="v1")
got = iam.get_policy_version(PolicyArn=arn, VersionId="v5")["PolicyVersion"]
assert got["Document"]["Statement"][0]["Action"] == "iam:List5*" and got["IsDefaultVersion"]
expect_error("UnmodifiableEntity", iam.create_policy_version, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess",
             PolicyDocument=doc("*"))
expect_error("MalformedPolicyDocument", iam.create_policy_version, PolicyArn=arn, PolicyDocument="{}")

iam.create_user(UserName="u1")
iam.create_group(GroupName="g1")
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                             "Action": "sts:AssumeRole"}]})
iam.create_role(RoleName="r1", AssumeRolePolicyDocument=trust, Tags=[{"Key": "env", "Value": "dev"}])
iam.attach_user_policy(UserName="u1", PolicyArn=arn)
iam.attach_group_policy(GroupName="g1", PolicyArn=arn)
iam.attach_role_policy(RoleName="r1", PolicyArn=arn)
entities = iam.list_entities_for_policy(PolicyArn=arn)
assert [u["UserName"] for u in entities["PolicyUsers"]] == ["u1"]
assert [g["GroupName"] for g in entities["PolicyGroups"]] == ["g1"]
assert [r["RoleName"] for r in entities["PolicyRoles"]] == ["r1"]
only_roles = iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Role")
assert not only_roles["PolicyUsers"] and len(only_roles["PolicyRoles"]) == 1
assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 3
expect_error("DeleteConflict", iam.delete_policy, PolicyArn=arn)

iam.tag_role(RoleName="r1", Tags=[{"Key": "ENV", "Value": "prod"}, {"Key": "team", "Value": "a"}])
assert iam.list_role_tags(RoleName="r1")["Tags"] == [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "a"}]
iam.untag_role(RoleName="r1", TagKeys=["TEAM"])
assert iam.list_role_tags(RoleName="r1")["Tags"] == [{"Key": "env", "Value": "prod"}]
iam.update_role(RoleName="r1", Description="runs things", MaxSessionDuration=7200)
role = iam.get_role(RoleName="r1")["Role"]
assert role["Description"] == "runs things" and role["MaxSessionDuration"] == 7200
assert iam.update_role_description(RoleName="r1", Description="d2")["Role"]["Description"] == "d2"
iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "owner", "Value": "sec"}])
assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "owner", "Value": "sec"}]
iam.untag_policy(PolicyArn=arn, TagKeys=["owner"])
assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == []
expect_error("InvalidInput", iam.tag_user, UserName="u1", Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}])

assert iam.list_account_aliases()["AccountAliases"] == []
iam.create_account_alias(AccountAlias="acme-prod")
assert iam.list_account_aliases()["AccountAliases"] == ["acme-prod"]
expect_error("NoSuchEntity", iam.delete_account_alias, AccountAlias="other")
iam.delete_account_alias(AccountAlias="acme-prod")

key = iam.create_access_key(UserName="u1")["AccessKey"]
last = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
assert last["UserName"] == "u1" and last["AccessKeyLastUsed"] == {"ServiceName": "N/A", "Region": "N/A"}, last
u1 = boto3.session.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                           region_name="eu-west-1").client("sts", endpoint_url=endpoint)
u1.get_caller_identity()
last = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"]
assert last["ServiceName"] == "sts" and last["Region"] == "eu-west-1" and "LastUsedDate" in last, last
expect_error("NoSuchEntity", iam.get_access_key_last_used, AccessKeyId="AKIAAAAAAAAAAAAAAAAA")

profile = iam.create_instance_profile(InstanceProfileName="web", Path="/app/")["InstanceProfile"]
assert profile["InstanceProfileId"].startswith("AIPA") and profile["Arn"] == f"arn:aws:iam::{account}:instance-profile/app/web"
expect_error("EntityAlreadyExists", iam.create_instance_profile, InstanceProfileName="web")
iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="r1")
expect_error("LimitExceeded", iam.add_role_to_instance_profile, InstanceProfileName="web", RoleName="r1")
got = iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]
assert [r["RoleName"] for r in got["Roles"]] == ["r1"], got
assert [p["InstanceProfileName"] for p in iam.list_instance_profiles_for_role(RoleName="r1")["InstanceProfiles"]] == ["web"]
expect_error("DeleteConflict", iam.delete_instance_profile, InstanceProfileName="web")

details = iam.get_account_authorization_details()
assert {u["UserName"] for u in details["UserDetailList"]} >= {"admin", "u1"}
r1 = next(r for r in details["RoleDetailList"] if r["RoleName"] == "r1")
assert r1["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
assert [p["InstanceProfileName"] for p in r1["InstanceProfileList"]] == ["web"]
policy_names = {p["PolicyName"] for p in details["Policies"]}
assert "versioned" in policy_names and "AdministratorAccess" in policy_names, policy_names
assert "IAMFullAccess" not in policy_names  # AWS policies appear only when used
versioned = next(p for p in details["Policies"] if p["PolicyName"] == "versioned")
assert len(versioned["PolicyVersionList"]) == 4 and "Document" in versioned["PolicyVersionList"][0]
only_groups = iam.get_account_authorization_details(Filter=["Group"])
assert not only_groups["UserDetailList"] and not only_groups["Policies"] and only_groups["GroupDetailList"]
paged = list(iam.get_paginator("get_account_authorization_details").paginate(PaginationConfig={"PageSize": 2}))
assert len(paged) > 2 and sum(len(p["UserDetailList"]) for p in paged) == len(details["UserDetailList"])
slr = iam.create_service_linked_role(AWSServiceName="organizations.amazonaws.com")["Role"]
assert slr["RoleName"] == "AWSServiceRoleForOrganizations" and slr["Path"] == "/aws-service-role/organizations.amazonaws.com/", slr
assert slr["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "organizations.amazonaws.com"}
expect_error("InvalidInput", iam.create_service_linked_role, AWSServiceName="organizations.amazonaws.com")
expect_error("UnmodifiableEntity", iam.attach_role_policy, RoleName="AWSServiceRoleForOrganizations",
             PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
expect_error("UnmodifiableEntity", iam.delete_role, RoleName="AWSServiceRoleForOrganizations")
task = iam.delete_service_linked_role(RoleName="AWSServiceRoleForOrganizations")["DeletionTaskId"]
assert iam.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"] == "SUCCEEDED"
expect_error("InvalidInput", iam.delete_service_linked_role, RoleName="r1")
iam.tag_instance_profile(InstanceProfileName="web", Tags=[{"Key": "tier", "Value": "front"}])
assert iam.list_instance_profile_tags(InstanceProfileName="web")["Tags"] == [{"Key": "tier", "Value": "front"}]
iam.untag_instance_profile(InstanceProfileName="web", TagKeys=["tier"])
assert iam.list_instance_profile_tags(InstanceProfileName="web")["Tags"] == []

# UpdateGroup renames and moves; members follow.
iam.add_user_to_group(GroupName="g1", UserName="u1")
iam.update_group(GroupName="g1", NewGroupName="g1-renamed", NewPath="/teams/")
g = iam.get_group(GroupName="g1-renamed")
assert g["Group"]["Path"] == "/teams/" and [u["UserName"] for u in g["Users"]] == ["u1"], g
assert [x["GroupName"] for x in iam.list_groups_for_user(UserName="u1")["Groups"]] == ["g1-renamed"]
expect_error("NoSuchEntity", iam.get_group, GroupName="g1")
iam.create_group(GroupName="taken")
expect_error("EntityAlreadyExists", iam.update_group, GroupName="g1-renamed", NewGroupName="taken")

keys = iam.get_context_keys_for_custom_policy(PolicyInputList=[json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
     "Bool": {"aws:MultiFactorAuthPresent": "true"}}}]})])["ContextKeyNames"]
assert sorted(k.lower() for k in keys) == ["aws:multifactorauthpresent", "aws:sourceip"], keys
iam.put_user_policy(UserName="u1", PolicyName="cond", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}))
keys = iam.get_context_keys_for_principal_policy(PolicySourceArn=f"arn:aws:iam::{account}:user/u1")["ContextKeyNames"]
assert [k.lower() for k in keys] == ["aws:requestedregion"], keys
iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="r1")
iam.delete_instance_profile(InstanceProfileName="web")
print("ok")
