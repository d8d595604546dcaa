"""Roles, AssumeRole and GetSessionToken through boto3, as the admin of the management account."""
import json
import os

from rampart_test import clients, expect_error

endpoint = os.environ["RAMPART_ENDPOINT"]


iam, sts = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
account = sts.get_caller_identity()["Account"]
trust = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="Deployer", Path="/ops/", AssumeRolePolicyDocument=json.dumps(trust),
                       MaxSessionDuration=7200)["Role"]
assert role["RoleId"].startswith("AROA") and role["Arn"] == f"arn:aws:iam::{account}:role/ops/Deployer"
assert role["AssumeRolePolicyDocument"] == trust
expect_error("EntityAlreadyExists", iam.create_role, RoleName="deployer", AssumeRolePolicyDocument=json.dumps(trust))
expect_error("MalformedPolicyDocument", iam.create_role, RoleName="bad", AssumeRolePolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}))
iam.attach_role_policy(RoleName="Deployer", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["Deployer"]
assert iam.get_role(RoleName="Deployer")["Role"]["MaxSessionDuration"] == 7200

iam.create_user(UserName="ops")
key = iam.create_access_key(UserName="ops")["AccessKey"]
ops_iam, ops_sts = clients(key["AccessKeyId"], key["SecretAccessKey"])
msg = expect_error("AccessDenied", ops_sts.assume_role, RoleArn=role["Arn"], RoleSessionName="s1")
assert msg == f"User: arn:aws:iam::{account}:user/ops is not authorized to perform: sts:AssumeRole on resource: {role['Arn']}", msg

allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role["Arn"]}]}
iam.put_user_policy(UserName="ops", PolicyName="assume", PolicyDocument=json.dumps(allow))
out = ops_sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=1800)
creds = out["Credentials"]
assert creds["AccessKeyId"].startswith("ASIA") and len(creds["SecretAccessKey"]) == 40 and creds["SessionToken"]
assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{account}:assumed-role/Deployer/s1", out
assert out["AssumedRoleUser"]["AssumedRoleId"] == f"{role['RoleId']}:s1"
role_iam, role_sts = clients(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
me = role_sts.get_caller_identity()
assert me["Arn"] == f"arn:aws:sts::{account}:assumed-role/Deployer/s1" and me["UserId"] == f"{role['RoleId']}:s1", me
role_iam.create_user(UserName="made-by-role")  # AdministratorAccess through the role
# A wrong or missing session token does not authenticate.
bad_iam, _ = clients(creds["AccessKeyId"], creds["SecretAccessKey"], "bogus-token")
expect_error("InvalidClientTokenId", bad_iam.list_users)
no_token_iam, _ = clients(creds["AccessKeyId"], creds["SecretAccessKey"])
expect_error("InvalidClientTokenId", no_token_iam.list_users)

# Durations: above the role's maximum, and role chaining above one hour.
expect_error("ValidationError", ops_sts.assume_role, RoleArn=role["Arn"], RoleSessionName="long", DurationSeconds=10800)
expect_error("ValidationError", role_sts.assume_role, RoleArn=role["Arn"], RoleSessionName="chain", DurationSeconds=7200)
chained = role_sts.assume_role(RoleArn=role["Arn"], RoleSessionName="chain", DurationSeconds=3600)
assert chained["AssumedRoleUser"]["Arn"].endswith("assumed-role/Deployer/chain")

# A session policy narrows the role's permissions.
narrow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:List*", "Resource": "*"}]}
out = ops_sts.assume_role(RoleArn=role["Arn"], RoleSessionName="narrow", Policy=json.dumps(narrow))
assert 0 < out["PackedPolicySize"] <= 100, out
c = out["Credentials"]
narrow_iam, _ = clients(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
narrow_iam.list_users()
expect_error("AccessDenied", narrow_iam.create_user, UserName="nope")

# An ExternalId condition in the trust policy.
trust_ext = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
             "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "ext-42"}}}]}
ext_role = iam.create_role(RoleName="Vendor", AssumeRolePolicyDocument=json.dumps(trust_ext))["Role"]
iam.put_user_policy(UserName="ops", PolicyName="assume", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
expect_error("AccessDenied", ops_sts.assume_role, RoleArn=ext_role["Arn"], RoleSessionName="vendor")
expect_error("AccessDenied", ops_sts.assume_role, RoleArn=ext_role["Arn"], RoleSessionName="vendor", ExternalId="wrong")
ops_sts.assume_role(RoleArn=ext_role["Arn"], RoleSessionName="vendor", ExternalId="ext-42")
# A role that does not exist is denied like one the caller may not assume.
expect_error("AccessDenied", ops_sts.assume_role, RoleArn=f"arn:aws:iam::{account}:role/Nope", RoleSessionName="xx")

# GetSessionToken: the session is the user; without MFA it cannot call IAM.
tok = ops_sts.get_session_token(DurationSeconds=900)["Credentials"]
assert tok["AccessKeyId"].startswith("ASIA")
tok_iam, tok_sts = clients(tok["AccessKeyId"], tok["SecretAccessKey"], tok["SessionToken"])
assert tok_sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{account}:user/ops"
expect_error("InvalidClientTokenId", tok_iam.list_users)
expect_error("AccessDenied", tok_sts.get_session_token)
expect_error("AccessDenied", ops_sts.get_session_token, SerialNumber=f"arn:aws:iam::{account}:mfa/ops", TokenCode="123456")

# GetFederationToken: a federated user whose permissions are the user's intersected with the
# session policy; without a session policy it has none, and it never calls IAM.
expect_error("AccessDenied", ops_sts.get_federation_token, Name="contractor")
iam.put_user_policy(UserName="ops", PolicyName="federate", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:GetFederationToken", "Resource": "*"}]}))
fed = ops_sts.get_federation_token(Name="contractor", Policy=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
assert fed["FederatedUser"]["Arn"] == f"arn:aws:sts::{account}:federated-user/contractor", fed
assert fed["FederatedUser"]["FederatedUserId"] == f"{account}:contractor"
fed_iam, fed_sts = clients(fed["Credentials"]["AccessKeyId"], fed["Credentials"]["SecretAccessKey"], fed["Credentials"]["SessionToken"])
assert fed_sts.get_caller_identity()["Arn"] == f"arn:aws:sts::{account}:federated-user/contractor"
expect_error("InvalidClientTokenId", fed_iam.list_users)
expect_error("AccessDenied", fed_sts.assume_role, RoleArn=role["Arn"], RoleSessionName="fed")
expect_error("AccessDenied", fed_sts.get_federation_token, Name="again")
assert sts.get_access_key_info(AccessKeyId=key["AccessKeyId"])["Account"] == account
assert sts.get_access_key_info(AccessKeyId=creds["AccessKeyId"])["Account"] == account
expect_error("InvalidAuthorizationMessageException", sts.decode_authorization_message, EncodedMessage="not-a-message")

# DeleteConflict, then delete.
expect_error("DeleteConflict", iam.delete_role, RoleName="Deployer")
iam.detach_role_policy(RoleName="Deployer", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
iam.delete_role(RoleName="Deployer")
expect_error("NoSuchEntity", iam.get_role, RoleName="Deployer")
# The role's sessions stop working with it.
expect_error("InvalidClientTokenId", role_iam.list_users)
print("ok")
