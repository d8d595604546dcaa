"""Secrets never reach the trail: passwords, secret access keys, session tokens, MFA seeds
and codes and private keys pass through the calls below, then every recorded event is read
back with LookupEvents and searched for them. Also: records carry requestParameters and
responseElements as AWS writes them, sessionContext for session callers, and a denial's
deciding statement. The secrets are written to RAMPART_SECRETS_FILE for the caller to grep
other channels (`rampart audit`)."""
import json
import os

from rampart_test import clients, expect_error, now_counter, totp

iam, sts, ct = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"],
                       services=("iam", "sts", "cloudtrail"))
account = sts.get_caller_identity()["Account"]
secrets = []

iam.create_user(UserName="sam", Tags=[{"Key": "team", "Value": "audit"}])
key = iam.create_access_key(UserName="sam")["AccessKey"]
secrets.append(key["SecretAccessKey"])
password = "Corr3ct-Horse-Battery-Staple!"
iam.create_login_profile(UserName="sam", Password=password, PasswordResetRequired=False)
new_password = "An0ther-Long-Passphrase-Here!"
iam.update_login_profile(UserName="sam", Password=new_password)
secrets += [password, new_password]

device = iam.create_virtual_mfa_device(VirtualMFADeviceName="sam-phone")["VirtualMFADevice"]
seed = device["Base32StringSeed"].decode()
secrets.append(seed)
c = now_counter()
codes = [totp(seed, c - 1), totp(seed, c)]
iam.enable_mfa_device(UserName="sam", SerialNumber=device["SerialNumber"], AuthenticationCode1=codes[0],
                      AuthenticationCode2=codes[1])

sam_iam, sam_sts = clients(key["AccessKeyId"], key["SecretAccessKey"])
token_code = totp(seed, c + 1)
session = sam_sts.get_session_token(SerialNumber=device["SerialNumber"], TokenCode=token_code)["Credentials"]
secrets += [session["SecretAccessKey"], session["SessionToken"]]

trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                                                 "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="auditor", Path="/ops/", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
assumed = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="audit-session")["Credentials"]
secrets += [assumed["SecretAccessKey"], assumed["SessionToken"]]
role_iam, = clients(assumed["AccessKeyId"], assumed["SecretAccessKey"], assumed["SessionToken"], services=("iam",))
expect_error("AccessDenied", role_iam.list_users)

# A denial names its deciding statement.
deny = {"Version": "2012-10-17", "Statement": [{"Sid": "NoGroups", "Effect": "Deny", "Action": "iam:CreateGroup",
                                                "Resource": "*"}]}
iam.put_user_policy(UserName="sam", PolicyName="no-groups", PolicyDocument=json.dumps(deny))
expect_error("AccessDenied", sam_iam.create_group, GroupName="g")


def all_records():
    records = []
    for page in ct.get_paginator("lookup_events").paginate():
        records += [e["CloudTrailEvent"] for e in page["Events"]]
    return records


records = all_records()
text = "\n".join(records)
for secret in secrets + codes + [token_code]:
    assert secret not in text, f"a secret reached the trail: {secret[:4]}…"
parsed = [json.loads(r) for r in records]


def one(name, **match):
    found = [r for r in parsed if r["eventName"] == name and all(r.get(k) == v for k, v in match.items())]
    assert found, f"no {name} event"
    return found[0]


created = one("CreateUser")
assert created["requestParameters"] == {"userName": "sam", "tags": [{"key": "team", "value": "audit"}]}, created
assert created["responseElements"]["user"]["userName"] == "sam", created
assert created["responseElements"]["user"]["createDate"].endswith(("AM", "PM")), created
assert created["eventVersion"] == "1.11" and created["managementEvent"] is True, created
assert created["eventCategory"] == "Management" and len(created["eventID"]) == 36, created
access_key = one("CreateAccessKey")["responseElements"]["accessKey"]
assert access_key["accessKeyId"] == key["AccessKeyId"] and "secretAccessKey" not in access_key, access_key
assert one("CreateLoginProfile")["requestParameters"] == {"userName": "sam", "passwordResetRequired": False}
assert one("EnableMFADevice")["requestParameters"] == {"userName": "sam", "serialNumber": device["SerialNumber"]}
assumed_record = one("AssumeRole")
assert assumed_record["requestParameters"] == {"roleArn": role["Arn"], "roleSessionName": "audit-session"}, assumed_record
credentials = assumed_record["responseElements"]["credentials"]
assert set(credentials) == {"accessKeyId", "expiration"}, credentials
assert assumed_record["resources"] == [{"ARN": role["Arn"], "accountId": account, "type": "AWS::IAM::Role"}]
listed = one("ListUsers", errorCode="AccessDenied")
context = listed["userIdentity"]["sessionContext"]
assert context["sessionIssuer"] == {"type": "Role", "principalId": role["RoleId"], "arn": role["Arn"],
                                    "accountId": account, "userName": "auditor"}, context
assert context["attributes"]["mfaAuthenticated"] == "false" and context["attributes"]["creationDate"].endswith("Z")
assert listed["userIdentity"]["type"] == "AssumedRole", listed
assert listed["responseElements"] is None and listed["requestParameters"] == {}, listed
denied = one("CreateGroup", errorCode="AccessDenied")
explained = denied["additionalEventData"]
assert explained["decision"] == "ExplicitDeny", explained
assert [s["sid"] for s in explained["decidingStatements"]] == ["NoGroups"], explained

with open(os.environ["RAMPART_SECRETS_FILE"], "w") as out:
    out.write("\n".join(secrets + codes + [token_code]))
print("ok")
