#!/usr/bin/env bash
# Schema-driven API testing (issue 14, item 5): schemathesis, every check, against the release
# server's own OpenAPI document (`/api/v1/openapi.json`). Builds nothing: it takes the binary
# `make build` made (target/release/server, or $SERVER), serves it on a free loopback port with a
# fresh SQLite database in a temporary directory, and fails on any server error, any answer that
# breaks the schema, and any panic in the server's log.
#
# Every check runs except positive_data_acceptance ("a request the schema allows is accepted"):
# the API refuses, by design, what the document cannot say (a date after as_of, a code the
# region's catalogue lacks, a well-formed but unknown province code), so that check would fail on
# the contract's semantics, not on a defect. Schema-violating requests must still be refused
# (negative_data_rejection) and every answer must match the document.
#
# Usage: bench/schemathesis.sh [max examples per operation and phase, default 40]
# `make api-fuzz` installs schemathesis (pinned, from PyPI) into .tools/venv and runs this.
# Environment: SERVER (binary), SCHEMATHESIS (the CLI), ST_SEED (reproduce a run), ST_MAX_TIME
# (seconds budget, default 90).
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-40}
server=${SERVER:-target/release/server}
st=${SCHEMATHESIS:-.tools/venv/bin/schemathesis}
seed=${ST_SEED:-$RANDOM}
max_time=${ST_MAX_TIME:-90}
[ -x "$server" ] || { echo "no $server: run make build first" >&2; exit 1; }
[ -x "$st" ] || { echo "no $st: run make api-fuzz (installs schemathesis)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/guantong-schemathesis-XXXXXX)
# Examples found by earlier runs are replayed first (kept in target/, which git ignores).
mkdir -p target
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$tmp/site"
export DATABASE_URL="sqlite://$tmp/guantong.db?mode=rwc"
export GUANTONG_UPLOAD_DIR="$tmp/uploads"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$tmp/site}"
export RUST_LOG="${RUST_LOG:-warn}"
export LOG_FORMAT=pretty
"$server" serve >"$tmp/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log" >&2; echo "the server did not start" >&2; exit 1; }
  sleep 0.1
done

echo "schemathesis $("$st" --version | awk '{print $NF}') against $server on port $port (seed $seed, $examples examples)"
status=0
# requests (schemathesis's client) asks for gzip, as the clients of issue 14's finding 1 did.
# Run from the temporary directory: schemathesis keeps a cache in ./.schemathesis.
examples_db="$(pwd)/target/schemathesis-examples"
st=$(realpath "$st")
(cd "$tmp" && "$st" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --max-examples "$examples" \
  --max-time "$max_time" \
  --seed "$seed" \
  --workers 2 \
  --request-timeout 20 \
  --generation-database "$examples_db" \
  --suppress-health-check too_slow,data_too_large \
  --report junit --report-junit-path "$tmp/junit.xml" \
  --no-color) || status=$?

if grep -n "panicked" "$tmp/server.log" >&2; then
  echo "the server panicked during the run (its log above)" >&2
  status=1
fi
if ! kill -0 "$pid" 2>/dev/null; then
  echo "the server died during the run" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  mkdir -p target
  cp "$tmp/server.log" target/schemathesis-server.log
  cp "$tmp/junit.xml" target/schemathesis-junit.xml 2>/dev/null || true
  echo "api-fuzz failed (seed $seed; server log and JUnit report in target/schemathesis-*)" >&2
fi
exit "$status"
