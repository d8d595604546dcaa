"""The Account API's region opt-in, primary email update and GovCloud lookup through boto3,
as an organization's management account acting on itself and on a member. The one-time code
is read from the SMTP sink's file (RAMPART_MAIL_FILE), as a person would read the mail."""
import json
import os
import re

from rampart_test import clients, expect_error

key, secret = os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"]
account, org, iam = clients(key, secret, services=("account", "organizations", "iam"))
mail_file = os.environ["RAMPART_MAIL_FILE"]

# Regions: the seventeen default ones, the rest DISABLED until enabled.
regions = account.list_regions()["Regions"]
assert len(regions) == 34, regions
by_name = {r["RegionName"]: r["RegionOptStatus"] for r in regions}
assert by_name["us-east-1"] == "ENABLED_BY_DEFAULT" and by_name["af-south-1"] == "DISABLED", by_name
assert sum(1 for s in by_name.values() if s == "ENABLED_BY_DEFAULT") == 17
got = account.get_region_opt_status(RegionName="af-south-1")
assert got == {"RegionName": "af-south-1", "RegionOptStatus": "DISABLED", "ResponseMetadata": got["ResponseMetadata"]}, got
account.enable_region(RegionName="af-south-1")
assert account.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] in ("ENABLING", "ENABLED")
account.enable_region(RegionName="af-south-1")  # again: nothing changes
expect_error("ValidationException", status=400, fn=account.enable_region, RegionName="us-east-1")
expect_error("ValidationException", status=400, fn=account.get_region_opt_status, RegionName="mars-north-1")
expect_error("ValidationException", status=400, fn=account.list_regions, MaxResults=51)

# Paging with the SDK's paginator, filtered by status.
paginator = account.get_paginator("list_regions")
pages = list(paginator.paginate(RegionOptStatusContains=["DISABLED", "ENABLING", "ENABLED"],
                                PaginationConfig={"PageSize": 5}))
names = [r["RegionName"] for p in pages for r in p["Regions"]]
assert len(pages) == 4 and len(names) == 17 and "af-south-1" in names and "us-east-1" not in names, (len(pages), names)

# The management account acts on a member through AccountId.
org.create_organization(FeatureSet="ALL")
status = org.create_account(Email="member@example.com", AccountName="Member")["CreateAccountStatus"]
member = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]["AccountId"]
account.enable_region(RegionName="me-south-1", AccountId=member)
assert account.get_region_opt_status(RegionName="me-south-1", AccountId=member)["RegionOptStatus"] in ("ENABLING", "ENABLED")
assert account.get_region_opt_status(RegionName="me-south-1")["RegionOptStatus"] == "DISABLED"
expect_error("AccessDeniedException", status=403, fn=account.list_regions, AccountId="999999999999")

# GovCloud: no standard account here is linked to one.
expect_error("ResourceNotFoundException", status=404, fn=account.get_gov_cloud_account_information)
expect_error("ResourceNotFoundException", status=404, fn=account.get_gov_cloud_account_information, StandardAccountId=member)

# Primary email: a code mailed to the new address; wrong codes are counted.
assert account.get_primary_email(AccountId=member)["PrimaryEmail"] == "member@example.com"
out = account.start_primary_email_update(AccountId=member, PrimaryEmail="renamed@example.com")
assert out["Status"] == "PENDING", out
with open(mail_file, encoding="utf-8") as f:
    # Other mail (root-activity alerts) goes to the sink too: take the message to the new address.
    mail = [m for m in f.read().split("\n.\n") if m.startswith("RCPT renamed@example.com")]
assert len(mail) == 1, mail
code = re.search(r"Verification code: (\d{6})", mail[0]).group(1)
wrong = "000000" if code != "000000" else "111111"
expect_error("ValidationException", status=400, fn=account.accept_primary_email_update, AccountId=member,
             PrimaryEmail="renamed@example.com", Otp=wrong)
expect_error("ValidationException", status=400, fn=account.accept_primary_email_update, AccountId=member,
             PrimaryEmail="renamed@example.com", Otp="12")
expect_error("ResourceNotFoundException", status=404, fn=account.accept_primary_email_update, AccountId=member,
             PrimaryEmail="other@example.com", Otp=code)
out = account.accept_primary_email_update(AccountId=member, PrimaryEmail="renamed@example.com", Otp=code)
assert out["Status"] == "ACCEPTED", out
assert account.get_primary_email(AccountId=member)["PrimaryEmail"] == "renamed@example.com"
described = org.describe_account(AccountId=member)["Account"]
assert described["Email"] == "renamed@example.com", described
# An address another account uses is a conflict.
expect_error("ConflictException", status=409, fn=account.start_primary_email_update, AccountId=member,
             PrimaryEmail="renamed@example.com")

# IAM principals need the actions; account:TargetRegion narrows them.
iam.create_user(UserName="regions")
k = iam.create_access_key(UserName="regions")["AccessKey"]
(user_account,) = clients(k["AccessKeyId"], k["SecretAccessKey"], services=("account",))
expect_error("AccessDeniedException", status=403, fn=user_account.list_regions)
iam.put_user_policy(UserName="regions", PolicyName="one-region", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "account:EnableRegion", "Resource": "*",
     "Condition": {"StringEquals": {"account:TargetRegion": "il-central-1"}}}]}))
user_account.enable_region(RegionName="il-central-1")
expect_error("AccessDeniedException", status=403, fn=user_account.enable_region, RegionName="me-central-1")
print("ok")
