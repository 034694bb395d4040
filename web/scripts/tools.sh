#!/usr/bin/env bash
# Installs what builds the browser bundle, when missing, and puts it on PATH.
# Source it (`. web/scripts/tools.sh`); safe to run again: present tools are not reinstalled.
#   - the wasm32 target of the Rust toolchain
#   - wasm-bindgen-cli of exactly the wasm-bindgen version in Cargo.lock (~2 min to build)
#   - wasm-opt (binaryen) and esbuild from npm (Debian's binaryen is too old for Rust 1.95's
#     wasm)
# No dioxus-cli: bundle.sh does the few steps of `dx bundle` this app needs with these tools,
# which saves the ~20 minutes of building dx on a fresh machine.
set -euo pipefail

crm_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
crm_tools="${CRM_TOOLS_DIR:-$HOME/.cache/crm-tools}"
mkdir -p "$crm_tools"

locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
    "$crm_root/Cargo.lock"
}

bindgen_version="$(locked_version wasm-bindgen)"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$crm_tools/node_modules/.bin:$PATH"

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  echo "installing wasm-bindgen-cli $bindgen_version (about 2 minutes)" >&2
  # Not --locked: its lock file pins a crate version the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

if ! command -v wasm-opt >/dev/null || ! command -v esbuild >/dev/null; then
  # Installed beside the old tools, then moved into place: a run stopped half-way leaves the
  # old tools or none, never half of an install that the check above would take as present.
  npm_next="$crm_tools/npm.next.$$"
  rm -rf "$npm_next"
  npm install --silent --no-audit --no-fund --prefix "$npm_next" binaryen@132.0.0 esbuild@0.27.3
  rm -rf "$crm_tools/node_modules"
  mv "$npm_next/node_modules" "$crm_tools/node_modules"
  rm -rf "$npm_next"
fi
