"""Issue 3 end to end: policy variables, aws:SourceIp, permissions boundaries, and
SimulatePrincipalPolicy agreeing with real calls."""
import json
import os

from botocore.exceptions import ClientError
from rampart_test import clients

endpoint = os.environ["RAMPART_ENDPOINT"]


def allowed(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
        return True
    except ClientError as err:
        assert err.response["Error"]["Code"] == "AccessDenied", err.response
        return False


iam, sts = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
account = sts.get_caller_identity()["Account"]


def user_with_key(name):
    iam.create_user(UserName=name)
    k = iam.create_access_key(UserName=name)["AccessKey"]
    return clients(k["AccessKeyId"], k["SecretAccessKey"])


# 1. ${aws:username}: members manage only their own access keys.
self_service = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow",
    "Action": ["iam:CreateAccessKey", "iam:ListAccessKeys", "iam:DeleteAccessKey", "iam:UpdateAccessKey"],
    "Resource": "arn:aws:iam::*:user/${aws:username}"}]}
iam.create_group(GroupName="self-service")
iam.put_group_policy(GroupName="self-service", PolicyName="own-keys", PolicyDocument=json.dumps(self_service))
alice_iam, _ = user_with_key("alice")
bob_iam, _ = user_with_key("bob")
for name in ("alice", "bob"):
    iam.add_user_to_group(GroupName="self-service", UserName=name)
assert allowed(alice_iam.list_access_keys)
assert allowed(alice_iam.list_access_keys, UserName="alice")
assert not allowed(alice_iam.list_access_keys, UserName="bob")
assert not allowed(alice_iam.create_access_key, UserName="bob")
new_key = alice_iam.create_access_key()["AccessKey"]
assert new_key["UserName"] == "alice"
assert allowed(alice_iam.delete_access_key, AccessKeyId=new_key["AccessKeyId"])
assert not allowed(alice_iam.list_users)

# 2. aws:SourceIp: a policy for 127.0.0.0/8 allows, one for 10.0.0.0/8 does not.
def ip_policy(cidr):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*",
                       "Condition": {"IpAddress": {"aws:SourceIp": cidr}}}]})
loopback_iam, _ = user_with_key("from-loopback")
iam.put_user_policy(UserName="from-loopback", PolicyName="ip", PolicyDocument=ip_policy("127.0.0.0/8"))
assert allowed(loopback_iam.list_users)
elsewhere_iam, _ = user_with_key("from-elsewhere")
iam.put_user_policy(UserName="from-elsewhere", PolicyName="ip", PolicyDocument=ip_policy(["10.0.0.0/8", "::1/128"]))
assert not allowed(elsewhere_iam.list_users)
# ...and the deny form: NotIpAddress 127.0.0.1/32 with an otherwise-full allow.
iam.put_user_policy(UserName="from-loopback", PolicyName="deny-other-ips", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
     "Condition": {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}]}))
assert not allowed(loopback_iam.list_users)

# 3. A permissions boundary caps an administrator.
capped_iam, _ = user_with_key("capped-admin")
iam.attach_user_policy(UserName="capped-admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
assert allowed(capped_iam.create_group, GroupName="g-before")
iam.put_user_permissions_boundary(UserName="capped-admin", PermissionsBoundary="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
assert iam.get_user(UserName="capped-admin")["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == \
    "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
assert allowed(capped_iam.list_users)
try:
    capped_iam.create_group(GroupName="g-after")
    raise AssertionError("the boundary must cap the administrator")
except ClientError as err:
    assert err.response["Error"]["Message"].endswith("because no permissions boundary allows the iam:CreateGroup action"), err.response
iam.delete_user_permissions_boundary(UserName="capped-admin")
assert allowed(capped_iam.create_group, GroupName="g-after")

# 4. SimulatePrincipalPolicy agrees with real calls.
def simulate(user, action, resource="*", context=None):
    res = iam.simulate_principal_policy(PolicySourceArn=f"arn:aws:iam::{account}:user/{user}", ActionNames=[action],
                                        ResourceArns=[resource], ContextEntries=context or [])
    return res["EvaluationResults"][0]

r = simulate("alice", "iam:ListAccessKeys", f"arn:aws:iam::{account}:user/alice")
assert r["EvalDecision"] == "allowed", r
assert r["MatchedStatements"][0]["SourcePolicyId"] == "own-keys" and r["MatchedStatements"][0]["SourcePolicyType"] == "group", r
assert simulate("alice", "iam:ListAccessKeys", f"arn:aws:iam::{account}:user/bob")["EvalDecision"] == "implicitDeny"
assert simulate("alice", "iam:ListUsers")["EvalDecision"] == "implicitDeny"
iam.put_user_permissions_boundary(UserName="capped-admin", PermissionsBoundary="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
r = simulate("capped-admin", "iam:CreateGroup")
assert r["EvalDecision"] == "implicitDeny" and r["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"] is False, r
assert simulate("capped-admin", "iam:ListUsers")["EvalDecision"] == "allowed"
assert not allowed(capped_iam.create_group, GroupName="g-third")
r = simulate("from-loopback", "iam:ListUsers", context=[
    {"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["127.0.0.1"], "ContextKeyType": "ip"}])
assert r["EvalDecision"] == "explicitDeny" and r["MatchedStatements"][0]["SourcePolicyId"] == "deny-other-ips", r
r = simulate("from-elsewhere", "iam:ListUsers")
assert r["EvalDecision"] == "implicitDeny" and "aws:SourceIp" in r["MissingContextValues"], r
# 5. Tags as condition keys: aws:PrincipalTag on the caller, aws:ResourceTag on the target.
abac = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}]}
tagged_iam, _ = user_with_key("tagged")
iam.tag_user(UserName="tagged", Tags=[{"Key": "team", "Value": "blue"}])
iam.put_user_policy(UserName="tagged", PolicyName="abac", PolicyDocument=json.dumps(abac))
iam.create_user(UserName="blue-peer", Tags=[{"Key": "team", "Value": "blue"}])
iam.create_user(UserName="red-peer", Tags=[{"Key": "team", "Value": "red"}])
assert allowed(tagged_iam.get_user, UserName="blue-peer")
assert not allowed(tagged_iam.get_user, UserName="red-peer")

custom = iam.simulate_custom_policy(PolicyInputList=[json.dumps(self_service)], ActionNames=["iam:CreateAccessKey"],
                                    ResourceArns=[f"arn:aws:iam::{account}:user/carol"],
                                    CallerArn=f"arn:aws:iam::{account}:user/carol")
assert custom["EvaluationResults"][0]["EvalDecision"] == "allowed", custom
print("ok")
