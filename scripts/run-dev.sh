#!/usr/bin/env bash
# `make run`: private PostgreSQL under .data/ unless DATABASE_URL is set, migrate, seed, serve + worker.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .data

started_pg=""
if [ -z "${DATABASE_URL:-}" ]; then
  scripts/pg-cluster.sh start .data/postgres
  started_pg=yes
  DATABASE_URL=$(scripts/pg-cluster.sh url .data/postgres)
  export DATABASE_URL
  echo "run: private PostgreSQL in .data/postgres (stopped again when you stop the server)"
fi
# A stable secret across restarts keeps browser sessions valid; generated once, never committed.
if [ -z "${JWT_SECRET:-}" ]; then
  [ -s .data/jwt_secret ] || (umask 077 && openssl rand -hex 32 > .data/jwt_secret)
  JWT_SECRET=$(cat .data/jwt_secret)
  export JWT_SECRET
fi

# The same for the key that seals provider credentials: losing it means reconnecting every integration.
if [ -z "${TOKEN_ENCRYPTION_KEY:-}" ]; then
  [ -s .data/token_encryption_key ] || (umask 077 && echo "k1:$(openssl rand -base64 32)" > .data/token_encryption_key)
  TOKEN_ENCRYPTION_KEY=$(cat .data/token_encryption_key)
  export TOKEN_ENCRYPTION_KEY
fi

cleanup() { [ -n "$started_pg" ] && scripts/pg-cluster.sh stop .data/postgres || true; }
trap cleanup EXIT

bin/omnitrackiq migrate
# A demo store on first start (an empty database); its login is kept in .data/ (never committed).
seed_out=$(bin/omnitrackiq seed-demo --if-empty)
echo "$seed_out"
if grep -q "demo login" <<<"$seed_out"; then
  (umask 077 && grep "demo login" <<<"$seed_out" | sed 's/^seed-demo: //' > .data/demo-login.txt)
fi
[ -s .data/demo-login.txt ] && echo "run: $(cat .data/demo-login.txt)"

echo "run: serving http://localhost:${PORT:-8080} with one worker beside it (Ctrl-C stops both)"
# Not exec: when the server exits, the trap stops the worker and PostgreSQL.
bin/omnitrackiq worker --dev &
worker=$!
bin/omnitrackiq serve --dev &
server=$!
trap 'kill -TERM $server $worker 2>/dev/null' INT TERM
wait $server || true
wait $server 2>/dev/null || true
kill -TERM $worker 2>/dev/null || true
wait $worker 2>/dev/null || true
