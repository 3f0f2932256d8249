#!/usr/bin/env bash
# A private PostgreSQL 15 cluster on a unix socket (no TCP): for `make run` and for the tests.
#
#   scripts/pg-cluster.sh start   DATA_DIR [--fast]  create if missing, start, create role/db "omnitrackiq"
#   scripts/pg-cluster.sh stop    DATA_DIR           stop (fast shutdown: open sessions are ended)
#   scripts/pg-cluster.sh url     DATA_DIR [DB]      print the DATABASE_URL for DB (default omnitrackiq)
#   scripts/pg-cluster.sh destroy DATA_DIR           stop and delete
#
# initdb refuses to run as root, so as root the cluster belongs to the "postgres" system user that
# the Debian package creates. --fast turns off fsync (test clusters: speed over durability).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?usage: pg-cluster.sh start|stop|url|destroy DATA_DIR}
data=${2:?usage: pg-cluster.sh $cmd DATA_DIR}
mkdir -p "$(dirname "$data")"
data=$(cd "$(dirname "$data")" && pwd)/$(basename "$data")

# Unix socket paths are limited to ~107 bytes, so the socket lives in a short /tmp directory
# derived from the data directory (stable across runs, distinct per cluster).
sock=/tmp/otq-pg-$(printf '%s' "$data" | sha256sum | cut -c1-12)

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}


case "$cmd" in
  start)
    fast=${3:-}
    if [ "$(id -u)" = 0 ]; then
      mkdir -p "$data"
      chown postgres:postgres "$data"
      chmod 700 "$data"
      if ! as_owner test -w "$data"; then
        echo "pg-cluster: the postgres user cannot reach $data (a parent directory is private)." >&2
        echo "pg-cluster: set DATABASE_URL to an existing server, or move the checkout under a world-traversable path." >&2
        exit 1
      fi
    fi
    mkdir -p "$sock" 2>/dev/null || true
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$sock"
    chmod 700 "$sock"
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      {
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$sock'"
        echo "unix_socket_permissions = 0700"
        echo "max_connections = 200"
        echo "shared_buffers = 128MB"
        echo "log_min_messages = warning"
        if [ "$fast" = "--fast" ]; then
          echo "fsync = off"
          echo "synchronous_commit = off"
          echo "full_page_writes = off"
        fi
      } | as_owner tee -a "$data/postgresql.conf" >/dev/null
    fi
    if ! as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-c unix_socket_directories=$sock" start >/dev/null
    fi
    psql_admin() { as_owner psql -h "$sock" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
    if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'omnitrackiq'")" != 1 ]; then
      psql_admin -c "CREATE ROLE omnitrackiq LOGIN CREATEDB"
    fi
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'omnitrackiq'")" != 1 ]; then
      psql_admin -c "CREATE DATABASE omnitrackiq OWNER omnitrackiq"
    fi
    ;;
  stop)
    if [ -f "$data/PG_VERSION" ] && as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
  url)
    echo "postgresql:///${3:-omnitrackiq}?host=$sock&user=omnitrackiq"
    ;;
  destroy)
    "$0" stop "$data"
    rm -rf "$data" "$sock"
    ;;
  *)
    echo "pg-cluster: unknown command '$cmd'" >&2
    exit 2
    ;;
esac
