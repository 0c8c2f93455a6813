#!/usr/bin/env bash
# The whole test suite: formatting, clippy (server and wasm), unit and integration tests on
# SQLite and PostgreSQL, then browser tests against the built site. Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
started=$(date +%s)

ensure_rust_tools
ensure_browser
ensure_postgres
ensure_s3_emulator

log "cargo fmt --check"
cargo fmt --all --check

log "clippy (server side)"
cargo clippy --workspace --all-targets --features app/ssr -- -D warnings
log "clippy (browser side, wasm32)"
cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

# A fresh PostgreSQL database for this run (UTF-8 ctype so Japanese is indexed), dropped at exit.
PG_DB="gp_test_$$_$(date +%s)"
PSQL=(psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U postgres -d postgres)
"${PSQL[@]}" -c "CREATE DATABASE \"$PG_DB\" LOCALE 'C.UTF-8' TEMPLATE template0"
SERVER_PID=""
S3_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [ -n "$S3_PID" ] && kill "$S3_PID" 2>/dev/null && wait "$S3_PID" 2>/dev/null
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" || true
}
trap cleanup EXIT
export GP_TEST_PG_URL="postgres://postgres@127.0.0.1:5432/$PG_DB"

# An S3-compatible endpoint for the object-storage test, on a free port, stopped at exit.
S3_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p target
tools/s3-venv/bin/moto_server -H 127.0.0.1 -p "$S3_PORT" > target/s3-emulator.log 2>&1 &
S3_PID=$!
export GP_TEST_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
wait_for_http "$GP_TEST_S3_ENDPOINT/moto-api/" 30

log "unit and integration tests (SQLite and PostgreSQL)"
cargo test --workspace --features app/ssr

log "building the site for browser tests"
cargo leptos build

log "browser tests (Playwright, Debian Chromium)"
E2E=target/e2e
rm -rf "$E2E" && mkdir -p "$E2E"
export E2E_BASE_URL=http://127.0.0.1:3100 E2E_MAIL_DIR="$PWD/$E2E/mail"
# The journeys seed through the operator command against the same database.
export E2E_SERVER_BIN="$PWD/target/debug/server" DATA_DIR="$PWD/$E2E/data" MAIL_DIR="$E2E_MAIL_DIR" PUBLIC_URL="$E2E_BASE_URL"
LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:3100 RUST_LOG=warn SIGNUPS_PER_HOUR=1000 REGISTRATIONS_PER_HOUR=100000 \
  target/debug/server serve --demo > "$E2E/server.log" 2>&1 &
SERVER_PID=$!
wait_for_http "$E2E_BASE_URL/healthz" 120
(cd end2end && npx playwright test)

log "all tests passed in $(( $(date +%s) - started )) s"
