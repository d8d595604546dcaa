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

# Finds initdb and pg_ctl, installing Debian's postgresql when neither PATH nor
# /usr/lib/postgresql has them (as scripts/test.sh does).
pg_bindir() {
    local initdb
    initdb=$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$initdb" ]; then
        echo "chaos: installing postgresql" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
    fi
    dirname "$(readlink -f "$initdb")"
}

# Starts a throwaway cluster (trust authentication, loopback only). Exports CHAOS_PG_URL and
# CHAOS_PG_CTL (the pg_ctl command line, without its action, that restarts it).
start_postgres() {
    local bin port tmp="${TMPDIR:-/tmp}" as_pg=()
    bin=$(pg_bindir)
    [ "$(id -u)" = 0 ] && tmp=/tmp
    PG_TMP=$(mktemp -d "$tmp/rampart-chaos-pg.XXXXXX")
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
        chown postgres "$PG_TMP"
        as_pg=(runuser -u postgres --)
    fi
    chmod 700 "$PG_TMP"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${as_pg[@]}" "$bin/initdb" -D "$PG_TMP/data" -U rampart --auth=trust -E UTF8 >"$PG_TMP/initdb.log" 2>&1 \
        || { cat "$PG_TMP/initdb.log" >&2; exit 1; }
    "${as_pg[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 20 \
        -o "-k $PG_TMP -p $port -c listen_addresses=127.0.0.1" start >/dev/null \
        || { cat "$PG_TMP/server.log" >&2; exit 1; }
    "${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U rampart rampart_chaos
    export CHAOS_PG_URL="postgres://rampart@127.0.0.1:$port/rampart_chaos"
    export CHAOS_PG_CTL="${as_pg[*]} $bin/pg_ctl -D $PG_TMP/data -l $PG_TMP/server.log -w -t 30 -o '-k $PG_TMP -p $port -c listen_addresses=127.0.0.1'"
}

stop_postgres() {
    [ -n "${CHAOS_PG_CTL:-}" ] && eval "$CHAOS_PG_CTL -m immediate stop" >/dev/null 2>&1 || true
    if [ -n "${PG_TMP:-}" ]; then rm -rf "$PG_TMP"; fi
}
