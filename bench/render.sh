#!/usr/bin/env bash
# Server-rendering throughput of a page (default /check) with wrk against the release binary on
# loopback: 10 seconds, 2 threads, 32 connections. Prints wrk's report; asserts nothing.
# Usage: bench/render.sh [path] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
path=${1:-/check}
seconds=${2:-10}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -x target/release/server ] || { echo "build first: make build" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
db=$(mktemp -u /tmp/guantong-bench-XXXXXX.db)
DATABASE_URL="sqlite://$db?mode=rwc" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn target/release/server serve &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$db"*' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -fs -o /dev/null -w "GET $path: %{http_code}, %{size_download} bytes\n" "http://127.0.0.1:$port$path"
wrk -t2 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$port$path"
