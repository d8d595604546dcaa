#!/usr/bin/env bash
# Bounded load test of the full request path against 127.0.0.1 (never elsewhere).
# Measures, in one run: signed STS GetCallerIdentity (SigV4 + snapshot lookup + policy
# path + XML), a signed IAM GetUser, and as the baseline an unsigned request that stops at
# MissingAuthenticationToken (HTTP + routing + error document only). Reports req/s and the
# ratio of each to the baseline. The audit trail's cost per call: the same signed
# GetCallerIdentity against a second server that records no audit event (the hidden
# `--unaudited-benchmark`, test mode only). wrk -t2 with CONNECTIONS (default 64)
# connections. NO_BUILD=1 uses the release build already in CARGO_TARGET_DIR.
# Usage: [CONNECTIONS=64] [NO_BUILD=1] bench/load.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p rampart
BIN="$CARGO_TARGET_DIR/release/rampart"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" "${BARE:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export AWS_CONFIG_FILE="$WORK/config" AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials" RAMPART_LOG=warn
"$BIN" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" > "$WORK/serve.out" &
SERVER=$!
for _ in $(seq 50); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
URL="$(sed -n 's/^rampart listening on //p' "$WORK/serve.out")"
"$BIN" init --data-dir "$WORK/data" --endpoint-url "$URL" > /dev/null
# The unaudited twin, with its own data directory and administrator.
# (initialized first: test mode brings its own default account, which `init` would refuse).
mkdir -p "$WORK/bare"
AWS_SHARED_CREDENTIALS_FILE="$WORK/bare/credentials" AWS_CONFIG_FILE="$WORK/bare/config" \
    "$BIN" init --data-dir "$WORK/bare/data" > /dev/null
"$BIN" serve --listen 127.0.0.1:0 --data-dir "$WORK/bare/data" --test-mode --unaudited-benchmark > "$WORK/bare/serve.out" &
BARE=$!
for _ in $(seq 50); do grep -q listening "$WORK/bare/serve.out" 2>/dev/null && break; sleep 0.1; done
BARE_URL="$(sed -n 's/^rampart listening on //p' "$WORK/bare/serve.out")"
python3 - "$BARE_URL" "$WORK/bare" <<'PY'
import configparser, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url, work = sys.argv[1], sys.argv[2]
creds = configparser.ConfigParser(); creds.read(f"{work}/credentials")
c = Credentials(creds["rampart"]["aws_access_key_id"], creds["rampart"]["aws_secret_access_key"])
body = "Action=GetCallerIdentity&Version=2011-06-15"
req = AWSRequest(method="POST", url=url + "/", data=body,
                 headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
SigV4Auth(c, "sts", "us-east-1").add_auth(req)
headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in req.headers.items())
with open(f"{work}/../bare-sts.lua", "w") as f:
    f.write(f'wrk.method = "POST"\nwrk.body = "{body}"\n{headers}')
PY
python3 - "$URL" "$WORK" <<'PY'
import configparser, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url, work = sys.argv[1], sys.argv[2]
creds = configparser.ConfigParser(); creds.read(f"{work}/credentials")
c = Credentials(creds["rampart"]["aws_access_key_id"], creds["rampart"]["aws_secret_access_key"])
def script(name, service, body):
    req = AWSRequest(method="POST", url=url + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(c, service, "us-east-1").add_auth(req)
    headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in req.headers.items())
    with open(f"{work}/{name}.lua", "w") as f:
        f.write(f'wrk.method = "POST"\nwrk.body = "{body}"\n{headers}')
script("sts", "sts", "Action=GetCallerIdentity&Version=2011-06-15")
script("iam", "iam", "Action=GetUser&Version=2010-05-08&UserName=admin")
with open(f"{work}/unsigned.lua", "w") as f:
    f.write('wrk.method = "POST"\nwrk.body = "Action=GetCallerIdentity&Version=2011-06-15"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
PY
run() { wrk -t2 -c"${CONNECTIONS:-64}" -d"${DURATION}s" -s "$WORK/$1.lua" "${2:-$URL}/" | tee "$WORK/$1.txt" | sed -n 's/^Requests\/sec: *//p'; }
# Sanity: the signed requests must really succeed (wrk counts errors as non-2xx).
BASE="$(run unsigned)"; STS="$(run sts)"; IAM="$(run iam)"; BARE_STS="$(run bare-sts "$BARE_URL")"
grep -q "Non-2xx" "$WORK/sts.txt" && { echo "signed STS requests failed"; cat "$WORK/sts.txt"; exit 1; }
grep -q "Non-2xx" "$WORK/iam.txt" && { echo "signed IAM requests failed"; cat "$WORK/iam.txt"; exit 1; }
grep -q "Non-2xx" "$WORK/bare-sts.txt" && { echo "unaudited STS requests failed"; cat "$WORK/bare-sts.txt"; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$BASE" "$STS" "$IAM" "$BARE_STS" <<'PY'
import sys
base, sts, iam, bare = map(float, sys.argv[1:])
print(f"baseline (unsigned -> MissingAuthenticationToken): {base:10.0f} req/s   1.00x")
print(f"signed sts:GetCallerIdentity:                      {sts:10.0f} req/s   {sts/base:.2f}x")
print(f"signed iam:GetUser (authorized by policy):         {iam:10.0f} req/s   {iam/base:.2f}x")
print(f"signed sts:GetCallerIdentity, no audit trail:       {bare:10.0f} req/s   {bare/base:.2f}x")
print(f"audit trail cost: {100 * (1 - sts / bare):.1f}% of GetCallerIdentity throughput "
      f"({1e6 / sts - 1e6 / bare:.1f} us of server time per call)")
PY
