#!/usr/bin/env bash
# Builds the web app for release: the server binary plus the browser bundle (wasm, CSS),
# into DIR (default: dist/ at the top of the checkout): DIR/server and DIR/public/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/web/scripts/tools.sh"
out="${1:-$root/dist}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$root"
# dx copies every hashed asset it ever built into the output: start from an empty one.
rm -rf "$out/public"
dx bundle --platform web --release --debug-symbols false --package crm-web --out-dir "$out" >&2
test -x "$out/server" && test -f "$out/public/index.html" || {
  echo "dx did not produce $out/server and $out/public/index.html" >&2
  exit 1
}
echo "$out"
