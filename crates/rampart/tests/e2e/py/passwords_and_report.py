"""Console passwords, the password policy, and the credential report through boto3."""
import csv
import io
import os

import boto3
from rampart_test import clients, expect_error

endpoint = os.environ["RAMPART_ENDPOINT"]


iam, sts = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
account = sts.get_caller_identity()["Account"]
iam.create_user(UserName="pat")
key = iam.create_access_key(UserName="pat")["AccessKey"]
pat_iam, _ = clients(key["AccessKeyId"], key["SecretAccessKey"])

# No account policy: AWS's default rules (8+ characters, three of four classes).
expect_error("NoSuchEntity", iam.get_account_password_policy)
msg = expect_error("PasswordPolicyViolation", iam.create_login_profile, UserName="pat", Password="short")
assert msg.startswith("Password should be at least 8 characters long"), msg
msg = expect_error("PasswordPolicyViolation", iam.create_login_profile, UserName="pat", Password="alllowercase")
assert "more of the following requirements" in msg, msg
profile = iam.create_login_profile(UserName="pat", Password="Good-Passw0rd", PasswordResetRequired=True)["LoginProfile"]
assert profile["UserName"] == "pat" and profile["PasswordResetRequired"] is True
expect_error("EntityAlreadyExists", iam.create_login_profile, UserName="pat", Password="Good-Passw0rd")
assert iam.get_login_profile(UserName="pat")["LoginProfile"]["UserName"] == "pat"
expect_error("NoSuchEntity", iam.get_login_profile, UserName="admin")

# The account policy: every parameter enforced, reuse prevented.
iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True, RequireNumbers=True,
                                   RequireUppercaseCharacters=True, RequireLowercaseCharacters=True,
                                   AllowUsersToChangePassword=True, MaxPasswordAge=90, PasswordReusePrevention=3)
policy = iam.get_account_password_policy()["PasswordPolicy"]
assert policy["MinimumPasswordLength"] == 14 and policy["ExpirePasswords"] is True and policy["PasswordReusePrevention"] == 3
msg = expect_error("PasswordPolicyViolation", iam.update_login_profile, UserName="pat", Password="Short-1a")
assert msg == "Password does not conform to the account password policy.", msg
for pw in ["nouppercase-1234", "NOLOWERCASE-1234", "NoNumbersHere-xx", "NoSymbols1234567"]:
    assert expect_error("PasswordPolicyViolation", iam.update_login_profile, UserName="pat", Password=pw) == \
        "Password does not conform to the account password policy."

# ChangePassword by the user itself (allowed by AllowUsersToChangePassword, no policy needed).
expect_error("InvalidInput", pat_iam.change_password, OldPassword="wrong-Passw0rd!", NewPassword="Another-Passw0rd-1")
expect_error("PasswordPolicyViolation", pat_iam.change_password, OldPassword="Good-Passw0rd", NewPassword="weak")
pat_iam.change_password(OldPassword="Good-Passw0rd", NewPassword="Another-Passw0rd-1")
pat_iam.change_password(OldPassword="Another-Passw0rd-1", NewPassword="Third-Passw0rd-22")
msg = expect_error("PasswordPolicyViolation", pat_iam.change_password, OldPassword="Third-Passw0rd-22",
                   NewPassword="Another-Passw0rd-1")
assert msg == "Password was used previously", msg
iam.update_account_password_policy(MinimumPasswordLength=8)  # AllowUsersToChangePassword now false
expect_error("AccessDenied", pat_iam.change_password, OldPassword="Third-Passw0rd-22", NewPassword="Fourth-Passw0rd-333")
iam.attach_user_policy(UserName="pat", PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword")  # ${aws:username}
pat_iam.change_password(OldPassword="Third-Passw0rd-22", NewPassword="Fourth-Passw0rd-333")
iam.detach_user_policy(UserName="pat", PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword")
aws_policies = {p["PolicyName"] for p in iam.get_paginator("list_policies").paginate(Scope="AWS").build_full_result()["Policies"]}
assert {"AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "IAMReadOnlyAccess", "IAMUserChangePassword", "ReadOnlyAccess",
        "AWSOrganizationsFullAccess", "AWSOrganizationsReadOnlyAccess"} <= aws_policies, aws_policies

# Credential report: AWS's header, root first with not_supported, real CSV parsing.
expect_error("ReportNotPresent", iam.get_credential_report)
first = iam.generate_credential_report()
assert first["State"] == "STARTED", first
assert iam.generate_credential_report()["State"] == "COMPLETE"
report = iam.get_credential_report()
assert report["ReportFormat"] == "text/csv"
text = report["Content"].decode()
AWS_HEADER = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
              "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
              "access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
              "access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
              "cert_1_last_rotated,cert_2_active,cert_2_last_rotated")
assert text.splitlines()[0] == AWS_HEADER, text.splitlines()[0]
rows = list(csv.DictReader(io.StringIO(text)))  # the same parsing Prowler and most scripts use
root = rows[0]
assert root["user"] == "<root_account>" and root["arn"] == f"arn:aws:iam::{account}:root", root
assert root["password_enabled"] == "not_supported" and root["password_last_changed"] == "not_supported"
assert root["password_next_rotation"] == "not_supported" and root["mfa_active"] == "false"
pat = next(r for r in rows if r["user"] == "pat")
assert pat["password_enabled"] == "true" and pat["password_last_used"] == "no_information", pat
assert pat["access_key_1_active"] == "true" and pat["access_key_1_last_used_service"] == "iam", pat
assert pat["access_key_2_active"] == "false" and pat["access_key_2_last_rotated"] == "N/A"
admin = next(r for r in rows if r["user"] == "admin")
assert admin["password_enabled"] == "false" and admin["password_last_changed"] == "N/A"
assert admin["access_key_1_last_used_region"] == "us-east-1"

expect_error("DeleteConflict", iam.delete_user, UserName="pat")
iam.delete_login_profile(UserName="pat")
expect_error("NoSuchEntity", iam.delete_login_profile, UserName="pat")
iam.delete_account_password_policy()
expect_error("NoSuchEntity", iam.delete_account_password_policy)
print("ok")
