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

binaryen_version=132
esbuild_version=0.27.3
npm_tools_current() {
  [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" = "$binaryen_version" ] \
    && [ "$(esbuild --version 2>/dev/null)" = "$esbuild_version" ]
}
if ! npm_tools_current; then
  # One install at a time (a bundle and the test command may start together), into a new
  # directory that replaces the old one by renames: a run stopped half-way leaves the old tools
  # or none, never half an install; the version check above catches anything else.
  (
    flock 9
    if ! npm_tools_current; then
      rm -rf "$crm_tools"/npm.next.* "$crm_tools"/node_modules.old.*
      npm_next="$crm_tools/npm.next.$$"
      npm install --silent --no-audit --no-fund --prefix "$npm_next" \
        "binaryen@$binaryen_version.0.0" "esbuild@$esbuild_version"
      if [ -e "$crm_tools/node_modules" ]; then
        mv "$crm_tools/node_modules" "$crm_tools/node_modules.old.$$"
      fi
      mv "$npm_next/node_modules" "$crm_tools/node_modules"
      rm -rf "$npm_next" "$crm_tools/node_modules.old.$$"
    fi
  ) 9>"$crm_tools/.install.lock"
fi
