#!/usr/bin/env bash
# The whole test suite: unit, property, corpus and end-to-end tests (the e2e tests start the
# real binary and drive it with the aws CLI, boto3 and aws-sdk-rust), then doc tests and lints.
#
# The PostgreSQL tests need a server: unless RAMPART_TEST_POSTGRES_URL names one, this script
# installs PostgreSQL if missing (Debian packages), starts a throwaway cluster on a free
# loopback port and removes it at exit. RAMPART_REQUIRE_POSTGRES=1 makes those tests fail
# rather than skip when no server is given.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target}"
export RAMPART_REQUIRE_POSTGRES=1

# Finds initdb and pg_ctl, installing Debian's postgresql when neither PATH nor
# /usr/lib/postgresql has them.
pg_bindir() {
    local initdb
    initdb=$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$initdb" ]; then
        echo "test.sh: installing postgresql" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
    fi
    dirname "$(readlink -f "$initdb")"
}

# Starts a throwaway cluster (trust authentication, loopback only) and exports its URL.
start_postgres() {
    local bin port tmp="${TMPDIR:-/tmp}" as_pg=()
    bin=$(pg_bindir)
    # As root the cluster belongs to `postgres`, which must reach it: use /tmp, not root's TMPDIR.
    [ "$(id -u)" = 0 ] && tmp=/tmp
    PG_TMP=$(mktemp -d "$tmp/rampart-pg.XXXXXX")
    if [ "$(id -u)" = 0 ]; then
        # initdb refuses to run as root.
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
        chown postgres "$PG_TMP"
        as_pg=(runuser -u postgres --)
    fi
    chmod 700 "$PG_TMP"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${as_pg[@]}" "$bin/initdb" -D "$PG_TMP/data" -U rampart --auth=trust -E UTF8 --no-sync >"$PG_TMP/initdb.log" 2>&1 \
        || { cat "$PG_TMP/initdb.log" >&2; exit 1; }
    PG_STOP=("${as_pg[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -m immediate stop)
    trap stop_postgres EXIT
    "${as_pg[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 20 \
        -o "-k $PG_TMP -p $port -c listen_addresses=127.0.0.1" start >/dev/null \
        || { cat "$PG_TMP/server.log" >&2; exit 1; }
    "${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U rampart rampart_test
    export RAMPART_TEST_POSTGRES_URL="postgres://rampart@127.0.0.1:$port/rampart_test"
}

stop_postgres() {
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
}

if [ -z "${RAMPART_TEST_POSTGRES_URL:-}" ]; then
    start_postgres
fi

if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --no-fail-fast
else
    cargo test --workspace --no-fail-fast
fi
cargo test --workspace --doc
cargo fmt --all -- --check
cargo clippy --workspace -- -D warnings
