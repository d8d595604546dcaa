"""GetHumanReadableSummary through boto3: a partner's delegation request summarized for the
partner and for the customer it is meant for, in English; another console locale is
NOT_SUPPORTED; a third account cannot read it; other entities and locales are refused."""
import json
import os

from rampart_test import clients, expect_error

PARTNER = os.environ["PARTNER_ACCOUNT"]
CUSTOMER = os.environ["CUSTOMER_ACCOUNT"]
p_iam, _ = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
c_iam, _ = clients(os.environ["CUSTOMER_KEY_ID"], os.environ["CUSTOMER_SECRET"])
o_iam, _ = clients(os.environ["OUTSIDER_KEY_ID"], os.environ["OUTSIDER_SECRET"])

template = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["iam:ListUsers", "iam:GetUser"], "Resource": "*"}]}
arn = p_iam.create_policy(PolicyName="readonly-template", PolicyDocument=json.dumps(template))["Policy"]["Arn"]
rid = p_iam.create_delegation_request(
    OwnerAccountId=CUSTOMER, RequestorWorkflowId="wf-summary", Description="Audit the users",
    RequestMessage="Needed for the quarterly review", Permissions={"PolicyTemplateArn": arn},
    NotificationChannel=f"arn:aws:sns:us-east-1:{PARTNER}:updates", SessionDuration=7200,
)["DelegationRequestId"]
entity = f"arn:aws:iam::{PARTNER}:delegation-request/{rid}"

for iam in (p_iam, c_iam):
    out = iam.get_human_readable_summary(EntityArn=entity)
    assert out["SummaryState"] == "AVAILABLE" and out["Locale"] == "en", out
    text = out["SummaryContent"]
    assert f"requests temporary access to AWS account {CUSTOMER} for 2 hours" in text, text
    assert "Purpose: Audit the users" in text and "quarterly review" in text, text
    assert "List and Read access to AWS Identity and Access Management (IAM) (iam:ListUsers, iam:GetUser) on all resources." in text, text
    assert text.endswith("The request is unassigned (no customer has associated it yet)."), text

ja = p_iam.get_human_readable_summary(EntityArn=entity, Locale="ja")
assert ja["SummaryState"] == "NOT_SUPPORTED" and ja["Locale"] == "ja" and "SummaryContent" not in ja, ja
expect_error("NoSuchEntity", o_iam.get_human_readable_summary, EntityArn=entity, status=404)
expect_error("NoSuchEntity", p_iam.get_human_readable_summary,
             EntityArn=f"arn:aws:iam::{PARTNER}:delegation-request/dr-0000000000000000")
expect_error("InvalidInput", p_iam.get_human_readable_summary, EntityArn=f"arn:aws:iam::{PARTNER}:user/alice")
expect_error("InvalidInput", p_iam.get_human_readable_summary, EntityArn=entity, Locale="xx-YY")
print("ok")
