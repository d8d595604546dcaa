"""Helpers shared by the boto3 end-to-end scripts: clients against the server under test,
AWS error assertions, and RFC 6238 codes computed from an MFA seed."""
import base64
import hashlib
import hmac
import os
import struct
import time

import boto3
from botocore.exceptions import ClientError

ENDPOINT = os.environ["RAMPART_ENDPOINT"]


def clients(key, secret, token=None, services=("iam", "sts"), region="us-east-1"):
    """One client per service, all signing with these credentials."""
    session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token,
                                    region_name=region)
    return tuple(session.client(name, endpoint_url=ENDPOINT) for name in services)


def expect_error(code, fn, *args, status=None, reason=None, **kwargs):
    """Calls fn, which must fail with the AWS error `code` (and HTTP `status`, and
    Organizations `Reason`, when given); returns the error message."""
    try:
        fn(*args, **kwargs)
    except ClientError as err:
        got = err.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {err.response}"
        if status is not None:
            got_status = err.response["ResponseMetadata"]["HTTPStatusCode"]
            assert got_status == status, f"expected HTTP {status}, got {got_status}: {err.response}"
        if reason is not None:
            assert err.response.get("Reason") == reason, f"expected reason {reason}: {err.response}"
        assert err.response["ResponseMetadata"].get("RequestId"), "error without a request id"
        return err.response["Error"]["Message"]
    raise AssertionError(f"expected {code}, call succeeded")


def totp(seed_b32, counter):
    """The 6-digit RFC 6238 code (HMAC-SHA1, 30 s steps) of a base32 seed at a counter."""
    digest = hmac.new(base64.b32decode(seed_b32), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1000000:06d}"


def now_counter():
    """The current TOTP counter."""
    return int(time.time()) // 30
