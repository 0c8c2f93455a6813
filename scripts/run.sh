#!/usr/bin/env bash
# Builds and serves the app with demo data on SQLite at http://127.0.0.1:3000.
# Installs what is missing first (wasm target, cargo-leptos, wasm-bindgen CLI). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh

ensure_rust_tools
log "building the site (cargo leptos build)"
cargo leptos build
mkdir -p data
log "serving on http://127.0.0.1:3000 (Ctrl-C stops; demo passwords in README.md)"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
exec target/debug/server serve --demo
