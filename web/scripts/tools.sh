#!/usr/bin/env bash
# Installs what `dx` needs to build the browser bundle, when missing, and puts it on PATH.
# Source it (`. web/scripts/tools.sh`); safe to run again: present tools are not reinstalled.
#   - the wasm32 target of the Rust toolchain
#   - dioxus-cli (dx) of exactly the dioxus version in Cargo.lock
#   - wasm-bindgen-cli of exactly the wasm-bindgen version in Cargo.lock
#   - wasm-opt (binaryen) and esbuild from npm (dx cannot download them here; Debian's binaryen
#     is too old for Rust 1.95's wasm)
set -euo pipefail

crm_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
crm_tools="${CRM_TOOLS_DIR:-$HOME/.cache/crm-tools}"
mkdir -p "$crm_tools"

locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
    "$crm_root/Cargo.lock"
}

dioxus_version="$(locked_version dioxus)"
bindgen_version="$(locked_version wasm-bindgen)"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

export PATH="$HOME/.cargo/bin:$crm_tools/node_modules/.bin:$PATH"

if [ "$(dx --version 2>/dev/null | awk '{print $2}')" != "$dioxus_version" ]; then
  echo "installing dioxus-cli $dioxus_version (about 20 minutes on 2 cores)" >&2
  cargo install dioxus-cli --locked --version "$dioxus_version"
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  echo "installing wasm-bindgen-cli $bindgen_version" >&2
  # Not --locked: its lock file pins a crate version the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

if ! command -v wasm-opt >/dev/null || ! command -v esbuild >/dev/null; then
  npm install --silent --no-audit --no-fund --prefix "$crm_tools" binaryen@132.0.0 esbuild@0.27.3
fi

# dx: use the tools on PATH, never download, no telemetry.
export NO_DOWNLOADS=1 DX_TELEMETRY_ENABLED=false
