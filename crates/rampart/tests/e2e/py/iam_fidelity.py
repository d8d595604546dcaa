"""IAM behaviours where AWS's documented answers differ from what a naive implementation gives
(issue 15): trust policies resolve their IAM principals, policies with versions are not deleted
whole, the summary counts roles, boundaries say `Policy`, and password changes are limited."""
import json
import os

from rampart_test import clients, expect_error

account = os.environ["RAMPART_ACCOUNT"]
iam, sts = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])


def trusting(principal):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:{principal}"},
        "Action": "sts:AssumeRole"}]})


# A trust policy naming a user that does not exist is refused, naming the principal.
msg = expect_error("MalformedPolicyDocument", iam.create_role, RoleName="app",
                   AssumeRolePolicyDocument=trusting("user/alice"))
assert msg == f'Invalid principal in policy: "AWS":"arn:aws:iam::{account}:user/alice"', msg

# Once alice exists the role can trust her, and she can assume it.
alice_id = iam.create_user(UserName="alice")["User"]["UserId"]
iam.create_role(RoleName="app", AssumeRolePolicyDocument=trusting("user/alice"))
iam.put_user_policy(UserName="alice", PolicyName="assume", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
key = iam.create_access_key(UserName="alice")["AccessKey"]
_, alice_sts = clients(key["AccessKeyId"], key["SecretAccessKey"])
role_arn = f"arn:aws:iam::{account}:role/app"
alice_sts.assume_role(RoleArn=role_arn, RoleSessionName="session")

# Deleting alice turns the principal into her unique id; a new alice is not trusted.
iam.delete_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"])
iam.delete_user_policy(UserName="alice", PolicyName="assume")
iam.delete_user(UserName="alice")
trust = iam.get_role(RoleName="app")["Role"]["AssumeRolePolicyDocument"]
assert trust["Statement"][0]["Principal"] == {"AWS": alice_id}, trust
iam.create_user(UserName="alice")
iam.put_user_policy(UserName="alice", PolicyName="assume", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
key = iam.create_access_key(UserName="alice")["AccessKey"]
_, alice_sts = clients(key["AccessKeyId"], key["SecretAccessKey"])
expect_error("AccessDenied", alice_sts.assume_role, RoleArn=role_arn, RoleSessionName="session")

# GetAccountSummary counts roles and attachments.
doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
policy = iam.create_policy(PolicyName="p", PolicyDocument=doc)["Policy"]["Arn"]
iam.attach_role_policy(RoleName="app", PolicyArn=policy)
summary = iam.get_account_summary()["SummaryMap"]
assert summary["Roles"] == 1 and summary["PolicyVersionsInUse"] == 1, summary

# A policy with more than its default version is not deleted whole.
iam.detach_role_policy(RoleName="app", PolicyArn=policy)
iam.create_policy_version(PolicyArn=policy, PolicyDocument=doc)
msg = expect_error("DeleteConflict", iam.delete_policy, PolicyArn=policy)
assert "more than one version" in msg, msg

# A value that is not an ARN is InvalidInput, before any lookup.
msg = expect_error("InvalidInput", iam.attach_user_policy, UserName="alice", PolicyArn="not-an-arn-at-all-xyz")
assert msg == "ARN not-an-arn-at-all-xyz is not valid.", msg

# Boundaries are reported as AWS reports them.
iam.put_role_permissions_boundary(RoleName="app", PermissionsBoundary=policy)
boundary = iam.get_role(RoleName="app")["Role"]["PermissionsBoundary"]
assert boundary == {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": policy}, boundary

# With AllowUsersToChangePassword every user may read the policy and change its own password,
# and five wrong current passwords lock the change.
iam.update_account_password_policy(MinimumPasswordLength=12, AllowUsersToChangePassword=True)
iam.create_login_profile(UserName="alice", Password="Correct-Horse-9-battery!")
alice_iam, _ = clients(key["AccessKeyId"], key["SecretAccessKey"])
assert alice_iam.get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] == 12
for _ in range(5):
    expect_error("InvalidInput", alice_iam.change_password, OldPassword="wrong-password-1",
                 NewPassword="Another-9-battery!")
expect_error("LimitExceeded", alice_iam.change_password, OldPassword="Correct-Horse-9-battery!",
             NewPassword="Another-9-battery!")
print("iam fidelity: ok")
