#!/usr/bin/env bash
# The secrets grep (issue 13) against a throwaway release server on 127.0.0.1: creates every
# kind of secret through boto3, then searches the data directory (database, WAL, outbox) and
# the server's log output (debug level) for each value plain, hex and base64. Fails on a hit.
# Usage: scripts/chaos/secrets.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build_rampart
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 "$ROOT/scripts/chaos/secrets_grep.py" --work "$WORK"
