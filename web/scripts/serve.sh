#!/usr/bin/env bash
# The README's run command: builds the web app when needed and serves it, with the GraphQL
# API, on CRM_LISTEN (default 127.0.0.1:8080), storing data in ./data (SQLite) by default.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$("$root/web/scripts/bundle.sh" "$root/dist")"
export CRM_DATA_DIR="${CRM_DATA_DIR:-$root/data}"
exec "$out/server"
