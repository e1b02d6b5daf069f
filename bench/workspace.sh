#!/usr/bin/env bash
# Server-rendering throughput of the expert's workspace (`/expert`, signed in as the demo
# `expert`, who sits in the demo session) with wrk against the release binary on loopback:
# 10 seconds, 2 threads, 32 connections. Prints wrk's report; asserts nothing.
# Usage: bench/workspace.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -x target/release/server ] || { echo "build first: make build" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
db=$(mktemp -u /tmp/guantong-bench-XXXXXX.db)
url="sqlite://$db?mode=rwc"
target/release/server seed --demo --applicants 600 --database-url "$url" >/dev/null
DATABASE_URL="$url" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn target/release/server serve &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$db"*' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
cookie=$(curl -fs -o /dev/null -D - -d "username=expert&password=guantong-demo" "http://127.0.0.1:$port/login" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \(gt_session=[^;]*\).*/\1/p' | head -1)
[ -n "$cookie" ] || { echo "could not sign in as expert" >&2; exit 1; }
curl -fs -o /dev/null -H "Cookie: $cookie" -w "GET /expert: %{http_code}, %{size_download} bytes\n" "http://127.0.0.1:$port/expert"
wrk -t2 -c32 -d"${seconds}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port/expert"
