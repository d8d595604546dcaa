"""Access advisor through boto3: a user and a role session make calls (one denied), then the
admin generates and reads service last accessed reports (service and action level, with
entities), lists the policies granting a service, runs the Organizations access report over
the organization's root, and meets each operation's errors."""
import datetime
import json
import os
import time

from rampart_test import clients, expect_error

iam, sts, org = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"],
                        services=("iam", "sts", "organizations"))
me = sts.get_caller_identity()["Account"]
started = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5)

reader_policy = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
reader = iam.create_user(UserName="reader")["User"]
iam.put_user_policy(UserName="reader", PolicyName="read", PolicyDocument=json.dumps(reader_policy))
key = iam.create_access_key(UserName="reader")["AccessKey"]
trust = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{me}:root"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="auditor", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
iam.attach_role_policy(RoleName="auditor", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")

# IAM is eventually consistent for new keys in AWS; Rampart's are usable at once.
r_iam, r_sts = clients(key["AccessKeyId"], key["SecretAccessKey"], region="eu-west-1")
r_iam.list_users()
r_iam.get_user(UserName="reader")
expect_error("AccessDenied", r_iam.create_user, UserName="mallory")
creds = r_sts.assume_role(RoleArn=role["Arn"], RoleSessionName="look")["Credentials"]
s_iam, _ = clients(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
s_iam.list_roles()


def wait(get, **kwargs):
    """Polls a report job as a client must (Rampart's complete at once)."""
    for _ in range(20):
        out = get(**kwargs)
        if out["JobStatus"] != "IN_PROGRESS":
            return out
        time.sleep(0.5)
    raise AssertionError(f"job never completed: {out}")


def recent(stamp):
    return stamp is not None and stamp >= started


# The user, at action level.
job = iam.generate_service_last_accessed_details(Arn=reader["Arn"], Granularity="ACTION_LEVEL")["JobId"]
assert len(job) == 36, job
report = wait(iam.get_service_last_accessed_details, JobId=job)
assert report["JobStatus"] == "COMPLETED" and report["JobType"] == "ACTION_LEVEL", report
assert report["JobCompletionDate"] >= report["JobCreationDate"], report
services = {s["ServiceNamespace"]: s for s in report["ServicesLastAccessed"]}
assert sorted(services) == ["iam", "s3", "sts"], sorted(services)
svc = services["iam"]
assert "Identity and Access Management" in svc["ServiceName"], svc
assert recent(svc["LastAuthenticated"]), svc
assert svc["LastAuthenticatedEntity"] == reader["Arn"], svc
assert svc["LastAuthenticatedRegion"] == "eu-west-1", svc
assert svc["TotalAuthenticatedEntities"] == 1, svc
actions = {a["ActionName"]: a for a in svc["TrackedActionsLastAccessed"]}
assert recent(actions["ListUsers"]["LastAccessedTime"]), actions["ListUsers"]
assert actions["GetUser"]["LastAccessedEntity"] == reader["Arn"], actions["GetUser"]
assert "LastAccessedTime" not in actions["GetRole"], actions["GetRole"]
assert "CreateUser" not in actions, "not allowed, so not listed"
assert recent(services["sts"]["LastAuthenticated"]), services["sts"]
assert "LastAuthenticated" not in services["s3"] and services["s3"]["TotalAuthenticatedEntities"] == 0, services["s3"]

entities = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="iam")
assert [e["EntityInfo"]["Arn"] for e in entities["EntityDetailsList"]] == [reader["Arn"]], entities
info = entities["EntityDetailsList"][0]
assert info["EntityInfo"]["Type"] == "USER" and info["EntityInfo"]["Id"] == reader["UserId"], info
assert recent(info["LastAuthenticated"]), info

# Paging by service.
page = iam.get_service_last_accessed_details(JobId=job, MaxItems=2)
assert page["IsTruncated"] and len(page["ServicesLastAccessed"]) == 2, page
rest = iam.get_service_last_accessed_details(JobId=job, Marker=page["Marker"])
assert not rest["IsTruncated"] and [s["ServiceNamespace"] for s in rest["ServicesLastAccessed"]] == ["sts"], rest

# The role: its session's calls count as the role's.
job = iam.generate_service_last_accessed_details(Arn=role["Arn"])["JobId"]
report = wait(iam.get_service_last_accessed_details, JobId=job)
assert report["JobType"] == "SERVICE_LEVEL", report
svc = {s["ServiceNamespace"]: s for s in report["ServicesLastAccessed"]}["iam"]
assert svc["LastAuthenticatedEntity"] == role["Arn"] and recent(svc["LastAuthenticated"]), svc
assert "TrackedActionsLastAccessed" not in svc, svc

# Which policies grant a service.
granting = iam.list_policies_granting_service_access(Arn=reader["Arn"], ServiceNamespaces=["iam", "ec2"])
entries = {e["ServiceNamespace"]: e["Policies"] for e in granting["PoliciesGrantingServiceAccess"]}
assert entries["iam"] == [{"PolicyName": "read", "PolicyType": "INLINE", "EntityType": "USER", "EntityName": "reader"}], entries
assert entries["ec2"] == [], entries
granting = iam.list_policies_granting_service_access(Arn=role["Arn"], ServiceNamespaces=["iam"])
assert granting["PoliciesGrantingServiceAccess"][0]["Policies"] == [{
    "PolicyName": "IAMReadOnlyAccess", "PolicyType": "MANAGED",
    "PolicyArn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"}], granting

# Errors.
expect_error("NoSuchEntity", iam.get_service_last_accessed_details, JobId="00000000-0000-4000-8000-000000000000", status=404)
msg = expect_error("NoSuchEntity", iam.generate_service_last_accessed_details, Arn=f"arn:aws:iam::{me}:user/nobody", status=404)
assert msg == "The user with name nobody cannot be found.", msg
expect_error("InvalidInput", iam.generate_service_last_accessed_details, Arn="arn:aws:s3:::a-bucket-name", status=400)
expect_error("InvalidInput", iam.get_service_last_accessed_details_with_entities, JobId=job, ServiceNamespace="nosuchservice")
expect_error("InvalidInput", iam.list_policies_granting_service_access,
             Arn="arn:aws:iam::aws:policy/ReadOnlyAccess", ServiceNamespaces=["iam"])
expect_error("AccessDenied", r_iam.generate_service_last_accessed_details, Arn=reader["Arn"])

# The Organizations access report, from the management account.
organization = org.create_organization(FeatureSet="ALL")["Organization"]
root = org.list_roots()["Roots"][0]["Id"]
path = f"{organization['Id']}/{root}"
job = iam.generate_organizations_access_report(EntityPath=path)["JobId"]
report = wait(iam.get_organizations_access_report, JobId=job, SortKey="LAST_AUTHENTICATED_TIME_DESCENDING")
assert report["JobStatus"] == "COMPLETED" and report["NumberOfServicesAccessible"] > 400, report
accessed = [d for d in report["AccessDetails"] if "LastAuthenticatedTime" in d]
assert report["NumberOfServicesNotAccessed"] == report["NumberOfServicesAccessible"] - len(accessed) > 0, report
assert report["IsTruncated"] and len(report["AccessDetails"]) == 100, len(report["AccessDetails"])
first = report["AccessDetails"][0]
assert recent(first["LastAuthenticatedTime"]) and first["EntityPath"] == f"{path}/{me}", first
assert first["TotalAuthenticatedEntities"] == 1 and first["Region"] in ("us-east-1", "eu-west-1"), first
assert {d["ServiceNamespace"] for d in accessed} >= {"iam", "sts", "organizations"}, accessed
scp = iam.generate_organizations_access_report(EntityPath=f"{path}/{me}", OrganizationsPolicyId="p-FullAWSAccess")["JobId"]
again = iam.get_organizations_access_report(JobId=scp, MaxItems=1000)
assert again["NumberOfServicesAccessible"] == report["NumberOfServicesAccessible"] and not again["IsTruncated"], again
expect_error("InvalidInput", iam.generate_organizations_access_report, EntityPath=f"{organization['Id']}/r-zzzz9999")
expect_error("NoSuchEntity", iam.get_organizations_access_report, JobId="00000000-0000-4000-8000-000000000000")
print("ok")
