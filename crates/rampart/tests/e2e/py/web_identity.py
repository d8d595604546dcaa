"""Outbound web identity federation through boto3: enabling the issuer, a JWT from
GetWebIdentityToken verified here against the JWKS the issuer URL serves (RS256 and
ES384), and the refusals."""
import base64
import json
import os
import time
import urllib.request

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from rampart_test import clients, expect_error

iam, sts = clients(os.environ["RAMPART_ACCESS_KEY_ID"], os.environ["RAMPART_SECRET_ACCESS_KEY"])
ACCOUNT = sts.get_caller_identity()["Account"]


def b64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def integer(text):
    return int.from_bytes(b64(text), "big")


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read())


expect_error("OutboundWebIdentityFederationDisabledException", sts.get_web_identity_token,
             Audience=["https://api.example.com"], SigningAlgorithm="RS256", status=403)
expect_error("FeatureDisabled", iam.get_outbound_web_identity_federation_info, status=404)
expect_error("FeatureDisabled", iam.disable_outbound_web_identity_federation, status=404)
issuer = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
expect_error("FeatureEnabled", iam.enable_outbound_web_identity_federation, status=409)
info = iam.get_outbound_web_identity_federation_info()
assert info["IssuerIdentifier"] == issuer and info["JwtVendingEnabled"] is True, info

config = fetch(issuer + "/.well-known/openid-configuration")
assert config["issuer"] == issuer, config
jwks = {k["kid"]: k for k in fetch(config["jwks_uri"])["keys"]}
assert sorted(k["alg"] for k in jwks.values()) == ["ES384", "RS256"], jwks


def verify(token, audience):
    head, payload, sig = token.split(".")
    header = json.loads(b64(head))
    key = jwks[header["kid"]]
    assert key["alg"] == header["alg"], header
    signed = f"{head}.{payload}".encode()
    if header["alg"] == "RS256":
        public = rsa.RSAPublicNumbers(integer(key["e"]), integer(key["n"])).public_key()
        public.verify(b64(sig), signed, padding.PKCS1v15(), hashes.SHA256())
    else:
        raw = b64(sig)
        der = encode_dss_signature(int.from_bytes(raw[:48], "big"), int.from_bytes(raw[48:], "big"))
        public = ec.EllipticCurvePublicNumbers(integer(key["x"]), integer(key["y"]), ec.SECP384R1()).public_key()
        public.verify(der, signed, ec.ECDSA(hashes.SHA384()))
    claims = json.loads(b64(payload))
    assert claims["iss"] == issuer and claims["aud"] == audience, claims
    assert claims["iat"] <= time.time() + 60 < claims["exp"] + 60, claims
    return claims


out = sts.get_web_identity_token(Audience=["https://api.example.com"], SigningAlgorithm="RS256",
                                 DurationSeconds=600, Tags=[{"Key": "job", "Value": "j1"}])
claims = verify(out["WebIdentityToken"], "https://api.example.com")
assert claims["exp"] - claims["iat"] == 600, claims
aws = claims["https://sts.amazonaws.com/"]
assert claims["sub"] == f"arn:aws:iam::{ACCOUNT}:root" and aws["aws_account"] == ACCOUNT, claims
assert aws["request_tags"] == {"job": "j1"}, aws

# A user: its tags become principal tags; two audiences are an array; ES384 signs too.
iam.create_user(UserName="worker", Tags=[{"Key": "team", "Value": "blue"}])
iam.put_user_policy(UserName="worker", PolicyName="jwt", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:GetWebIdentityToken",
                                            "Resource": "*", "Condition": {"NumericLessThanEquals": {
                                                "sts:DurationSeconds": 300}}}]}))
key = iam.create_access_key(UserName="worker")["AccessKey"]
_, w_sts = clients(key["AccessKeyId"], key["SecretAccessKey"])
out = w_sts.get_web_identity_token(Audience=["a1", "a2"], SigningAlgorithm="ES384", DurationSeconds=300)
claims = verify(out["WebIdentityToken"], ["a1", "a2"])
assert claims["sub"] == f"arn:aws:iam::{ACCOUNT}:user/worker", claims
assert claims["https://sts.amazonaws.com/"]["principal_tags"] == {"team": "blue"}, claims
expect_error("AccessDenied", w_sts.get_web_identity_token, Audience=["a1"], SigningAlgorithm="RS256",
             DurationSeconds=900)
expect_error("ValidationError", sts.get_web_identity_token, Audience=["a"], SigningAlgorithm="HS256")

# A session cannot mint a token that outlives it.
session = sts.get_session_token(DurationSeconds=900)["Credentials"]
_, s_sts = clients(session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"])
expect_error("SessionDurationEscalationException", s_sts.get_web_identity_token, Audience=["a"],
             SigningAlgorithm="RS256", DurationSeconds=3600, status=403)

iam.disable_outbound_web_identity_federation()
expect_error("OutboundWebIdentityFederationDisabledException", sts.get_web_identity_token, Audience=["a"],
             SigningAlgorithm="RS256")
# Tokens issued before stay verifiable: the keys are still published.
assert {k["kid"] for k in fetch(config["jwks_uri"])["keys"]} == set(jwks)
assert iam.enable_outbound_web_identity_federation()["IssuerIdentifier"] == issuer
print("ok")
