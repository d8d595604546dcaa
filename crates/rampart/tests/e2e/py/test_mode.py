"""Test mode, as a moto-style suite uses it: made-up keys are root of 123456789012."""
import json
import os
import urllib.request

from botocore.exceptions import ClientError
from rampart_test import clients

endpoint = os.environ["RAMPART_ENDPOINT"]


iam, sts = clients("testing", "testing")
me = sts.get_caller_identity()
assert me == {**me, "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:root"}, me
iam.create_user(UserName="moto-user")
assert [u["UserName"] for u in iam.list_users()["Users"]] == ["moto-user"]
# Validation and errors are as in normal mode.
try:
    iam.create_user(UserName="moto-user")
    raise AssertionError("duplicate user accepted")
except ClientError as err:
    assert err.response["Error"]["Code"] == "EntityAlreadyExists"

# Keys Rampart issued are enforced exactly as usual.
key = iam.create_access_key(UserName="moto-user")["AccessKey"]
user_iam, user_sts = clients(key["AccessKeyId"], key["SecretAccessKey"])
assert user_sts.get_caller_identity()["Arn"] == "arn:aws:iam::123456789012:user/moto-user"
try:
    user_iam.list_users()
    raise AssertionError("an issued key without a policy must be denied")
except ClientError as err:
    assert err.response["Error"]["Code"] == "AccessDenied"
_, wrong_sts = clients(key["AccessKeyId"], "x" * 40)
try:
    wrong_sts.get_caller_identity()
    raise AssertionError("wrong secret accepted for an issued key")
except ClientError as err:
    assert err.response["Error"]["Code"] == "SignatureDoesNotMatch"
# A deleted key stays refused rather than becoming root.
iam.delete_access_key(UserName="moto-user", AccessKeyId=key["AccessKeyId"])
try:
    user_sts.get_caller_identity()
    raise AssertionError("a deleted key must not authenticate")
except ClientError as err:
    assert err.response["Error"]["Code"] == "InvalidClientTokenId"

# Made-up keys are held to no clock window (moto's suites freeze time); issued keys are.
from freezegun import freeze_time
with freeze_time("2012-01-01 12:00:00"):
    assert sts.get_caller_identity()["Account"] == "123456789012"
    again = iam.create_access_key(UserName="moto-user")["AccessKey"]
    _, frozen_sts = clients(again["AccessKeyId"], again["SecretAccessKey"])
    try:
        frozen_sts.get_caller_identity()
        raise AssertionError("an issued key signed in 2012 accepted")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "SignatureDoesNotMatch", err.response

# Signed for a China region, answers name the aws-cn partition, and its ARNs are understood.
cn_iam, cn_sts = clients("testing", "testing", region="cn-north-1")
cn_user = cn_iam.create_user(UserName="cn-user")["User"]
assert cn_user["Arn"] == "arn:aws-cn:iam::123456789012:user/cn-user", cn_user
policy = cn_iam.create_policy(PolicyName="cn-policy", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws-cn:s3:::b"}]}))
arn = policy["Policy"]["Arn"]
assert arn.startswith("arn:aws-cn:iam::123456789012:policy/"), arn
cn_iam.attach_user_policy(UserName="cn-user", PolicyArn=arn)
assert cn_iam.list_attached_user_policies(UserName="cn-user")["AttachedPolicies"][0]["PolicyArn"] == arn
version = cn_iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
assert version["Document"]["Statement"][0]["Resource"] == "arn:aws-cn:s3:::b", version
assert iam.get_user(UserName="cn-user")["User"]["Arn"] == "arn:aws:iam::123456789012:user/cn-user"

# POST /moto-api/reset wipes all state, Organizations included.
orgs = clients("testing", "testing", services=("organizations",))[0]
orgs.create_organization(FeatureSet="ALL")
req = urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"", method="POST")
with urllib.request.urlopen(req) as resp:
    assert resp.status == 200 and json.loads(resp.read()) == {"status": "ok"}
assert iam.list_users()["Users"] == []
assert sts.get_caller_identity()["Account"] == "123456789012"
orgs.create_organization(FeatureSet="ALL")
print("ok")
