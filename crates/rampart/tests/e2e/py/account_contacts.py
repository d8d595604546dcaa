"""The Account API (restJson1) through boto3: alternate contacts, contact information, names."""
import json
import os

from rampart_test import clients, expect_error


def account_clients(key, secret, token=None):
    return clients(key, secret, token, services=("account", "iam", "sts"))

endpoint = os.environ["RAMPART_ENDPOINT"]


account, iam, sts = account_clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
me = sts.get_caller_identity()["Account"]
for kind, name in [("BILLING", "Bill Ing"), ("OPERATIONS", "Op Erations"), ("SECURITY", "Sec Team")]:
    expect_error("ResourceNotFoundException", status=404, fn=account.get_alternate_contact, AlternateContactType=kind)
    account.put_alternate_contact(AlternateContactType=kind, Name=name, Title="Lead", EmailAddress=f"{kind.lower()}@example.com",
                                  PhoneNumber="+1-555-0100")
    got = account.get_alternate_contact(AlternateContactType=kind)["AlternateContact"]
    assert got == {"Name": name, "Title": "Lead", "EmailAddress": f"{kind.lower()}@example.com",
                   "PhoneNumber": "+1-555-0100", "AlternateContactType": kind}, got
account.delete_alternate_contact(AlternateContactType="BILLING")
expect_error("ResourceNotFoundException", status=404, fn=account.get_alternate_contact, AlternateContactType="BILLING")
expect_error("ResourceNotFoundException", status=404, fn=account.delete_alternate_contact, AlternateContactType="BILLING")
msg = expect_error("ValidationException", status=400, fn=account.put_alternate_contact, AlternateContactType="SECURITY", Name="x",
                   Title="t", EmailAddress="not-an-email", PhoneNumber="+1")
assert msg, msg
expect_error("AccessDeniedException", status=403, fn=account.get_alternate_contact, AlternateContactType="SECURITY", AccountId=me)
# An unknown type is a denial that names the reason, as AWS answers it (not a validation error).
caller = sts.get_caller_identity()["Arn"]
msg = expect_error("AccessDeniedException", status=403, fn=account.get_alternate_contact, AlternateContactType="UNKNOWN")
assert msg == (f"User: {caller} is not authorized to perform: account:GetAlternateContact "
               "(You specified an invalid Alternate Contact type.)"), msg

info = {"FullName": "Jane Doe", "AddressLine1": "1 Main St", "City": "Springfield", "PostalCode": "12345",
        "CountryCode": "US", "PhoneNumber": "+15550100", "CompanyName": "Acme"}
account.put_contact_information(ContactInformation=info)
assert account.get_contact_information()["ContactInformation"] == info
details = account.get_account_information()
assert details["AccountId"] == me and details["AccountState"] == "ACTIVE" and "AccountCreatedDate" in details
account.put_account_name(AccountName="Production")
assert account.get_account_information()["AccountName"] == "Production"

# IAM principals need account:* permissions, and a condition on the contact type works.
iam.create_user(UserName="ops")
k = iam.create_access_key(UserName="ops")["AccessKey"]
ops_account, _, _ = account_clients(k["AccessKeyId"], k["SecretAccessKey"])
expect_error("AccessDeniedException", status=403, fn=ops_account.get_alternate_contact, AlternateContactType="SECURITY")
iam.put_user_policy(UserName="ops", PolicyName="contacts", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "account:GetAlternateContact", "Resource": "*",
     "Condition": {"StringEquals": {"account:AlternateContactTypes": "SECURITY"}}}]}))
assert ops_account.get_alternate_contact(AlternateContactType="SECURITY")["AlternateContact"]["Name"] == "Sec Team"
expect_error("AccessDeniedException", status=403, fn=ops_account.get_alternate_contact, AlternateContactType="OPERATIONS")
print("ok")
