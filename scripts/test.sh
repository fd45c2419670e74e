#!/usr/bin/env bash
# Runs every test of kyozai on a fresh Debian machine: installs what the tests need, then
# formatting and lint checks, the Rust unit and integration tests, and the browser tests
# (headless Chromium). Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "installing test dependencies"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
bash scripts/install-test-deps.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --all-targets --locked -- -D warnings

step "cargo test (unit and integration tests)"
cargo test --locked

step "browser tests (Chromium)"
cargo build --locked
(cd tests/browser && npm test)
