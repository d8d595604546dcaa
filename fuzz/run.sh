#!/usr/bin/env bash
# Runs cargo-fuzz targets for a bounded time and fails on any crash.
#
#   fuzz/run.sh                      every target, 60 s each, one after another
#   fuzz/run.sh sigv4 180            one target for 180 s
#   fuzz/run.sh all 30 -- -jobs=1    extra arguments after `--` go to libFuzzer
#
# Installs cargo-fuzz 0.13.2 if missing. Uses `-s none`: the address sanitizer needs nightly.
# Prints libFuzzer's final `Done N runs in S second(s)` line per target.
set -euo pipefail
cd "$(dirname "$0")"
TARGETS=(policy_parse sigv4 query_decode json_decode xml_encode)
target="${1:-all}"
seconds="${2:-60}"
shift $(( $# < 2 ? $# : 2 ))
[[ "${1:-}" == "--" ]] && shift
if [[ "$target" == "all" ]]; then
    selected=("${TARGETS[@]}")
elif [[ " ${TARGETS[*]} " == *" $target "* ]]; then
    selected=("$target")
else
    echo "unknown target '$target'; one of: all ${TARGETS[*]}" >&2
    exit 2
fi
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
    echo "seconds must be a whole number, not '$seconds'" >&2
    exit 2
fi
if ! cargo fuzz --version 2>/dev/null | grep -q '0\.13\.2'; then
    cargo install cargo-fuzz --version 0.13.2 --locked
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target-fuzz}"
cargo fuzz build -s none
for t in "${selected[@]}"; do
    # Seed the working corpus (git-ignored) with the checked-in seeds.
    mkdir -p "corpus/$t"
    cp -n "seeds/$t"/* "corpus/$t/" 2>/dev/null || true
    log="$(mktemp)"
    echo "== $t: ${seconds} s"
    # A crash makes cargo fuzz exit non-zero, and `set -e` stops the run there.
    if ! cargo fuzz run -s none "$t" -- -max_total_time="$seconds" "$@" 2>&1 | tee "$log"; then
        echo "== $t: CRASHED (reproducer under fuzz/artifacts/$t/)" >&2
        rm -f "$log"
        exit 1
    fi
    echo "== $t: $(grep -E '^Done [0-9]+ runs' "$log" | tail -n 1)"
    rm -f "$log"
done
