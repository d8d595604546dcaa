#!/usr/bin/env bash
# Runs the policy-parsing fuzz target for a bounded time (60 s) and fails on any crash.
# Installs cargo-fuzz 0.13.2 if missing. Uses `-s none`: the address sanitizer needs nightly.
set -euo pipefail
cd "$(dirname "$0")"
if ! cargo fuzz --version 2>/dev/null | grep -q '0\.13\.2'; then
    cargo install cargo-fuzz --version 0.13.2 --locked
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target-fuzz}"
# Seed the working corpus (git-ignored) with the checked-in seeds.
mkdir -p corpus/policy_parse
cp -n seeds/policy_parse/* corpus/policy_parse/ 2>/dev/null || true
cargo fuzz run -s none policy_parse -- -max_total_time=60 "$@"
