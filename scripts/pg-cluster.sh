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
# TCP is off unless PG_TCP_PORT is set (then it also listens on localhost:PG_TCP_PORT, e.g. for a
# GUI client; authentication is "trust", so only on a single-user machine); set it for `url` too.
# PG_SHARED_BUFFERS (default 128MB) sizes shared_buffers when the cluster is created.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?usage: pg-cluster.sh start|stop|url|destroy DATA_DIR}
data=${2:?usage: pg-cluster.sh $cmd DATA_DIR}
mkdir -p "$(dirname "$data")"
data=$(cd "$(dirname "$data")" && pwd)/$(basename "$data")

# Unix socket paths are limited to ~107 bytes, so the socket lives in a short /tmp directory
# derived from the data directory (stable across runs, distinct per cluster).
hash=$(printf '%s' "$data" | sha256sum | cut -c1-12)
sock=/tmp/otq-pg-$hash

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}


# As root the cluster runs as "postgres", which must be able to reach the data directory. When
# the checkout sits under a private directory (e.g. /root), the cluster lives in /var/tmp instead
# and DATA_DIR becomes a symlink to it.
pgdata=$data
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$(dirname "$data")" 2>/dev/null; then
  pgdata=/var/tmp/otq-pg-$hash/data
fi

case "$cmd" in
  start)
    fast=${3:-}
    if [ "$(id -u)" = 0 ]; then
      mkdir -p "$pgdata"
      chown postgres:postgres "$pgdata"
      chmod 700 "$pgdata"
      if [ "$pgdata" != "$data" ] && [ ! -e "$data" ]; then
        ln -s "$pgdata" "$data"
        echo "pg-cluster: $(dirname "$data") is private to root; the cluster lives in $pgdata" >&2
      fi
    fi
    mkdir -p "$sock" 2>/dev/null || true
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$sock"
    chmod 700 "$sock"
    if [ ! -f "$pgdata/PG_VERSION" ]; then
      as_owner "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      {
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$sock'"
        echo "unix_socket_permissions = 0700"
        echo "max_connections = 200"
        echo "shared_buffers = ${PG_SHARED_BUFFERS:-128MB}"
        # Bulk loads (seed-demo of a million orders) otherwise checkpoint every few seconds.
        echo "max_wal_size = 4GB"
        echo "log_min_messages = warning"
        if [ "$fast" = "--fast" ]; then
          echo "fsync = off"
          echo "synchronous_commit = off"
          echo "full_page_writes = off"
        fi
      } | as_owner tee -a "$pgdata/postgresql.conf" >/dev/null
    fi
    opts="-c unix_socket_directories=$sock"
    [ -n "${PG_TCP_PORT:-}" ] && opts="$opts -c listen_addresses=localhost -c port=$PG_TCP_PORT"
    if ! as_owner "$PG_BIN/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
      as_owner "$PG_BIN/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 -o "$opts" start >/dev/null
    fi
    psql_admin() { as_owner psql -h "$sock" -p "${PG_TCP_PORT:-5432}" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
    if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'omnitrackiq'")" != 1 ]; then
      psql_admin -c "CREATE ROLE omnitrackiq LOGIN CREATEDB"
    fi
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'omnitrackiq'")" != 1 ]; then
      psql_admin -c "CREATE DATABASE omnitrackiq OWNER omnitrackiq"
    fi
    ;;
  stop)
    if [ -f "$pgdata/PG_VERSION" ] && as_owner "$PG_BIN/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
      as_owner "$PG_BIN/pg_ctl" -D "$pgdata" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
  url)
    echo "postgresql:///${3:-omnitrackiq}?host=$sock&user=omnitrackiq${PG_TCP_PORT:+&port=$PG_TCP_PORT}"
    ;;
  destroy)
    "$0" stop "$data"
    rm -rf "$data" "$sock"
    [ "$pgdata" = "$data" ] || rm -rf "$(dirname "$pgdata")"
    ;;
  *)
    echo "pg-cluster: unknown command '$cmd'" >&2
    exit 2
    ;;
esac
