#!/usr/bin/env bash
# The island wasm as a release deploy ships it: built with the wasm-release profile, bound with
# the pinned wasm-bindgen CLI, shrunk with npm binaryen's `wasm-opt -Oz`, then measured raw and
# gzip -9 (what a browser downloads through the server's or nginx's gzip).
#   bash scripts/wasm-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
ensure_rust_tools
ensure_wasm_opt

out=target/wasm-size
rm -rf "$out" && mkdir -p "$out"
cargo build -p app --lib --no-default-features --features hydrate \
  --target wasm32-unknown-unknown --profile wasm-release
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name gp \
  target/wasm32-unknown-unknown/wasm-release/app.wasm
tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue "$out/gp_bg.wasm" -o "$out/gp_bg.opt.wasm"

size() { printf '%-22s %8.1f KB raw %8.1f KB gzip\n' "$1" "$(($(stat -c %s "$2")))e-3" "$(($(gzip -9c "$2" | wc -c)))e-3"; }
size "wasm (before wasm-opt)" "$out/gp_bg.wasm"
size "wasm" "$out/gp_bg.opt.wasm"
size "JS glue" "$out/gp.js"
size "stylesheet" style/main.css
total=$(($(gzip -9c "$out/gp_bg.opt.wasm" | wc -c) + $(gzip -9c "$out/gp.js" | wc -c)))
echo "island pages download ${total} bytes gzip of wasm + JS (target: wasm <= 250 KB gzip)"
echo "islands: $(grep -rc "^#\[island\]" app/src | awk -F: "{s+=\$2} END {print s}")"
