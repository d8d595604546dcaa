"""The bad-input matrix (issue 13): malformed, oversized, truncated, unsigned and badly signed
requests for each protocol (awsQuery IAM/STS, awsJson Organizations/CloudTrail, restJson
Account), 1 MB values, unknown actions, a slowloris head and a stalled body. Every answer must
be below 500, error bodies must stay small, and the server must keep answering. Prints a
table; exits non-zero on any violation."""
import argparse
import http.client
import os
import re
import socket
import sys
import threading
import time
import urllib.parse

from botocore.credentials import Credentials

from chaoslib import Server, signed_headers

ap = argparse.ArgumentParser()
ap.add_argument("--work", required=True)
opts = ap.parse_args()

server = Server(opts.work, "bad")
if not server.start():
    sys.exit(f"the server did not start; see {server.log_path}")
account, creds = server.init()
# An organization, so that Organizations requests reach their decoder and validation.
server.client("organizations", creds).create_organization(FeatureSet="ALL")
HOST = f"127.0.0.1:{server.port}"
WRONG = Credentials(creds.access_key, "x" * 40)
MB = 1024 * 1024
BIG_BODY_LIMIT = 64 * 1024   # an error body for a ~1 MB input must stay below this

QUERY = "application/x-www-form-urlencoded; charset=utf-8"
JSON11 = "application/x-amz-json-1.1"
PROTOCOLS = {
    # name: (signing service, path, content type, target or None, a valid body)
    "iam": ("iam", "/", QUERY, None, b"Action=GetUser&Version=2010-05-08"),
    "sts": ("sts", "/", QUERY, None, b"Action=GetCallerIdentity&Version=2011-06-15"),
    "organizations": ("organizations", "/", JSON11, "AWSOrganizationsV20161128.DescribeOrganization", b"{}"),
    "cloudtrail": ("cloudtrail", "/", JSON11,
                   "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", b"{}"),
    "account": ("account", "/getContactInformation", "application/json", None, b"{}"),
}


def request(proto, body, *, sign=creds, target=None, path=None, ctype=None, sign_body=None,
            extra=None, declared_length=None, shut=False):
    """Sends one request over a raw socket; returns (status or None, body bytes)."""
    service, default_path, default_ctype, default_target, _ = PROTOCOLS[proto]
    headers = {"Host": HOST, "Content-Type": ctype or default_ctype}
    t = default_target if target is None else target
    if t:
        headers["X-Amz-Target"] = t
    headers.update(extra or {})
    path = path or default_path
    if sign is not None:
        headers = signed_headers(f"http://{HOST}", sign, service,
                                 body if sign_body is None else sign_body, headers, path=path)
        headers["Host"] = HOST
    length = len(body) if declared_length is None else declared_length
    head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    return exchange(head.encode() + body, shut)


def exchange(raw, shut=False, timeout=30):
    s = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    try:
        try:
            s.sendall(raw)
        except OSError:
            pass   # the server may answer (413) and close before the whole body is sent
        if shut:
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        resp = http.client.HTTPResponse(s)
        try:
            resp.begin()
            return resp.status, resp.read()
        except (OSError, http.client.HTTPException):
            return None, b""
    finally:
        s.close()


def code_of(body):
    text = body[:4096].decode("utf-8", "replace")
    m = (re.search(r"<Code>([^<]*)</Code>", text) or re.search(r'"__type"\s*:\s*"(?:[^"#]*#)?([^"]*)"', text)
         or re.search(r'"code"\s*:\s*"([^"]*)"', text, re.I))
    return m.group(1) if m else text[:40].replace("\n", " ")


def healthy():
    """The server process lives and answers an unsigned request with a 4xx."""
    if not server.alive():
        return False
    try:
        status, _ = request("sts", PROTOCOLS["sts"][4], sign=None)
        return status is not None and 400 <= status < 500
    except OSError:
        return False


def nested(depth):
    return b"[" * depth + b"]" * depth


def query_cases(proto):
    valid = PROTOCOLS[proto][4]
    version = b"2010-05-08" if proto == "iam" else b"2011-06-15"
    return [
        ("unsigned", lambda: request(proto, valid, sign=None)),
        ("bad signature", lambda: request(proto, valid, sign=WRONG)),
        ("signed other body", lambda: request(proto, valid, sign_body=valid + b"&x=1")),
        ("bad percent-encoding", lambda: request(proto, b"Action=%ZZ&&==&Version=" + version)),
        ("invalid UTF-8", lambda: request(proto, b"Action=GetUser\xff\xfe&Version=" + version)),
        ("no Action", lambda: request(proto, b"Version=" + version)),
        ("unknown action", lambda: request(proto, b"Action=NoSuchThing&Version=" + version)),
        ("wrong Version", lambda: request(proto, b"Action=GetUser&Version=1999-01-01")),
        ("JSON body", lambda: request(proto, b'{"Action":"GetUser"}', ctype=JSON11)),
        ("no content type", lambda: request(proto, valid, ctype="")),
        ("repeated parameter x10000", lambda: request(proto, valid + b"&Marker=a" * 10000)),
        ("truncated body", lambda: request(proto, valid[:10], declared_length=len(valid) + 100, shut=True)),
        ("11 MiB body", lambda: request(proto, valid + b"&Pad=" + b"a" * (11 * MB))),
        ("100 KiB header", lambda: request(proto, valid, sign=None, extra={"X-Pad": "a" * 100 * 1024})),
    ]


def json_cases(proto):
    valid = PROTOCOLS[proto][4]
    prefix = PROTOCOLS[proto][3].rsplit(".", 1)[0] if PROTOCOLS[proto][3] else None
    cases = [
        ("unsigned", lambda: request(proto, valid, sign=None)),
        ("bad signature", lambda: request(proto, valid, sign=WRONG)),
        ("signed other body", lambda: request(proto, valid, sign_body=b'{"a":1}')),
        ("truncated JSON", lambda: request(proto, b'{"MaxResults":')),
        ("JSON array", lambda: request(proto, b"[]")),
        ("JSON string", lambda: request(proto, b'"x"')),
        ("empty body", lambda: request(proto, b"")),
        ("wrong member types", lambda: request(proto, b'{"MaxResults":"x","NextToken":7,"AccountId":[]}')),
        ("invalid UTF-8", lambda: request(proto, b'{"NextToken":"\xff\xfe"}')),
        ("nesting 100000 deep", lambda: request(proto, nested(100000))),
        ("member nesting 10000 deep", lambda: request(proto, b'{"NextToken":' + nested(10000) + b"}")),
        ("duplicate keys", lambda: request(proto, b'{"NextToken":"a","NextToken":"b"}')),
        ("form body", lambda: request(proto, b"Action=GetUser", ctype=QUERY)),
        ("truncated body", lambda: request(proto, b"{", declared_length=200, shut=True)),
        ("11 MiB body", lambda: request(proto, b'{"NextToken":"' + b"a" * (11 * MB) + b'"}')),
    ]
    if prefix:
        cases += [("unknown target", lambda: request(proto, valid, target=prefix + ".NoSuchThing")),
                  ("no target", lambda: request(proto, valid, target=""))]
    else:
        cases += [("unknown path", lambda: request(proto, valid, path="/noSuchThing")),
                  ("path traversal", lambda: request(proto, valid, path="/../../etc/passwd"))]
    return cases


def big(value):
    return urllib.parse.quote(value).encode()


def policy(resource):
    return ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"'
            + resource + '"}]}')


# Just under the 1 MiB body limit, so that the value reaches validation.
MEGA = "a" * (MB - 4096)
BIG_CASES = [
    ("iam", "~1 MB policy document", lambda: request(
        "iam", b"Action=CreatePolicy&Version=2010-05-08&PolicyName=big&PolicyDocument=" + big(policy(MEGA)))),
    ("iam", "~1 MB inline user policy", lambda: request(
        "iam", b"Action=PutUserPolicy&Version=2010-05-08&UserName=admin&PolicyName=big&PolicyDocument="
        + big(policy(MEGA)))),
    ("iam", "~1 MB user name", lambda: request(
        "iam", b"Action=CreateUser&Version=2010-05-08&UserName=" + MEGA.encode())),
    ("sts", "~1 MB role ARN", lambda: request(
        "sts", b"Action=AssumeRole&Version=2011-06-15&RoleSessionName=s&RoleArn=" + MEGA.encode())),
    ("organizations", "~1 MB policy content", lambda: request(
        "organizations", ('{"Name":"big","Description":"d","Type":"SERVICE_CONTROL_POLICY","Content":'
                          + '"' + MEGA + '"}').encode(), target="AWSOrganizationsV20161128.CreatePolicy")),
    ("cloudtrail", "~1 MB lookup value", lambda: request(
        "cloudtrail", ('{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"' + MEGA
                       + '"}]}').encode())),
    ("account", "~1 MB contact name", lambda: request(
        "account", ('{"ContactInformation":{"FullName":"' + MEGA + '","AddressLine1":"a","City":"c",'
                    '"CountryCode":"US","PhoneNumber":"+1","PostalCode":"1"}}').encode(),
        path="/putContactInformation")),
]


def slow_head(result):
    """A slowloris head: one byte a second; records when the server closes it."""
    s = socket.create_connection(("127.0.0.1", server.port))
    start, head = time.time(), b"POST / HTTP/1.1\r\nHost: " + HOST.encode() + b"\r\nX-Slow: " + b"a" * 100
    try:
        for byte in head:
            s.send(bytes([byte]))
            time.sleep(1)
            if time.time() - start > 45:
                result["head"] = "open after 45 s"
                return
        result["head"] = "whole head sent"
    except OSError:
        result["head"] = f"closed after {time.time() - start:.0f} s"
    finally:
        s.close()


def slow_body(result):
    """A complete head, then a body at one byte a second; records when the server gives up."""
    s = socket.create_connection(("127.0.0.1", server.port))
    start = time.time()
    s.send(f"POST / HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: {QUERY}\r\nContent-Length: 1000\r\n\r\n".encode())
    try:
        while time.time() - start < 50:
            s.send(b"a")
            time.sleep(1)
        result["body"] = "open after 50 s"
    except OSError:
        result["body"] = f"closed after {time.time() - start:.0f} s"
    finally:
        s.close()


def dir_size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


slow = {}
slow_threads = [threading.Thread(target=slow_head, args=(slow,)), threading.Thread(target=slow_body, args=(slow,))]
for t in slow_threads:
    t.start()

rows, violations = [], []
cases = [(p, n, f) for p in ("iam", "sts") for n, f in query_cases(p)]
cases += [(p, n, f) for p in ("organizations", "cloudtrail", "account") for n, f in json_cases(p)]
size_before = dir_size(server.data_dir)
for proto, name, run in cases + BIG_CASES:
    started = time.time()
    try:
        status, body = run()
    except OSError as err:
        status, body = None, str(err).encode()
    ms = (time.time() - started) * 1000
    ok = healthy()
    code = code_of(body)
    rows.append((proto, name, status, len(body), code, ms, ok))
    if status is not None and status >= 500:
        violations.append(f"{proto} {name}: HTTP {status} {code}")
    if status is None and "truncated" not in name:
        violations.append(f"{proto} {name}: no answer")
    if name.startswith("~1 MB") and len(body) > BIG_BODY_LIMIT:
        violations.append(f"{proto} {name}: the error body is {len(body)} bytes (echoes the value; issue 13 item 6)")
    if not ok:
        violations.append(f"{proto} {name}: the server stopped answering")
        break
growth = dir_size(server.data_dir) - size_before
for t in slow_threads:
    t.join()
if "open" in slow.get("head", "") or "whole" in slow.get("head", ""):
    violations.append(f"slowloris head: {slow['head']}")
if "open" in slow.get("body", ""):
    violations.append(f"stalled body: {slow['body']}")
alive = healthy()
server.stop()

print(f"{'protocol':<14}{'case':<28}{'status':>7}{'bytes':>10}{'ms':>8}  error code / answer")
for proto, name, status, size, code, ms, _ in rows:
    print(f"{proto:<14}{name:<28}{str(status or '-'):>7}{size:>10}{ms:>8.0f}  {code[:50]}")
print(f"slowloris head (1 byte/s):   {slow.get('head')}")
print(f"stalled body (1 byte/s):     {slow.get('body')}")
print(f"\nbad input: {len(rows)} requests, "
      f"{sum(1 for r in rows if r[2] is not None and r[2] >= 500)} answered 5xx, "
      f"largest error body {max(r[3] for r in rows)} bytes, data directory grew {growth / MB:.1f} MB, "
      f"server {'still answering' if alive else 'DOWN'}")
for v in violations:
    print("VIOLATION:", v)
sys.exit(1 if violations or not alive else 0)
