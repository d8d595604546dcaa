#!/usr/bin/env python3
"""Pre-signs awsQuery requests for wrk (bench/scale.sh).

    presign.py URL CREDENTIALS_FILE PROFILE SERVICE OUT COUNT BODY_TEMPLATE

Writes COUNT raw HTTP requests to OUT, each as "<length>\\n<bytes>", signed with SigV4 for
SERVICE by the profile's key; BODY_TEMPLATE's "{n}" becomes the request's number, so every
CreateUser names a new user. bench/lib/replay.lua sends them, each once per thread share.
A hand signer (hmac + one derived key) signs ~100k requests a second, which botocore
does not."""
import configparser, datetime, hashlib, hmac, sys
from urllib.parse import urlparse

url, creds_file, profile, service, out, count, template = sys.argv[1:8]
creds = configparser.ConfigParser()
creds.read(creds_file)
key_id = creds[profile]["aws_access_key_id"]
secret = creds[profile]["aws_secret_access_key"]
host = urlparse(url).netloc
now = datetime.datetime.now(datetime.timezone.utc)
amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
region = "us-east-1"
scope = f"{day}/{region}/{service}/aws4_request"
k = ("AWS4" + secret).encode()
for part in (day, region, service, "aws4_request"):
    k = hmac.new(k, part.encode(), hashlib.sha256).digest()
ctype = "application/x-www-form-urlencoded; charset=utf-8"
with open(out, "wb") as f:
    for n in range(int(count)):
        body = template.replace("{n}", str(n))
        payload = hashlib.sha256(body.encode()).hexdigest()
        canonical = (f"POST\n/\n\ncontent-type:{ctype}\nhost:{host}\nx-amz-date:{amz_date}\n\n"
                     f"content-type;host;x-amz-date\n{payload}")
        to_sign = (f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n"
                   + hashlib.sha256(canonical.encode()).hexdigest())
        sig = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
        raw = (f"POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: {ctype}\r\n"
               f"X-Amz-Date: {amz_date}\r\nAuthorization: AWS4-HMAC-SHA256 "
               f"Credential={key_id}/{scope}, SignedHeaders=content-type;host;x-amz-date, "
               f"Signature={sig}\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode()
        f.write(f"{len(raw)}\n".encode() + raw)
