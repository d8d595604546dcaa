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

# POST /moto-api/reset wipes all state.
req = urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"", method="POST")
with urllib.request.urlopen(req) as resp:
    assert resp.status == 200 and json.loads(resp.read()) == {"status": "ok"}
assert iam.list_users()["Users"] == []
assert sts.get_caller_identity()["Account"] == "123456789012"
print("ok")
