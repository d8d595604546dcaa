"""SetSecurityTokenServicePreferences through boto3: the account summary reports the
global endpoint's token version; version 1 tokens (the default, from the global endpoint)
are refused in an opt-in Region (any service) while regional endpoints' tokens are not; after choosing
v2Token the global endpoint's tokens work everywhere."""
import os

from rampart_test import clients, expect_error

key, secret = os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"]
iam, sts = clients(key, secret)
assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 1


def session_from(region):
    _, regional_sts = clients(key, secret, region=region)
    c = regional_sts.get_session_token()["Credentials"]
    return c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]


def sts_in(creds, region):
    """An STS client in `region` (GetSessionToken sessions may not call IAM without MFA)."""
    return clients(*creds, region=region)[1]


v1 = session_from("us-east-1")
sts_in(v1, "us-west-2").get_caller_identity()
expect_error("InvalidClientTokenId", sts_in(v1, "ap-east-1").get_caller_identity, status=403)
sts_in(session_from("eu-west-1"), "ap-east-1").get_caller_identity()

iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 2
sts_in(session_from("us-east-1"), "ap-east-1").get_caller_identity()
expect_error("InvalidClientTokenId", sts_in(v1, "ap-east-1").get_caller_identity, status=403)
iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v1Token")
assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 1
print("ok")
