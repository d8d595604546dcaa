#!/usr/bin/env bash
# Scale benchmark against 127.0.0.1: an account with N users (default 10000), then
# GenerateCredentialReport + GetCredentialReport and ListUsers paged through all of them,
# each timed against a baseline of single GetCallerIdentity calls in the same run.
# Usage: bench/scale.sh [users]
set -euo pipefail
cd "$(dirname "$0")/.."
USERS="${1:-10000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target}"
cargo build --release -q -p rampart
BIN="$CARGO_TARGET_DIR/release/rampart"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export AWS_CONFIG_FILE="$WORK/config" AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials" RAMPART_LOG=warn
"$BIN" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" > "$WORK/serve.out" &
SERVER=$!
for _ in $(seq 50); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
URL="$(sed -n 's/^rampart listening on //p' "$WORK/serve.out")"
"$BIN" init --data-dir "$WORK/data" --endpoint-url "$URL" > /dev/null
python3 - "$URL" "$USERS" <<'PY'
import concurrent.futures, statistics, sys, time
import boto3
url, users = sys.argv[1], int(sys.argv[2])
session = boto3.session.Session(profile_name="rampart")
iam = session.client("iam", endpoint_url=url)
sts = session.client("sts", endpoint_url=url)
def timed(fn, runs):
    samples = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); samples.append(time.perf_counter() - t)
    return statistics.median(samples)
t = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    list(pool.map(lambda n: iam.create_user(UserName=f"user{n:05d}"), range(users)))
create = time.perf_counter() - t
base = timed(sts.get_caller_identity, 50)
# One generation: the 4-hour rule makes later calls return the report already made.
gen = timed(lambda: iam.generate_credential_report(), 1)
get = timed(lambda: iam.get_credential_report(), 5)
rows = iam.get_credential_report()["Content"].count(b"\n")
def page_all():
    n = 0
    for p in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 1000}):
        n += len(p["Users"])
    assert n == users + 1, n
list_all = timed(page_all, 3)
print(f"users created: {users} in {create:.1f} s ({users/create:.0f}/s with 8 client threads)")
print(f"baseline GetCallerIdentity median:        {base*1000:8.2f} ms   1x")
print(f"GenerateCredentialReport ({users} users): {gen*1000:8.2f} ms   {gen/base:.0f}x")
print(f"GetCredentialReport ({rows} rows):        {get*1000:8.2f} ms   {get/base:.0f}x")
print(f"ListUsers, all pages of 1000:              {list_all*1000:8.2f} ms   {list_all/base:.0f}x")
PY
