"""Server certificates and service-specific credentials through boto3, as an account's root
user: happy paths, the documented errors, DeleteUser's conflict and GetAccountSummary."""
import os
import subprocess
import tempfile

import boto3
from rampart_test import expect_error

endpoint = os.environ["RAMPART_ENDPOINT"]
account = os.environ["RAMPART_ACCOUNT"]
session = boto3.session.Session(aws_access_key_id=os.environ["RAMPART_ACCESS_KEY_ID"],
                                aws_secret_access_key=os.environ["RAMPART_SECRET_ACCESS_KEY"], region_name="us-east-1")
iam = session.client("iam", endpoint_url=endpoint)
tmp = tempfile.mkdtemp()


def pair(cn, *newkey):
    key = os.path.join(tmp, cn + ".key")
    cert = subprocess.run(["openssl", "req", "-x509", "-newkey", *(newkey or ("rsa:2048",)), "-nodes", "-subj", f"/CN={cn}",
                           "-days", "30", "-keyout", key, "-out", "-"], check=True, capture_output=True, text=True).stdout
    return cert, open(key).read()


def not_after(cert):
    out = subprocess.run(["openssl", "x509", "-noout", "-enddate", "-dateopt", "iso_8601"], input=cert, check=True,
                         capture_output=True, text=True).stdout
    return out.strip().split("=", 1)[1]


# ---- server certificates ----
cert, key = pair("www.example.com")
ca_cert, ca_key = pair("ca.example.com")
ec_cert, ec_key = pair("ec.example.com", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
up = iam.upload_server_certificate(ServerCertificateName="web", Path="/cloudfront/", CertificateBody=cert, PrivateKey=key,
                                   CertificateChain=ca_cert, Tags=[{"Key": "env", "Value": "prod"}])
meta = up["ServerCertificateMetadata"]
assert meta["ServerCertificateName"] == "web" and meta["Path"] == "/cloudfront/", meta
assert meta["Arn"] == f"arn:aws:iam::{account}:server-certificate/cloudfront/web", meta
assert meta["ServerCertificateId"].startswith("ASCA") and len(meta["ServerCertificateId"]) == 21, meta
assert meta["Expiration"].strftime("%Y-%m-%d %H:%M:%S") == not_after(cert).replace("T", " ").rstrip("Z"), (meta, not_after(cert))
assert up["Tags"] == [{"Key": "env", "Value": "prod"}], up
iam.upload_server_certificate(ServerCertificateName="ec", CertificateBody=ec_cert, PrivateKey=ec_key)
got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
assert got["CertificateBody"] == cert and got["CertificateChain"] == ca_cert, got
assert got["ServerCertificateMetadata"]["ServerCertificateId"] == meta["ServerCertificateId"]
assert "PrivateKey" not in got and key not in str(got)
assert got["Tags"] == [{"Key": "env", "Value": "prod"}], got

msg = expect_error("EntityAlreadyExists", iam.upload_server_certificate, ServerCertificateName="WEB", CertificateBody=cert,
                   PrivateKey=key)
assert "web" in msg.lower(), msg
expect_error("KeyPairMismatch", iam.upload_server_certificate, ServerCertificateName="x", CertificateBody=cert, PrivateKey=ca_key)
expect_error("KeyPairMismatch", iam.upload_server_certificate, ServerCertificateName="x", CertificateBody=ec_cert,
             PrivateKey=pair("ec2", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")[1])
expect_error("MalformedCertificate", iam.upload_server_certificate, ServerCertificateName="x", CertificateBody="nope",
             PrivateKey=key)
expect_error("MalformedCertificate", iam.upload_server_certificate, ServerCertificateName="x", CertificateBody=cert,
             PrivateKey="not a key")
expect_error("MalformedCertificate", iam.upload_server_certificate, ServerCertificateName="x", CertificateBody=cert,
             PrivateKey=key, CertificateChain="garbage")
expect_error("NoSuchEntity", iam.get_server_certificate, ServerCertificateName="missing")

listed = iam.list_server_certificates()
assert [m["ServerCertificateName"] for m in listed["ServerCertificateMetadataList"]] == ["ec", "web"], listed
assert [m["ServerCertificateName"] for m in iam.list_server_certificates(PathPrefix="/cloudfront/")["ServerCertificateMetadataList"]] == ["web"]
page1 = iam.list_server_certificates(MaxItems=1)
assert page1["IsTruncated"] and len(page1["ServerCertificateMetadataList"]) == 1, page1
page2 = iam.list_server_certificates(Marker=page1["Marker"])
assert [m["ServerCertificateName"] for m in page2["ServerCertificateMetadataList"]] == ["web"] and not page2["IsTruncated"]

iam.update_server_certificate(ServerCertificateName="web", NewServerCertificateName="site", NewPath="/elb/")
expect_error("NoSuchEntity", iam.get_server_certificate, ServerCertificateName="web")
moved = iam.get_server_certificate(ServerCertificateName="site")["ServerCertificate"]["ServerCertificateMetadata"]
assert moved["Arn"] == f"arn:aws:iam::{account}:server-certificate/elb/site" and moved["ServerCertificateId"] == meta["ServerCertificateId"]
expect_error("EntityAlreadyExists", iam.update_server_certificate, ServerCertificateName="site", NewServerCertificateName="ec")
expect_error("NoSuchEntity", iam.update_server_certificate, ServerCertificateName="web", NewPath="/x/")

iam.tag_server_certificate(ServerCertificateName="site", Tags=[{"Key": "team", "Value": "edge"}])
tags = iam.list_server_certificate_tags(ServerCertificateName="site")
assert tags["Tags"] == [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "edge"}] and not tags["IsTruncated"], tags
iam.untag_server_certificate(ServerCertificateName="site", TagKeys=["env"])
assert iam.list_server_certificate_tags(ServerCertificateName="site")["Tags"] == [{"Key": "team", "Value": "edge"}]
expect_error("NoSuchEntity", iam.tag_server_certificate, ServerCertificateName="web", Tags=[{"Key": "a", "Value": "b"}])
expect_error("NoSuchEntity", iam.untag_server_certificate, ServerCertificateName="web", TagKeys=["a"])
expect_error("NoSuchEntity", iam.list_server_certificate_tags, ServerCertificateName="web")

assert iam.get_account_summary()["SummaryMap"]["ServerCertificates"] == 2
iam.delete_server_certificate(ServerCertificateName="ec")
expect_error("NoSuchEntity", iam.delete_server_certificate, ServerCertificateName="ec")
assert iam.get_account_summary()["SummaryMap"]["ServerCertificates"] == 1
iam.delete_server_certificate(ServerCertificateName="site")
assert iam.list_server_certificates()["ServerCertificateMetadataList"] == []

# ---- service-specific credentials ----
iam.create_user(UserName="dev")
cc = iam.create_service_specific_credential(UserName="dev", ServiceName="codecommit.amazonaws.com")["ServiceSpecificCredential"]
assert cc["UserName"] == "dev" and cc["Status"] == "Active" and cc["ServiceName"] == "codecommit.amazonaws.com", cc
assert cc["ServiceUserName"] == f"dev-at-{account}" and len(cc["ServicePassword"]) == 44, cc
assert cc["ServiceSpecificCredentialId"].startswith("ACCA"), cc
cc2 = iam.create_service_specific_credential(UserName="dev", ServiceName="codecommit.amazonaws.com")["ServiceSpecificCredential"]
msg = expect_error("LimitExceeded", iam.create_service_specific_credential, UserName="dev", ServiceName="codecommit.amazonaws.com")
assert msg == "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2", msg
ks = iam.create_service_specific_credential(UserName="dev", ServiceName="cassandra.amazonaws.com")["ServiceSpecificCredential"]
br = iam.create_service_specific_credential(UserName="dev", ServiceName="bedrock.amazonaws.com")["ServiceSpecificCredential"]
assert br["ServiceCredentialSecret"].startswith("ABSK") and br["ServiceCredentialAlias"].endswith(f"-at-{account}"), br
expect_error("NotSupportedService", iam.create_service_specific_credential, UserName="dev", ServiceName="s3.amazonaws.com")
expect_error("NoSuchEntity", iam.create_service_specific_credential, UserName="nobody", ServiceName="codecommit.amazonaws.com")

listed = iam.list_service_specific_credentials(UserName="dev")["ServiceSpecificCredentials"]
assert {c["ServiceSpecificCredentialId"] for c in listed} == {cc["ServiceSpecificCredentialId"], cc2["ServiceSpecificCredentialId"],
                                                               ks["ServiceSpecificCredentialId"], br["ServiceSpecificCredentialId"]}, listed
assert all("ServicePassword" not in c and "ServiceCredentialSecret" not in c for c in listed), listed
only = iam.list_service_specific_credentials(UserName="dev", ServiceName="cassandra.amazonaws.com")["ServiceSpecificCredentials"]
assert [c["ServiceSpecificCredentialId"] for c in only] == [ks["ServiceSpecificCredentialId"]], only
assert len(iam.list_service_specific_credentials(AllUsers=True)["ServiceSpecificCredentials"]) == 4
assert iam.list_service_specific_credentials()["ServiceSpecificCredentials"] == []  # root has none
expect_error("NotSupportedService", iam.list_service_specific_credentials, UserName="dev", ServiceName="s3.amazonaws.com")
expect_error("NoSuchEntity", iam.list_service_specific_credentials, UserName="nobody")

cid = cc["ServiceSpecificCredentialId"]
iam.update_service_specific_credential(UserName="dev", ServiceSpecificCredentialId=cid, Status="Inactive")
statuses = {c["ServiceSpecificCredentialId"]: c["Status"] for c in iam.list_service_specific_credentials(UserName="dev")["ServiceSpecificCredentials"]}
assert statuses[cid] == "Inactive", statuses
missing = "ACCA" + "A" * 17
expect_error("NoSuchEntity", iam.update_service_specific_credential, UserName="dev", ServiceSpecificCredentialId=missing, Status="Active")
reset = iam.reset_service_specific_credential(UserName="dev", ServiceSpecificCredentialId=cid)["ServiceSpecificCredential"]
assert reset["ServiceSpecificCredentialId"] == cid and len(reset["ServicePassword"]) == 44, reset
assert reset["ServicePassword"] != cc["ServicePassword"] and reset["ServiceUserName"] == cc["ServiceUserName"], reset
expect_error("NoSuchEntity", iam.reset_service_specific_credential, UserName="dev", ServiceSpecificCredentialId=missing)

msg = expect_error("DeleteConflict", iam.delete_user, UserName="dev")
assert msg == "Cannot delete entity, must delete service specific credentials first.", msg
for c in (cc, cc2, ks, br):
    iam.delete_service_specific_credential(UserName="dev", ServiceSpecificCredentialId=c["ServiceSpecificCredentialId"])
expect_error("NoSuchEntity", iam.delete_service_specific_credential, UserName="dev", ServiceSpecificCredentialId=cid)
assert iam.list_service_specific_credentials(UserName="dev")["ServiceSpecificCredentials"] == []
iam.delete_user(UserName="dev")
print("credentials_extra ok")
