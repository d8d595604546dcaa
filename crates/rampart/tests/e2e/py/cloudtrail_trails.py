"""boto3 against CloudTrail's trail operations: create, get, describe, update, delete,
logging, status, event selectors, tags and list, each with AWS's errors (names, ARNs,
buckets, limits, home region, parameter combinations) and the permission needed."""
import os

from rampart_test import clients, expect_error

account = os.environ["RAMPART_ACCOUNT"]
key, secret = os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"]
iam, ct = clients(key, secret, services=("iam", "cloudtrail"))
(ct_eu,) = clients(key, secret, services=("cloudtrail",), region="eu-west-1")
arn = f"arn:aws:cloudtrail:us-east-1:{account}:trail/crud"

# ---- CreateTrail and its rules ----
created = ct.create_trail(Name="crud", S3BucketName="crud-logs", EnableLogFileValidation=True,
                          TagsList=[{"Key": "team", "Value": "security"}])
assert created["TrailARN"] == arn, created
assert created["Name"] == "crud" and created["S3BucketName"] == "crud-logs", created
assert created["IncludeGlobalServiceEvents"] is True and created["IsMultiRegionTrail"] is False, created
assert created["LogFileValidationEnabled"] is True and created["IsOrganizationTrail"] is False, created
message = expect_error("TrailAlreadyExistsException", ct.create_trail, Name="crud", S3BucketName="crud-logs")
assert "crud" in message and account in message, message
for bad in ["ab", "my--trail", "-trail", "trail_", "192.168.5.4", "x" * 129]:
    expect_error("InvalidTrailNameException", ct.create_trail, Name=bad, S3BucketName="crud-logs")
for bad in ["Bad_Bucket", "ab", "a..b", "../up"]:
    expect_error("InvalidS3BucketNameException", ct.create_trail, Name="bucketcheck", S3BucketName=bad)
expect_error("InvalidS3PrefixException", ct.create_trail, Name="prefixcheck", S3BucketName="crud-logs",
             S3KeyPrefix="../escape")
expect_error("InvalidParameterCombinationException", ct.create_trail, Name="global", S3BucketName="crud-logs",
             IsMultiRegionTrail=True, IncludeGlobalServiceEvents=False)
expect_error("OrganizationsNotInUseException", ct.create_trail, Name="orgtrail", S3BucketName="crud-logs",
             IsOrganizationTrail=True)

# ---- GetTrail, DescribeTrails, ListTrails ----
trail = ct.get_trail(Name="crud")["Trail"]
assert trail["TrailARN"] == arn and trail["HomeRegion"] == "us-east-1", trail
assert trail["HasCustomEventSelectors"] is False and trail["HasInsightSelectors"] is False, trail
assert ct.get_trail(Name=arn)["Trail"]["Name"] == "crud"
message = expect_error("TrailNotFoundException", ct.get_trail, Name="missing")
assert message == f"Unknown trail: missing for the user: {account}", message
expect_error("CloudTrailARNInvalidException", ct.get_trail, Name="arn:aws:cloudtrail:us-east-1:123:trail/x")
expect_error("InvalidTrailNameException", ct.get_trail, Name="no such trail")
described = ct.describe_trails()["trailList"]
assert [t["Name"] for t in described] == ["crud"], described
assert ct.describe_trails(trailNameList=["crud", "missing"])["trailList"][0]["TrailARN"] == arn
assert ct.describe_trails(includeShadowTrails=False)["trailList"][0]["Name"] == "crud"
listed = ct.list_trails()["Trails"]
assert listed == [{"TrailARN": arn, "Name": "crud", "HomeRegion": "us-east-1"}], listed

# A single-region trail is not seen from another region; changes need the home region.
expect_error("TrailNotFoundException", ct_eu.get_trail, Name="crud")
assert ct_eu.describe_trails()["trailList"] == []
expect_error("InvalidHomeRegionException", ct_eu.stop_logging, Name=arn)
expect_error("InvalidHomeRegionException", ct_eu.delete_trail, Name=arn)

# ---- UpdateTrail ----
updated = ct.update_trail(Name="crud", S3KeyPrefix="team/audit", IsMultiRegionTrail=True)
assert updated["S3KeyPrefix"] == "team/audit" and updated["IsMultiRegionTrail"] is True, updated
assert ct_eu.get_trail(Name="crud")["Trail"]["HomeRegion"] == "us-east-1", "a multi-region trail shows everywhere"
assert ct_eu.describe_trails(includeShadowTrails=False)["trailList"] == []
assert len(ct_eu.describe_trails()["trailList"]) == 1
expect_error("InvalidParameterCombinationException", ct.update_trail, Name="crud",
             IncludeGlobalServiceEvents=False)
expect_error("InvalidS3BucketNameException", ct.update_trail, Name="crud", S3BucketName="UPPER")
expect_error("TrailNotFoundException", ct.update_trail, Name="missing", S3BucketName="crud-logs")

# ---- Logging and status ----
status = ct.get_trail_status(Name="crud")
assert status["IsLogging"] is False and "StartLoggingTime" not in status, status
ct.start_logging(Name="crud")
ct.start_logging(Name="crud")  # idempotent
status = ct.get_trail_status(Name=arn)
assert status["IsLogging"] is True and "StartLoggingTime" in status, status
ct.stop_logging(Name="crud")
status = ct.get_trail_status(Name="crud")
assert status["IsLogging"] is False and "StopLoggingTime" in status, status
expect_error("TrailNotFoundException", ct.start_logging, Name="missing")

# ---- Event selectors ----
default = ct.get_event_selectors(TrailName="crud")
assert default["EventSelectors"] == [{"ReadWriteType": "All", "IncludeManagementEvents": True,
                                      "DataResources": [], "ExcludeManagementEventSources": []}], default
put = ct.put_event_selectors(TrailName="crud", EventSelectors=[{"ReadWriteType": "WriteOnly",
                                                                "IncludeManagementEvents": True}])
assert put["TrailARN"] == arn and put["EventSelectors"][0]["ReadWriteType"] == "WriteOnly", put
assert ct.get_trail(Name="crud")["Trail"]["HasCustomEventSelectors"] is True
advanced = [{"Name": "Management writes", "FieldSelectors": [
    {"Field": "eventCategory", "Equals": ["Management"]},
    {"Field": "readOnly", "Equals": ["false"]},
    {"Field": "eventSource", "NotEquals": ["sts.amazonaws.com"]}]}]
put = ct.put_event_selectors(TrailName="crud", AdvancedEventSelectors=advanced)
assert put["AdvancedEventSelectors"] == advanced and "EventSelectors" not in put, put
assert ct.get_event_selectors(TrailName=arn)["AdvancedEventSelectors"] == advanced
expect_error("InvalidParameterCombinationException", ct.put_event_selectors, TrailName="crud",
             EventSelectors=[{"ReadWriteType": "All"}], AdvancedEventSelectors=advanced)
expect_error("InvalidEventSelectorsException", ct.put_event_selectors, TrailName="crud",
             AdvancedEventSelectors=[{"FieldSelectors": [{"Field": "readOnly", "Equals": ["false"]}]}])
expect_error("InvalidEventSelectorsException", ct.put_event_selectors, TrailName="crud",
             EventSelectors=[{"ReadWriteType": "All"}] * 6)
expect_error("InvalidEventSelectorsException", ct.put_event_selectors, TrailName="crud",
             EventSelectors=[{"DataResources": [{"Type": "AWS::Nope::Thing", "Values": ["x"]}]}])

# ---- Tags ----
ct.add_tags(ResourceId=arn, TagsList=[{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "audit"}])
tags = ct.list_tags(ResourceIdList=[arn])["ResourceTagList"]
assert tags == [{"ResourceId": arn, "TagsList": [{"Key": "team", "Value": "audit"}, {"Key": "env", "Value": "prod"}]}], tags
ct.remove_tags(ResourceId=arn, TagsList=[{"Key": "team"}])
tags = ct.list_tags(ResourceIdList=[arn])["ResourceTagList"][0]["TagsList"]
assert tags == [{"Key": "env", "Value": "prod"}], tags
expect_error("TagsLimitExceededException", ct.add_tags, ResourceId=arn,
             TagsList=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
expect_error("InvalidTagParameterException", ct.add_tags, ResourceId=arn, TagsList=[{"Key": "aws:x", "Value": "v"}])
expect_error("ResourceNotFoundException", ct.add_tags, ResourceId=f"arn:aws:cloudtrail:us-east-1:{account}:trail/missing",
             TagsList=[{"Key": "a", "Value": "b"}])
expect_error("CloudTrailARNInvalidException", ct.list_tags, ResourceIdList=["not-an-arn"])

# ---- Five trails per region ----
for i in range(2, 6):
    ct.create_trail(Name=f"extra{i}", S3BucketName="crud-logs")
message = expect_error("MaximumNumberOfTrailsExceededException", ct.create_trail, Name="extra6",
                       S3BucketName="crud-logs")
assert message == f"User: {account} already has 5 trails in us-east-1.", message
for i in range(2, 6):
    ct.delete_trail(Name=f"extra{i}")

# ---- Permissions: cloudtrail:<Action> on the trail ARN ----
iam.create_user(UserName="trail-reader")
iam.put_user_policy(UserName="trail-reader", PolicyName="read", PolicyDocument="""{"Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["cloudtrail:GetTrail", "cloudtrail:DescribeTrails"],
                 "Resource": "*"}]}""")
reader_key = iam.create_access_key(UserName="trail-reader")["AccessKey"]
(reader,) = clients(reader_key["AccessKeyId"], reader_key["SecretAccessKey"], services=("cloudtrail",))
assert reader.get_trail(Name="crud")["Trail"]["TrailARN"] == arn
message = expect_error("AccessDeniedException", reader.stop_logging, Name="crud")
assert f"cloudtrail:StopLogging on resource: {arn}" in message, message
expect_error("AccessDeniedException", reader.create_trail, Name="sneaky", S3BucketName="crud-logs")

# ---- DeleteTrail ----
ct.delete_trail(Name=arn)
expect_error("TrailNotFoundException", ct.get_trail, Name="crud")
expect_error("TrailNotFoundException", ct.delete_trail, Name="crud")
assert ct.list_trails()["Trails"] == []
print("cloudtrail trails: ok")
