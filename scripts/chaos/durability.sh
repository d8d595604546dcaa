#!/usr/bin/env bash
# The kill -9 durability loop (issue 13) against a throwaway release server on 127.0.0.1:
# 4 writers, N cycles, each acknowledged write and its audit event verified after every
# restart, no half-created users. Prints its figures; exits non-zero on any loss.
# Usage: scripts/chaos/durability.sh [cycles, default 10] [--postgres [URL]] [--pg-ctl CMD]
#   --postgres alone starts a throwaway PostgreSQL cluster and crashes it (pg_ctl -m immediate)
#   every other cycle; --postgres URL uses that (empty) database, and crashes it only when
#   --pg-ctl names the pg_ctl command line that controls it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
CYCLES=10 PG=() PGCTL=()
while [ $# -gt 0 ]; do
    case "$1" in
        --postgres)
            if [ -n "${2:-}" ] && [[ "$2" == postgres* ]]; then PG=(--postgres "$2"); shift; else PG=(--postgres ""); fi ;;
        --pg-ctl) PGCTL=(--pg-ctl "$2"); shift ;;
        *) CYCLES="$1" ;;
    esac
    shift
done
build_rampart
WORK="$(mktemp -d)"
trap 'stop_postgres; rm -rf "$WORK"' EXIT
if [ ${#PG[@]} -gt 0 ] && [ -z "${PG[1]}" ]; then
    start_postgres
    PG=(--postgres "$CHAOS_PG_URL") PGCTL=(--pg-ctl "$CHAOS_PG_CTL")
fi
python3 "$ROOT/scripts/chaos/durability.py" "$CYCLES" --work "$WORK" "${PG[@]}" "${PGCTL[@]}"
