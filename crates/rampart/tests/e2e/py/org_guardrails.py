"""An invited member account, SCP guard rails and centralized root access, driven by the
management account's root (a standalone account that created the organization)."""
import json
import os

from rampart_test import clients, expect_error


def org_clients(key, secret, token=None):
    return clients(key, secret, token, services=("iam", "sts", "organizations"))

endpoint = os.environ["RAMPART_ENDPOINT"]
member = os.environ["MEMBER_ACCOUNT"]


def creds_clients(c):
    return org_clients(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])


def key_clients(iam, user):
    k = iam.create_access_key(UserName=user)["AccessKey"]
    return org_clients(k["AccessKeyId"], k["SecretAccessKey"])


iam, sts, org = org_clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
m_iam, m_sts, m_org = org_clients(os.environ["MEMBER_KEY_ID"], os.environ["MEMBER_SECRET"])
mgmt = sts.get_caller_identity()["Account"]
o = org.describe_organization()["Organization"]
assert o["MasterAccountId"] == mgmt, o
root = org.list_roots()["Roots"][0]["Id"]
assert org.describe_account(AccountId=member)["Account"]["JoinedMethod"] == "INVITED"
assert m_org.describe_organization()["Organization"]["Id"] == o["Id"]

# A management administrator (an IAM user: root may not assume roles).
iam.create_user(UserName="boss")
iam.attach_user_policy(UserName="boss", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
b_iam, b_sts, b_org = key_clients(iam, "boss")
role_arn = f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole"
# Invited accounts get no OrganizationAccountAccessRole: AssumeRole fails until the member makes it.
expect_error("AccessDenied", b_sts.assume_role, RoleArn=role_arn, RoleSessionName="boss")
trust = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{mgmt}:root"}, "Action": "sts:AssumeRole"}]}
m_iam.create_role(RoleName="OrganizationAccountAccessRole", AssumeRolePolicyDocument=json.dumps(trust))
m_iam.attach_role_policy(RoleName="OrganizationAccountAccessRole", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
out = b_sts.assume_role(RoleArn=role_arn, RoleSessionName="boss")
r_iam, r_sts, _ = creds_clients(out["Credentials"])
assert r_sts.get_caller_identity()["Arn"] == f"arn:aws:sts::{member}:assumed-role/OrganizationAccountAccessRole/boss"

# The member's own IAM principals: a user and an administrator role.
m_iam.create_user(UserName="dev")
m_iam.attach_user_policy(UserName="dev", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
d_iam, d_sts, _ = key_clients(m_iam, "dev")
local_trust = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{member}:root"}, "Action": "sts:AssumeRole"}]}
admin_role = m_iam.create_role(RoleName="MemberAdmin", AssumeRolePolicyDocument=json.dumps(local_trust))["Role"]
m_iam.attach_role_policy(RoleName="MemberAdmin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")

# The SCP that denies every root user, on the organization root.
deny_root = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                                                     "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}}]}
scp = org.create_policy(Content=json.dumps(deny_root), Description="", Name="DenyRoot",
                        Type="SERVICE_CONTROL_POLICY")["Policy"]["PolicySummary"]["Id"]
org.attach_policy(PolicyId=scp, TargetId=root)
msg = expect_error("AccessDenied", m_iam.list_users)
assert msg == (f"User: arn:aws:iam::{member}:root is not authorized to perform: iam:ListUsers on resource: "
               f"arn:aws:iam::{member}:user/ with an explicit deny in a service control policy"), msg
expect_error("AccessDenied", m_iam.create_user, UserName="nope")
expect_error("AccessDenied", m_sts.assume_role, RoleArn=admin_role["Arn"], RoleSessionName="xx")
expect_error("AccessDeniedException", m_org.describe_organization)
d_iam.list_users()  # the member's IAM principals are not roots
r_iam.list_users()
iam.list_users()  # the management account is never restricted, its root included
org.detach_policy(PolicyId=scp, TargetId=root)
m_iam.list_users()

# An allow-list SCP on an OU that omits iam:* denies even the member's administrator role.
ou = org.create_organizational_unit(ParentId=root, Name="Sandbox")["OrganizationalUnit"]["Id"]
org.move_account(AccountId=member, SourceParentId=root, DestinationParentId=ou)
allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:*", "organizations:*"], "Resource": "*"}]}
allow_id = org.create_policy(Content=json.dumps(allow), Description="", Name="StsOnly",
                             Type="SERVICE_CONTROL_POLICY")["Policy"]["PolicySummary"]["Id"]
org.attach_policy(PolicyId=allow_id, TargetId=ou)
org.detach_policy(PolicyId="p-FullAWSAccess", TargetId=ou)
out = d_sts.assume_role(RoleArn=admin_role["Arn"], RoleSessionName="admin")
a_iam, _, _ = creds_clients(out["Credentials"])
msg = expect_error("AccessDenied", a_iam.list_users)
assert msg.endswith("because no service control policy allows the iam:ListUsers action"), msg
expect_error("AccessDenied", d_iam.list_users)
expect_error("AccessDenied", m_iam.list_users)
org.attach_policy(PolicyId="p-FullAWSAccess", TargetId=ou)
a_iam.list_users()

# Centralized root access: audit, then delete, the member root's access key.
root_key = os.environ["MEMBER_KEY_ID"]
audit = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
expect_error("AccessDenied", b_sts.assume_root, TargetPrincipal=member, TaskPolicyArn={"arn": audit})
expect_error("ServiceAccessNotEnabledException", iam.enable_organizations_root_sessions)
org.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
# Root sessions are a feature the management account turns on (IAM's centralized root access).
expect_error("AccessDenied", b_sts.assume_root, TargetPrincipal=member, TaskPolicyArn={"arn": audit})
assert iam.list_organizations_features()["EnabledFeatures"] == []
expect_error("CallerIsNotManagementAccountException", m_iam.enable_organizations_root_sessions)
b_iam.enable_organizations_root_credentials_management()
features = b_iam.enable_organizations_root_sessions()
assert sorted(features["EnabledFeatures"]) == ["RootCredentialsManagement", "RootSessions"], features
assert features["OrganizationId"].startswith("o-")
expect_error("AccessDenied", sts.assume_root, TargetPrincipal=member, TaskPolicyArn={"arn": audit})  # never with root credentials
expect_error("AccessDenied", b_sts.assume_root, TargetPrincipal=mgmt, TaskPolicyArn={"arn": audit})  # members only
out = b_sts.assume_root(TargetPrincipal=member, TaskPolicyArn={"arn": audit}, DurationSeconds=900)
c = out["Credentials"]
assert c["AccessKeyId"].startswith("ASIA"), out
s_iam, s_sts, _ = creds_clients(c)
assert s_sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{member}:root"
keys = [k["AccessKeyId"] for k in s_iam.list_access_keys()["AccessKeyMetadata"]]
assert keys == [root_key], keys
msg = expect_error("AccessDenied", s_iam.list_users)
assert msg.endswith("because no session policy allows the iam:ListUsers action"), msg
expect_error("AccessDenied", s_iam.delete_access_key, AccessKeyId=root_key)
out = b_sts.assume_root(TargetPrincipal=f"arn:aws:iam::{member}:root",
                        TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials"})
x_iam, _, _ = creds_clients(out["Credentials"])
x_iam.delete_access_key(AccessKeyId=root_key)
assert x_iam.list_access_keys()["AccessKeyMetadata"] == []
expect_error("InvalidClientTokenId", m_iam.list_users)
print("ok")
