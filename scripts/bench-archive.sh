#!/usr/bin/env bash
# Archive benchmark (README: "Benchmarks"): seeds N (default 100,000) synthetic published records,
# serves them with the release build and loads it on loopback with wrk (32 connections):
# a record page, the archive list, and searches for a 2- and a 4-character Japanese word — on
# SQLite and on PostgreSQL — beside nginx serving a static copy of the same record page.
#   N=100000 DURATION=15s BACKENDS="sqlite postgres" bash scripts/bench-archive.sh
# KEEP=1 keeps the seeded databases (target/bench/archive-data/, PostgreSQL gp_bench_archive_N)
# for the next KEEP=1 run, which then skips seeding.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
N=${N:-100000}
PORT=${PORT:-3400}
NGINX_PORT=${NGINX_PORT:-3401}
DURATION=${DURATION:-15s}
BACKENDS=${BACKENDS:-sqlite postgres}
apt_install wrk nginx-light curl

log "release build of the server"
cargo build -p server --release
BIN=target/release/server
BENCH=target/bench/archive
KEEP=${KEEP:-}
rm -rf "$BENCH" && mkdir -p "$BENCH"
DATA=$BENCH
[ -n "$KEEP" ] && DATA=target/bench/archive-data && mkdir -p "$DATA"
export MAIL_TRANSPORT=log RUST_LOG=warn LEPTOS_SITE_ROOT=target/site PUBLIC_URL=http://127.0.0.1:$PORT
PIDS=()
PG_DB=""
PSQL=(psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U postgres -d postgres)
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$PG_DB" ] && [ -z "$KEEP" ] && "${PSQL[@]}" -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" || true
}
trap cleanup EXIT

# Anonymous archive pages are kept rendered in memory per URL (until the archive changes), so a
# repeated URL measures that cache. "uncached" sends a session cookie that matches no session:
# the server then renders the page on every request, as for a signed-in user (a repeated query's
# matches still come from the per-query memo). "a new query each request" (scripts/wrk-distinct.lua)
# asks the search index something new every time. first= is the first request of each line alone:
# for 難病 and 在宅勤務 that is the query's first run in the process.
UNCACHED="Cookie: gp_session=benchmark-no-such-session"
load() { # name url [header] [wrk script] -> one line: req/s, p50, p95, p99, and the first request alone
  local out code first hdr=(-H "X-Bench: 1")
  [ -n "${3:-}" ] && hdr=(-H "$3")
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "${hdr[@]}" "$2")
  code=${out% *} first=${out#* }
  [ "$code" = 200 ] || { echo "$1: $2 answered $code" >&2; exit 1; }
  out=$(wrk -t2 -c32 -d"$DURATION" -s "${4:-scripts/wrk-report.lua}" "${hdr[@]}" "$2")
  if echo "$out" | grep -q 'Non-2xx'; then echo "$out" >&2; echo "$1: non-2xx answers under load" >&2; exit 1; fi
  printf '%-44s %s first=%.2fms\n' "$1" "$(echo "$out" | grep '^RESULT' | sed 's/^RESULT //')" \
    "$(python3 -c "print($first * 1000)")" | tee -a "$BENCH/results.txt"
}
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

for backend in $BACKENDS; do
  dir=$DATA/$backend
  mkdir -p "$dir" "$BENCH/$backend"
  export DATA_DIR=$dir
  seeded=""
  if [ "$backend" = postgres ]; then
    ensure_postgres
    PG_DB="gp_bench_$$"
    [ -n "$KEEP" ] && PG_DB="gp_bench_archive_$N"
    if [ -n "$KEEP" ] && [ -f "$dir/seeded-$N" ] && "${PSQL[@]}" -lqt | cut -d'|' -f1 | grep -qw "$PG_DB"; then
      seeded=1
    else
      "${PSQL[@]}" -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)"
      "${PSQL[@]}" -c "CREATE DATABASE \"$PG_DB\" LOCALE 'C.UTF-8' TEMPLATE template0"
    fi
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$PG_DB"
  else
    unset DATABASE_URL
    [ -n "$KEEP" ] && [ -f "$dir/seeded-$N" ] && seeded=1
  fi
  if [ -n "$seeded" ]; then
    log "[$backend] reusing the $N records seeded by an earlier KEEP=1 run"
  else
    [ "$backend" = sqlite ] && rm -f "$dir"/gp.sqlite3*
    log "[$backend] seeding demo data and $N synthetic records"
    $BIN seed-demo > /dev/null
    /usr/bin/time -f "[$backend] seed: %e s wall, %M KB max RSS" $BIN seed-demo --practices "$N" 2>&1 \
      | grep -v '^  [0-9]' | tee -a "$BENCH/results.txt"
    touch "$dir/seeded-$N"
  fi

  LEPTOS_SITE_ADDR=127.0.0.1:$PORT $BIN serve > "$BENCH/$backend/server.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  wait_for_http "http://127.0.0.1:$PORT/healthz" 120
  echo "[$backend] idle RSS after start: $(( $(awk '/VmRSS/ {print $2}' /proc/$PID/status) / 1024 )) MB" | tee -a "$BENCH/results.txt"

  RECORD=$(curl -s "http://127.0.0.1:$PORT/api/v1/practices?per_page=1&page=7" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["url"])')
  if [ ! -f "$BENCH/nginx/record.html" ]; then
    mkdir -p "$BENCH/nginx/logs"
    curl -s "$RECORD" > "$BENCH/nginx/record.html"
    cat > "$BENCH/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $PWD/$BENCH/nginx/nginx.pid;
error_log $PWD/$BENCH/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $PWD/$BENCH/nginx;
    default_type text/html;
    location / { try_files /record.html =404; }
  }
}
NGINX
    nginx -p "$PWD/$BENCH/nginx" -c "$PWD/$BENCH/nginx/nginx.conf" -g 'daemon off;' &
    PIDS+=("$!")
    wait_for_http "http://127.0.0.1:$NGINX_PORT/" 20
    echo "record page: $RECORD ($(wc -c < "$BENCH/nginx/record.html") bytes)" | tee -a "$BENCH/results.txt"
    log "nginx, static copy of the record page (wrk -t2 -c32, $DURATION)"
    load "nginx static record page" "http://127.0.0.1:$NGINX_PORT/practices/x"
  fi

  # A real session (the demo nominator): pages are rendered for it on every request, as for
  # anyone signed in; its session and the records it reads come from the per-process memos.
  SIGNED="Cookie: $(curl -s -D - -o /dev/null -H "Origin: http://127.0.0.1:$PORT" -H 'Accept: text/html' \
    --data-urlencode 'email=nominator@example.jp' --data-urlencode 'password=demo-nominator-2026' \
    "http://127.0.0.1:$PORT/api/sign_in" | tr -d '\r' | sed -n 's/^set-cookie: \(gp_session=[^;]*\).*/\1/ip')"
  [ "$SIGNED" != "Cookie: " ] || { echo "[$backend] the demo nominator could not sign in" >&2; exit 1; }

  log "[$backend] load (wrk -t2 -c32, $DURATION each)"
  load "[$backend] record page" "$RECORD"
  load "[$backend] archive list" "http://127.0.0.1:$PORT/archive"
  load "[$backend] archive list, page 500" "http://127.0.0.1:$PORT/archive?page=500"
  load "[$backend] record page, uncached" "$RECORD" "$UNCACHED"
  load "[$backend] record page, signed in" "$RECORD" "$SIGNED"
  load "[$backend] search 難病, signed in" "http://127.0.0.1:$PORT/archive?q=$(urlencode 難病)" "$SIGNED"
  load "[$backend] search, a new query each request, signed in" "http://127.0.0.1:$PORT/archive" "$SIGNED" scripts/wrk-distinct.lua
  load "[$backend] archive list, uncached" "http://127.0.0.1:$PORT/archive" "$UNCACHED"
  load "[$backend] search 難病 (2 chars)" "http://127.0.0.1:$PORT/archive?q=$(urlencode 難病)"
  load "[$backend] search 難病, uncached" "http://127.0.0.1:$PORT/archive?q=$(urlencode 難病)" "$UNCACHED"
  load "[$backend] search 在宅勤務 (4 chars)" "http://127.0.0.1:$PORT/archive?q=$(urlencode 在宅勤務)"
  load "[$backend] search 在宅勤務, uncached" "http://127.0.0.1:$PORT/archive?q=$(urlencode 在宅勤務)" "$UNCACHED"
  load "[$backend] search 通院　両立 (AND), uncached" "http://127.0.0.1:$PORT/archive?q=$(urlencode '通院　両立')" "$UNCACHED"
  load "[$backend] search, a new query each request" "http://127.0.0.1:$PORT/archive" "$UNCACHED" scripts/wrk-distinct.lua
  load "[$backend] API search 就労 (JSON)" "http://127.0.0.1:$PORT/api/v1/practices?q=$(urlencode 就労)"
  echo "[$backend] RSS after load: $(( $(awk '/VmRSS/ {print $2}' /proc/$PID/status) / 1024 )) MB" | tee -a "$BENCH/results.txt"
  kill "$PID"; wait "$PID" 2>/dev/null || true
done
log "results (also in $BENCH/results.txt)"
cat "$BENCH/results.txt"
