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

source scripts/postgres.sh

# Starts a throwaway cluster, removed at exit, and exports its URL.
start_postgres() {
    trap stop_postgres EXIT
    pg_cluster_start rampart_test --no-sync
    export RAMPART_TEST_POSTGRES_URL="$PG_URL"
}

stop_postgres() {
    if [ -n "${PG_CTL+set}" ]; then "${PG_CTL[@]}" -m immediate stop >/dev/null 2>&1 || true; fi
    if [ -n "${PG_TMP:-}" ]; then rm -rf "$PG_TMP"; fi
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

# The reliability campaign's short run against the debug binary the tests just built (kill -9
# loop, bad-input matrix, secrets grep, exhaustion probes; about a minute and a half), then a
# fuzzing smoke run of every cargo-fuzz target (builds them on first use, then 10 s each).
CHAOS_BIN="$CARGO_TARGET_DIR/debug/rampart" bash scripts/chaos/run.sh short
bash fuzz/run.sh all 10
