"""The rest of Organizations through boto3, across five accounts: a consolidated-billing
organization moving to all features through the ENABLE_ALL_FEATURES handshake of every invited
member, the delegation resource policy taking effect for a member's IAM user, delegated
services, effective-policy validation, GovCloud accounts refused, and a billing responsibility
transfer with another organization."""
import datetime
import json
import os

from rampart_test import clients, expect_error


def org_clients(key, secret):
    return clients(key, secret, None, services=("iam", "sts", "organizations"))


def org_error(code, fn, *args, reason=None, **kwargs):
    return expect_error(code, fn, *args, status=400, reason=reason, **kwargs)


def env_clients(prefix):
    return org_clients(os.environ[f"{prefix}_KEY_ID"], os.environ[f"{prefix}_SECRET"])


_, _, org = org_clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
a_iam, _, a_org = env_clients("A")
_, _, b_org = env_clients("B")
_, _, other_org = env_clients("OTHER")
mgmt, a, b, other = (os.environ[k] for k in ("MGMT_ACCOUNT", "A_ACCOUNT", "B_ACCOUNT", "OTHER_ACCOUNT"))

# ---- A consolidated-billing organization with two invited members ----
o = org.create_organization(FeatureSet="CONSOLIDATED_BILLING")["Organization"]
assert o["FeatureSet"] == "CONSOLIDATED_BILLING", o
root = org.list_roots()["Roots"][0]["Id"]
for member, member_org in ((a, a_org), (b, b_org)):
    h = org.invite_account_to_organization(Target={"Id": member, "Type": "ACCOUNT"})["Handshake"]
    member_org.accept_handshake(HandshakeId=h["Id"])
org_error("PolicyTypeNotAvailableForOrganizationException", org.enable_policy_type,
          RootId=root, PolicyType="SERVICE_CONTROL_POLICY")

# ---- EnableAllFeatures: every invited member must agree, then the management account ----
org_error("AccessDeniedException", a_org.enable_all_features)
request = org.enable_all_features()["Handshake"]
assert request["Action"] == "ENABLE_ALL_FEATURES" and request["State"] == "REQUESTED", request
assert request["Arn"] == f"arn:aws:organizations::{mgmt}:handshake/{o['Id']}/enable_all_features/{request['Id']}"
org_error("HandshakeConstraintViolationException", org.enable_all_features,
          reason="ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION")
org_error("HandshakeConstraintViolationException", org.invite_account_to_organization,
          Target={"Id": other, "Type": "ACCOUNT"}, reason="INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES")
org_error("InvalidHandshakeTransitionException", org.accept_handshake, HandshakeId=request["Id"])


def handshakes(client, action):
    return client.list_handshakes_for_account(Filter={"ActionType": action})["Handshakes"]


for n, member_org in enumerate((a_org, b_org)):
    [mine] = handshakes(member_org, "ENABLE_ALL_FEATURES")
    assert mine["State"] == "REQUESTED", mine
    assert {"Type": "PARENT_HANDSHAKE", "Value": request["Id"]} in mine["Resources"], mine
    assert len(handshakes(org, "APPROVE_ALL_FEATURES")) == 0
    assert org.describe_organization()["Organization"]["FeatureSet"] == "CONSOLIDATED_BILLING"
    org_error("AccessDeniedException", org.accept_handshake, HandshakeId=mine["Id"])
    member_org.accept_handshake(HandshakeId=mine["Id"])
[approve] = handshakes(org, "APPROVE_ALL_FEATURES")
assert org.describe_handshake(HandshakeId=request["Id"])["Handshake"]["State"] == "OPEN"
org_error("HandshakeNotFoundException", a_org.accept_handshake, HandshakeId=approve["Id"])
assert org.accept_handshake(HandshakeId=approve["Id"])["Handshake"]["State"] == "ACCEPTED"
assert org.describe_organization()["Organization"]["FeatureSet"] == "ALL"
assert org.describe_handshake(HandshakeId=request["Id"])["Handshake"]["State"] == "ACCEPTED"
org_error("HandshakeConstraintViolationException", org.enable_all_features,
          reason="ORGANIZATION_ALREADY_HAS_ALL_FEATURES")
org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")

# ---- The delegation policy: a member's IAM user administers policies ----
a_iam.create_user(UserName="policy-admin")
a_iam.put_user_policy(UserName="policy-admin", PolicyName="orgs", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "organizations:*", "Resource": "*"}]}))
key = a_iam.create_access_key(UserName="policy-admin")["AccessKey"]
_, _, admin_org = org_clients(key["AccessKeyId"], key["SecretAccessKey"])
a_iam.create_user(UserName="nobody")
key = a_iam.create_access_key(UserName="nobody")["AccessKey"]
_, _, nobody_org = org_clients(key["AccessKeyId"], key["SecretAccessKey"])
scp = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]}
org_error("AccessDeniedException", admin_org.list_accounts)
org_error("ResourcePolicyNotFoundException", org.describe_resource_policy)
delegation = {"Version": "2012-10-17", "Statement": [{
    "Sid": "DelegatePolicyManagement", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{a}:root"},
    "Action": ["organizations:Describe*", "organizations:List*", "organizations:CreatePolicy",
               "organizations:AttachPolicy"],
    "Resource": "*"}]}
org_error("AccessDeniedException", a_org.put_resource_policy, Content=json.dumps(delegation))
org_error("InvalidInputException", org.put_resource_policy, Content="{", reason="INVALID_RESOURCE_POLICY_JSON")
bad = dict(delegation, Statement=[dict(delegation["Statement"][0], Action="organizations:CreateAccount")])
org_error("InvalidInputException", org.put_resource_policy, Content=json.dumps(bad),
          reason="UNSUPPORTED_ACTION_IN_RESOURCE_POLICY")
rp = org.put_resource_policy(Content=json.dumps(delegation))["ResourcePolicy"]
assert rp["ResourcePolicySummary"]["Id"].startswith("rp-"), rp
assert rp["ResourcePolicySummary"]["Arn"] == (
    f"arn:aws:organizations::{mgmt}:resourcepolicy/{o['Id']}/{rp['ResourcePolicySummary']['Id']}"), rp
assert json.loads(org.describe_resource_policy()["ResourcePolicy"]["Content"]) == delegation
# The allowed principal reads the organization and manages policies ...
assert {x["Id"] for x in admin_org.list_accounts()["Accounts"]} == {mgmt, a, b}
assert admin_org.describe_resource_policy()["ResourcePolicy"]["ResourcePolicySummary"] == rp["ResourcePolicySummary"]
made = admin_org.create_policy(Content=json.dumps(scp), Description="by delegation", Name="NoBucketDeletes",
                               Type="SERVICE_CONTROL_POLICY")["Policy"]["PolicySummary"]
admin_org.attach_policy(PolicyId=made["Id"], TargetId=b)
assert made["Id"] in [p["Id"] for p in org.list_policies_for_target(TargetId=b, Filter="SERVICE_CONTROL_POLICY")["Policies"]]
# ... but only what the policy names, never what only the management account may do ...
org_error("AccessDeniedException", admin_org.detach_policy, PolicyId=made["Id"], TargetId=b)
org_error("AccessDeniedException", admin_org.create_account, Email="x@example.com", AccountName="X")
# ... and its own account must allow it too; other members get nothing.
org_error("AccessDeniedException", nobody_org.list_accounts)
org_error("AccessDeniedException", b_org.list_accounts)
org.delete_resource_policy()
org_error("AccessDeniedException", admin_org.list_accounts)
org_error("ResourcePolicyNotFoundException", org.delete_resource_policy)

# ---- Delegated services of an account ----
org_error("InvalidInputException", org.enable_aws_service_access, ServicePrincipal="moto.amazonaws.com",
          reason="UNRECOGNIZED_SERVICE_PRINCIPAL")
org.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")
org.register_delegated_administrator(AccountId=b, ServicePrincipal="sso.amazonaws.com")
services = org.list_delegated_services_for_account(AccountId=b)["DelegatedServices"]
assert [s["ServicePrincipal"] for s in services] == ["sso.amazonaws.com"], services
org_error("AccountNotRegisteredException", org.list_delegated_services_for_account, AccountId=a)
org_error("AccountNotFoundException", org.list_delegated_services_for_account, AccountId="000000000000")
assert b_org.list_delegated_services_for_account(AccountId=b)["DelegatedServices"] == services
org_error("AccessDeniedException", a_org.list_delegated_services_for_account, AccountId=b)

# ---- Effective tag policies a parent locked ----
org_error("EffectivePolicyNotFoundException", org.list_accounts_with_invalid_effective_policy, PolicyType="TAG_POLICY")
org.enable_policy_type(RootId=root, PolicyType="TAG_POLICY")
locked = org.create_policy(Name="locked", Description="", Type="TAG_POLICY", Content=json.dumps({"tags": {"team": {
    "tag_key": {"@@assign": "Team"}, "@@operators_allowed_for_child_policies": ["@@none"]}}}))["Policy"]["PolicySummary"]["Id"]
child = org.create_policy(Name="child", Description="", Type="TAG_POLICY", Content=json.dumps({"tags": {"team": {
    "tag_key": {"@@assign": "team"}}}}))["Policy"]["PolicySummary"]["Id"]
org.attach_policy(PolicyId=locked, TargetId=root)
assert org.list_accounts_with_invalid_effective_policy(PolicyType="TAG_POLICY")["Accounts"] == []
org.attach_policy(PolicyId=child, TargetId=a)
invalid = org.list_accounts_with_invalid_effective_policy(PolicyType="TAG_POLICY")
assert [x["Id"] for x in invalid["Accounts"]] == [a] and invalid["PolicyType"] == "TAG_POLICY", invalid
errors = org.list_effective_policy_validation_errors(AccountId=a, PolicyType="TAG_POLICY")
assert errors["AccountId"] == a and errors["Path"] == f"{o['Id']}/{root}/{a}/", errors
[e] = errors["EffectivePolicyValidationErrors"]
assert e["PathToError"] == "tags/team/tag_key" and e["ContributingPolicies"] == [locked, child], e
assert org.list_effective_policy_validation_errors(AccountId=b, PolicyType="TAG_POLICY")["EffectivePolicyValidationErrors"] == []

# ---- GovCloud accounts need a GovCloud-enabled management account ----
msg = org_error("ConstraintViolationException", org.create_gov_cloud_account, Email="gov@example.com",
                AccountName="Gov", reason="MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED")
assert "GovCloud" in msg, msg

# ---- A billing transfer: this organization will pay for the other one ----
other_o = other_org.create_organization()["Organization"]
today = datetime.datetime.now(datetime.timezone.utc)
month = datetime.datetime(today.year + today.month // 12, today.month % 12 + 1, 1, tzinfo=datetime.timezone.utc)
following = datetime.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=datetime.timezone.utc)
target = {"Id": other, "Type": "ACCOUNT"}
org_error("InvalidInputException", org.invite_organization_to_transfer_responsibility, Type="BILLING",
          Target=target, StartTimestamp=month + datetime.timedelta(hours=1), SourceName="Payer",
          reason="START_DATE_NOT_BEGINNING_OF_MONTH")
org_error("InvalidInputException", org.invite_organization_to_transfer_responsibility, Type="BILLING",
          Target={"Id": b, "Type": "ACCOUNT"}, StartTimestamp=month, SourceName="Payer", reason="INVALID_PARTY_TYPE_TARGET")
h = org.invite_organization_to_transfer_responsibility(Type="BILLING", Target=target, StartTimestamp=month,
                                                       SourceName="Payer", Notes="we pay")["Handshake"]
assert h["Action"] == "TRANSFER_RESPONSIBILITY" and h["State"] == "REQUESTED", h
[inbound] = org.list_inbound_responsibility_transfers(Type="BILLING")["ResponsibilityTransfers"]
assert inbound["Status"] == "REQUESTED" and inbound["ActiveHandshakeId"] == h["Id"], inbound
assert inbound["Target"]["ManagementAccountId"] == mgmt and inbound["Source"]["ManagementAccountId"] == other, inbound
assert inbound["Arn"] == f"arn:aws:organizations::{mgmt}:transfer/{o['Id']}/billing/inbound/{inbound['Id']}", inbound
assert org.list_outbound_responsibility_transfers(Type="BILLING")["ResponsibilityTransfers"] == []
org_error("AccessDeniedException", org.accept_handshake, HandshakeId=h["Id"])
[offer] = other_org.list_handshakes_for_account()["Handshakes"]
assert offer["Id"] == h["Id"] and any(r["Type"] == "RESPONSIBILITY_TRANSFER" for r in offer["Resources"]), offer
other_org.accept_handshake(HandshakeId=h["Id"])
[outbound] = other_org.list_outbound_responsibility_transfers(Type="BILLING")["ResponsibilityTransfers"]
assert outbound["Id"] == inbound["Id"] and outbound["Status"] == "ACCEPTED", outbound
assert outbound["Arn"] == f"arn:aws:organizations::{other}:transfer/{other_o['Id']}/billing/outbound/{outbound['Id']}"
org_error("ConstraintViolationException", other_org.delete_organization, reason="ACTIVE_RESPONSIBILITY_TRANSFER_PROCESS")
renamed = org.update_responsibility_transfer(Id=inbound["Id"], Name="Payer 2")["ResponsibilityTransfer"]
assert renamed["Name"] == "Payer 2", renamed
org_error("AccessDeniedException", a_org.describe_responsibility_transfer, Id=inbound["Id"])
org_error("ResponsibilityTransferNotFoundException", org.describe_responsibility_transfer, Id="rt-0000000000000000")
org_error("InvalidInputException", other_org.terminate_responsibility_transfer, Id=inbound["Id"],
          EndTimestamp=following, reason="END_DATE_NOT_END_OF_MONTH")
end = following - datetime.timedelta(seconds=1)
done = other_org.terminate_responsibility_transfer(Id=inbound["Id"], EndTimestamp=end)["ResponsibilityTransfer"]
assert done["Status"] == "WITHDRAWN" and done["EndTimestamp"] == end, done
org_error("ResponsibilityTransferAlreadyInStatusException", org.terminate_responsibility_transfer, Id=inbound["Id"])
assert org.describe_responsibility_transfer(Id=inbound["Id"])["ResponsibilityTransfer"]["Status"] == "WITHDRAWN"
other_org.delete_organization()
print("org features ok")
