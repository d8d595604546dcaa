"""HTTPS end to end (issue 13): boto3 trusts Rampart's self-signed certificate through
`verify=` and refuses it without; answers over TLS carry Strict-Transport-Security; the
console's cookies are `Secure`. Against a plain-HTTP endpoint the same sign-in must show
neither HSTS nor `Secure`.

Environment: RAMPART_ENDPOINT, RAMPART_CA_BUNDLE (for https), RAMPART_ACCESS_KEY_ID,
RAMPART_SECRET_ACCESS_KEY, ROOT_EMAIL, ROOT_PASSWORD."""
import http.client
import os
import ssl
import urllib.parse

import boto3
import botocore.exceptions

ENDPOINT = os.environ["RAMPART_ENDPOINT"]
CA_BUNDLE = os.environ.get("RAMPART_CA_BUNDLE")
TLS = ENDPOINT.startswith("https://")


def connection():
    url = urllib.parse.urlsplit(ENDPOINT)
    if TLS:
        context = ssl.create_default_context(cafile=CA_BUNDLE)
        return http.client.HTTPSConnection(url.hostname, url.port, context=context, timeout=30)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=30)


def check_hsts(headers, where):
    hsts = headers.get("strict-transport-security")
    if TLS:
        assert hsts == "max-age=31536000", f"{where}: HSTS {hsts!r}"
    else:
        assert hsts is None, f"{where}: HSTS over plain HTTP: {hsts!r}"


def sdk():
    session = boto3.session.Session(aws_access_key_id=os.environ["RAMPART_ACCESS_KEY_ID"],
                                    aws_secret_access_key=os.environ["RAMPART_SECRET_ACCESS_KEY"],
                                    region_name="us-east-1")
    sts = session.client("sts", endpoint_url=ENDPOINT, verify=CA_BUNDLE)
    identity = sts.get_caller_identity()
    assert identity["Arn"].endswith(":user/admin"), identity
    check_hsts({k.lower(): v for k, v in identity["ResponseMetadata"]["HTTPHeaders"].items()}, "STS answer")
    iam = session.client("iam", endpoint_url=ENDPOINT, verify=CA_BUNDLE)
    users = iam.list_users()["Users"]
    assert any(u["UserName"] == "admin" for u in users), users
    # Without the bundle the self-signed certificate is not trusted: verification is real.
    untrusted = session.client("sts", endpoint_url=ENDPOINT)
    try:
        untrusted.get_caller_identity()
    except botocore.exceptions.SSLError:
        pass
    else:
        raise AssertionError("a client without the CA bundle accepted the self-signed certificate")


def console():
    conn = connection()
    conn.request("GET", "/console/")
    front = conn.getresponse()
    front.read()
    assert front.status == 200, front.status
    check_hsts({k.lower(): v for k, v in front.getheaders()}, "console page")
    form = urllib.parse.urlencode({"email": os.environ["ROOT_EMAIL"], "password": os.environ["ROOT_PASSWORD"]})
    conn.request("POST", "/console/signin/root/password", body=form,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    signed_in = conn.getresponse()
    signed_in.read()
    assert signed_in.status == 200, signed_in.status
    cookies = [v for k, v in signed_in.getheaders() if k.lower() == "set-cookie"]
    session = [c for c in cookies if c.startswith("rampart-session=")]
    assert session, f"no session cookie: {cookies}"
    attributes = [a.strip() for a in session[0].split(";")]
    assert ("Secure" in attributes) == TLS, f"session cookie over {'TLS' if TLS else 'HTTP'}: {session[0]}"
    assert "HttpOnly" in attributes and "SameSite=Strict" in attributes, session[0]
    check_hsts({k.lower(): v for k, v in signed_in.getheaders()}, "sign-in answer")


if TLS:
    sdk()
console()
print("ok")
