"""Test mode with --test-mode-caller user: made-up keys are an administrator user, who may
assume roles (AWS lets no root user do that)."""
import json

from rampart_test import clients

iam, sts = clients("testing", "testing")
me = sts.get_caller_identity()
assert me["Arn"] == "arn:aws:iam::123456789012:user/moto", me
trust = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
session = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="session")
assert session["AssumedRoleUser"]["Arn"] == "arn:aws:sts::123456789012:assumed-role/r/session", session
creds = session["Credentials"]
_, role_sts = clients(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
assert role_sts.get_caller_identity()["Arn"] == "arn:aws:sts::123456789012:assumed-role/r/session"
# The made-up user is no IAM user: listings stay as the suite left them.
assert iam.list_users()["Users"] == []
print("ok")
