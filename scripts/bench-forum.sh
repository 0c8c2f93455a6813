#!/usr/bin/env bash
# Forum benchmark (README "Benchmarks"): the demo's upcoming event page, anonymous (page cache),
# beside nginx serving a static copy of it, in one run; then USERS (32) people registering at once
# for that event (50 seats + waiting list), TOTAL (2000) registrations, on SQLite and PostgreSQL:
# submit p50/p95/p99, answers by status (none >= 500), and how many got a seat (must be 50).
#   DURATION=10s USERS=32 TOTAL=2000 BACKENDS="sqlite postgres" bash scripts/bench-forum.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
PORT=${PORT:-3600}
NGINX_PORT=${NGINX_PORT:-3601}
DURATION=${DURATION:-10s}
USERS=${USERS:-32}
TOTAL=${TOTAL:-2000}
BACKENDS=${BACKENDS:-sqlite postgres}
apt_install wrk nginx-light curl

log "release build of the server"
cargo build -p server --release
BIN=$PWD/target/release/server
BENCH=target/bench/forum
rm -rf "$BENCH" && mkdir -p "$BENCH/nginx/logs"
export MAIL_TRANSPORT=log RUST_LOG=warn LEPTOS_SITE_ROOT=target/site PUBLIC_URL=http://127.0.0.1:$PORT REGISTRATIONS_PER_HOUR=100000000
PIDS=()
PG_DB=""
PSQL=(psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U postgres -d postgres)
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$PG_DB" ] && "${PSQL[@]}" -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" || true
}
trap cleanup EXIT
FAILED=0
wrk_line() { # name url
  local out
  out=$(wrk -t2 -c32 -d"$DURATION" -s scripts/wrk-report.lua "$2")
  if echo "$out" | grep -q 'Non-2xx'; then echo "$out" >&2; FAILED=1; fi
  printf '%-40s %s\n' "$1" "$(echo "$out" | grep '^RESULT' | sed 's/^RESULT //')" | tee -a "$BENCH/results.txt"
}

for backend in $BACKENDS; do
  dir=$PWD/$BENCH/$backend
  mkdir -p "$dir"
  export DATA_DIR=$dir
  if [ "$backend" = postgres ]; then
    ensure_postgres
    PG_DB="gp_forum_$$"
    "${PSQL[@]}" -c "CREATE DATABASE \"$PG_DB\" LOCALE 'C.UTF-8' TEMPLATE template0"
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$PG_DB"
  else
    unset DATABASE_URL
  fi
  $BIN seed-demo > /dev/null
  LEPTOS_SITE_ADDR=127.0.0.1:$PORT $BIN serve > "$dir/server.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  wait_for_http "http://127.0.0.1:$PORT/healthz" 120
  EVENT=http://127.0.0.1:$PORT/events/saitama-2027
  if [ ! -f "$BENCH/nginx/event.html" ]; then
    curl -s "$EVENT" > "$BENCH/nginx/event.html"
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
    location / { try_files /event.html =404; }
  }
}
NGINX
    nginx -p "$PWD/$BENCH/nginx" -c "$PWD/$BENCH/nginx/nginx.conf" -g 'daemon off;' &
    PIDS+=("$!")
    wait_for_http "http://127.0.0.1:$NGINX_PORT/" 20
    echo "event page: $(wc -c < "$BENCH/nginx/event.html") bytes" | tee -a "$BENCH/results.txt"
  fi
  log "[$backend] event page and nginx (wrk -t2 -c32, $DURATION each)"
  wrk_line "nginx, static copy of the event page" "http://127.0.0.1:$NGINX_PORT/events/x"
  wrk_line "[$backend] event page (anonymous, cached)" "$EVENT"

  log "[$backend] $USERS people registering at once, $TOTAL registrations"
  out=$(python3 scripts/register_rush.py --base "http://127.0.0.1:$PORT" --slug saitama-2027 --users "$USERS" --total "$TOTAL")
  printf '%-40s %s\n' "[$backend] registration rush" "$out" | tee -a "$BENCH/results.txt"
  seats=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["placed"].get("venue", 0))' "$out")
  fives=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["responses_5xx"])' "$out")
  [ "$seats" = 50 ] && [ "$fives" = 0 ] || { echo "[$backend] expected 50 seats and no 5xx" | tee -a "$BENCH/results.txt"; FAILED=1; }
  wrk_line "[$backend] event page after the rush" "$EVENT"
  echo "[$backend] RSS after the load: $(( $(awk '/VmRSS/ {print $2}' /proc/$PID/status) / 1024 )) MB" | tee -a "$BENCH/results.txt"
  kill "$PID"; wait "$PID" 2>/dev/null || true
done
log "results (also in $BENCH/results.txt)"
cat "$BENCH/results.txt"
[ "$FAILED" = 0 ]
