#!/usr/bin/env bash
# Review benchmarks (README: "Benchmarks"):
#  1. aggregation and ranking of 10,000 nominations x 3 reviewers x 6 criteria, in process;
#  2. the organiser's ranking page and a reviewer's queue with N (default 1,000) nominations
#     x 3 submitted sheets, release build, SQLite, loopback, wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
N=${N:-1000}
PORT=${PORT:-3300}
DURATION=${DURATION:-15s}
apt_install wrk curl

log "release build of the server"
cargo build -p server --release
BIN=target/release/server

log "aggregation benchmark"
$BIN bench-aggregate --nominations 10000 --reviewers-per-nomination 3 --criteria 6 --runs 20

BENCH=target/bench/review
rm -rf "$BENCH" && mkdir -p "$BENCH"
export DATA_DIR=$BENCH MAIL_TRANSPORT=log RUST_LOG=warn LEPTOS_SITE_ROOT=target/site
log "seeding $N nominations x 3 sheets"
$BIN seed-demo > /dev/null
$BIN seed-demo --review-load "$N" | tee "$BENCH/seed.txt"
EDITION=$(grep -o '(id [0-9]*)' "$BENCH/seed.txt" | head -1 | tr -dc '0-9')

LEPTOS_SITE_ADDR=127.0.0.1:$PORT PUBLIC_URL=http://127.0.0.1:$PORT $BIN serve > "$BENCH/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
wait_for_http "http://127.0.0.1:$PORT/healthz" 60

sign_in() { # email password -> "gp_session=…"
  local action
  action=$(curl -s "http://127.0.0.1:$PORT/sign-in" | grep -o 'action="/api/sign_in[^"]*"' | head -1 | cut -d'"' -f2)
  curl -s -o /dev/null -D - -X POST -H "Origin: http://127.0.0.1:$PORT" -H 'Accept: application/json' \
    --data-urlencode "email=$1" --data-urlencode "password=$2" "http://127.0.0.1:$PORT$action" \
    | tr -d '\r' | grep -i '^set-cookie: gp_session=' | sed 's/^[^:]*: //; s/;.*//'
}
ORG=$(sign_in organiser@example.jp demo-organiser-2026)
REV=$(sign_in load-reviewer0@example.jp demo-reviewer-2026)
[ -n "$ORG" ] && [ -n "$REV" ] || { echo "could not sign in" >&2; exit 1; }

bench() { # name url cookie
  local out
  curl -s -o /dev/null -w "$1: first request %{http_code} in %{time_total}s, %{size_download} bytes\n" -H "Cookie: $3" "$2"
  out=$(wrk -t2 -c8 -d"$DURATION" --latency -H "Cookie: $3" "$2")
  printf '%s: %s req/s, p50 %s, p99 %s\n' "$1" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1=="50%" {print $2}')" \
    "$(echo "$out" | awk '$1=="99%" {print $2}')"
}
log "load (wrk, 2 threads, 8 connections, $DURATION each)"
bench "ranking page ($N x 3, overview)" "http://127.0.0.1:$PORT/organise/editions/$EDITION/ranking" "$ORG"
bench "ranking page, one category in full" "http://127.0.0.1:$PORT/organise/editions/$EDITION/ranking?category=corporate" "$ORG"
bench "reviewer queue" "http://127.0.0.1:$PORT/review" "$REV"
echo "server RSS after load: $(( $(awk '/VmRSS/ {print $2}' /proc/$PID/status) / 1024 )) MB"
