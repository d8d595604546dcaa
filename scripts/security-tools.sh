#!/usr/bin/env bash
# Runs Prowler's IAM, Organizations and Account checks against a freshly seeded Rampart and
# fails when any check errors (findings are expected and only summarized: the seeded account
# has users without MFA, an admin policy and so on, on purpose).
#
# Prowler is pinned and installed in its own virtualenv under $RAMPART_TOOLS_DIR (default
# ~/.cache/rampart-tools), so the test suite's pinned boto3 and aws CLI are left alone.
# Rampart is the release build (RAMPART_BIN=path uses another binary), served on a free
# loopback port with a temporary data directory; nothing outside those two places is written.
# Docs: docs/security-tools.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PROWLER_VERSION=5.46.0
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target}"
TOOLS="${RAMPART_TOOLS_DIR:-$HOME/.cache/rampart-tools}"
VENV="$TOOLS/prowler-$PROWLER_VERSION"

if [ ! -x "$VENV/bin/prowler" ]; then
    echo "installing prowler $PROWLER_VERSION into $VENV" >&2
    rm -rf "$VENV"
    mkdir -p "$TOOLS"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "prowler==$PROWLER_VERSION"
fi

BIN="${RAMPART_BIN:-}"
if [ -z "$BIN" ]; then
    cargo build --release --quiet -p rampart --bin rampart
    BIN="$CARGO_TARGET_DIR/release/rampart"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/rampart-security-tools.XXXXXX")"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    if [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap cleanup EXIT

# Serve on a free port; the first line names it.
mkfifo "$WORK/listening"
RAMPART_LOG=warn "$BIN" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" >"$WORK/listening" 2>"$WORK/server.log" &
SERVER_PID=$!
read -r first <"$WORK/listening"
ENDPOINT="${first#rampart listening on }"
case "$ENDPOINT" in http://*) ;; *) echo "unexpected first line: $first" >&2; exit 1 ;; esac
# Keep draining the server's stdout so it never blocks on a full pipe.
cat "$WORK/listening" >/dev/null &

export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
"$BIN" init --data-dir "$WORK/data" --endpoint-url "$ENDPOINT" >"$WORK/init.log"
export AWS_PROFILE=rampart AWS_ENDPOINT_URL="$ENDPOINT" AWS_DEFAULT_REGION=us-east-1
python3 scripts/security-tools/seed.py >"$WORK/seed.json"

echo "prowler $PROWLER_VERSION: iam, organizations, account checks against $ENDPOINT" >&2
set +e
"$VENV/bin/prowler" aws --services iam organizations account --region us-east-1 \
    --output-formats json-ocsf --output-directory "$WORK/out" --output-filename prowler \
    --log-level "${PROWLER_LOG_LEVEL:-ERROR}" --log-file "$WORK/prowler.log" --no-banner >"$WORK/prowler.out" 2>&1
status=$?
set -e
# Prowler exits 3 when a check found something; anything else besides 0 is a failure to run.
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
    echo "prowler exited with $status" >&2
    tail -50 "$WORK/prowler.out" >&2
    exit 1
fi
python3 scripts/security-tools/summary.py "$WORK/out/prowler.ocsf.json" "$WORK/prowler.log"
