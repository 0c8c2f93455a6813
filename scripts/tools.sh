# Installs what the build and the tests need, skipping whatever is already there.
# Sourced by scripts/run.sh, scripts/test.sh and scripts/bench-*.sh. Debian 12, rustup Rust, Node 20.

CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11 needs rustc 1.96
PLAYWRIGHT_VERSION=1.65.1

log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (first time only; 20–50 minutes on 2 cores)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
  fi
  # cargo-leptos uses the wasm-bindgen on PATH; it must match Cargo.lock exactly.
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
    log "installing wasm-bindgen-cli $want (first time only; about 15 minutes)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# wasm-opt for release builds: npm's binaryen (Debian's version 108 breaks hydration).
ensure_wasm_opt() {
  if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
    log "installing binaryen (wasm-opt) from npm into tools/"
    mkdir -p tools
    (cd tools && [ -f package.json ] || echo '{"private":true}' > package.json; npm install --no-audit --no-fund --save-exact binaryen@132.0.0)
  fi
  export PATH="$PWD/tools/node_modules/.bin:$PATH"
}

ensure_browser() {
  apt_install chromium fonts-noto-cjk
  if [ ! -d end2end/node_modules/@playwright/test ] || ! grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" end2end/node_modules/@playwright/test/package.json 2>/dev/null; then
    log "npm ci in end2end/ (Playwright without its browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

# A local S3-compatible server for the object-storage tests: moto, from PyPI, in tools/s3-venv.
MOTO_VERSION=5.2.5
ensure_s3_emulator() {
  if ! tools/s3-venv/bin/pip show moto 2>/dev/null | grep -qx "Version: $MOTO_VERSION"; then
    log "installing moto $MOTO_VERSION (S3 emulator) into tools/s3-venv"
    apt_install python3-venv
    python3 -m venv tools/s3-venv
    tools/s3-venv/bin/pip install -q "moto[server]==$MOTO_VERSION"
  fi
}

ensure_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    log "starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432
}

wait_for_http() { # url seconds
  local url=$1 limit=${2:-60}
  for _ in $(seq 1 "$limit"); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 1
  done
  echo "timed out waiting for $url" >&2
  return 1
}
