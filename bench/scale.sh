#!/usr/bin/env bash
# Scale benchmark against 127.0.0.1 (never elsewhere), bounded in time. Grows one data
# directory through identity counts (default 1000 and 100000; `bench/scale.sh 1000 100000
# 1000000` for a million): users with an access key and an attached customer managed policy,
# spread over 1,000 accounts and generated directly through the core in large transactions
# (`rampart-populate`). At each size it restarts the server and reports, each as a ratio to
# the first size of the same run:
#   start-up time (process start → listening, every row loaded) and the CPU seconds it took,
#   RSS after start-up and its peak, data-directory size; wrk -t2 -c32 with one pre-signed request replayed: signed
#   GetCallerIdentity, signed GetUser (authorized by policy), a 100-item ListUsers page,
#   AssumeRole; CreateUser with 4 and 64 concurrent clients, every request a new user
#   (pre-signed by bench/lib/presign.py, sent by bench/lib/replay.lua), counting 2xx only.
# With BASELINE_BIN=/path/to/an/older/rampart, CreateUser is also measured against that
# binary on the same data at each size, and the table gives new/old.
# NO_BUILD=1 uses the release build already in CARGO_TARGET_DIR.
# Usage: [DURATION=5] [BASELINE_BIN=…] [NO_BUILD=1] bench/scale.sh [identities…]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-5}"
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 100000)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p rampart
BIN="$CARGO_TARGET_DIR/release/rampart"
POPULATE="$CARGO_TARGET_DIR/release/rampart-populate"
WORK="$(mktemp -d)"
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
export AWS_CONFIG_FILE="$WORK/config" AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials" RAMPART_LOG=warn
RESULTS="$WORK/results"
. bench/lib/wrk.sh

start() { # start BINARY: serve the data directory, set URL and STARTUP (seconds)
    local t0 t1
    rm -f "$WORK/serve.out"  # else the wait below may read the previous server's line
    t0=$(date +%s.%N)
    "$1" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" > "$WORK/serve.out" 2>&1 &
    SERVER=$!
    wait_listening "$SERVER" "$WORK/serve.out" listening
    t1=$(date +%s.%N)
    STARTUP=$(echo "$t1 - $t0" | bc)
    # CPU seconds the server spent starting (every core; unlike the wall time, not
    # stretched by other load on the machine).
    STARTCPU=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$SERVER/stat")
    URL="$(sed -n 's/^rampart listening on //p' "$WORK/serve.out")"
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }
rss() { awk -v f="$1" '$1 == f":" {print $2 * 1024}' "/proc/$SERVER/status"; }
single() { # single NAME SERVICE BODY: a Lua script replaying one signed request
    python3 bench/lib/presign.py "$URL" "$AWS_SHARED_CREDENTIALS_FILE" rampart "$2" "$WORK/$1.req" 1 "$3"
    python3 - "$WORK/$1.req" "$WORK/$1.lua" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read().split(b"\n", 1)[1].decode()
head, body = raw.split("\r\n\r\n", 1)
lines = head.split("\r\n")[1:]
hdrs = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in (l.split(": ", 1) for l in lines)
               if k not in ("Host", "Content-Length"))
open(sys.argv[2], "w").write(f'wrk.method = "POST"\nwrk.body = "{body}"\n{hdrs}')
PY
}
creates() { # creates LABEL CONNECTIONS COUNT: CreateUser/s, every request a new user
    python3 bench/lib/presign.py "$URL" "$AWS_SHARED_CREDENTIALS_FILE" rampart iam "$WORK/create.req" "$3" \
        "Action=CreateUser&Version=2010-05-08&UserName=$1-{n}"
    wrk_ok "create-$1" "$2" "$URL" bench/lib/replay.lua "$WORK/create.req" 2
}

start "$BIN"
"$BIN" init --data-dir "$WORK/data" --endpoint-url "$URL" > /dev/null
python3 - "$URL" > "$WORK/role_arn" <<'PY'
import json, sys, boto3
s = boto3.session.Session(profile_name="rampart")
account = s.client("sts", endpoint_url=sys.argv[1]).get_caller_identity()["Account"]
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
         "Principal": {"AWS": f"arn:aws:iam::{account}:root"}}]}
iam = s.client("iam", endpoint_url=sys.argv[1])
role = iam.create_role(RoleName="bench", AssumeRolePolicyDocument=json.dumps(trust))
# A full first page for the ListUsers figure at every size ("a" sorts before the load's users).
for n in range(120):
    iam.create_user(UserName=f"a{n:03d}")
print(role["Role"]["Arn"])
PY
ROLE_ARN=$(cat "$WORK/role_arn")
stop

: > "$RESULTS"
for size in "${SIZES[@]}"; do
    per=$(( size / 1000 )); [ "$per" -ge 1 ] || per=1
    t0=$(date +%s.%N)
    "$POPULATE" --data-dir "$WORK/data" --accounts 1000 --users-per-account "$per" > /dev/null
    POP=$(echo "$(date +%s.%N) - $t0" | bc)
    start "$BIN"
    RSS=$(rss VmRSS)
    DISK=$(du -sb "$WORK/data" | cut -f1)
    single sts sts "Action=GetCallerIdentity&Version=2011-06-15"
    single iam iam "Action=GetUser&Version=2010-05-08&UserName=admin"
    single list iam "Action=ListUsers&Version=2010-05-08&MaxItems=100"
    single assume sts "Action=AssumeRole&Version=2011-06-15&RoleArn=$ROLE_ARN&RoleSessionName=bench"
    STS=$(wrk_ok sts 32 "$URL" "$WORK/sts.lua"); IAM=$(wrk_ok iam 32 "$URL" "$WORK/iam.lua")
    LIST=$(wrk_ok list 32 "$URL" "$WORK/list.lua"); ASSUME=$(wrk_ok assume 32 "$URL" "$WORK/assume.lua")
    C4=$(creates "s$size-c4" 4 40000); C64=$(creates "s$size-c64" 64 150000)
    PEAK=$(rss VmHWM)
    stop
    OLD4=0; OLD64=0
    if [ -n "${BASELINE_BIN:-}" ]; then
        start "$BASELINE_BIN"
        OLD4=$(creates "o$size-c4" 4 20000); OLD64=$(creates "o$size-c64" 64 40000)
        stop
    fi
    echo "load average after $size: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    echo "$size $POP $STARTUP $STARTCPU $RSS $PEAK $DISK $STS $IAM $LIST $ASSUME $C4 $C64 $OLD4 $OLD64" | tee -a "$RESULTS"
done

python3 - "$RESULTS" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
names = ["identities", "populate s", "start-up s", "start-up CPU s", "RSS MiB", "peak RSS MiB", "data dir MiB",
         "GetCallerIdentity/s", "GetUser/s (authorized)", "ListUsers 100/s", "AssumeRole/s",
         "CreateUser/s c4", "CreateUser/s c64", "baseline bin CreateUser/s c4", "baseline bin CreateUser/s c64"]
scale = [1, 1, 1, 1, 2**20, 2**20, 2**20, 1, 1, 1, 1, 1, 1, 1, 1]
base = [float(v) for v in rows[0]]
print(f"{'':32}" + "".join(f"{int(r[0]):>22,}" for r in rows))
for i, name in enumerate(names[1:], start=1):
    if name.startswith("baseline") and base[i] == 0:
        continue
    cells = []
    for r in rows:
        v = float(r[i])
        ratio = v / base[i] if base[i] else 0
        cells.append(f"{v / scale[i]:>12.1f} ({ratio:5.2f}x)")
    print(f"{name:32}" + "".join(f"{c:>22}" for c in cells))
if base[13]:
    for r in rows:
        print(f"{int(r[0]):,} identities: new/old CreateUser c4 {float(r[11])/float(r[13]):.1f}x, "
              f"c64 {float(r[12])/float(r[14]):.1f}x")
PY
