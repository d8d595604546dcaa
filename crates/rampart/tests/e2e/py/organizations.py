"""Organizations from the management account's admin: the organization, a created member and its
OrganizationAccountAccessRole, OUs, policies, and the AWS error codes of each operation family."""
import json
import os

from botocore.exceptions import ClientError
from rampart_test import clients, expect_error


def expect_org_error(code, fn, *args, **kwargs):
    """Organizations answers every client error with HTTP 400."""
    return expect_error(code, fn, *args, status=400, **kwargs)


def org_clients(key, secret, token=None):
    return clients(key, secret, token, services=("iam", "sts", "organizations"))

endpoint = os.environ["RAMPART_ENDPOINT"]


iam, sts, org = org_clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
mgmt = sts.get_caller_identity()["Account"]

# Outside any organization.
msg = expect_org_error("AWSOrganizationsNotInUseException", org.describe_organization)
assert msg == "Your account is not a member of an organization.", msg
expect_org_error("AWSOrganizationsNotInUseException", org.list_accounts)

o = org.create_organization(FeatureSet="ALL")["Organization"]
assert o["Id"].startswith("o-") and o["MasterAccountId"] == mgmt and o["FeatureSet"] == "ALL", o
assert o["Arn"] == f"arn:aws:organizations::{mgmt}:organization/{o['Id']}", o
expect_org_error("AlreadyInOrganizationException", org.create_organization)
roots = org.list_roots()["Roots"]
assert len(roots) == 1 and roots[0]["Name"] == "Root", roots
root = roots[0]["Id"]
assert roots[0]["PolicyTypes"] == [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}], roots
assert [p["Id"] for p in org.list_policies_for_target(TargetId=root, Filter="SERVICE_CONTROL_POLICY")["Policies"]] == ["p-FullAWSAccess"]

# CreateAccount answers IN_PROGRESS; the request then reports SUCCEEDED with the account id.
status = org.create_account(Email="dev@example.com", AccountName="Dev")["CreateAccountStatus"]
assert status["State"] == "IN_PROGRESS" and status["Id"].startswith("car-") and "AccountId" not in status, status
done = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
assert done["State"] == "SUCCEEDED" and len(done["AccountId"]) == 12, done
member = done["AccountId"]
again = org.create_account(Email="dev@example.com", AccountName="Dup")["CreateAccountStatus"]
failed = org.describe_create_account_status(CreateAccountRequestId=again["Id"])["CreateAccountStatus"]
assert failed["State"] == "FAILED" and failed["FailureReason"] == "EMAIL_ALREADY_EXISTS", failed
assert len(org.list_create_account_status(States=["SUCCEEDED"])["CreateAccountStatuses"]) == 1
expect_org_error("CreateAccountStatusNotFoundException", org.describe_create_account_status, CreateAccountRequestId="car-abcdefgh1234")
acct = org.describe_account(AccountId=member)["Account"]
assert acct["JoinedMethod"] == "CREATED" and acct["Status"] == "ACTIVE" and acct["State"] == "ACTIVE" and acct["Name"] == "Dev", acct
assert acct["Arn"] == f"arn:aws:organizations::{mgmt}:account/{o['Id']}/{member}", acct
assert sorted(a["Id"] for a in org.list_accounts()["Accounts"]) == sorted([mgmt, member])
expect_org_error("AccountNotFoundException", org.describe_account, AccountId="111111111111")

# A management IAM user may not assume the member's role until its group allows it.
role_arn = f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole"
iam.create_group(GroupName="Operators")
iam.create_user(UserName="operator")
iam.add_user_to_group(GroupName="Operators", UserName="operator")
k = iam.create_access_key(UserName="operator")["AccessKey"]
_, op_sts, op_org = org_clients(k["AccessKeyId"], k["SecretAccessKey"])
try:
    op_sts.assume_role(RoleArn=role_arn, RoleSessionName="ops")
    raise AssertionError("assume role should be denied")
except ClientError as err:
    assert err.response["Error"]["Code"] == "AccessDenied", err.response
    assert err.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{mgmt}:user/operator is not authorized to perform: sts:AssumeRole on resource: {role_arn}"), err.response
# An IAM user without organizations permissions is denied with AccessDeniedException.
denied = expect_org_error("AccessDeniedException", op_org.describe_organization)
assert denied.startswith(f"User: arn:aws:iam::{mgmt}:user/operator is not authorized to perform: organizations:DescribeOrganization"), denied
iam.put_group_policy(GroupName="Operators", PolicyName="assume-member", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}]}))
out = op_sts.assume_role(RoleArn=role_arn, RoleSessionName="ops")
c = out["Credentials"]
m_iam, m_sts, m_org = org_clients(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
me = m_sts.get_caller_identity()
assert me["Account"] == member and me["Arn"] == f"arn:aws:sts::{member}:assumed-role/OrganizationAccountAccessRole/ops", me
m_iam.create_user(UserName="made-in-member")
assert [u["UserName"] for u in m_iam.list_users()["Users"]] == ["made-in-member"]
role = m_iam.get_role(RoleName="OrganizationAccountAccessRole")["Role"]
assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{mgmt}:root"}, role
assert [p["PolicyArn"] for p in m_iam.list_attached_role_policies(RoleName="OrganizationAccountAccessRole")["AttachedPolicies"]] == [
    "arn:aws:iam::aws:policy/AdministratorAccess"]
# A member may describe its organization but not call management-only operations.
assert m_org.describe_organization()["Organization"]["Id"] == o["Id"]
msg = expect_org_error("AccessDeniedException", m_org.create_account, Email="x@example.com", AccountName="X")
assert msg == "You don't have permissions to access this resource.", msg
expect_org_error("AccessDeniedException", m_org.list_accounts)
expect_org_error("MasterCannotLeaveOrganizationException", org.leave_organization)

# OUs and the tree.
ou = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]
assert ou["Id"].startswith("ou-" + root[2:] + "-"), ou
expect_org_error("DuplicateOrganizationalUnitException", org.create_organizational_unit, ParentId=root, Name="Workloads")
expect_org_error("ParentNotFoundException", org.create_organizational_unit, ParentId="ou-" + root[2:] + "-zzzzzzzz", Name="x")
org.move_account(AccountId=member, SourceParentId=root, DestinationParentId=ou["Id"])
expect_org_error("DuplicateAccountException", org.move_account, AccountId=member, SourceParentId=ou["Id"], DestinationParentId=ou["Id"])
expect_org_error("SourceParentNotFoundException", org.move_account, AccountId=member, SourceParentId=root, DestinationParentId=ou["Id"])
assert org.list_parents(ChildId=member)["Parents"] == [{"Id": ou["Id"], "Type": "ORGANIZATIONAL_UNIT"}]
expect_org_error("ChildNotFoundException", org.list_parents, ChildId="111111111111")
assert [c["Id"] for c in org.list_children(ParentId=ou["Id"], ChildType="ACCOUNT")["Children"]] == [member]
assert [u["Name"] for u in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]] == ["Workloads"]
assert org.describe_account(AccountId=member)["Account"]["Paths"] == [f"{o['Id']}/{root}/{ou['Id']}/{member}/"]
expect_org_error("OrganizationalUnitNotEmptyException", org.delete_organizational_unit, OrganizationalUnitId=ou["Id"])
renamed = org.update_organizational_unit(OrganizationalUnitId=ou["Id"], Name="Prod")["OrganizationalUnit"]
assert renamed["Name"] == "Prod"

# Policies.
deny_root = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                                                     "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}}]}
p = org.create_policy(Content=json.dumps(deny_root), Description="no root", Name="DenyRoot",
                      Type="SERVICE_CONTROL_POLICY")["Policy"]["PolicySummary"]
assert p["Id"].startswith("p-") and not p["AwsManaged"], p
assert p["Arn"] == f"arn:aws:organizations::{mgmt}:policy/{o['Id']}/service_control_policy/{p['Id']}", p
expect_org_error("DuplicatePolicyException", org.create_policy, Content=json.dumps(deny_root), Description="", Name="DenyRoot",
             Type="SERVICE_CONTROL_POLICY")
expect_org_error("MalformedPolicyDocumentException", org.create_policy, Content="{\"Version\":", Description="", Name="Bad",
             Type="SERVICE_CONTROL_POLICY")
big = {"Version": "2012-10-17", "Statement": [{"Sid": "x" * 5200, "Effect": "Deny", "Action": "*", "Resource": "*"}]}
expect_org_error("ConstraintViolationException", org.create_policy, Content=json.dumps(big), Description="", Name="Big",
             Type="SERVICE_CONTROL_POLICY", reason="POLICY_CONTENT_LIMIT_EXCEEDED")
org.attach_policy(PolicyId=p["Id"], TargetId=ou["Id"])
expect_org_error("DuplicatePolicyAttachmentException", org.attach_policy, PolicyId=p["Id"], TargetId=ou["Id"])
expect_org_error("PolicyNotFoundException", org.describe_policy, PolicyId="p-abcdefgh")
expect_org_error("PolicyNotFoundException", org.attach_policy, PolicyId="p-abcdefgh", TargetId=root)
expect_org_error("TargetNotFoundException", org.attach_policy, PolicyId=p["Id"], TargetId="111111111111")
expect_org_error("PolicyInUseException", org.delete_policy, PolicyId=p["Id"])
expect_org_error("InvalidInputException", org.update_policy, PolicyId="p-FullAWSAccess", Name="Mine", reason="IMMUTABLE_POLICY")
expect_org_error("ConstraintViolationException", org.detach_policy, PolicyId="p-FullAWSAccess", TargetId=member,
             reason="MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
expect_org_error("PolicyNotAttachedException", org.detach_policy, PolicyId=p["Id"], TargetId=root)
targets = org.list_targets_for_policy(PolicyId=p["Id"])["Targets"]
assert targets == [{"TargetId": ou["Id"], "Arn": f"arn:aws:organizations::{mgmt}:ou/{o['Id']}/{ou['Id']}", "Name": "Prod",
                    "Type": "ORGANIZATIONAL_UNIT"}], targets
org.detach_policy(PolicyId=p["Id"], TargetId=ou["Id"])
org.delete_policy(PolicyId=p["Id"])
# Policy types: tag policies are not enabled until EnablePolicyType; effective policies are not for SCPs.
expect_org_error("PolicyTypeAlreadyEnabledException", org.enable_policy_type, RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
tag_policy = {"tags": {"costcenter": {"tag_key": {"@@assign": "CostCenter"}}}}
tp = org.create_policy(Content=json.dumps(tag_policy), Description="", Name="Tags", Type="TAG_POLICY")["Policy"]["PolicySummary"]
expect_org_error("PolicyTypeNotEnabledException", org.attach_policy, PolicyId=tp["Id"], TargetId=root)
r = org.enable_policy_type(RootId=root, PolicyType="TAG_POLICY")["Root"]
assert {"Type": "TAG_POLICY", "Status": "ENABLED"} in r["PolicyTypes"], r
expect_org_error("EffectivePolicyNotFoundException", org.describe_effective_policy, PolicyType="TAG_POLICY", TargetId=member)
org.attach_policy(PolicyId=tp["Id"], TargetId=root)
eff = org.describe_effective_policy(PolicyType="TAG_POLICY", TargetId=member)["EffectivePolicy"]
assert json.loads(eff["PolicyContent"]) == {"tags": {"costcenter": {"tag_key": "CostCenter"}}}, eff
expect_org_error("InvalidInputException", org.describe_effective_policy, PolicyType="SERVICE_CONTROL_POLICY", TargetId=member,
             reason="INVALID_ENUM")
expect_org_error("InvalidInputException", org.describe_effective_policy, PolicyType="TAG_POLICY", TargetId=root,
             reason="TARGET_NOT_SUPPORTED")
org.disable_policy_type(RootId=root, PolicyType="TAG_POLICY")
assert org.list_targets_for_policy(PolicyId=tp["Id"])["Targets"] == []
expect_org_error("PolicyTypeNotEnabledException", org.disable_policy_type, RootId=root, PolicyType="TAG_POLICY")
expect_org_error("RootNotFoundException", org.enable_policy_type, RootId="r-zzzz", PolicyType="TAG_POLICY")

# Tags, trusted access, delegated administrators.
org.tag_resource(ResourceId=member, Tags=[{"Key": "env", "Value": "dev"}])
assert org.list_tags_for_resource(ResourceId=member)["Tags"] == [{"Key": "env", "Value": "dev"}]
org.untag_resource(ResourceId=member, TagKeys=["env"])
assert org.list_tags_for_resource(ResourceId=member)["Tags"] == []
expect_org_error("TargetNotFoundException", org.list_tags_for_resource, ResourceId="111111111111")
expect_org_error("ConstraintViolationException", org.register_delegated_administrator, AccountId=member,
             ServicePrincipal="iam.amazonaws.com", reason="SERVICE_ACCESS_NOT_ENABLED")
org.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
assert [s["ServicePrincipal"] for s in org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]] == ["iam.amazonaws.com"]
expect_org_error("ConstraintViolationException", org.register_delegated_administrator, AccountId=mgmt,
             ServicePrincipal="iam.amazonaws.com", reason="CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR")
org.register_delegated_administrator(AccountId=member, ServicePrincipal="iam.amazonaws.com")
expect_org_error("AccountAlreadyRegisteredException", org.register_delegated_administrator, AccountId=member,
             ServicePrincipal="iam.amazonaws.com")
assert [d["Id"] for d in org.list_delegated_administrators()["DelegatedAdministrators"]] == [member]
# A delegated administrator reads the organization.
assert len(m_org.list_accounts()["Accounts"]) == 2
expect_org_error("ConstraintViolationException", org.remove_account_from_organization, AccountId=member,
             reason="CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG")
org.deregister_delegated_administrator(AccountId=member, ServicePrincipal="iam.amazonaws.com")
expect_org_error("AccountNotRegisteredException", org.deregister_delegated_administrator, AccountId=member,
             ServicePrincipal="iam.amazonaws.com")
expect_org_error("InvalidInputException", org.enable_aws_service_access, ServicePrincipal="not-a-service",
             reason="UNRECOGNIZED_SERVICE_PRINCIPAL")

# Closing and deleting.
expect_org_error("OrganizationNotEmptyException", org.delete_organization)
expect_org_error("ConstraintViolationException", org.close_account, AccountId=mgmt, reason="CANNOT_CLOSE_MANAGEMENT_ACCOUNT")
org.close_account(AccountId=member)
assert org.describe_account(AccountId=member)["Account"]["State"] == "SUSPENDED"
expect_org_error("AccountAlreadyClosedException", org.close_account, AccountId=member)
org.remove_account_from_organization(AccountId=member)
expect_org_error("AccountNotFoundException", org.describe_account, AccountId=member)
org.delete_organizational_unit(OrganizationalUnitId=ou["Id"])
org.delete_organization()
expect_org_error("AWSOrganizationsNotInUseException", org.describe_organization)
print("ok")
