#!/usr/bin/env bash
# The people's write paths under concurrency (README "Benchmarks"): USERS (32) people at once
# sign up, nominate, ask for more time, change their profile, download their data and delete
# their account, in a loop for SECONDS_RUN (30), on SQLite and PostgreSQL, release build.
#   SECONDS_RUN=30 USERS=32 BACKENDS="sqlite postgres" bash scripts/bench-people.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
USERS=${USERS:-32}
SECONDS_RUN=${SECONDS_RUN:-30}
PORT=${PORT:-3600}
BACKENDS=${BACKENDS:-sqlite postgres}
apt_install curl

log "release build of the server"
cargo build -p server --release
BIN=$PWD/target/release/server
BENCH=target/bench/people
rm -rf "$BENCH" && mkdir -p "$BENCH"
export RUST_LOG=warn LEPTOS_SITE_ROOT=target/site SIGNUPS_PER_HOUR=1000000 MAIL_TRANSPORT=log
PID=""
PG_DB=""
PSQL=(psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U postgres -d postgres)
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  [ -n "$PG_DB" ] && "${PSQL[@]}" -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" || true
}
trap cleanup EXIT
FAILED=0
for backend in $BACKENDS; do
  dir=$BENCH/$backend
  mkdir -p "$dir"
  export DATA_DIR=$PWD/$dir
  if [ "$backend" = postgres ]; then
    ensure_postgres
    PG_DB="gp_people_$$"
    "${PSQL[@]}" -c "CREATE DATABASE \"$PG_DB\" LOCALE 'C.UTF-8' TEMPLATE template0"
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$PG_DB"
  else
    unset DATABASE_URL
  fi
  $BIN seed-demo > /dev/null
  PUBLIC_URL=http://127.0.0.1:$PORT LEPTOS_SITE_ADDR=127.0.0.1:$PORT $BIN serve > "$dir/server.log" 2>&1 &
  PID=$!
  wait_for_http "http://127.0.0.1:$PORT/healthz" 120
  log "[$backend] $USERS people for ${SECONDS_RUN}s"
  if out=$(python3 scripts/people_rush.py --base "http://127.0.0.1:$PORT" --users "$USERS" --seconds "$SECONDS_RUN"); then :; else FAILED=1; fi
  printf '[%s] %s\n' "$backend" "$out" | tee -a "$BENCH/results.txt"
  echo "[$backend] server RSS after the run: $(( $(awk '/VmRSS/ {print $2}' /proc/$PID/status) / 1024 )) MB" | tee -a "$BENCH/results.txt"
  kill "$PID"; wait "$PID" 2>/dev/null || true
  PID=""
done
[ "$FAILED" = 0 ] && log "people: no response >= 500" || { log "people: FAILED (see above)"; exit 1; }
