#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster and the real server on a free port, for e2e tests and
# benchmarks. Prints the base URL; `scripts/serve-test-instance.sh stop NAME` tears it down.
#   scripts/serve-test-instance.sh start NAME [extra env assignments...]
set -euo pipefail
cd "$(dirname "$0")/.."
cmd=${1:?start|stop} name=${2:?instance name}
shift 2
data=build/$name-pg log=build/$name-server.log pidfile=build/$name-server.pid

case "$cmd" in
  start)
    scripts/pg-cluster.sh start "$data" --fast
    url=$(scripts/pg-cluster.sh url "$data")
    DATABASE_URL=$url bin/omnitrackiq migrate >/dev/null
    rm -f "$log"  # an old log would show an old port
    env DATABASE_URL="$url" JWT_SECRET="${JWT_SECRET:-$(openssl rand -hex 32)}" \
      TOKEN_ENCRYPTION_KEY="${TOKEN_ENCRYPTION_KEY:-k1:$(openssl rand -base64 32)}" PORT=0 STATIC_DIR=frontend/out "$@" \
      bin/omnitrackiq serve >"$log" 2>&1 &
    echo $! >"$pidfile"
    port=""
    for _ in $(seq 1 200); do
      port=$(grep '"event":"listening"' "$log" 2>/dev/null | grep -o '"port":[0-9]*' | cut -d: -f2 || true)
      [ -n "$port" ] && break
      kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat "$log" >&2; exit 1; }
      sleep 0.05
    done
    [ -n "$port" ] || { echo "server did not start" >&2; cat "$log" >&2; exit 1; }
    echo "http://127.0.0.1:$port"
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
      wait "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    fi
    scripts/pg-cluster.sh destroy "$data"
    ;;
esac
