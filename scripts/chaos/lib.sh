# Shared by the chaos scripts (sourced, not run): builds the release binary, starts throwaway
# servers and PostgreSQL clusters on 127.0.0.1 only, and cleans them up at exit.
# Sets ROOT (the repository), BIN (the release binary) and exports CARGO_TARGET_DIR.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target}"
export PYTHONPATH="$ROOT/scripts/chaos${PYTHONPATH:+:$PYTHONPATH}"
# CHAOS_BIN=path runs another binary (and skips the build).
BIN="${CHAOS_BIN:-$CARGO_TARGET_DIR/release/rampart}"
[ -n "${CHAOS_BIN:-}" ] && export CHAOS_NO_BUILD=1

# Builds the release binary unless CHAOS_NO_BUILD=1 (run.sh builds once for all three).
build_rampart() {
    if [ "${CHAOS_NO_BUILD:-}" != 1 ]; then
        (cd "$ROOT" && cargo build --release -q -p rampart)
    fi
    [ -x "$BIN" ] || { echo "no release binary at $BIN" >&2; exit 1; }
}

source "$ROOT/scripts/postgres.sh"

# Starts a throwaway cluster. Exports CHAOS_PG_URL and CHAOS_PG_CTL (the pg_ctl command line,
# without its action, that restarts it).
start_postgres() {
    pg_cluster_start rampart_chaos
    export CHAOS_PG_URL="$PG_URL"
    export CHAOS_PG_CTL="${PG_CTL[*]@Q}"
}

stop_postgres() {
    [ -n "${CHAOS_PG_CTL:-}" ] && eval "$CHAOS_PG_CTL -m immediate stop" >/dev/null 2>&1 || true
    if [ -n "${PG_TMP:-}" ]; then rm -rf "$PG_TMP"; fi
}
