#!/usr/bin/env bash
# The whole test suite: unit, property, corpus and end-to-end tests (the e2e tests start the
# real binary and drive it with the aws CLI, boto3 and aws-sdk-rust), then doc tests and lints.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rampart-target}"
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --no-fail-fast
else
    cargo test --workspace --no-fail-fast
fi
cargo test --workspace --doc
cargo clippy --workspace -- -D warnings
