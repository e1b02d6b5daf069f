#!/usr/bin/env bash
# Mixed load on the release server with the demo data (issue 14, item 2): 200 concurrent
# connections for 60 s, shared between four parts that run at the same time:
#   pages   GET  /check and its step pages with answers in the query string (oha, one process
#                per page, the share split between them)
#   api     POST /api/v1/eligibility with a JSON person (oha)
#   signin  POST /login with a demo account's username and password (oha; argon2id each time)
#   saves   POST /dossiers/{id} multipart, signed in, with an Origin header, each connection
#           saving its own draft with the version the previous save returned (wrk with a Lua
#           script: a save must carry the dossier's current version, which oha cannot follow)
# Prints requests/s, p50, p99 and errors (transport errors and any status other than the
# expected one) per part, and the totals. Installs oha (cargo install --locked) and wrk (apt)
# when missing. Builds nothing: takes target/release/server (make build) or $SERVER.
#
# Usage: bench/load.sh [seconds=60] [pages=90] [api=60] [signin=10] [saves=40]
# The per-address sign-in limit is raised for the run (all connections come from 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
c_pages=${2:-90}
c_api=${3:-60}
c_signin=${4:-10}
c_saves=${5:-40}
server=${SERVER:-target/release/server}
export PATH="$HOME/.cargo/bin:$PATH"
[ -x "$server" ] || { echo "no $server: run make build first" >&2; exit 1; }
command -v oha >/dev/null || cargo install oha --locked
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }

tmp=$(mktemp -d /tmp/guantong-load-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export DATABASE_URL="sqlite://$tmp/guantong.db?mode=rwc"
export GUANTONG_UPLOAD_DIR="$tmp/uploads"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export GUANTONG_LOGIN_ATTEMPTS_PER_IP=1000000000
export RUST_LOG="${RUST_LOG:-warn}"
pid=
cleanup() {
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  [ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

echo "== seeding the demo province into $tmp"
"$server" migrate >/dev/null
seed_started=$(date +%s)
"$server" seed --demo >"$tmp/seed.txt"
echo "   seeded in $(( $(date +%s) - seed_started )) s"
"$server" serve >"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "$base/healthz" >/dev/null || { cat "$tmp/server.log" >&2; exit 1; }

# A demo employer (the save checks the code against the database: store/src/demo.rs).
org=org-yn-machinery

# --- the saves' drafts: one demo applicant per connection, signed in, with a new draft each.
answers='region=53&has_sl=yes&sl_n=1&sl0_level=technician&sl0_on=2023-06-30&sl0_occ=6-18-01-01&work_on=2008-07-01&years=15&rev_2023=pass&rev_2024=pass&rev_2025=excellent'
: >"$tmp/saves.txt"
for i in $(seq 1 "$c_saves"); do
  user=$(printf 'demo%05d' $((4000 + i)))
  jar="$tmp/jar-$i"
  curl -fs -o /dev/null -c "$jar" -H "Origin: $base" \
    --data-urlencode "username=$user" --data-urlencode "password=guantong-demo" "$base/login"
  location=$(curl -fs -o /dev/null -w '%{redirect_url}' -b "$jar" -H "Origin: $base" \
    --data-urlencode "answers=$answers" "$base/dossiers")
  id=$(sed -nE 's#.*/dossiers/([0-9]+).*#\1#p' <<<"$location")
  [ -n "$id" ] || { echo "could not start a draft for $user (got '$location')" >&2; exit 1; }
  version=$(curl -fs -b "$jar" "$base/dossiers/$id" | grep -oE 'name="version" value="[0-9]+"' | grep -oE '[0-9]+' | head -n 1)
  cookie=$(awk '$6 ~ /session/ {print $6 "=" $7}' "$jar" | tail -n 1)
  echo "$id $cookie $version" >>"$tmp/saves.txt"
done
echo "   $c_saves drafts ready (e.g. $(head -n 1 "$tmp/saves.txt" | cut -d' ' -f1,3)), employer ${org:-none}"

cat >"$tmp/saves.lua" <<LUA
-- One connection per thread: request and response alternate, so the thread's globals hold its
-- draft's id, session cookie and current version.
local threads, lines, n = {}, {}, 0
for line in io.lines("$tmp/saves.txt") do lines[#lines + 1] = line end
function setup(thread)
  n = n + 1
  thread:set("entry", lines[n])
  threads[#threads + 1] = thread
end
function init(args)
  id, cookie, version = entry:match("^(%S+) (%S+) (%S+)$")
  saved, refused = 0, 0
  boundary = "----guantongload"
end
local function part(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end
function request()
  local body = part("version", version) .. part("org", "$org") .. part("full_name", "压力 测试")
    .. part("id_number", "") .. part("occupation", "6-18-01-01") .. part("current_post", "钳工班长")
    .. part("target", "") .. part("a0_kind", "") .. part("a0_title", "改进 " .. saved)
    .. part("a0_date", "2025-05-01") .. part("a0_role", "") .. part("a0_description", "load test")
    .. part("nav", "autosave") .. "--" .. boundary .. "--\r\n"
  return wrk.format("POST", "/dossiers/" .. id, {
    ["Cookie"] = cookie,
    ["Origin"] = "$base",
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
  }, body)
end
function response(status, headers, body)
  local v = body:match('"version"%s*:%s*(%d+)')
  if v then version = v end
  if status == 200 then saved = saved + 1 else refused = refused + 1 end
end
function done(summary, latency, requests)
  local saved, refused = 0, 0
  for _, t in ipairs(threads) do
    saved = saved + t:get("saved")
    refused = refused + t:get("refused")
  end
  io.write(string.format("SAVES saved=%d refused=%d\n", saved, refused))
  io.write(string.format("SAVES p50_us=%d p99_us=%d requests=%d errors=%d\n",
    latency:percentile(50), latency:percentile(99), summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

# --- the pages: /check, a middle step and the review step with answers, and the result.
pages=(
  "/check"
  "/check?step=4&$answers"
  "/check?step=9&$answers"
  "/check/result?$answers"
)
labels=("/check" "/check?step=4&(answers)" "/check?step=9&(answers)" "/check/result?(answers)")
for p in "${pages[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base$p")
  [ "$code" = 200 ] || { echo "GET $p answered $code" >&2; exit 1; }
done
api_body='{"as_of":"2026-11-21","region":"53","person":{"skill_levels":[{"level":"technician","obtained_on":"2023-06-30","occupation":"6-18-01-01"}],"work_started_on":"2008-07-01","annual_reviews":{"2023":"pass","2024":"pass","2025":"excellent"}}}'
signin_user=demo00001

echo "== load: ${seconds}s, $((c_pages + c_api + c_signin + c_saves)) connections (pages $c_pages, api $c_api, sign-in $c_signin, saves $c_saves)"
oha_run() { # name connections [oha args...]
  local name=$1 conns=$2
  shift 2
  oha --no-tui --output-format json -z "${seconds}s" -w -c "$conns" --redirect 0 "$@" >"$tmp/$name.json" 2>"$tmp/$name.err"
}
jobs_pids=()
per_page=$((c_pages / ${#pages[@]}))
for i in "${!pages[@]}"; do
  conns=$per_page
  [ "$i" -eq 0 ] && conns=$((c_pages - per_page * (${#pages[@]} - 1)))
  oha_run "page$i" "$conns" "$base${pages[$i]}" &
  jobs_pids+=($!)
done
if [ "$c_api" -gt 0 ]; then
  oha_run api "$c_api" -m POST -T application/json -d "$api_body" "$base/api/v1/eligibility" &
  jobs_pids+=($!)
fi
if [ "$c_signin" -gt 0 ]; then
  oha_run signin "$c_signin" -m POST -T application/x-www-form-urlencoded \
    -d "username=$signin_user&password=guantong-demo" "$base/login" &
  jobs_pids+=($!)
fi
# wrk counts an answer slower than --timeout as a timeout and leaves it out of the latencies.
if [ "$c_saves" -gt 0 ]; then
  wrk -t"$c_saves" -c"$c_saves" -d"${seconds}s" --timeout 60s -s "$tmp/saves.lua" "$base" >"$tmp/saves.out" 2>&1 &
  jobs_pids+=($!)
fi
for j in "${jobs_pids[@]}"; do wait "$j"; done

# --- report. Expected statuses: 200 for pages and the API, 303 for a sign-in, 200 for a save.
summarise() { # name file expected-status
  jq -r --arg name "$1" --arg want "$3" '
    (.statusCodeDistribution // {}) as $codes
    | ([ $codes | to_entries[] | select(.key != $want) | .value ] | add // 0) as $bad
    | ([ (.errorDistribution // {}) | to_entries[] | .value ] | add // 0) as $err
    | [$name, .summary.requestsPerSec, .latencyPercentiles.p50 * 1000, .latencyPercentiles.p99 * 1000,
       (($codes[$want] // 0) + $bad + $err), ($bad + $err)]
    | @tsv' "$2"
}
{
  for i in "${!pages[@]}"; do summarise "GET ${labels[$i]}" "$tmp/page$i.json" 200; done
  if [ "$c_api" -gt 0 ]; then summarise "POST /api/v1/eligibility" "$tmp/api.json" 200; fi
  if [ "$c_signin" -gt 0 ]; then summarise "POST /login" "$tmp/signin.json" 303; fi
  if [ "$c_saves" -gt 0 ]; then
    rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/saves.out")
    read -r p50 p99 n err < <(sed -nE 's/^SAVES p50_us=([0-9]+) p99_us=([0-9]+) requests=([0-9]+) errors=([0-9]+)$/\1 \2 \3 \4/p' "$tmp/saves.out")
    refused=$(sed -nE 's/^SAVES saved=[0-9]+ refused=([0-9]+)$/\1/p' "$tmp/saves.out")
    printf 'POST /dossiers/{id}\t%s\t%s\t%s\t%s\t%s\n' "$rps" "$(awk "BEGIN{print $p50/1000}")" "$(awk "BEGIN{print $p99/1000}")" "$n" "$((err + refused))"
  fi
} >"$tmp/report.tsv"

echo
awk -F'\t' 'BEGIN { printf "%-28s %10s %9s %9s %9s %7s\n", "part", "req/s", "p50 ms", "p99 ms", "requests", "errors" }
  { printf "%-28s %10.1f %9.1f %9.1f %9d %7d\n", $1, $2, $3, $4, $5, $6; r += $2; n += $5; e += $6 }
  END { printf "%-28s %10.1f %9s %9s %9d %7d\n", "total", r, "", "", n, e }' "$tmp/report.tsv"
if grep -q panicked "$tmp/server.log"; then echo "the server panicked:"; grep panicked "$tmp/server.log" | head; fi
echo "server log: $(grep -ciE 'error|warn' "$tmp/server.log" || true) lines with an error or a warning"
cp "$tmp/server.log" target/load-server.log 2>/dev/null || true
