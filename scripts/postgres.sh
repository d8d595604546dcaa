# Throwaway PostgreSQL clusters on 127.0.0.1 (sourced, not run), for scripts/test.sh and the
# chaos scripts: Debian's postgresql is installed if missing; as root the cluster belongs to
# `postgres` (initdb refuses root).

# Finds initdb and pg_ctl, installing Debian's postgresql when neither PATH nor
# /usr/lib/postgresql has them.
pg_bindir() {
    local initdb
    initdb=$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$initdb" ]; then
        echo "installing postgresql" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
    fi
    dirname "$(readlink -f "$initdb")"
}

# pg_cluster_start DATABASE [INITDB_OPTION...]: creates a cluster (trust authentication,
# loopback only) in a new temporary directory, starts it on a free port and creates DATABASE.
# Sets PG_TMP (the directory), PG_PORT, PG_URL, and PG_CTL (an array: pg_ctl for this cluster
# as its owner, without its action), set before the cluster starts so an EXIT trap can stop it.
pg_cluster_start() {
    local database="$1" bin tmp="${TMPDIR:-/tmp}" as_pg=() opts
    shift
    bin=$(pg_bindir)
    # As root the cluster belongs to `postgres`, which must reach it: use /tmp, not root's TMPDIR.
    [ "$(id -u)" = 0 ] && tmp=/tmp
    PG_TMP=$(mktemp -d "$tmp/rampart-pg.XXXXXX")
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
        chown postgres "$PG_TMP"
        as_pg=(runuser -u postgres --)
    fi
    chmod 700 "$PG_TMP"
    PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${as_pg[@]}" "$bin/initdb" -D "$PG_TMP/data" -U rampart --auth=trust -E UTF8 "$@" >"$PG_TMP/initdb.log" 2>&1 \
        || { cat "$PG_TMP/initdb.log" >&2; exit 1; }
    opts="-k $PG_TMP -p $PG_PORT -c listen_addresses=127.0.0.1"
    PG_CTL=("${as_pg[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 30 -o "$opts")
    "${PG_CTL[@]}" start >/dev/null || { cat "$PG_TMP/server.log" >&2; exit 1; }
    "${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U rampart "$database"
    PG_URL="postgres://rampart@127.0.0.1:$PG_PORT/$database"
}
