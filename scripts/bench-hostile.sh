#!/usr/bin/env bash
# Hostile traffic (README "Benchmarks"), release build, N (100,000) records on SQLite:
# 1. the record page alone (wrk -t1 -c16): its unloaded throughput;
# 2. the same wrk again while a crowd sends 20,000 distinct long matching searches and 1,000
#    sitemap/feed requests (scripts/flood.py): the record page must keep >= 80 % of (1);
# 3. 500 connections held on the archive for 60 s (wrk -t2 -c500): 0 errors;
# the server's RSS sampled every 0.2 s throughout: the peak must stay under 150 MB.
#   N=100000 KEEP=1 bash scripts/bench-hostile.sh     (KEEP=1 reuses bench-archive's seeded data)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
N=${N:-100000}
PORT=${PORT:-3600}
DURATION=${DURATION:-30s}
HOLD=${HOLD:-60s}
RATE=${RATE:-150}
apt_install wrk curl
ulimit -n 65536 2>/dev/null || ulimit -n 8192

log "release build of the server"
cargo build -p server --release
BIN=$PWD/target/release/server
BENCH=target/bench/hostile
rm -rf "$BENCH" && mkdir -p "$BENCH"
DATA=${KEEP:+target/bench/archive-data/sqlite}
DATA=${DATA:-$BENCH/data}
mkdir -p "$DATA"
export DATA_DIR=$PWD/$DATA MAIL_TRANSPORT=log RUST_LOG=warn LEPTOS_SITE_ROOT=target/site PUBLIC_URL=http://127.0.0.1:$PORT
unset DATABASE_URL
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
if [ ! -f "$DATA/seeded-$N" ]; then
  rm -f "$DATA"/gp.sqlite3*
  log "seeding demo data and $N synthetic records"
  $BIN seed-demo > /dev/null
  $BIN seed-demo --practices "$N" > /dev/null
  touch "$DATA/seeded-$N"
fi
LEPTOS_SITE_ADDR=127.0.0.1:$PORT $BIN serve > "$BENCH/server.log" 2>&1 &
PID=$!
PIDS+=("$PID")
wait_for_http "http://127.0.0.1:$PORT/healthz" 120
# Each sample: total RSS, then its parts (anonymous, file-backed: the binary's code and SQLite's
# shared WAL index), in kB.
( while kill -0 "$PID" 2>/dev/null; do
    awk '/^VmRSS/ {t=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2} /^RssShmem/ {s=$2} END {print t, a, f, s}' /proc/$PID/status
    sleep 0.2
  done ) > "$BENCH/rss.txt" &
PIDS+=("$!")
RECORD=$(curl -s "http://127.0.0.1:$PORT/api/v1/practices?per_page=1&page=7" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["url"])')
rps() { echo "$1" | grep '^RESULT' | sed -E 's/.*rps=([0-9]+).*/\1/'; }
errors() { echo "$1" | grep '^RESULT' | sed -E 's/.*errors=([0-9]+).*/\1/'; }
FAILED=0

log "record page alone (wrk -t1 -c16, $DURATION)"
curl -s -o /dev/null "$RECORD"
ALONE=$(wrk -t1 -c16 -d"$DURATION" -s scripts/wrk-report.lua "$RECORD")
echo "record page alone: $(echo "$ALONE" | grep '^RESULT')" | tee -a "$BENCH/results.txt"

log "record page while the crowd floods (20,000 searches + 1,000 sitemap/feed at ${RATE}/s)"
python3 scripts/flood.py --base "http://127.0.0.1:$PORT" --searches 20000 --feeds 1000 --rate "$RATE" > "$BENCH/flood.json" &
FLOOD=$!
LOADED=""
while kill -0 "$FLOOD" 2>/dev/null; do
  out=$(wrk -t1 -c16 -d10s -s scripts/wrk-report.lua "$RECORD")
  echo "  record page under the flood: $(echo "$out" | grep '^RESULT')" | tee -a "$BENCH/results.txt"
  LOADED="$LOADED $(rps "$out")"
  [ "$(errors "$out")" = 0 ] || FAILED=1
done
wait "$FLOOD"
echo "flood: $(cat "$BENCH/flood.json")" | tee -a "$BENCH/results.txt"
python3 - "$(rps "$ALONE")" $LOADED <<'PY' | tee -a "$BENCH/results.txt" || FAILED=1
import sys
alone = float(sys.argv[1]); loaded = [float(x) for x in sys.argv[2:]]
worst = min(loaded); mean = sum(loaded) / len(loaded)
print(f"record page under the flood: mean {mean:.0f} req/s ({mean / alone:.0%} of alone), worst 10 s {worst:.0f} ({worst / alone:.0%})")
sys.exit(0 if mean >= 0.8 * alone else 1)
PY
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(1 if d["bad"] else 0)' "$BENCH/flood.json" || FAILED=1

log "500 connections held on the archive ($HOLD)"
HELD=$(wrk -t2 -c500 -d"$HOLD" --timeout 10s -s scripts/wrk-report.lua "http://127.0.0.1:$PORT/archive")
echo "500 connections on /archive: $(echo "$HELD" | grep '^RESULT')" | tee -a "$BENCH/results.txt"
[ "$(errors "$HELD")" = 0 ] || FAILED=1
if echo "$HELD" | grep -q 'Non-2xx'; then FAILED=1; fi

read -r PEAK PEAK_ANON PEAK_FILE PEAK_SHMEM < <(sort -n "$BENCH/rss.txt" | tail -1)
echo "server RSS: peak $(( PEAK / 1024 )) MB (anonymous $(( PEAK_ANON / 1024 )), file $(( PEAK_FILE / 1024 )), shared $(( PEAK_SHMEM / 1024 ))), at the end $(( $(awk '/VmRSS/ {print $2}' /proc/$PID/status) / 1024 )) MB" | tee -a "$BENCH/results.txt"
[ "$PEAK" -lt $((150 * 1024)) ] || FAILED=1
[ "$FAILED" = 0 ] && log "hostile: held" || { log "hostile: FAILED (see above)"; exit 1; }
