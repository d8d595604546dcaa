"""Virtual MFA end to end with boto3: codes are computed here from the seed (RFC 6238)."""
import base64
import json
import os

from rampart_test import clients, expect_error, now_counter, totp

endpoint = os.environ["RAMPART_ENDPOINT"]


iam, sts = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
account = sts.get_caller_identity()["Account"]
iam.create_user(UserName="mia")
key = iam.create_access_key(UserName="mia")["AccessKey"]
mia_iam, mia_sts = clients(key["AccessKeyId"], key["SecretAccessKey"])

device = iam.create_virtual_mfa_device(VirtualMFADeviceName="mia-phone")["VirtualMFADevice"]
serial = device["SerialNumber"]
assert serial == f"arn:aws:iam::{account}:mfa/mia-phone", serial
seed = device["Base32StringSeed"].decode()
assert len(seed) == 64 and base64.b32decode(seed), seed
assert device["QRCodePNG"].startswith(b"\x89PNG\r\n\x1a\n")
expect_error("EntityAlreadyExists", iam.create_virtual_mfa_device, VirtualMFADeviceName="mia-phone")
listed = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
assert [d["SerialNumber"] for d in listed] == [serial] and "Base32StringSeed" not in listed[0]

# Enable needs two consecutive codes: a wrong or non-consecutive pair is refused.
c = now_counter()
expect_error("InvalidAuthenticationCode", iam.enable_mfa_device, UserName="mia", SerialNumber=serial,
             AuthenticationCode1="000000", AuthenticationCode2="111111")
expect_error("InvalidAuthenticationCode", iam.enable_mfa_device, UserName="mia", SerialNumber=serial,
             AuthenticationCode1=totp(seed, c - 1), AuthenticationCode2=totp(seed, c + 1))
iam.enable_mfa_device(UserName="mia", SerialNumber=serial, AuthenticationCode1=totp(seed, c - 1),
                      AuthenticationCode2=totp(seed, c))
assert [d["SerialNumber"] for d in iam.list_mfa_devices(UserName="mia")["MFADevices"]] == [serial]
assert iam.get_mfa_device(SerialNumber=serial)["UserName"] == "mia"
assert iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"][0]["User"]["UserName"] == "mia"
expect_error("DeleteConflict", iam.delete_virtual_mfa_device, SerialNumber=serial)
iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "owner", "Value": "mia"}])
assert iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [{"Key": "owner", "Value": "mia"}]
iam.untag_mfa_device(SerialNumber=serial, TagKeys=["owner"])
assert iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == []

# The classic "deny everything unless MFA" policy.
require_mfa = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"},
    {"Sid": "DenyWithoutMFA", "Effect": "Deny", "NotAction": ["sts:GetSessionToken"], "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
iam.put_user_policy(UserName="mia", PolicyName="require-mfa", PolicyDocument=json.dumps(require_mfa))
msg = expect_error("AccessDenied", mia_iam.list_users)
assert msg.endswith("with an explicit deny in an identity-based policy"), msg
# A code from the current window was already used by Enable: the next one works, once.
code = totp(seed, c + 1)
creds = mia_sts.get_session_token(SerialNumber=serial, TokenCode=code, DurationSeconds=900)["Credentials"]
expect_error("AccessDenied", mia_sts.get_session_token, SerialNumber=serial, TokenCode=code)  # replay refused
expect_error("AccessDenied", mia_sts.get_session_token, SerialNumber=serial, TokenCode="123456")
session_iam, _ = clients(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
assert any(u["UserName"] == "mia" for u in session_iam.list_users()["Users"])

# A trust policy that requires MFA refuses a plain session and accepts one made with a code.
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
         "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}
role = iam.create_role(RoleName="Sensitive", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
iam.put_user_policy(UserName="mia", PolicyName="assume", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role["Arn"]}]}))
iam.delete_user_policy(UserName="mia", PolicyName="require-mfa")
expect_error("AccessDenied", mia_sts.assume_role, RoleArn=role["Arn"], RoleSessionName="plain")
# Codes are single-use per device, so this part uses a second device of the same user.
device2 = iam.create_virtual_mfa_device(VirtualMFADeviceName="mia-tablet")["VirtualMFADevice"]
seed2, serial2 = device2["Base32StringSeed"].decode(), device2["SerialNumber"]
c2 = now_counter()
iam.enable_mfa_device(UserName="mia", SerialNumber=serial2, AuthenticationCode1=totp(seed2, c2 - 1),
                      AuthenticationCode2=totp(seed2, c2))
assert len(iam.list_mfa_devices(UserName="mia")["MFADevices"]) == 2
out = mia_sts.assume_role(RoleArn=role["Arn"], RoleSessionName="with-mfa", SerialNumber=serial2,
                          TokenCode=totp(seed2, c2 + 1))
assert out["AssumedRoleUser"]["Arn"].endswith("assumed-role/Sensitive/with-mfa")
# The MFA session can assume it again (role chaining keeps MFA context).
_, mfa_sts = clients(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
mfa_sts.assume_role(RoleArn=role["Arn"], RoleSessionName="from-mfa-session")

# Resync after drift: two consecutive codes five minutes ahead.
ahead = now_counter() + 10
iam.resync_mfa_device(UserName="mia", SerialNumber=serial, AuthenticationCode1=totp(seed, ahead),
                      AuthenticationCode2=totp(seed, ahead + 1))
creds2 = mia_sts.get_session_token(SerialNumber=serial, TokenCode=totp(seed, ahead + 2))["Credentials"]
assert creds2["AccessKeyId"].startswith("ASIA")

# A user whose only dependent is an MFA device cannot be deleted either.
iam.create_user(UserName="mfa-only")
only = iam.create_virtual_mfa_device(VirtualMFADeviceName="mfa-only-phone")["VirtualMFADevice"]
c3 = now_counter()
iam.enable_mfa_device(UserName="mfa-only", SerialNumber=only["SerialNumber"],
                      AuthenticationCode1=totp(only["Base32StringSeed"].decode(), c3 - 1),
                      AuthenticationCode2=totp(only["Base32StringSeed"].decode(), c3))
msg = expect_error("DeleteConflict", iam.delete_user, UserName="mfa-only")
assert "MFA" in msg, msg
iam.generate_credential_report()
report = iam.get_credential_report()["Content"].decode().splitlines()
assert next(r for r in report if r.startswith("mfa-only,")).split(",")[7] == "true"
iam.deactivate_mfa_device(UserName="mfa-only", SerialNumber=only["SerialNumber"])
iam.delete_user(UserName="mfa-only")

# Deactivate, delete; the credential report shows MFA state.
iam.deactivate_mfa_device(UserName="mia", SerialNumber=serial)
iam.deactivate_mfa_device(UserName="mia", SerialNumber=serial2)
assert iam.list_mfa_devices(UserName="mia")["MFADevices"] == []
iam.delete_virtual_mfa_device(SerialNumber=serial)
expect_error("NoSuchEntity", iam.get_mfa_device, SerialNumber=serial)
print("ok")
