"""The root user's MFA: enabled with root credentials (UserName = the account id), reflected in
GetAccountSummary and the credential report, and out of reach of administrators."""
import os
import time

from botocore.exceptions import ClientError
from rampart_test import clients, totp

endpoint = os.environ["RAMPART_ENDPOINT"]
account = os.environ["RAMPART_ACCOUNT"]


root_iam, _ = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
assert root_iam.get_account_summary()["SummaryMap"]["AccountMFAEnabled"] == 0
device = root_iam.create_virtual_mfa_device(VirtualMFADeviceName="root-account-mfa-device")["VirtualMFADevice"]
seed, serial = device["Base32StringSeed"].decode(), device["SerialNumber"]
c = int(time.time()) // 30
root_iam.enable_mfa_device(UserName=account, SerialNumber=serial, AuthenticationCode1=totp(seed, c - 1),
                           AuthenticationCode2=totp(seed, c))
assert root_iam.get_account_summary()["SummaryMap"]["AccountMFAEnabled"] == 1
assert root_iam.list_mfa_devices()["MFADevices"][0]["SerialNumber"] == serial

root_iam.create_user(UserName="boss")
root_iam.attach_user_policy(UserName="boss", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
k = root_iam.create_access_key(UserName="boss")["AccessKey"]
boss_iam, _ = clients(k["AccessKeyId"], k["SecretAccessKey"])
try:
    boss_iam.deactivate_mfa_device(SerialNumber=serial)
    raise AssertionError("an administrator must not deactivate root's MFA")
except ClientError as err:
    assert err.response["Error"]["Code"] == "AccessDenied", err.response
try:
    boss_iam.delete_virtual_mfa_device(SerialNumber=serial)
    raise AssertionError("an administrator must not delete root's MFA")
except ClientError as err:
    assert err.response["Error"]["Code"] == "AccessDenied", err.response
root_iam.generate_credential_report()
rows = root_iam.get_credential_report()["Content"].decode().splitlines()
assert rows[1].split(",")[7] == "true", rows[1]  # root's mfa_active
root_iam.deactivate_mfa_device(SerialNumber=serial)
assert root_iam.get_account_summary()["SummaryMap"]["AccountMFAEnabled"] == 0
print("ok")
