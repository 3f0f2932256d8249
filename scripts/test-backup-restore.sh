#!/usr/bin/env bash
# The backup and restore drill, for real: a throwaway PostgreSQL cluster, migrated and seeded with
# a demo store, backed up by scripts/backup.sh, restored by scripts/restore.sh into a new database
# on the same cluster, and compared table by table (row counts and a checksum of every row),
# sequence by sequence; then `omnitrackiq migrate` must apply nothing to the copy, the server must
# be ready on it and the demo login must work. Also: restore.sh refuses a non-empty database,
# backup.sh keeps the newest N dumps and fails without leaving a file when the database is
# unreachable. Any failed step fails the script; the cluster is destroyed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

data=build/backup-test-pg
work=build/backup-test
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || { kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  scripts/pg-cluster.sh destroy "$data" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "test-backup-restore: FAIL: $*" >&2; exit 1; }
step() { echo "test-backup-restore: $*"; }
started=$(date +%s%3N)
elapsed() { local ms=$(( $(date +%s%3N) - started )); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }

cleanup  # leftovers of an interrupted run
mkdir -p "$work"
scripts/pg-cluster.sh start "$data" --fast
source_url=$(scripts/pg-cluster.sh url "$data")
restored_url=$(scripts/pg-cluster.sh url "$data" omnitrackiq_restored)
sql() { psql "$1" -X -qAt -v ON_ERROR_STOP=1 -c "$2"; }

step "migrate and seed a demo store ($(elapsed))"
DATABASE_URL=$source_url bin/omnitrackiq migrate >/dev/null
demo_password=$(openssl rand -hex 12)
DATABASE_URL=$source_url bin/omnitrackiq seed-demo --password "$demo_password" --days 30 --orders 500 >/dev/null
orders=$(sql "$source_url" "SELECT count(*) FROM orders")
[ "$orders" -ge 500 ] || fail "seed-demo wrote $orders orders, expected at least 500"

step "back up ($(elapsed))"
dump=$(DATABASE_URL=$source_url scripts/backup.sh --dir "$work/backups" --keep 2)
[ -s "$dump" ] || fail "backup.sh printed '$dump', which is not a non-empty file"
[ -z "$(find "$work/backups" -name '*.partial')" ] || fail "a .partial file was left behind"

step "restore into a new database ($(elapsed))"
sql "$source_url" "CREATE DATABASE omnitrackiq_restored OWNER omnitrackiq" >/dev/null
DATABASE_URL=$restored_url scripts/restore.sh "$dump"

step "compare every table and sequence ($(elapsed))"
# One line per table: name, row count, md5 of all rows in a fixed order. Same for sequences.
fingerprint() {
  local url=$1 tables t
  tables=$(sql "$url" "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
  [ -n "$tables" ] || fail "no tables in $url"
  for t in $tables; do
    sql "$url" "SELECT '$t', count(*), md5(coalesce(string_agg(r::text, E'\n' ORDER BY r::text), '')) FROM $t r"
  done
  sql "$url" "SELECT 'sequence ' || sequencename, last_value, '-' FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
}
fingerprint "$source_url" >"$work/source.txt"
fingerprint "$restored_url" >"$work/restored.txt"
if ! diff -u "$work/source.txt" "$work/restored.txt"; then
  fail "the restored database differs from the source (diff above: source, restored)"
fi
tables=$(grep -vc '^sequence ' "$work/source.txt")
rows=$(grep -v '^sequence ' "$work/source.txt" | awk -F'|' '{ s += $2 } END { print s }')
grep -q "^orders|$orders|[0-9a-f]\{32\}$" "$work/restored.txt" || fail "orders missing from the comparison"
step "  $tables tables, $rows rows, $(grep -c '^sequence ' "$work/source.txt") sequences identical ($orders orders)"

step "migrate the restored database ($(elapsed))"
migrate_log=$(DATABASE_URL=$restored_url bin/omnitrackiq migrate)
grep -q '"event":"migrate_complete"' <<<"$migrate_log" || fail "migrate did not complete: $migrate_log"
grep -q '"applied_now":\[\]' <<<"$migrate_log" || fail "migrate applied something to the restored database: $migrate_log"

step "serve the restored database and log in ($(elapsed))"
DATABASE_URL=$restored_url JWT_SECRET=$(openssl rand -hex 32) TOKEN_ENCRYPTION_KEY="k1:$(openssl rand -base64 32)" \
  PORT=0 STATIC_DIR=frontend/out bin/omnitrackiq serve >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 200); do
  port=$(grep -so '"event":"listening".*' "$work/server.log" | grep -o '"port":[0-9]*' | cut -d: -f2 || true)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the server exited"; }
  sleep 0.05
done
[ -n "$port" ] || { cat "$work/server.log" >&2; fail "the server did not start"; }
ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/ready")
[ "$ready" = 200 ] || fail "/api/v1/ready answered $ready on the restored database"
login=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/auth/login" \
  -H 'Content-Type: application/json' -d "{\"email\":\"demo@omnitrackiq.test\",\"password\":\"$demo_password\"}")
[ "$login" = 200 ] || fail "the demo login answered $login on the restored database"
kill -TERM "$server_pid"
wait "$server_pid" || fail "the server did not exit cleanly on SIGTERM"
server_pid=""

step "restore.sh refuses a non-empty database ($(elapsed))"
if DATABASE_URL=$restored_url scripts/restore.sh "$dump" 2>"$work/refused.txt"; then
  fail "restore.sh restored over a non-empty database without --force"
fi
grep -q "not empty" "$work/refused.txt" || fail "restore.sh failed for another reason: $(cat "$work/refused.txt")"

step "backup.sh keeps the newest 2 dumps ($(elapsed))"
for _ in 1 2; do
  sleep 1  # dump names have one-second resolution
  DATABASE_URL=$source_url scripts/backup.sh --dir "$work/backups" --keep 2 >/dev/null 2>&1
done
kept=$(find "$work/backups" -name 'omnitrackiq-*.dump' | wc -l)
[ "$kept" = 2 ] || fail "$kept dumps kept, expected 2"
[ ! -e "$dump" ] || fail "the oldest dump $dump was not removed"

step "backup.sh fails on an unreachable database ($(elapsed))"
if DATABASE_URL="postgresql:///nowhere?host=$work/no-socket&connect_timeout=2" \
  scripts/backup.sh --dir "$work/failed" --keep 2 >/dev/null 2>&1; then
  fail "backup.sh succeeded without a database"
fi
[ -z "$(find "$work/failed" -type f 2>/dev/null)" ] || fail "a failed backup left a file: $(ls "$work/failed")"

step "passed ($(elapsed))"
