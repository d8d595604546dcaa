"""Signing certificates, SSH public keys, OpenID Connect and SAML providers through boto3, as an
account's root user: happy paths, every documented error, DeleteUser's conflicts, the
credential report's cert columns, GetAccountSummary, and a user the policy limits."""
import base64
import csv
import io
import os
import subprocess
import tempfile

import boto3
from botocore.config import Config
from rampart_test import clients, expect_error

endpoint = os.environ["RAMPART_ENDPOINT"]
account = os.environ["RAMPART_ACCOUNT"]
session = boto3.session.Session(aws_access_key_id=os.environ["RAMPART_ACCESS_KEY_ID"],
                                aws_secret_access_key=os.environ["RAMPART_SECRET_ACCESS_KEY"], region_name="us-east-1")
iam = session.client("iam", endpoint_url=endpoint)
# botocore checks minimum lengths itself; this client lets the server's check answer.
raw = session.client("iam", endpoint_url=endpoint, config=Config(parameter_validation=False))
tmp = tempfile.mkdtemp()


def certificate(cn):
    return subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={cn}", "-days", "1",
                           "-keyout", "/dev/null", "-out", "-"], check=True, capture_output=True, text=True).stdout


def ssh_key(name, *kind):
    path = os.path.join(tmp, name)
    subprocess.run(["ssh-keygen", "-q", "-N", "", "-C", f"{name}@test", "-f", path, *kind], check=True)
    line = open(path + ".pub").read().strip()
    md5 = subprocess.run(["ssh-keygen", "-l", "-E", "md5", "-f", path + ".pub"], check=True, capture_output=True,
                         text=True).stdout.split()[1].removeprefix("MD5:")
    return path + ".pub", line, md5


# ---- signing certificates ----
iam.create_user(UserName="carol")
c1, c2, c3 = certificate("one"), certificate("two"), certificate("three")
up = iam.upload_signing_certificate(UserName="carol", CertificateBody=c1)["Certificate"]
assert up["UserName"] == "carol" and up["Status"] == "Active" and up["CertificateBody"] == c1, up
assert len(up["CertificateId"]) >= 24 and up["CertificateId"].isalnum() and up["CertificateId"].upper() == up["CertificateId"]
first = up["CertificateId"]
msg = expect_error("DuplicateCertificate", iam.upload_signing_certificate, UserName="carol", CertificateBody=c1)
assert first in msg, msg
second = iam.upload_signing_certificate(UserName="carol", CertificateBody=c2)["Certificate"]["CertificateId"]
msg = expect_error("LimitExceeded", iam.upload_signing_certificate, UserName="carol", CertificateBody=c3)
assert msg == "Cannot exceed quota for CertificatesPerUser: 2", msg
expect_error("MalformedCertificate", iam.upload_signing_certificate, UserName="carol", CertificateBody="not a certificate")
broken = c3.replace(c3.splitlines()[1], "!!!!" + c3.splitlines()[1][4:])
expect_error("MalformedCertificate", iam.upload_signing_certificate, UserName="carol", CertificateBody=broken)
expect_error("NoSuchEntity", iam.upload_signing_certificate, UserName="nobody", CertificateBody=c3)
listed = iam.list_signing_certificates(UserName="carol")
assert [c["CertificateId"] for c in listed["Certificates"]] == [first, second] and not listed["IsTruncated"], listed
assert all("UploadDate" in c for c in listed["Certificates"])
iam.update_signing_certificate(UserName="carol", CertificateId=second, Status="Inactive")
assert [c["Status"] for c in iam.list_signing_certificates(UserName="carol")["Certificates"]] == ["Active", "Inactive"]
missing = "A" * 32
msg = expect_error("NoSuchEntity", iam.update_signing_certificate, UserName="carol", CertificateId=missing, Status="Active")
assert msg == f"The Certificate with id {missing} cannot be found.", msg
expect_error("NoSuchEntity", iam.delete_signing_certificate, CertificateId=first)  # root does not own carol's
expect_error("ValidationError", raw.delete_signing_certificate, UserName="carol", CertificateId="short")
msg = expect_error("DeleteConflict", iam.delete_user, UserName="carol")
assert msg == "Cannot delete entity, must delete signing certificates first.", msg

# The root user's own certificates, when no user is named.
summary = iam.get_account_summary()["SummaryMap"]
assert summary["AccountSigningCertificatesPresent"] == 0 and summary["SigningCertificatesPerUserQuota"] == 2
root_cert = iam.upload_signing_certificate(CertificateBody=c3)["Certificate"]
assert root_cert["UserName"] == account, root_cert
assert [c["CertificateId"] for c in iam.list_signing_certificates()["Certificates"]] == [root_cert["CertificateId"]]
assert iam.get_account_summary()["SummaryMap"]["AccountSigningCertificatesPresent"] == 1

iam.generate_credential_report()
rows = {r["user"]: r for r in csv.DictReader(io.StringIO(iam.get_credential_report()["Content"].decode()))}
carol = rows["carol"]
assert carol["cert_1_active"] == "true" and carol["cert_1_last_rotated"] != "N/A", carol
assert carol["cert_2_active"] == "false" and carol["cert_2_last_rotated"] != "N/A", carol
assert rows["<root_account>"]["cert_1_active"] == "true" and rows["<root_account>"]["cert_2_last_rotated"] == "N/A"

iam.delete_signing_certificate(CertificateId=root_cert["CertificateId"])
assert iam.get_account_summary()["SummaryMap"]["AccountSigningCertificatesPresent"] == 0
iam.delete_signing_certificate(UserName="carol", CertificateId=first)
iam.delete_signing_certificate(UserName="carol", CertificateId=second)
expect_error("NoSuchEntity", iam.delete_signing_certificate, UserName="carol", CertificateId=second)
assert iam.list_signing_certificates(UserName="carol")["Certificates"] == []

# ---- SSH public keys ----
ed_path, ed_line, ed_md5 = ssh_key("ed", "-t", "ed25519")
rsa_path, rsa_line, rsa_md5 = ssh_key("rsa", "-t", "rsa", "-b", "2048")
ec_path, ec_line, ec_md5 = ssh_key("ec", "-t", "ecdsa", "-b", "256")
key = iam.upload_ssh_public_key(UserName="carol", SSHPublicKeyBody=ed_line)["SSHPublicKey"]
assert key["SSHPublicKeyId"].startswith("APKA") and key["Status"] == "Active" and key["UserName"] == "carol", key
assert key["Fingerprint"] == ed_md5, (key, ed_md5)
ed_id = key["SSHPublicKeyId"]
msg = expect_error("DuplicateSSHPublicKey", iam.upload_ssh_public_key, UserName="carol", SSHPublicKeyBody=ed_line)
assert "already associated" in msg, msg
rsa = iam.upload_ssh_public_key(UserName="carol", SSHPublicKeyBody=rsa_line)["SSHPublicKey"]
assert rsa["Fingerprint"] == rsa_md5
ec = iam.upload_ssh_public_key(UserName="carol", SSHPublicKeyBody=ec_line)["SSHPublicKey"]
assert ec["Fingerprint"] == ec_md5
# PEM as ssh-keygen writes it gives the same key: same fingerprint, and GetSSHPublicKey's PEM is that PEM.
rsa_pem = subprocess.run(["ssh-keygen", "-e", "-m", "PKCS8", "-f", rsa_path], check=True, capture_output=True, text=True).stdout
ec_pem = subprocess.run(["ssh-keygen", "-e", "-m", "PKCS8", "-f", ec_path], check=True, capture_output=True, text=True).stdout
got = iam.get_ssh_public_key(UserName="carol", SSHPublicKeyId=rsa["SSHPublicKeyId"], Encoding="PEM")["SSHPublicKey"]
assert got["SSHPublicKeyBody"].strip() == rsa_pem.strip(), (got, rsa_pem)
got = iam.get_ssh_public_key(UserName="carol", SSHPublicKeyId=ec["SSHPublicKeyId"], Encoding="PEM")["SSHPublicKey"]
assert got["SSHPublicKeyBody"].strip() == ec_pem.strip(), (got, ec_pem)
got = iam.get_ssh_public_key(UserName="carol", SSHPublicKeyId=ed_id, Encoding="SSH")["SSHPublicKey"]
assert got["SSHPublicKeyBody"] == " ".join(ed_line.split()[:2]) and got["Fingerprint"] == ed_md5, got
iam.create_user(UserName="dave")
pem_key = iam.upload_ssh_public_key(UserName="dave", SSHPublicKeyBody=rsa_pem)["SSHPublicKey"]
assert pem_key["Fingerprint"] == rsa_md5, pem_key
iam.delete_ssh_public_key(UserName="dave", SSHPublicKeyId=pem_key["SSHPublicKeyId"])
iam.delete_user(UserName="dave")

expect_error("UnrecognizedPublicKeyEncoding", iam.upload_ssh_public_key, UserName="carol", SSHPublicKeyBody="ssh-dss AAAAB3NzaC1kc3M=")
expect_error("UnrecognizedPublicKeyEncoding", iam.upload_ssh_public_key, UserName="carol", SSHPublicKeyBody="hello world")
expect_error("InvalidPublicKey", iam.upload_ssh_public_key, UserName="carol", SSHPublicKeyBody="ssh-ed25519 ***notbase64***")
mislabelled = "ssh-rsa " + ed_line.split()[1]
expect_error("InvalidPublicKey", iam.upload_ssh_public_key, UserName="carol", SSHPublicKeyBody=mislabelled)
_, small_rsa, _ = ssh_key("small", "-t", "rsa", "-b", "1024")
expect_error("InvalidPublicKey", iam.upload_ssh_public_key, UserName="carol", SSHPublicKeyBody=small_rsa)
expect_error("NoSuchEntity", iam.upload_ssh_public_key, UserName="nobody", SSHPublicKeyBody=ed_line)
for n in range(2):
    _, line, _ = ssh_key(f"more{n}", "-t", "ed25519")
    iam.upload_ssh_public_key(UserName="carol", SSHPublicKeyBody=line)
_, sixth, _ = ssh_key("sixth", "-t", "ed25519")
msg = expect_error("LimitExceeded", iam.upload_ssh_public_key, UserName="carol", SSHPublicKeyBody=sixth)
assert msg == "Cannot exceed quota for SSHPublicKeysPerUser: 5", msg

listed = iam.list_ssh_public_keys(UserName="carol")["SSHPublicKeys"]
assert [k["SSHPublicKeyId"] for k in listed[:3]] == [ed_id, rsa["SSHPublicKeyId"], ec["SSHPublicKeyId"]], listed
assert len(listed) == 5 and listed[0]["SSHPublicKeyId"] == ed_id and "SSHPublicKeyBody" not in listed[0], listed
page1 = iam.list_ssh_public_keys(UserName="carol", MaxItems=2)
assert page1["IsTruncated"] and len(page1["SSHPublicKeys"]) == 2
page2 = iam.list_ssh_public_keys(UserName="carol", Marker=page1["Marker"])
assert [k["SSHPublicKeyId"] for k in page1["SSHPublicKeys"] + page2["SSHPublicKeys"]] == [k["SSHPublicKeyId"] for k in listed]
iam.update_ssh_public_key(UserName="carol", SSHPublicKeyId=ed_id, Status="Inactive")
assert iam.get_ssh_public_key(UserName="carol", SSHPublicKeyId=ed_id, Encoding="SSH")["SSHPublicKey"]["Status"] == "Inactive"
missing = "APKA" + "A" * 16
msg = expect_error("NoSuchEntity", iam.get_ssh_public_key, UserName="carol", SSHPublicKeyId=missing, Encoding="SSH")
assert msg == f"The Public Key with id {missing} cannot be found.", msg
expect_error("NoSuchEntity", iam.update_ssh_public_key, UserName="carol", SSHPublicKeyId=missing, Status="Active")
expect_error("ValidationError", raw.get_ssh_public_key, UserName="carol", SSHPublicKeyId=ed_id, Encoding="DER")
msg = expect_error("DeleteConflict", iam.delete_user, UserName="carol")
assert msg == "Cannot delete entity, must delete SSH public keys first.", msg
# Renaming the user carries the keys along.
iam.update_user(UserName="carol", NewUserName="caroline")
assert len(iam.list_ssh_public_keys(UserName="caroline")["SSHPublicKeys"]) == 5
for k in iam.list_ssh_public_keys(UserName="caroline")["SSHPublicKeys"]:
    iam.delete_ssh_public_key(UserName="caroline", SSHPublicKeyId=k["SSHPublicKeyId"])
expect_error("NoSuchEntity", iam.delete_ssh_public_key, UserName="caroline", SSHPublicKeyId=ed_id)
iam.delete_user(UserName="caroline")

# ---- OpenID Connect providers ----
thumb = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
created = iam.create_open_id_connect_provider(Url="https://token.example.com/tenant/", ClientIDList=["sts.amazonaws.com"],
                                              ThumbprintList=[thumb], Tags=[{"Key": "team", "Value": "ci"}])
arn = created["OpenIDConnectProviderArn"]
assert arn == f"arn:aws:iam::{account}:oidc-provider/token.example.com/tenant", created
assert created["Tags"] == [{"Key": "team", "Value": "ci"}]
msg = expect_error("EntityAlreadyExists", iam.create_open_id_connect_provider, Url="https://token.example.com/tenant",
                   ThumbprintList=[thumb])
assert "already exists" in msg, msg
expect_error("InvalidInput", iam.create_open_id_connect_provider, Url="http://plain.example.com", ThumbprintList=[thumb])
expect_error("InvalidInput", iam.create_open_id_connect_provider, Url="https://x.example.com", ThumbprintList=["g" * 40])
expect_error("ValidationError", raw.create_open_id_connect_provider, Url="https://x.example.com", ThumbprintList=["abc"])
expect_error("LimitExceeded", iam.create_open_id_connect_provider, Url="https://x.example.com",
             ThumbprintList=[f"{n:040x}" for n in range(6)])
second_arn = iam.create_open_id_connect_provider(Url="https://accounts.example.org")["OpenIDConnectProviderArn"]
got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
assert got["Url"] == "token.example.com/tenant" and got["ClientIDList"] == ["sts.amazonaws.com"], got
assert got["ThumbprintList"] == [thumb] and "CreateDate" in got and got["Tags"] == [{"Key": "team", "Value": "ci"}], got
listed = [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
assert listed == sorted([arn, second_arn]), listed
assert iam.get_account_summary()["SummaryMap"]["Providers"] == 2
iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-1")
iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-1")
assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["sts.amazonaws.com", "app-1"]
iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="sts.amazonaws.com")
iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="never-added")
assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["app-1"]
other = "a" * 40
iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=[other, thumb])
assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ThumbprintList"] == [other, thumb]
expect_error("InvalidInput", iam.update_open_id_connect_provider_thumbprint, OpenIDConnectProviderArn=arn, ThumbprintList=["z" * 40])
iam.tag_open_id_connect_provider(OpenIDConnectProviderArn=arn, Tags=[{"Key": "TEAM", "Value": "cd"}, {"Key": "env", "Value": "x"}])
assert iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)["Tags"] == [{"Key": "team", "Value": "cd"},
                                                                                          {"Key": "env", "Value": "x"}]
iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=["Team"])
assert iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)["Tags"] == [{"Key": "env", "Value": "x"}]
nope = f"arn:aws:iam::{account}:oidc-provider/nowhere.example.com"
# DeleteOpenIDConnectProvider is idempotent (its API reference): a provider that does not exist
# is already deleted.
iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=nope)
for call, extra in [(iam.get_open_id_connect_provider, {}),
                    (iam.add_client_id_to_open_id_connect_provider, {"ClientID": "a"}),
                    (iam.remove_client_id_from_open_id_connect_provider, {"ClientID": "a"}),
                    (iam.update_open_id_connect_provider_thumbprint, {"ThumbprintList": [thumb]}),
                    (iam.tag_open_id_connect_provider, {"Tags": [{"Key": "k", "Value": "v"}]}),
                    (iam.untag_open_id_connect_provider, {"TagKeys": ["k"]}),
                    (iam.list_open_id_connect_provider_tags, {})]:
    msg = expect_error("NoSuchEntity", call, OpenIDConnectProviderArn=nope, **extra)
    assert msg == f"OpenIDConnect Provider not found for arn {nope}", msg
iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=second_arn)
expect_error("NoSuchEntity", iam.get_open_id_connect_provider, OpenIDConnectProviderArn=second_arn)

# ---- SAML providers ----
def metadata(entity, valid_until=None):
    attr = f' validUntil="{valid_until}"' if valid_until else ""
    cert = base64.b64encode(b"x" * 700).decode()
    return (f'<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"{attr} '
            f'entityID="{entity}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
            f'<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>'
            f'<ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>'
            f'<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
            f'Location="https://idp.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>')


doc = metadata("https://idp.example.com", "2031-05-06T07:08:09Z")
assert len(doc) >= 1000
made = iam.create_saml_provider(Name="Okta_prod", SAMLMetadataDocument=doc, Tags=[{"Key": "idp", "Value": "okta"}])
saml_arn = made["SAMLProviderArn"]
assert saml_arn == f"arn:aws:iam::{account}:saml-provider/Okta_prod" and made["Tags"] == [{"Key": "idp", "Value": "okta"}], made
msg = expect_error("EntityAlreadyExists", iam.create_saml_provider, Name="okta_PROD", SAMLMetadataDocument=doc)
assert "already exists" in msg, msg
expect_error("InvalidInput", iam.create_saml_provider, Name="bad", SAMLMetadataDocument="{" + "x" * 1200 + "}")
expect_error("ValidationError", raw.create_saml_provider, Name="short", SAMLMetadataDocument="<EntityDescriptor/>")
expect_error("ValidationError", raw.create_saml_provider, Name="bad name", SAMLMetadataDocument=doc)
got = iam.get_saml_provider(SAMLProviderArn=saml_arn)
assert got["SAMLMetadataDocument"] == doc and got["ValidUntil"].year == 2031 and "CreateDate" in got, got
assert len(got["SAMLProviderUUID"]) >= 22 and got["Tags"] == [{"Key": "idp", "Value": "okta"}], got
assert [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]] == [saml_arn]
assert iam.get_account_summary()["SummaryMap"]["Providers"] == 2
new_doc = metadata("https://idp2.example.com")
assert iam.update_saml_provider(SAMLProviderArn=saml_arn, SAMLMetadataDocument=new_doc)["SAMLProviderArn"] == saml_arn
got = iam.get_saml_provider(SAMLProviderArn=saml_arn)
assert got["SAMLMetadataDocument"] == new_doc and "ValidUntil" not in got, got
expect_error("InvalidInput", iam.update_saml_provider, SAMLProviderArn=saml_arn, SAMLMetadataDocument="<html>" + "x" * 1000)
iam.tag_saml_provider(SAMLProviderArn=saml_arn, Tags=[{"Key": "IDP", "Value": "entra"}])
assert iam.list_saml_provider_tags(SAMLProviderArn=saml_arn)["Tags"] == [{"Key": "idp", "Value": "entra"}]
iam.untag_saml_provider(SAMLProviderArn=saml_arn, TagKeys=["idp"])
assert iam.list_saml_provider_tags(SAMLProviderArn=saml_arn)["Tags"] == []
gone = f"arn:aws:iam::{account}:saml-provider/Nope"
for call, extra in [(iam.get_saml_provider, {}), (iam.delete_saml_provider, {}),
                    (iam.update_saml_provider, {"SAMLMetadataDocument": doc}),
                    (iam.tag_saml_provider, {"Tags": [{"Key": "k", "Value": "v"}]}),
                    (iam.untag_saml_provider, {"TagKeys": ["k"]}), (iam.list_saml_provider_tags, {})]:
    msg = expect_error("NoSuchEntity", call, SAMLProviderArn=gone, **extra)
    assert msg == f"SAMLProvider not found for arn {gone}", msg
iam.delete_saml_provider(SAMLProviderArn=saml_arn)
assert iam.list_saml_providers()["SAMLProviderList"] == []

# ---- authorization: the action names the user (or provider) as its resource ----
iam.create_user(UserName="limited")
iam.put_user_policy(UserName="limited", PolicyName="own-keys", PolicyDocument=(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:UploadSSHPublicKey","iam:ListSSHPublicKeys",'
    '"iam:UploadSigningCertificate","iam:GetOpenIDConnectProvider"],'
    f'"Resource":["arn:aws:iam::{account}:user/limited","{arn}"]}}]}}'))
creds = iam.create_access_key(UserName="limited")["AccessKey"]
(limited,) = clients(creds["AccessKeyId"], creds["SecretAccessKey"], services=("iam",))
iam.create_user(UserName="victim")
limited.upload_ssh_public_key(UserName="limited", SSHPublicKeyBody=ed_line)
assert len(limited.list_ssh_public_keys()["SSHPublicKeys"]) == 1
limited.upload_signing_certificate(CertificateBody=c1)
msg = expect_error("AccessDenied", limited.upload_ssh_public_key, UserName="victim", SSHPublicKeyBody=ed_line)
assert "iam:UploadSSHPublicKey" in msg and f"user/victim" in msg, msg
expect_error("AccessDenied", limited.upload_signing_certificate, UserName="victim", CertificateBody=c2)
expect_error("AccessDenied", limited.delete_ssh_public_key, UserName="limited", SSHPublicKeyId=ed_id)
assert limited.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["Url"] == "token.example.com/tenant"
msg = expect_error("AccessDenied", limited.list_open_id_connect_providers)
assert "iam:ListOpenIDConnectProviders" in msg, msg
msg = expect_error("AccessDenied", limited.create_saml_provider, Name="mine", SAMLMetadataDocument=doc)
assert f"saml-provider/mine" in msg, msg
print("ok")
