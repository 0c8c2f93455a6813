#!/usr/bin/env bash
# Runs, on this machine, every step of README "Running at scale" and "Backups and restore":
# PostgreSQL, two server processes behind nginx with TLS termination (self-signed certificate),
# a session shared by both processes, a SQLite online backup and restore, and a pg_dump and
# pg_restore — then checks each result. Uses the release binary (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
apt_install nginx-light openssl curl sqlite3
ensure_postgres
[ -x target/release/server ] || cargo build -p server --release
BIN=$PWD/target/release/server
W=$PWD/target/try-scale
rm -rf "$W" && mkdir -p "$W/nginx/logs" "$W/uploads"
PSQL=(psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U postgres)
DB=gp_scale_$$
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$W/nginx/nginx.pid" ] && kill "$(cat "$W/nginx/nginx.pid")" 2>/dev/null || true
  for d in "$DB" "${DB}_restored"; do "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" || true; done
}
trap cleanup EXIT
step() { printf '\n\033[1m-- %s\033[0m\n' "$*"; }

step "1. a PostgreSQL database with a UTF-8 collation (so Japanese is indexed)"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$DB\" LOCALE 'C.UTF-8' TEMPLATE template0"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export PUBLIC_URL=https://award.localhost:8443 TRUST_PROXY=true MAIL_TRANSPORT=dir MAIL_DIR=$W/mail
export SECRET_KEY=$(openssl rand -hex 32) UPLOAD_DIR=$W/uploads LEPTOS_SITE_ROOT=$PWD/target/site RUST_LOG=warn LOG_FORMAT=json

step "2. migrate once, load the demo data"
$BIN migrate
$BIN seed-demo --if-empty | tail -1

step "3. two server processes on one database"
for port in 3001 3002; do
  LEPTOS_SITE_ADDR=127.0.0.1:$port $BIN serve > "$W/server-$port.log" 2>&1 &
  PIDS+=("$!")
done
wait_for_http http://127.0.0.1:3001/healthz 60
wait_for_http http://127.0.0.1:3002/healthz 60

step "4. nginx in front, TLS terminated there (docs/nginx.conf with local paths and ports)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=award.localhost \
  -keyout "$W/nginx/key.pem" -out "$W/nginx/cert.pem" 2>/dev/null
sed -e "s#/etc/letsencrypt/live/award.example.jp/fullchain.pem#$W/nginx/cert.pem#" \
    -e "s#/etc/letsencrypt/live/award.example.jp/privkey.pem#$W/nginx/key.pem#" \
    -e "s#award.example.jp#award.localhost#g" -e 's#listen 443#listen 8443#' -e 's#listen \[::\]:443#listen [::]:8443#' \
    -e 's#listen 80;#listen 8080;#' -e 's#listen \[::\]:80;#listen [::]:8080;#' -e 's#https://$host$request_uri#https://$host:8443$request_uri#' \
    docs/nginx.conf > "$W/nginx/site.conf"
cat > "$W/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $W/nginx/nginx.pid;
error_log $W/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log $W/nginx/logs/access.log;
  include /etc/nginx/mime.types;
  include $W/nginx/site.conf;
}
NGINX
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -t 2>&1 | tail -1
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf"
C=(curl -sS --cacert "$W/nginx/cert.pem" --resolve award.localhost:8443:127.0.0.1 --resolve award.localhost:8080:127.0.0.1)
wait_for_http "http://127.0.0.1:3001/healthz" 5
"${C[@]}" -o /dev/null -w 'http://award.localhost:8080/ -> %{http_code} %{redirect_url}\n' http://award.localhost:8080/
"${C[@]}" -o /dev/null -w 'https://award.localhost:8443/healthz -> %{http_code}\n' https://award.localhost:8443/healthz

step "5. sign in through nginx; the session works on both processes (it lives in the database)"
action=$("${C[@]}" https://award.localhost:8443/sign-in | grep -o 'action="/api/sign_in[^"]*"' | head -1 | cut -d'"' -f2)
headers=$("${C[@]}" -o /dev/null -D - -X POST -H "Origin: https://award.localhost:8443" -H 'Accept: application/json' \
  --data-urlencode email=organiser@example.jp --data-urlencode password=demo-organiser-2026 \
  "https://award.localhost:8443$action" | tr -d '\r' | grep -i '^set-cookie: gp_session=')
cookie=$(echo "$headers" | sed 's/^[^:]*: //; s/;.*//')
echo "session cookie attributes: $(echo "$headers" | sed 's/^[^;]*;//')"
for port in 3001 3002; do
  code=$(curl -s -o "$W/organise-$port.html" -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$port/organise")
  # Signed in (a sign-out link) and allowed in (the organiser page's own heading).
  grep -q 'ログアウト' "$W/organise-$port.html" && grep -q '<h1>事務局' "$W/organise-$port.html" && echo "process :$port sees the signed-in organiser ($code)" \
    || { echo "process :$port does not see the session" >&2; exit 1; }
done
echo "requests per upstream in nginx's log: $(grep -c . "$W/nginx/logs/access.log") total"
echo "cross-site POST through nginx: $("${C[@]}" -o /dev/null -w '%{http_code}' -X POST -H 'Origin: https://evil.example' https://award.localhost:8443/api/sign_out)"
grep -h '"ip"\|client' "$W"/server-300*.log | head -2 || true

step "6. PostgreSQL backup with pg_dump while serving, restore into a new database"
pg_dump -h 127.0.0.1 -U postgres -Fc -d "$DB" -f "$W/gp.dump"
ls -l "$W/gp.dump" | awk '{print "dump: " $5 " bytes"}'
"${PSQL[@]}" -d postgres -c "CREATE DATABASE \"${DB}_restored\" LOCALE 'C.UTF-8' TEMPLATE template0"
pg_restore -h 127.0.0.1 -U postgres --no-owner -d "${DB}_restored" "$W/gp.dump"
for d in "$DB" "${DB}_restored"; do
  echo "$d: $("${PSQL[@]}" -d "$d" -Atc "SELECT (SELECT count(*) FROM users) || ' users, ' || (SELECT count(*) FROM nominations) || ' nominations, ' || (SELECT count(*) FROM practices) || ' practices, ' || (SELECT count(*) FROM sessions) || ' sessions'")"
done
DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB}_restored" LEPTOS_SITE_ADDR=127.0.0.1:3003 $BIN serve > "$W/server-restored.log" 2>&1 &
PIDS+=("$!")
wait_for_http http://127.0.0.1:3003/healthz 60
echo "restored database serves the archive API: $(curl -s 'http://127.0.0.1:3003/api/v1/practices?q=%E9%9B%A3%E7%97%85' | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"], "hits for 難病")')"

step "7. SQLite online backup while serving, restore by swapping the file while stopped"
SQ=$W/sqlite
mkdir -p "$SQ"
DATABASE_URL= DATA_DIR=$SQ $BIN seed-demo | tail -1
(unset DATABASE_URL; DATA_DIR=$SQ LEPTOS_SITE_ADDR=127.0.0.1:3004 exec $BIN serve) > "$W/server-sqlite.log" 2>&1 &
SPID=$!
PIDS+=("$SPID")
wait_for_http http://127.0.0.1:3004/healthz 60
sqlite3 "$SQ/gp.sqlite3" ".backup '$SQ/backup.sqlite3'"
sqlite3 "$SQ/backup.sqlite3" "PRAGMA integrity_check;" | sed 's/^/backup integrity: /'
before=$(sqlite3 "$SQ/backup.sqlite3" "SELECT count(*) FROM practices")
sqlite3 "$SQ/gp.sqlite3" "DELETE FROM sessions;"   # a change after the backup, to see it undone
kill "$SPID"; wait "$SPID" 2>/dev/null || true
rm -f "$SQ/gp.sqlite3-wal" "$SQ/gp.sqlite3-shm"
cp "$SQ/backup.sqlite3" "$SQ/gp.sqlite3"
(unset DATABASE_URL; DATA_DIR=$SQ LEPTOS_SITE_ADDR=127.0.0.1:3004 exec $BIN serve) > "$W/server-sqlite2.log" 2>&1 &
PIDS+=("$!")
wait_for_http http://127.0.0.1:3004/healthz 60
echo "restored SQLite: $before practices in the backup, $(curl -s 'http://127.0.0.1:3004/api/v1/practices' | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])') published served"
echo "uploads directory to back up alongside: $UPLOAD_DIR ($(find "$UPLOAD_DIR" -type f | wc -l) files)"
step "all steps ran"
