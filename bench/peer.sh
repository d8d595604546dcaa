#!/usr/bin/env bash
# Rampart beside an in-memory peer in one run, against 127.0.0.1 only, bounded in time.
# The peer is fakecloud (Rust; in memory, nothing durable) with SigV4 verification and IAM
# policy enforcement on (`--verify-sigv4 --iam strict`); Rampart runs on its default SQLite
# store, every write fsync'd before it is answered. Each server gets the same requests,
# signed with the key of an administrator IAM user of its own:
#   signed GetCallerIdentity and a 100-item ListUsers page (account of 101 users), each one
#   pre-signed request replayed by wrk -t2 -c64; CreateUser with 4 and with 64 concurrent
#   clients, every request a new user (bench/lib/presign.py, bench/lib/replay.lua).
# Reports 2xx/s of both and Rampart/peer. The peer is not built by this script; install it
# beside the project with
#   cargo install fakecloud --version 0.51.0 --root DIR      (then PEER_BIN=DIR/bin/fakecloud)
# Usage: PEER_BIN=… [DURATION=10] [NO_BUILD=1] bench/peer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-10}"
[ -x "${PEER_BIN:-}" ] || { echo "PEER_BIN must name the peer's binary (see the header)"; exit 2; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p rampart
BIN="$CARGO_TARGET_DIR/release/rampart"
WORK="$(mktemp -d)"
SERVER=; PEER=
trap 'kill $SERVER $PEER 2>/dev/null || true; rm -rf "$WORK"' EXIT
export AWS_CONFIG_FILE="$WORK/config" AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials" RAMPART_LOG=warn
. bench/lib/wrk.sh

"$BIN" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" > "$WORK/serve.out" 2>&1 &
SERVER=$!
wait_listening "$SERVER" "$WORK/serve.out" listening
URL="$(sed -n 's/^rampart listening on //p' "$WORK/serve.out")"
"$BIN" init --data-dir "$WORK/data" --endpoint-url "$URL" > /dev/null

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PEER_URL="http://127.0.0.1:$PORT"
"$PEER_BIN" --addr "127.0.0.1:$PORT" --verify-sigv4 --iam strict --log-level warn > "$WORK/peer.out" 2>&1 &
PEER=$!
until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null; do
    kill -0 "$PEER" 2>/dev/null || { cat "$WORK/peer.out"; exit 1; }
    sleep 0.1
done

# The peer's administrator (made with its reserved bootstrap identity, which bypasses its
# checks), then 100 users in each server for the ListUsers page.
python3 - "$URL" "$PEER_URL" "$WORK/credentials" <<'PY'
import json, sys, boto3
url, peer_url, creds = sys.argv[1:4]
boot = boto3.client("iam", endpoint_url=peer_url, region_name="us-east-1",
                    aws_access_key_id="test", aws_secret_access_key="test")
boot.create_user(UserName="admin")
boot.put_user_policy(UserName="admin", PolicyName="admin", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = boot.create_access_key(UserName="admin")["AccessKey"]
with open(creds, "a") as f:
    f.write(f"\n[peer]\naws_access_key_id = {key['AccessKeyId']}\n"
            f"aws_secret_access_key = {key['SecretAccessKey']}\n")
for profile, endpoint in (("rampart", url), ("peer", peer_url)):
    iam = boto3.session.Session(profile_name=profile, region_name="us-east-1").client(
        "iam", endpoint_url=endpoint)
    for n in range(100):
        iam.create_user(UserName=f"u{n:03d}")
    assert len(iam.list_users(MaxItems=100)["Users"]) == 100, profile
PY

measure() { # measure PROFILE URL: one line of 2xx/s: sts list create4 create64
    local profile=$1 url=$2
    python3 bench/lib/presign.py "$url" "$AWS_SHARED_CREDENTIALS_FILE" "$profile" sts "$WORK/sts.req" 1 \
        "Action=GetCallerIdentity&Version=2011-06-15"
    python3 bench/lib/presign.py "$url" "$AWS_SHARED_CREDENTIALS_FILE" "$profile" iam "$WORK/list.req" 1 \
        "Action=ListUsers&Version=2010-05-08&MaxItems=100"
    python3 bench/lib/presign.py "$url" "$AWS_SHARED_CREDENTIALS_FILE" "$profile" iam "$WORK/c4.req" 200000 \
        "Action=CreateUser&Version=2010-05-08&UserName=c4-{n}"
    python3 bench/lib/presign.py "$url" "$AWS_SHARED_CREDENTIALS_FILE" "$profile" iam "$WORK/c64.req" 400000 \
        "Action=CreateUser&Version=2010-05-08&UserName=c64-{n}"
    echo "$(wrk_ok "$profile-sts" 64 "$url" bench/lib/replay.lua "$WORK/sts.req" 2)" \
         "$(wrk_ok "$profile-list" 64 "$url" bench/lib/replay.lua "$WORK/list.req" 2)" \
         "$(wrk_ok "$profile-c4" 4 "$url" bench/lib/replay.lua "$WORK/c4.req" 2)" \
         "$(wrk_ok "$profile-c64" 64 "$url" bench/lib/replay.lua "$WORK/c64.req" 2)"
}
OURS=$(measure rampart "$URL")
THEIRS=$(measure peer "$PEER_URL")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OURS" "$THEIRS" <<'PY'
import sys
ours, theirs = ([float(v) for v in line.split()] for line in sys.argv[1:3])
names = ["signed GetCallerIdentity (c64)", "ListUsers, 100-item page (c64)",
         "CreateUser, 4 clients", "CreateUser, 64 clients"]
print(f"{'2xx responses per second':34}{'Rampart':>12}{'peer':>12}{'Rampart/peer':>15}")
for name, a, b in zip(names, ours, theirs):
    print(f"{name:34}{a:12.0f}{b:12.0f}{a / b if b else float('nan'):14.2f}x")
PY
