#!/usr/bin/env bash
# Deadline rush (README "Benchmarks"): USERS (32) nominators start, save (long texts) and submit
# as fast as the release server answers, for SECONDS (60), on SQLite and PostgreSQL. Then the
# same with `kill -9` at a random moment and a restart: every acknowledged submit must be there,
# complete, with its mail. Then two server processes on one PostgreSQL.
#   SECONDS_RUN=60 USERS=32 BACKENDS="sqlite postgres" bash scripts/bench-rush.sh
# Prints one line per run: responses by status (none ≥ 500 allowed), submit p50/p99.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
USERS=${USERS:-32}
SECONDS_RUN=${SECONDS_RUN:-60}
PORT=${PORT:-3500}
BACKENDS=${BACKENDS:-sqlite postgres}
apt_install curl

log "release build of the server"
cargo build -p server --release
BIN=$PWD/target/release/server
BENCH=target/bench/rush
rm -rf "$BENCH" && mkdir -p "$BENCH"
export RUST_LOG=warn LEPTOS_SITE_ROOT=target/site SIGNUPS_PER_HOUR=1000000 MAIL_TRANSPORT=log
PIDS=()
PG_DB=""
PSQL=(psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U postgres -d postgres)
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -n "$PG_DB" ] && "${PSQL[@]}" -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" || true
}
trap cleanup EXIT
FAILED=0

serve() { # port -> pid in SERVER_PID
  PUBLIC_URL=http://127.0.0.1:$PORT LEPTOS_SITE_ADDR=127.0.0.1:$1 $BIN serve >> "$BENCH/server-$1.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_for_http "http://127.0.0.1:$1/healthz" 120
}

result() { # name json
  printf '%-34s %s\n' "$1" "$2" | tee -a "$BENCH/results.txt"
  if [ "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["responses_5xx"])' "$2")" != 0 ]; then FAILED=1; fi
}

check() { # name backend-args...
  local out
  if out=$(python3 scripts/rush_check.py "${@:2}"); then
    printf '%-34s %s\n' "$1" "$out" | tee -a "$BENCH/results.txt"
  else
    printf '%-34s LOST: %s\n' "$1" "$out" | tee -a "$BENCH/results.txt"
    FAILED=1
  fi
}

for backend in $BACKENDS; do
  dir=$BENCH/$backend
  mkdir -p "$dir"
  export DATA_DIR=$PWD/$dir
  if [ "$backend" = postgres ]; then
    ensure_postgres
    PG_DB="gp_rush_$$"
    "${PSQL[@]}" -c "CREATE DATABASE \"$PG_DB\" LOCALE 'C.UTF-8' TEMPLATE template0"
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$PG_DB"
    CHECK=(--pg "$DATABASE_URL")
  else
    unset DATABASE_URL
    CHECK=(--sqlite "$dir/gp.sqlite3")
  fi
  $BIN seed-demo > /dev/null

  log "[$backend] $USERS nominators for ${SECONDS_RUN}s"
  serve "$PORT"
  result "[$backend] rush" "$(python3 scripts/rush.py --base http://127.0.0.1:$PORT --users "$USERS" --seconds "$SECONDS_RUN" --ack "$dir/acks-rush.log" --prefix r1)"
  check "[$backend] rush: acknowledged" --ack "$dir/acks-rush.log" "${CHECK[@]}"
  echo "[$backend] server RSS after the rush: $(( $(awk '/VmRSS/ {print $2}' /proc/$SERVER_PID/status) / 1024 )) MB" | tee -a "$BENCH/results.txt"

  log "[$backend] the same, with kill -9 at a random moment"
  python3 scripts/rush.py --base http://127.0.0.1:$PORT --users "$USERS" --seconds "$SECONDS_RUN" --ack "$dir/acks-kill.log" --prefix r2 > "$dir/kill.json" &
  RUSH=$!
  sleep $(( 5 + RANDOM % (SECONDS_RUN / 2) ))
  kill -9 "$SERVER_PID"
  echo "[$backend] killed the server (kill -9) after $(wc -l < "$dir/acks-kill.log") acknowledged submits" | tee -a "$BENCH/results.txt"
  sleep 1
  serve "$PORT"
  wait "$RUSH" || true
  echo "[$backend] rush across kill -9: $(cat "$dir/kill.json")" | tee -a "$BENCH/results.txt"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  check "[$backend] after kill -9 + restart" --ack "$dir/acks-kill.log" "${CHECK[@]}"

  if [ "$backend" = postgres ]; then
    log "[postgres] two server processes on one database"
    serve "$PORT"; A=$SERVER_PID
    serve "$((PORT + 1))"; B=$SERVER_PID
    result "[postgres] two processes" "$(python3 scripts/rush.py --base http://127.0.0.1:$PORT --base http://127.0.0.1:$((PORT + 1)) --users "$USERS" --seconds "$SECONDS_RUN" --ack "$dir/acks-two.log" --prefix r3)"
    kill "$A" "$B"; wait "$A" "$B" 2>/dev/null || true
    check "[postgres] two processes: acknowledged" --ack "$dir/acks-two.log" "${CHECK[@]}"
  fi
done
[ "$FAILED" = 0 ] && log "rush: no response >= 500, nothing acknowledged was lost" || { log "rush: FAILED (see above)"; exit 1; }
