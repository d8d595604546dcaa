#!/usr/bin/env bash
# The bad-input matrix (issue 13) against a throwaway release server on 127.0.0.1: malformed,
# oversized, truncated and badly signed requests for every protocol, 1 MB values, a slowloris
# head and a stalled body (bounded: about 50 s). Prints a table; fails on any 5xx, a crash,
# an error body over 64 KiB, or a connection the server never closes.
# Usage: scripts/chaos/bad-input.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build_rampart
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 "$ROOT/scripts/chaos/bad_input.py" --work "$WORK"
