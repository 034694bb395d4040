#!/usr/bin/env bash
# Builds the web app for release into DIR (default: dist/ at the top of the checkout):
#   DIR/server                  the server binary (pages, server functions, GraphQL API)
#   DIR/public/index.html       the page shell the server renders each page into
#   DIR/public/assets/…         the browser part: wasm and its JS loader, names hashed
#
# These are the steps of `dx bundle --platform web --release` that this app needs (it has no
# manganis assets): cargo builds the server and the wasm (profiles server-release and
# wasm-release, as dx names them), wasm-bindgen makes the JS bindings, wasm-opt shrinks the
# wasm, esbuild minifies the JS, and the shell loads both. Tools: web/scripts/tools.sh.
#
# - Skipped when DIR already holds a bundle of exactly these sources (DIR/.sources holds a
#   hash of every source file it was built from).
# - DIR is replaced as a whole at the end (built beside it, then renamed), so a server
#   running from DIR keeps its files, and a failed build leaves the old bundle in place.
#
# Options, for the test command (tests/run.sh), which bundles the server its test build made
# instead of compiling every dependency a second time with the release profile:
#   --server BINARY   take the server from BINARY instead of building it (its hash joins the
#                     sources' hash)
#   --browser-only    only install the tools when missing and compile the browser part's wasm
#                     (cargo); run beside another build, it makes the later bundle's own wasm
#                     build a no-op (with the same environment: no RUSTC_WORKSPACE_WRAPPER)
set -euo pipefail
# The browser part's step lines go to fd 3: this script's stderr, also from the background job
# whose own output goes to a log.
exec 3>&2
root="$(cd "$(dirname "$0")/../.." && pwd)"
server_binary=""
browser_only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server_binary="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --browser-only) browser_only=1; shift ;;
    -*) echo "bundle.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
target_dir="${CARGO_TARGET_DIR:-$root/target}"
browser_dir="$target_dir/browser"
# The browser part: the app's wasm, release profile for the browser, in a build directory of
# its own (cargo locks a build directory per build, so it can build beside the server).
build_browser() {
  # getrandom's browser backend, as dx selects it for web builds.
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS='--cfg getrandom_backend="wasm_js"' \
    CARGO_TARGET_DIR="$browser_dir" \
    cargo build --locked --profile wasm-release --target wasm32-unknown-unknown \
    -p crm-web --bin crm-web --no-default-features --features web
}
# The browser part's files in $next/public: the JS bindings (wasm-bindgen), the wasm shrunk
# (wasm-opt), the JS loader (esbuild) and the page shell, with hashed names.
package_browser() {
  echo "[browser] wasm-bindgen" >&3
  wasm-bindgen --target web --no-typescript --out-dir "$next/bindgen" --out-name crm-web \
    "$browser_dir/wasm32-unknown-unknown/wasm-release/crm-web.wasm"

  echo "[browser] wasm-opt -Oz" >&3
  # The features rustc enables by default for wasm32-unknown-unknown.
  wasm-opt -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types --enable-multivalue \
    "$next/bindgen/crm-web_bg.wasm" -o "$next/bindgen/crm-web.opt.wasm"
  local wasm_name js_name
  wasm_name="crm-web_bg-$(sha256sum "$next/bindgen/crm-web.opt.wasm" | cut -c1-16).wasm"
  cp "$next/bindgen/crm-web.opt.wasm" "$next/public/assets/$wasm_name"

  echo "[browser] JS loader (esbuild --minify)" >&3
  # The bindings, then the start: load the wasm, keep it where dioxus-web looks for it, run main.
  cat "$next/bindgen/crm-web.js" - > "$next/bindgen/loader.js" <<JS

globalThis.__wasm_split_main_initSync = initSync;
__wbg_init({ module_or_path: "/assets/$wasm_name" }).then((wasm) => {
  globalThis.__dx_mainWasm = wasm;
  globalThis.__dx_mainInit = __wbg_init;
  globalThis.__dx_mainInitSync = initSync;
  globalThis.__dx___wbg_get_imports = __wbg_get_imports;
  if (wasm.__wbindgen_start == undefined) {
    wasm.main();
  }
});
JS
  esbuild --minify --format=esm --log-level=warning "$next/bindgen/loader.js" \
    --outfile="$next/bindgen/loader.min.js"
  js_name="crm-web-$(sha256sum "$next/bindgen/loader.min.js" | cut -c1-16).js"
  cp "$next/bindgen/loader.min.js" "$next/public/assets/$js_name"
  if [ -d "$next/bindgen/snippets" ]; then
    cp -r "$next/bindgen/snippets" "$next/public/assets/"
  fi
  rm -rf "$next/bindgen"

  # The shell the server renders pages into (it looks for <div id="main">).
  cat > "$next/public/index.html" <<HTML
<!DOCTYPE html>
<html>
    <head>
        <title>CRM</title>
        <meta content="text/html;charset=utf-8" http-equiv="Content-Type">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta charset="UTF-8">
        <link rel="preload" as="script" href="/assets/$js_name" crossorigin>
    </head>
    <body>
        <div id="main"></div>
        <script type="module" async src="/assets/$js_name"></script>
    </body>
</html>
HTML
  echo "[browser] done: $(wc -c < "$next/public/assets/$wasm_name") B wasm, $(wc -c < "$next/public/assets/$js_name") B JS" >&3
}

if [ -n "$browser_only" ]; then
  cd "$root"
  . "$root/web/scripts/tools.sh"
  build_browser
  exit 0
fi
if [ -n "$server_binary" ] && [ ! -x "$server_binary" ]; then
  echo "bundle.sh: no server binary at $server_binary" >&2
  exit 1
fi
out="${1:-$root/dist}"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
cd "$root"

# The sources the bundle is built from: tracked and new (not ignored) files.
sources_hash() {
  {
    git ls-files -z --cached --others --exclude-standard -- \
      Cargo.toml Cargo.lock schema.graphql api ai charts web migrations tests/support \
      | xargs -0 sha256sum 2>/dev/null
    rustc --version
    if [ -n "$server_binary" ]; then sha256sum "$server_binary"; fi
  } | sha256sum | cut -d' ' -f1
}
hash="$(sources_hash)"
if [ -x "$out/server" ] && [ -f "$out/public/index.html" ] \
  && [ "$(cat "$out/.sources" 2>/dev/null)" = "$hash" ]; then
  echo "bundle in $out is current" >&2
  echo "$out"
  exit 0
fi

next="$out.next.$$"
rm -rf "$next"
browser=""
# Stops the background build with its compilers (its own process group) when this ends early.
stop_browser() {
  if [ -n "$browser" ]; then
    kill -- -"$browser" 2>/dev/null || true
    wait "$browser" 2>/dev/null || true
  fi
}
trap 'stop_browser; rm -rf "$next"' EXIT
mkdir -p "$next/public/assets" "$next/bindgen"
started=$SECONDS
step() { echo "[bundle $((SECONDS - started)) s] $*" >&2; }

if [ -n "$server_binary" ]; then
  . "$root/web/scripts/tools.sh"
  step "browser: cargo build --profile wasm-release --target wasm32-unknown-unknown"
  build_browser >&2
  package_browser >&2
  step "server: $server_binary"
  cp "$server_binary" "$next/server"
else
  # The tools and the browser part are made beside the server's build: they fill the time it
  # spends on one core (compiling the app's own crates). Their output goes to a log, shown if
  # they fail.
  # What tools.sh needs that it cannot install: fail now, not after the server's build.
  for tool in rustup npm; do
    command -v "$tool" >/dev/null || {
      echo "bundle.sh: $tool is missing (web/scripts/tools.sh needs it to install the browser part's tools)" >&2
      exit 1
    }
  done
  step "browser, in the background: web/scripts/tools.sh, cargo build --profile wasm-release --target wasm32-unknown-unknown, wasm-bindgen, wasm-opt, esbuild (its steps print as [browser], its output goes to a log shown if it fails)"
  export -f build_browser package_browser
  setsid --wait bash -c 'set -euo pipefail; root=$1 next=$2 browser_dir=$3
    . "$root/web/scripts/tools.sh"
    echo "[browser] tools ready; cargo build --profile wasm-release" >&3
    build_browser
    package_browser' bundle-browser "$root" "$next" "$browser_dir" >"$next/browser.log" 2>&1 &
  browser=$!

  step "server: cargo build --profile server-release (about 18 minutes the first time on 2 cores, a few after a change)"
  cargo build --locked --profile server-release -p crm-web --bin crm-web >&2
  cp "$target_dir/server-release/crm-web" "$next/server"

  step "browser: waiting for its build"
  if ! wait "$browser"; then
    browser=""
    cat "$next/browser.log" >&2
    exit 1
  fi
  browser=""
  rm "$next/browser.log"
fi

echo "$hash" > "$next/.sources"
step "done"
# Swap: the old bundle moves aside (a running server keeps using its files), the new one in.
rm -rf "$out.old"
if [ -e "$out" ]; then mv "$out" "$out.old"; fi
mv "$next" "$out"
trap - EXIT
echo "$out"
