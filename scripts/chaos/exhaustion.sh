#!/usr/bin/env bash
# Resource-exhaustion probes (issue 13) against throwaway release servers on 127.0.0.1:
# descriptor exhaustion under a small RLIMIT_NOFILE, connections beyond --max-connections,
# slowloris heads, stalled TLS handshakes and idle connections, each with a 3 s header
# timeout. Prints one line of figures per probe; fails on a spinning accept loop, a log line
# per failed accept, a connection the server never closes or a client never served.
#   short: 300 descriptors-probe connections, 100 slowloris heads (about 45 s)
#   long:  600 / 400 / 1,000 idle connections (about a minute and a half)
# Usage: scripts/chaos/exhaustion.sh [short|long]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
MODE="${1:-short}"
build_rampart
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 "$ROOT/scripts/chaos/exhaustion.py" --work "$WORK" --mode "$MODE"
