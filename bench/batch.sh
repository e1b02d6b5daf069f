#!/usr/bin/env bash
# Times `POST /api/v1/eligibility/batch` with 10,000 realistic people against a release build
# started on a free loopback port with a throw-away SQLite database. Prints curl's time_total per
# run (upload, screening, and download of the streamed answer), then the server's own times,
# logged at debug level: decode (JSON to DTOs), parse+evaluate (every person screened; the answer
# starts streaming from here) and render+encode (the bilingual reasons of every condition).
#
#   bench/batch.sh [runs] [people] [detail]   (defaults: 5 runs, 10000 people, full;
#                                               detail `summary` leaves out the reason texts)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
people=${2:-10000}
detail=${3:-full}

if [ ! -x target/release/server ] || [ -n "$(find server/src rules/src rules/data -newer target/release/server -print -quit)" ]; then
  echo "building the release server (a few minutes on 2 cores)..." >&2
  cargo build --release -p server >&2
fi

tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/site/pkg"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

RUST_LOG="warn,server::api=debug" \
  target/release/server serve \
    --database-url "sqlite://$tmp/bench.db?mode=rwc" \
    --site-addr "127.0.0.1:$port" \
    --site-root "$tmp/site" --log-format json >"$tmp/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  sleep 0.1
done

python3 - "$people" "$detail" >"$tmp/batch.json" <<'PY'
import json, random, sys
random.seed(96)
n = int(sys.argv[1])
levels = ["junior_worker", "intermediate_worker", "senior_worker", "technician", "senior_technician"]
occupations = ["6-18-01-01", "6-18-01-02", "6-18-01-04", "6-18-02-04", "6-31-01-03", "4-01-02-01"]
honours = ["china_skills_award", "national_technical_expert", "national_master_studio_leader",
           "special_government_allowance", "provincial_shortage_talent"]
series = ["engineering", "agriculture", "arts_and_crafts", "laboratory"]
grades = ["pass", "pass", "pass", "excellent", "competent", "fail"]
def date(lo, hi):
    return f"{random.randint(lo, hi)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
def person():
    p = {}
    start = random.randint(1995, 2020)
    p["work_started_on"] = date(start, start)
    k = random.randint(1, 3)
    chosen = sorted(random.sample(range(len(levels)), k))
    p["skill_levels"] = [{"level": levels[i], "obtained_on": date(max(start, 2000 + 4 * j), 2025),
                          "occupation": random.choice(occupations)} for j, i in enumerate(chosen)]
    if random.random() < 0.3:
        p["titles"] = [{"series": random.choice(series), "level": random.choice(["assistant", "intermediate"]),
                        "obtained_on": date(2010, 2024)}]
    p["annual_reviews"] = {str(y): random.choice(grades) for y in (2023, 2024, 2025)}
    p["honours"] = random.sample(honours, 1) if random.random() < 0.05 else []
    if random.random() < 0.02:
        p["posts"] = ["principal_technician"]
    if random.random() < 0.2:
        p["related_degree"] = True
    return p
json.dump({"as_of": "2026-11-21", "region": "53", "detail": sys.argv[2], "people": [person() for _ in range(n)]}, sys.stdout)
PY
echo "body: $(stat -c %s "$tmp/batch.json") bytes, $people people, detail $detail" >&2

for i in $(seq 1 "$runs"); do
  out=$(curl -sS -o "$tmp/answer.json" -w '%{http_code} %{time_total}' \
    -H 'content-type: application/json' -H 'Expect:' --data-binary @"$tmp/batch.json" \
    "http://127.0.0.1:$port/api/v1/eligibility/batch")
  read -r code total <<<"$out"
  echo "run $i: HTTP $code, time_total ${total}s, answer $(stat -c %s "$tmp/answer.json") bytes"
  [ "$code" = 200 ] || { head -c 400 "$tmp/answer.json"; echo; exit 1; }
done
echo "server-side, ms (RUST_LOG=server::api=debug):"
python3 - "$tmp/server.log" <<'PY'
import json, sys
decode = None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    f = e.get("fields", e)
    if f.get("message") == "batch decoded":
        decode = f["decode_ms"]
    elif f.get("message") == "batch evaluated":
        print(f"  people={f['people']} decode={decode:.1f} parse+evaluate={f['evaluate_ms']:.1f} "
              f"render+encode={f['encode_ms']:.1f} ({f['bytes']} bytes)")
PY
