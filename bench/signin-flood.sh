#!/usr/bin/env bash
# Memory under a flood of console sign-in attempts (issue 13 item 1), against 127.0.0.1 only
# and bounded in time. Starts a release server, records its RSS at rest (the baseline), then
# 100 concurrent clients post wrong passwords for N seconds; reports the peak RSS during the
# flood and the RSS 5 s after it, as ratios to the baseline, plus how the attempts were
# answered (403 wrong password, 400 Throttling). Usage: bench/signin-flood.sh [seconds, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target}"
cargo build --release -q -p rampart
BIN="$CARGO_TARGET_DIR/release/rampart"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export AWS_CONFIG_FILE="$WORK/config" AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials" RAMPART_LOG=error
"$BIN" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" > "$WORK/serve.out" &
SERVER=$!
for _ in $(seq 50); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
URL="$(sed -n 's/^rampart listening on //p' "$WORK/serve.out")"
"$BIN" init --data-dir "$WORK/data" --endpoint-url "$URL" > "$WORK/init.out"
ACCOUNT="$(sed -n 's/^  management account: //p' "$WORK/init.out")"
# A console password for `admin`, so every attempt runs a real argon2id verification.
AWS_ENDPOINT_URL="$URL" aws --profile rampart iam create-login-profile --user-name admin \
    --password 'Flood-Test-Passw0rd!' > /dev/null
python3 - "$URL" "$ACCOUNT" "$SERVER" "$DURATION" <<'PY'
import collections, sys, threading, time, urllib.error, urllib.request
url, account, pid, duration = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
time.sleep(1)
base = rss_mb()
answers = collections.Counter()
stop = time.time() + duration
def attack():
    body = f"account={account}&username=admin&password=wrong".encode()
    while time.time() < stop:
        try:
            urllib.request.urlopen(urllib.request.Request(url + "/console/signin", data=body), timeout=30)
            answers[200] += 1
        except urllib.error.HTTPError as e:
            answers[e.code] += 1
        except Exception:
            answers["error"] += 1
threads = [threading.Thread(target=attack) for _ in range(100)]
for t in threads: t.start()
peak = base
while any(t.is_alive() for t in threads):
    peak = max(peak, rss_mb()); time.sleep(0.1)
time.sleep(5)
after = rss_mb()
print(f"RSS at rest {base:.1f} MB; peak during {duration:.0f} s of 100 concurrent wrong-password sign-ins "
      f"{peak:.1f} MB ({peak / base:.2f}x); 5 s later {after:.1f} MB ({after / base:.2f}x)")
print("answers:", dict(answers))
PY
