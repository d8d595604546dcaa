"""Tenant isolation (issue 15): an administrator of account B names account A's entities by
ARN, id or job in every operation family that takes one, and learns nothing — each answer is the
one B would get for an entity that does not exist (or a refusal), never A's data."""
import json
import os

from botocore.exceptions import ClientError

from rampart_test import clients

a_account, b_account = os.environ["A_ACCOUNT"], os.environ["B_ACCOUNT"]
a_iam, a_sts = clients(os.environ["A_KEY"], os.environ["A_SECRET"])
b_iam, b_sts = clients(os.environ["B_KEY"], os.environ["B_SECRET"])

doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
trust = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{a_account}:root"}, "Action": "sts:AssumeRole"}]})

# Account A's entities.
a_policy = a_iam.create_policy(PolicyName="secret-policy", PolicyDocument=doc)["Policy"]["Arn"]
a_iam.create_user(UserName="alice")
a_iam.attach_user_policy(UserName="alice", PolicyArn=a_policy)
a_key = a_iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
a_iam.create_role(RoleName="secret-role", AssumeRolePolicyDocument=trust)
a_oidc = a_iam.create_open_id_connect_provider(
    Url="https://secret.example.com", ThumbprintList=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
    ClientIDList=["a"])["OpenIDConnectProviderArn"]
a_device = a_iam.create_virtual_mfa_device(VirtualMFADeviceName="secret-device")["VirtualMFADevice"]["SerialNumber"]
a_job = a_iam.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{a_account}:user/alice")["JobId"]
a_user_arn = f"arn:aws:iam::{a_account}:user/alice"
a_role_arn = f"arn:aws:iam::{a_account}:role/secret-role"


def refused(name, fn, **kwargs):
    """The call must fail, and its error must not carry A's data."""
    try:
        out = fn(**kwargs)
    except ClientError as err:
        code, message = err.response["Error"]["Code"], err.response["Error"]["Message"]
        assert code in ("NoSuchEntity", "AccessDenied", "InvalidInput", "ValidationError"), (name, code, message)
        for secret in ("secret-policy-doc", "s3:*", a_key if name != "GetAccessKeyLastUsed" else "-"):
            assert secret not in message, (name, message)
        return code
    raise AssertionError(f"{name}: B read A's entity: {out}")


checks = {
    "GetPolicy": (b_iam.get_policy, {"PolicyArn": a_policy}),
    "GetPolicyVersion": (b_iam.get_policy_version, {"PolicyArn": a_policy, "VersionId": "v1"}),
    "ListPolicyVersions": (b_iam.list_policy_versions, {"PolicyArn": a_policy}),
    "ListEntitiesForPolicy": (b_iam.list_entities_for_policy, {"PolicyArn": a_policy}),
    "ListPolicyTags": (b_iam.list_policy_tags, {"PolicyArn": a_policy}),
    "AttachUserPolicy (A's policy to B's user)": (b_iam.attach_user_policy, {"UserName": "bob", "PolicyArn": a_policy}),
    "GetAccessKeyLastUsed": (b_iam.get_access_key_last_used, {"AccessKeyId": a_key}),
    "GetOpenIDConnectProvider": (b_iam.get_open_id_connect_provider, {"OpenIDConnectProviderArn": a_oidc}),
    "ListOpenIDConnectProviderTags": (b_iam.list_open_id_connect_provider_tags, {"OpenIDConnectProviderArn": a_oidc}),
    "DeleteVirtualMFADevice": (b_iam.delete_virtual_mfa_device, {"SerialNumber": a_device}),
    "GenerateServiceLastAccessedDetails": (b_iam.generate_service_last_accessed_details, {"Arn": a_user_arn}),
    "GetServiceLastAccessedDetails": (b_iam.get_service_last_accessed_details, {"JobId": a_job}),
    "ListPoliciesGrantingServiceAccess": (b_iam.list_policies_granting_service_access,
                                          {"Arn": a_user_arn, "ServiceNamespaces": ["s3"]}),
    "GetContextKeysForPrincipalPolicy": (b_iam.get_context_keys_for_principal_policy, {"PolicySourceArn": a_user_arn}),
    "SimulatePrincipalPolicy": (b_iam.simulate_principal_policy,
                                {"PolicySourceArn": a_user_arn, "ActionNames": ["s3:GetObject"]}),
    "AssumeRole (A's role, no trust for B)": (b_sts.assume_role, {"RoleArn": a_role_arn, "RoleSessionName": "probe"}),
}
b_iam.create_user(UserName="bob")
for name, (fn, kwargs) in checks.items():
    refused(name, fn, **kwargs)

# Listings in B show none of A's entities, and AWS managed policies count B's use only.
assert not [p for p in b_iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == "secret-policy"]
assert [u["UserName"] for u in b_iam.list_users()["Users"]] == ["bob"]
assert not b_iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
assert not [d for d in b_iam.list_virtual_mfa_devices()["VirtualMFADevices"] if d["SerialNumber"] == a_device]
a_iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
shared = b_iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")["Policy"]
assert shared["AttachmentCount"] == 0, shared
details = b_iam.get_account_authorization_details(Filter=["User", "Role", "LocalManagedPolicy"])
assert all(u["UserName"] == "bob" for u in details["UserDetailList"]), details["UserDetailList"]
assert not details["Policies"], details["Policies"]
print("isolation: ok,", len(checks), "probes")
