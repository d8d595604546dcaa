"""boto3 as an account's root user (created by `rampart account create --root-access-key`),
and a fresh IAM user of that account who is denied, then allowed by an attached policy."""
import json
import os

from botocore.exceptions import ClientError
from rampart_test import clients


def eu_clients(key, secret, token=None):
    return clients(key, secret, token, services=("iam", "sts"), region="eu-west-1")

endpoint = os.environ["RAMPART_ENDPOINT"]
account = os.environ["RAMPART_ACCOUNT"]


iam, sts = eu_clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
me = sts.get_caller_identity()
assert me["Arn"] == f"arn:aws:iam::{account}:root" and me["UserId"] == account, me
# Root is allowed everything in its own account without any policy.
iam.create_user(UserName="erin")
key = iam.create_access_key(UserName="erin")["AccessKey"]
assert iam.get_account_summary()["SummaryMap"]["AccountAccessKeysPresent"] == 1
root_keys = iam.list_access_keys()["AccessKeyMetadata"]
assert [k["AccessKeyId"] for k in root_keys] == [os.environ["RAMPART_ACCESS_KEY_ID"]], root_keys

erin_iam, erin_sts = eu_clients(key["AccessKeyId"], key["SecretAccessKey"])
assert erin_sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{account}:user/erin"
try:
    erin_iam.create_group(GroupName="g")
    raise AssertionError("erin should be denied")
except ClientError as err:
    assert err.response["Error"]["Code"] == "AccessDenied", err.response
    assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert err.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{account}:user/erin is not authorized to perform: iam:CreateGroup on resource: "
        f"arn:aws:iam::{account}:group/g because no identity-based policy allows the iam:CreateGroup action"
    ), err.response["Error"]["Message"]

allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateGroup", "Resource": "*"}]}
iam.put_user_policy(UserName="erin", PolicyName="groups", PolicyDocument=json.dumps(allow))
assert erin_iam.create_group(GroupName="g")["Group"]["GroupName"] == "g"
# An explicit deny wins over the allow.
deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:Create*", "Resource": "*"}]}
iam.put_user_policy(UserName="erin", PolicyName="deny", PolicyDocument=json.dumps(deny))
try:
    erin_iam.create_group(GroupName="g2")
    raise AssertionError("erin should be denied explicitly")
except ClientError as err:
    assert err.response["Error"]["Message"].endswith("with an explicit deny in an identity-based policy"), err.response
print("ok")
