"""IAM temporary delegation between a partner and a customer account, through boto3: the
request's life cycle, the refusals out of turn, the notice carrying the exchange token,
and a delegated session scoped by the request's permission policy."""
import json
import os
import pathlib
import time

from rampart_test import clients, expect_error

PARTNER = os.environ["PARTNER_ACCOUNT"]
CUSTOMER = os.environ["CUSTOMER_ACCOUNT"]
OUTBOX = pathlib.Path(os.environ["RAMPART_DATA_DIR"]) / "outbox" / "sns"
TOPIC = f"arn:aws:sns:us-east-1:{PARTNER}:delegation-updates"

p_iam, p_sts = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
c_iam, _ = clients(os.environ["CUSTOMER_KEY_ID"], os.environ["CUSTOMER_SECRET"])
o_iam, o_sts = clients(os.environ["OUTSIDER_KEY_ID"], os.environ["OUTSIDER_SECRET"])

# The partner registers its template: a managed policy with placeholders.
template = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["iam:ListUsers", "iam:GetUser"], "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:CreateUser", "Resource": "arn:aws:iam::{{Account}}:user/{{Prefix}}*"},
    ],
}
arn = p_iam.create_policy(PolicyName="onboarding", PolicyDocument=json.dumps(template))["Policy"]["Arn"]
permissions = {"PolicyTemplateArn": arn, "Parameters": [
    {"Name": "Account", "Values": [CUSTOMER], "Type": "string"},
    {"Name": "Prefix", "Values": ["partner-"], "Type": "string"},
]}
common = dict(Description="Set up the product", Permissions=permissions, NotificationChannel=TOPIC,
              SessionDuration=3600)
created = p_iam.create_delegation_request(OwnerAccountId=CUSTOMER, RequestorWorkflowId="wf-0001",
                                          RequestMessage="first try", OnlySendByOwner=True, **common)
rid = created["DelegationRequestId"]
assert created["ConsoleDeepLink"].endswith(rid), created
expect_error("EntityAlreadyExists", p_iam.create_delegation_request, RequestorWorkflowId="wf-0001", **common,
             status=409)
expect_error("InvalidInput", p_iam.create_delegation_request, RequestorWorkflowId="wf-0002",
             Permissions={"PolicyTemplateArn": arn}, Description="d", NotificationChannel=TOPIC,
             SessionDuration=3600)

got = p_iam.get_delegation_request(DelegationRequestId=rid)["DelegationRequest"]
assert got["State"] == "UNASSIGNED" and got["RequestorId"] == PARTNER and got["OwnerAccountId"] == CUSTOMER, got
assert json.loads(got["PermissionPolicy"])["Statement"][1]["Resource"] == f"arn:aws:iam::{CUSTOMER}:user/partner-*"
# A third account cannot see a request meant for the customer.
expect_error("NoSuchEntity", o_iam.get_delegation_request, DelegationRequestId=rid, status=404)
expect_error("NoSuchEntity", o_iam.associate_delegation_request, DelegationRequestId=rid)

# The customer: alice may associate and forward; bob is an administrator.
c_iam.create_user(UserName="alice")
c_iam.put_user_policy(UserName="alice", PolicyName="delegation", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
        "iam:AssociateDelegationRequest", "iam:ListDelegationRequests"]}]}))
alice_key = c_iam.create_access_key(UserName="alice")["AccessKey"]
c_iam.create_user(UserName="bob")
c_iam.attach_user_policy(UserName="bob", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
bob_key = c_iam.create_access_key(UserName="bob")["AccessKey"]
alice, _ = clients(alice_key["AccessKeyId"], alice_key["SecretAccessKey"])
bob, _ = clients(bob_key["AccessKeyId"], bob_key["SecretAccessKey"])
alice_arn = f"arn:aws:iam::{CUSTOMER}:user/alice"
bob_arn = f"arn:aws:iam::{CUSTOMER}:user/bob"

expect_error("InvalidInput", bob.accept_delegation_request, DelegationRequestId=rid)  # not assigned yet
alice.associate_delegation_request(DelegationRequestId=rid)
expect_error("InvalidInput", bob.associate_delegation_request, DelegationRequestId=rid)
got = alice.get_delegation_request(DelegationRequestId=rid)["DelegationRequest"]  # the owner's default right
assert got["State"] == "ASSIGNED" and got["OwnerId"] == alice_arn, got
expect_error("AccessDenied", alice.accept_delegation_request, DelegationRequestId=rid, status=403)
alice.update_delegation_request(DelegationRequestId=rid, Notes="please approve")
got = bob.get_delegation_request(DelegationRequestId=rid)["DelegationRequest"]
assert got["State"] == "PENDING_APPROVAL" and got["Notes"] == "please approve", got
# The partner cannot act for the customer.
expect_error("NoSuchEntity", p_iam.accept_delegation_request, DelegationRequestId=rid)

bob.accept_delegation_request(DelegationRequestId=rid)
got = bob.get_delegation_request(DelegationRequestId=rid)["DelegationRequest"]
assert got["State"] == "ACCEPTED" and got["ApproverId"] == bob_arn, got
# Only the owner may release the token of this request.
expect_error("InvalidInput", bob.send_delegation_token, DelegationRequestId=rid)
alice.send_delegation_token(DelegationRequestId=rid)
assert alice.get_delegation_request(DelegationRequestId=rid)["DelegationRequest"]["State"] == "FINALIZED"
expect_error("InvalidInput", bob.reject_delegation_request, DelegationRequestId=rid)
expect_error("InvalidInput", alice.send_delegation_token, DelegationRequestId=rid)

# The partner's topic gets the token (a notice file: Rampart has no SNS).
notice = OUTBOX / f"{rid}-FINALIZED.json"
deadline = time.time() + 20
while not notice.exists():
    assert time.time() < deadline, f"no notice {notice}"
    time.sleep(0.1)
body = json.loads(notice.read_text())
assert body["TopicArn"] == TOPIC and body["Type"] == "Notification", body
token = json.loads(body["Message"])["exchangeToken"]

expect_error("ExpiredTradeInTokenException", o_sts.get_delegated_access_token, TradeInToken=token)
expect_error("ExpiredTradeInTokenException", p_sts.get_delegated_access_token, TradeInToken="Rd1forged")
out = p_sts.get_delegated_access_token(TradeInToken=token)
assert out["AssumedPrincipal"] == bob_arn, out
creds = out["Credentials"]
assert creds["AccessKeyId"].startswith("ASIA")
d_iam, d_sts = clients(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
me = d_sts.get_caller_identity()
assert me["Account"] == CUSTOMER and me["Arn"] == bob_arn, me
d_iam.list_users()
d_iam.create_user(UserName="partner-worker")
# Bob may do anything; the delegated session only what the request's policy allows.
expect_error("AccessDenied", d_iam.create_user, UserName="intruder", status=403)
expect_error("AccessDenied", d_iam.delete_user, UserName="alice")

# A second request, rejected with a reason; then it cannot be accepted.
rid2 = p_iam.create_delegation_request(RequestorWorkflowId="wf-0004", **common)["DelegationRequestId"]
assert o_iam.get_delegation_request(DelegationRequestId=rid2)["DelegationRequest"]["State"] == "UNASSIGNED"
alice.associate_delegation_request(DelegationRequestId=rid2)
expect_error("NoSuchEntity", o_iam.get_delegation_request, DelegationRequestId=rid2)
bob.reject_delegation_request(DelegationRequestId=rid2, Notes="not now")
got = bob.get_delegation_request(DelegationRequestId=rid2)["DelegationRequest"]
assert got["State"] == "REJECTED" and got["RejectionReason"] == "not now", got
expect_error("InvalidInput", bob.accept_delegation_request, DelegationRequestId=rid2)

listed = [r["DelegationRequestId"] for r in alice.list_delegation_requests()["DelegationRequests"]]
assert sorted(listed) == sorted([rid, rid2]), listed
assert [r["DelegationRequestId"] for r in bob.list_delegation_requests(OwnerId=bob_arn)["DelegationRequests"]] == []
page = p_iam.list_delegation_requests(MaxItems=1)
assert page["isTruncated"] and len(page["DelegationRequests"]) == 1, page
print("ok")
