"""The whole AWS managed policy catalogue through boto3: attach SecurityAudit and
job-function/ViewOnlyAccess to a role, list them, read their versions, page through
ListPolicies Scope=AWS, and act with the role's credentials."""
import json
import os

from rampart_test import clients, expect_error

iam, sts = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
me = sts.get_caller_identity()["Account"]

AUDIT = "arn:aws:iam::aws:policy/SecurityAudit"
VIEW = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"

trust = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{me}:root"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="auditor", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
iam.attach_role_policy(RoleName="auditor", PolicyArn=AUDIT)
iam.attach_role_policy(RoleName="auditor", PolicyArn=VIEW)

attached = iam.list_attached_role_policies(RoleName="auditor")["AttachedPolicies"]
assert sorted(attached, key=lambda p: p["PolicyName"]) == [
    {"PolicyName": "SecurityAudit", "PolicyArn": AUDIT},
    {"PolicyName": "ViewOnlyAccess", "PolicyArn": VIEW},
], attached

policy = iam.get_policy(PolicyArn=VIEW)["Policy"]
assert policy["Path"] == "/job-function/" and policy["AttachmentCount"] == 1, policy
assert policy["PolicyId"].startswith("ANPA") and policy["IsAttachable"], policy
versions = iam.list_policy_versions(PolicyArn=AUDIT)["Versions"]
assert len(versions) > 1, versions
default = [v for v in versions if v["IsDefaultVersion"]]
assert len(default) == 1 and default[0]["VersionId"] == iam.get_policy(PolicyArn=AUDIT)["Policy"]["DefaultVersionId"]
v1 = iam.get_policy_version(PolicyArn=AUDIT, VersionId="v1")["PolicyVersion"]
assert not v1["IsDefaultVersion"] and v1["Document"]["Statement"], v1

arns = [p["Arn"] for page in iam.get_paginator("list_policies").paginate(Scope="AWS", PaginationConfig={"PageSize": 500})
        for p in page["Policies"]]
assert len(arns) > 1500 and len(arns) == len(set(arns)), len(arns)
assert AUDIT in arns and VIEW in arns
jobs = [p["Arn"] for p in iam.list_policies(Scope="AWS", PathPrefix="/job-function/")["Policies"]]
assert VIEW in jobs and all("/job-function/" in a for a in jobs), jobs
used = [p["Arn"] for p in iam.list_policies(Scope="All", OnlyAttached=True)["Policies"]]
assert AUDIT in used and VIEW in used, used

creds = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="audit")["Credentials"]
role_iam, _ = clients(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
role_iam.list_roles()
expect_error("AccessDenied", role_iam.create_user, UserName="mallory")

iam.detach_role_policy(RoleName="auditor", PolicyArn=VIEW)
assert iam.get_policy(PolicyArn=VIEW)["Policy"]["AttachmentCount"] == 0
expect_error("NoSuchEntity", iam.get_policy, PolicyArn="arn:aws:iam::aws:policy/NoSuchPolicyAnywhere")
print("ok")
