#!/usr/bin/env bash
# Time to first byte of the server-rendered clients page with 10,000 clients, against a
# reference measured in the same run: the GraphQL query that fetches the same rows over
# /graphql (so the difference is what rendering the page costs). Also the server's memory.
#
#   web/scripts/bench-pages.sh            # needs the release bundle (web/scripts/bundle.sh)
#   CLIENTS=10000 REQUESTS=200 web/scripts/bench-pages.sh
#
# The server runs from the bundle on a fresh SQLite database in a temporary directory. Requests
# alternate page / GraphQL, one at a time, each a new curl (localhost connection included).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
bundle="${CRM_UI_BUNDLE:-$root/dist}"
clients="${CLIENTS:-10000}"
requests="${REQUESTS:-200}"
[ -x "$bundle/server" ] || { echo "no bundle in $bundle: run web/scripts/bundle.sh" >&2; exit 1; }

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
CRM_DATA_DIR="$work" CRM_LISTEN="127.0.0.1:$port" RUST_LOG=warn "$bundle/server" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "$base/login" && break
  sleep 0.2
done

graphql() { # token, JSON body
  curl -sf "$base/graphql" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data-binary "@$2"
}

cat >"$work/register.json" <<'EOF'
{"query": "mutation { register(input: {email: \"bench@example.com\", password: \"bench password\", displayName: \"Bench\", companyName: \"Bench\"}) { accessToken refreshToken } }"}
EOF
tokens="$(curl -sf "$base/graphql" -H 'Content-Type: application/json' --data-binary "@$work/register.json")"
access="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["register"]["accessToken"])' <<<"$tokens")"
refresh="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["register"]["refreshToken"])' <<<"$tokens")"

# Clients in batches of 5,000 (the API takes up to 10,000 per call).
python3 - "$clients" "$work" <<'EOF'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
for b, start in enumerate(range(0, n, 5000)):
    rows = [{"externalId": f"c{i}", "name": f"Client {i:05}", "email": f"c{i}@shop.example",
             "phone": f"+7 900 {i:07}"} for i in range(start, min(n, start + 5000))]
    query = "mutation($r: [ClientUpsertInput!]!) { upsertClients(clients: $r) { created rejected } }"
    with open(f"{work}/batch{b}.json", "w") as f:
        json.dump({"query": query, "variables": {"r": rows}}, f)
EOF
for f in "$work"/batch*.json; do
  graphql "$access" "$f" >/dev/null
done

cat >"$work/clients.json" <<'EOF'
{"query": "{ clients(first: 25, sort: {field: NAME, direction: ASC}) { totalCount edges { node { id name email phone lastInteractionAt totalSpent { amount currency } } } pageInfo { hasNextPage endCursor } } }"}
EOF
count="$(graphql "$access" "$work/clients.json" | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["clients"]["totalCount"])')"
[ "$count" = "$clients" ] || { echo "expected $clients clients, the API has $count" >&2; exit 1; }
cookie="crm_session=$access~$refresh"
page() { curl -s --compressed -o "$work/page.html" -w '%{http_code} %{time_starttransfer}\n' -H "Cookie: $cookie" "$base/clients"; }
api() { curl -s --compressed -o /dev/null -w '%{http_code} %{time_starttransfer}\n' -H "Authorization: Bearer $access" -H 'Content-Type: application/json' --data-binary "@$work/clients.json" "$base/graphql"; }

for _ in $(seq 1 20); do page >/dev/null; api >/dev/null; done # warm-up
: >"$work/page.txt"
: >"$work/api.txt"
for _ in $(seq 1 "$requests"); do
  page >>"$work/page.txt"
  api >>"$work/api.txt"
done
grep -q "Client 00000" "$work/page.html" || { echo "the page did not show the clients" >&2; exit 1; }

summary() { # name, file of "status seconds"
  awk '$1 != 200 { bad++ } { print $2 * 1000 }' "$2" | sort -n | awk -v name="$1" -v n="$requests" '
    { v[NR] = $1 }
    END {
      p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
      printf "%-28s p50 %7.2f ms   p99 %7.2f ms   (%d requests)\n", name, p50, p99, NR
    }'
  if awk '$1 != 200 { exit 1 }' "$2"; then :; else echo "  non-200 answers in $1" >&2; exit 1; fi
}
echo "$clients clients, $requests requests each, interleaved"
summary "clients page (SSR, HTML)" "$work/page.txt"
summary "GraphQL clients (reference)" "$work/api.txt"
echo "page size: $(wc -c <"$work/page.html") bytes uncompressed"
grep -E 'VmRSS|VmHWM' "/proc/$server/status" | awk '{ printf "server %s %.1f MB\n", $1, $2 / 1024 }'
