#!/usr/bin/env bash
# Builds the web app for release: the server binary plus the browser bundle (wasm, CSS),
# into DIR (default: dist/ at the top of the checkout): DIR/server and DIR/public/.
#
# - Skipped when DIR already holds a bundle of exactly these sources (DIR/.sources holds a
#   hash of every source file it was built from).
# - DIR is replaced as a whole at the end (built beside it, then renamed), so a server
#   running from DIR keeps its files, and a failed build leaves the old bundle in place.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/dist}"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
cd "$root"

# The sources the bundle is built from: tracked and new (not ignored) files.
sources_hash() {
  {
    git ls-files -z --cached --others --exclude-standard -- \
      Cargo.toml Cargo.lock schema.graphql api web migrations tests/support \
      | xargs -0 sha256sum 2>/dev/null
    rustc --version
  } | sha256sum | cut -d' ' -f1
}
hash="$(sources_hash)"
if [ -x "$out/server" ] && [ -f "$out/public/index.html" ] \
  && [ "$(cat "$out/.sources" 2>/dev/null)" = "$hash" ]; then
  echo "bundle in $out is current" >&2
  echo "$out"
  exit 0
fi

. "$root/web/scripts/tools.sh"
next="$out.next.$$"
rm -rf "$next"
trap 'rm -rf "$next"' EXIT
echo "building the release bundle into $out (about 15 minutes the first time on 2 cores, a few after a change)" >&2
dx bundle --platform web --release --debug-symbols false --package crm-web --out-dir "$next" >&2
test -x "$next/server" && test -f "$next/public/index.html" || {
  echo "dx did not produce $next/server and $next/public/index.html" >&2
  exit 1
}
echo "$hash" > "$next/.sources"
# Swap: the old bundle moves aside (a running server keeps using its files), the new one in.
rm -rf "$out.old"
if [ -e "$out" ]; then mv "$out" "$out.old"; fi
mv "$next" "$out"
trap - EXIT
echo "$out"
