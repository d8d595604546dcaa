#!/usr/bin/env bash
# The reliability campaign of issue 13 as code: the kill -9 durability loop, the bad-input
# matrix, the secrets grep and the resource-exhaustion probes, each against its own
# throwaway release server on 127.0.0.1.
#   short: 3 durability cycles on SQLite (under 2 minutes in all; what CI could run)
#   long:  100 cycles on SQLite, then 30 on two nodes sharing a throwaway PostgreSQL that is
#          itself crashed (pg_ctl -m immediate) every other cycle
# Usage: scripts/chaos/run.sh [short|long]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
MODE="${1:-short}"
build_rampart
export CHAOS_NO_BUILD=1
DIR="$ROOT/scripts/chaos"
failed=()
step() { echo "== $*"; "$@" || failed+=("$*"); echo; }
case "$MODE" in
    short) step "$DIR/durability.sh" 3 ;;
    long)
        step "$DIR/durability.sh" 100
        step "$DIR/durability.sh" 30 --postgres ;;
    *) echo "usage: $0 [short|long]" >&2; exit 2 ;;
esac
step "$DIR/bad-input.sh"
step "$DIR/secrets.sh"
step "$DIR/exhaustion.sh" "$MODE"
if [ ${#failed[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${failed[@]}"
    exit 1
fi
echo "chaos $MODE: all passed"
