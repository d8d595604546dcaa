"""Seeds a fresh Rampart management account for the security tools: users with and without
MFA, access keys, a password policy, groups, roles, customer managed policies, contacts, and
an organization with a member account and a service control policy.

Usage: seed.py (the endpoint and an administrator's keys come from AWS_* / the profile)."""
import base64
import hashlib
import hmac
import json
import struct
import time

import boto3

session = boto3.session.Session()
iam = session.client("iam")
org = session.client("organizations")
account = session.client("account")

TRUST_ACCOUNT = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{session.client('sts').get_caller_identity()['Account']}:root"},
     "Action": "sts:AssumeRole"}]}
ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
READ_S3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}


def totp(seed_b32, counter):
    """The 6-digit RFC 6238 code of a base32 seed at a counter."""
    digest = hmac.new(base64.b32decode(seed_b32), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True, RequireNumbers=True,
                                   RequireUppercaseCharacters=True, RequireLowercaseCharacters=True,
                                   AllowUsersToChangePassword=True, MaxPasswordAge=90, PasswordReusePrevention=24)

# A console user with a virtual MFA device, one without, and a programmatic user with two keys.
for name in ("alice", "bob", "carol"):
    iam.create_user(UserName=name, Tags=[{"Key": "team", "Value": "platform"}])
for name in ("alice", "bob"):
    iam.create_login_profile(UserName=name, Password="Corr3ct-Horse-Battery!", PasswordResetRequired=False)
device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
counter = int(time.time()) // 30
iam.enable_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"],
                      AuthenticationCode1=totp(device["Base32StringSeed"], counter - 1),
                      AuthenticationCode2=totp(device["Base32StringSeed"], counter))
for _ in range(2):
    key = iam.create_access_key(UserName="carol")["AccessKey"]
iam.update_access_key(UserName="carol", AccessKeyId=key["AccessKeyId"], Status="Inactive")
iam.put_user_policy(UserName="carol", PolicyName="inline-s3", PolicyDocument=json.dumps(READ_S3))

# Groups and customer managed policies (one grants everything).
iam.create_group(GroupName="admins")
admin_policy = iam.create_policy(PolicyName="everything", PolicyDocument=json.dumps(ADMIN))["Policy"]["Arn"]
iam.attach_group_policy(GroupName="admins", PolicyArn=admin_policy)
iam.add_user_to_group(GroupName="admins", UserName="alice")
s3_policy = iam.create_policy(PolicyName="read-s3", PolicyDocument=json.dumps(READ_S3))["Policy"]["Arn"]
iam.attach_user_policy(UserName="bob", PolicyArn=s3_policy)
iam.create_group(GroupName="empty")

# Roles: one any principal of the account may assume, one with an AWS managed policy.
iam.create_role(RoleName="deploy", AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT), MaxSessionDuration=3600)
iam.attach_role_policy(RoleName="deploy", PolicyArn=admin_policy)
iam.create_role(RoleName="auditor", AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT))
iam.attach_role_policy(RoleName="auditor", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
iam.create_instance_profile(InstanceProfileName="web")
iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="deploy")

# Contacts the Account checks look for.
account.put_alternate_contact(AlternateContactType="SECURITY", Name="Sec Team", Title="CISO",
                              EmailAddress="security@example.com", PhoneNumber="+1-555-0100")
account.put_contact_information(ContactInformation={
    "FullName": "Jane Doe", "AddressLine1": "1 Main St", "City": "Springfield", "PostalCode": "12345",
    "CountryCode": "US", "PhoneNumber": "+15550100", "CompanyName": "Example Corp"})

# An organization with a member in an OU, and an SCP attached to the OU.
org.create_organization(FeatureSet="ALL")
root_id = org.list_roots()["Roots"][0]["Id"]
ou = org.create_organizational_unit(ParentId=root_id, Name="workloads")["OrganizationalUnit"]["Id"]
status = org.create_account(Email="member@example.com", AccountName="Member")["CreateAccountStatus"]
member = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]["AccountId"]
org.move_account(AccountId=member, SourceParentId=root_id, DestinationParentId=ou)
scp = org.create_policy(Name="deny-leave", Type="SERVICE_CONTROL_POLICY", Description="members stay",
                        Content=json.dumps({"Version": "2012-10-17", "Statement": [
                            {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}))
org.attach_policy(PolicyId=scp["Policy"]["PolicySummary"]["Id"], TargetId=ou)
print(json.dumps({"member": member, "ou": ou}))
